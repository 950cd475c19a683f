import Testing
@testable import Report

@Suite struct ColormapTests {
    @Test func viridisEndpointsAndClamping() {
        #expect(Colormap.viridis.color(at: 0).hexString == "#440154")
        #expect(Colormap.viridis.color(at: 1).hexString == "#fde725")
        #expect(Colormap.viridis.color(at: -3) == Colormap.viridis.color(at: 0))
        #expect(Colormap.viridis.color(at: 7) == Colormap.viridis.color(at: 1))
        #expect(Colormap.viridis.color(at: .nan) == Colormap.viridis.color(at: 0))
        #expect(!Colormap.viridis.isDiverging)
    }

    @Test func divergingIsBlueWhiteRed() {
        let map = Colormap.blueWhiteRed
        #expect(map.isDiverging)
        #expect(map.color(at: 0.5) == .white)
        let low = map.color(at: 0), high = map.color(at: 1)
        #expect(low.blue > low.red && high.red > high.blue)
    }

    @Test func colorsInterpolateAndPrint() {
        #expect(Color(hex: 0x1f77b4).hexString == "#1f77b4")
        #expect(Color.black.mixed(with: .white, fraction: 0.5) == Color(red: 128, green: 128, blue: 128))
    }

    @Test func divergingScalesAreSymmetricAboutZero() {
        let scale = ColorScale("Δτ", colormap: .blueWhiteRed)
        let r = scale.resolvedRange(for: [-1, .nan, 3])
        #expect(r.lo == -3 && r.hi == 3)
        #expect(scale.fraction(0, lo: r.lo, hi: r.hi) == 0.5)
        #expect(scale.fraction(.nan, lo: r.lo, hi: r.hi) == nil)
    }

    @Test func logScalesSkipNonPositiveValues() {
        let scale = ColorScale("events", logarithmic: true)
        let r = scale.resolvedRange(for: [0, 1, 1000, .nan])
        #expect(r.lo == 1 && r.hi == 1000)
        #expect(scale.fraction(0, lo: 1, hi: 1000) == nil)
        #expect(abs(scale.fraction(10, lo: 1, hi: 1000)! - 1.0 / 3.0) < 1e-12)
    }
}
