import MDCore
import Testing

@Suite("Seeded random numbers")
struct SeededRandomTests {
    @Test("xoshiro256** reference values and independent streams")
    func streams() {
        var a = SeededRandom(seed: 1)
        var b = SeededRandom(seed: 1)
        #expect((0..<5).map { _ in a.next() } == (0..<5).map { _ in b.next() })
        var c = SeededRandom(seed: 1, stream: [0, 1])
        var d = SeededRandom(seed: 1, stream: [0, 2])
        #expect(c.next() != d.next())
        // Known xoshiro256** output for state (1, 2, 3, 4) (reference implementation).
        var r = SeededRandom(state: (1, 2, 3, 4))
        #expect(r.next() == 11520)
        #expect(r.next() == 0)
        #expect(r.next() == 1509978240)
        #expect(r.next() == 1215971899390074240)
    }

    @Test("portable log agrees with libm to a few ulp")
    func log() {
        var r = SeededRandom(seed: 9)
        for _ in 0..<10000 {
            let x = r.uniform() * 2 + 1e-300 * r.uniform() + 1e-12
            let ours = portableLog(x), libm = Foundation.log(x)
            #expect(abs(ours - libm) <= 4 * libm.ulp.magnitude + 1e-17, "log(\(x))")
        }
    }

    @Test("Gaussian variates have mean 0 and variance 1")
    func gaussian() {
        var r = SeededRandom(seed: 5)
        let n = 200_000
        var s = 0.0, s2 = 0.0
        for _ in 0..<n { let g = r.gaussian(); s += g; s2 += g * g }
        #expect(abs(s / Double(n)) < 0.01)
        #expect(abs(s2 / Double(n) - 1) < 0.01)
    }
}

import Foundation
