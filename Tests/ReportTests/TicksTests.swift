import Testing
@testable import Report

/// Reads a tick label back as a number: U+2212 → "-", "a×10ᵏ" → "ae k".
private func parse(_ label: String) -> Double? {
    var s = label.replacingOccurrences(of: "\u{2212}", with: "-")
    if let r = s.range(of: "×10") {
        let exponent = String(s[r.upperBound...]).map { c -> Character in
            let sup: [Character: Character] = ["⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5",
                                               "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9", "⁻": "-"]
            return sup[c] ?? c
        }
        s = String(s[..<r.lowerBound]) + "e" + String(exponent)
    }
    return Double(s)
}

@Suite struct TicksTests {
    @Test func unitRange() {
        let ticks = Ticks.linear(from: 0, to: 1)
        #expect(ticks.map(\.label) == ["0", "0.2", "0.4", "0.6", "0.8", "1.0"])   // zero is "0"
        #expect(ticks.map(\.value) == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
    }

    @Test func negativeRangeUsesTheMinusSignAndHitsZero() {
        let ticks = Ticks.linear(from: -2.5, to: 7.3)
        #expect(ticks.map(\.label) == ["\u{2212}2", "0", "2", "4", "6"])
    }

    @Test func tinyAndHugeRangesUseAPowerOfTen() {
        #expect(Ticks.linear(from: 1e-7, to: 5e-7).map(\.label) == ["1×10⁻⁷", "2×10⁻⁷", "3×10⁻⁷", "4×10⁻⁷", "5×10⁻⁷"])
        #expect(Ticks.linear(from: 0, to: 3e9, count: 3).map(\.label) == ["0", "1×10⁹", "2×10⁹", "3×10⁹"])
        #expect(Ticks.linear(from: 0.1, to: 0.10000001, count: 2).map(\.label) == ["0.100000000", "0.100000005", "0.100000010"])
        #expect(Ticks.linear(from: 0, to: 2.5e-6, count: 5).map(\.label)
            == ["0", "0.5×10⁻⁶", "1.0×10⁻⁶", "1.5×10⁻⁶", "2.0×10⁻⁶", "2.5×10⁻⁶"])
    }

    @Test func quarterSteps() {
        #expect(Ticks.linear(from: 0, to: 1, count: 4).map(\.label) == ["0", "0.25", "0.50", "0.75", "1.00"])
    }

    @Test func degenerateRanges() {
        #expect(Ticks.linear(from: 2, to: 2).map(\.label) == ["2"])
        #expect(Ticks.linear(from: 0, to: 0).map(\.label) == ["0"])
        #expect(Ticks.linear(from: .nan, to: 1).isEmpty)
        #expect(Ticks.linear(from: 0, to: .infinity).isEmpty)
        #expect(Ticks.linear(from: 1, to: 0).map(\.value) == Ticks.linear(from: 0, to: 1).map(\.value))
    }

    @Test func zeroWidthAxisRangesAreWidened() {
        let zero = AxisRange.auto.resolve(dataMin: 0, dataMax: 0, pads: true)
        #expect(zero.lo == -1 && zero.hi == 1)
        let two = AxisRange.tight.resolve(dataMin: 2, dataMax: 2, pads: false)
        #expect(two.lo < 2 && two.hi > 2)
        let none = AxisRange.auto.resolve(dataMin: nil, dataMax: nil, pads: true)
        #expect(none.lo == 0 && none.hi == 1)
        let symmetric = AxisRange.symmetric.resolve(dataMin: -1, dataMax: 3, pads: false)
        #expect(symmetric.lo == -3 && symmetric.hi == 3)
    }

    @Test(arguments: [
        (0.0, 1.0), (-2.5, 7.3), (1e-7, 5e-7), (0.0, 3e9), (-1e-3, 1e-3), (0.30000000000000004, 0.7),
        (-5.6412, -5.6203), (0.0, 0.05), (-0.5, 2.5), (12345.0, 12399.0), (1e10, 1e10 + 5e5), (-1e300, 1e300),
        (0.1, 0.10000001), (-0.004, 0.004), (99.0, 101.0),
    ])
    func ticksAreNiceInsideEvenAndExactlyLabelled(lo: Double, hi: Double) {
        let ticks = Ticks.linear(from: lo, to: hi)
        #expect(ticks.count >= 2 && ticks.count <= 11, "\(ticks.map(\.label))")
        let step = ticks[1].value - ticks[0].value
        for (k, t) in ticks.enumerated() {
            #expect(t.value >= lo - 1e-9 * abs(step) && t.value <= hi + 1e-9 * abs(step))
            if k > 0 { #expect(abs((t.value - ticks[k - 1].value) - step) <= 1e-9 * abs(step)) }
            #expect(parse(t.label) == t.value, "label \(t.label) reads back as \(String(describing: parse(t.label))), tick is \(t.value)")
            #expect(t.label.count <= 12, "label too long: \(t.label)")
        }
        #expect(Set(ticks.map(\.label)).count == ticks.count)
        // The step is 1, 2, 2.5 or 5 times a power of ten.
        let m = step / NumberFormat.powerOfTen(NumberFormat.decimalExponent(step))
        #expect([1, 2, 2.5, 5].contains { abs(m - $0) < 1e-6 }, "step \(step)")
    }

    @Test func logarithmicTicks() {
        #expect(Ticks.logarithmic(from: 1, to: 1000).map(\.label) == ["1", "10", "100", "1000"])
        #expect(Ticks.logarithmic(from: 1, to: 1e6).map(\.label) == ["10⁰", "10¹", "10²", "10³", "10⁴", "10⁵", "10⁶"])
        #expect(Ticks.logarithmic(from: 1, to: 50).map(\.label) == ["1", "2", "5", "10", "20", "50"])
        #expect(Ticks.logarithmic(from: 0, to: 10).isEmpty)
        #expect(Ticks.logarithmic(from: 2, to: 4).count >= 2)                 // falls back to linear
    }
}
