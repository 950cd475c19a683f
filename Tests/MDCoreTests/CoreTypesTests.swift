import Foundation
import MDCore
import Testing

@Suite("Box, stress, units and errors")
struct CoreTypesTests {
    static let boxes: [Box] = [
        .cube(12),
        Box(lo: SIMD3(-3, 2, 0.5), lx: 7, ly: 9, lz: 11, xy: 3.5),
        Box(lo: SIMD3(1, -1, 4), lx: 5, ly: 6, lz: 7, xy: 8.5, xz: -4, yz: 3.2),
        Box(lx: 2.5, ly: 30, lz: 4, xy: -40, xz: 0.1, yz: -9),
    ]

    @Test("fractional and cartesian are inverse; translation is h·n", arguments: boxes)
    func fractionalCartesian(_ box: Box) {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<200 {
            let x = SIMD3(rng.uniform(-50, 50), rng.uniform(-50, 50), rng.uniform(-50, 50))
            let back = box.cartesian(box.fractional(x))
            #expect(((back - x) * (back - x)).sum().squareRoot() < 1e-12)
        }
        #expect(box.translation(SIMD3(1, 0, 0)) == box.a)
        #expect(box.translation(SIMD3(0, 1, 0)) == box.b)
        #expect(box.translation(SIMD3(0, 0, 1)) == box.c)
        #expect(box.translation(SIMD3(2, -1, 3)) == 2 * box.a - box.b + 3 * box.c)
        #expect(box.volume == box.lx * box.ly * box.lz)
        #expect(box.hi == box.lo + SIMD3(box.lx, box.ly, box.lz))
        #expect(box.isTriclinic == (box.xy != 0 || box.xz != 0 || box.yz != 0))
        #expect(box.isValid)
    }

    @Test("wrap puts a point in the cell and returns the image it came from", arguments: boxes)
    func wrap(_ box: Box) {
        var rng = SplitMix64(seed: 12)
        for _ in 0..<200 {
            let x = box.cartesian(SIMD3(rng.uniform(-3, 4), rng.uniform(-3, 4), rng.uniform(-3, 4)))
            let (w, image) = box.wrap(x)
            let s = box.fractional(w)
            #expect(s.x >= -1e-12 && s.x < 1 + 1e-12 && s.y >= -1e-12 && s.y < 1 + 1e-12 && s.z >= -1e-12 && s.z < 1 + 1e-12)
            let n = SIMD3(Double(image.x), Double(image.y), Double(image.z))
            let d = w + box.translation(n) - x
            #expect((d * d).sum().squareRoot() < 1e-12)
        }
    }

    @Test("remap is the affine map of change_box … remap (xy shear: x' = x + Δxy·(y − ylo)/ly)")
    func remap() {
        let box = Box(lo: SIMD3(1, -2, 3), lx: 10, ly: 8, lz: 6, xy: 1, xz: 0.5, yz: -0.25)
        var sheared = box
        sheared.xy += 0.8
        let x = SIMD3(4.0, 3.0, 5.0)
        let y = box.remap(x, to: sheared)
        #expect(abs(y.x - (x.x + 0.8 * (x.y - box.lo.y - box.yz * (x.z - box.lo.z) / box.lz) / box.ly)) < 1e-13)
        #expect(y.y == x.y && y.z == x.z)
        // Fractional coordinates are preserved.
        let s = box.fractional(x), t = sheared.fractional(y)
        #expect(((s - t) * (s - t)).sum().squareRoot() < 1e-14)
    }

    @Test("isValid rejects non-positive edges and non-finite numbers")
    func validity() {
        #expect(!Box(lx: 0, ly: 1, lz: 1).isValid)
        #expect(!Box(lx: 1, ly: -1, lz: 1).isValid)
        #expect(!Box(lx: 1, ly: 1, lz: 1, xy: .nan).isValid)
        #expect(!Box(lo: SIMD3(.infinity, 0, 0), lx: 1, ly: 1, lz: 1).isValid)
    }

    @Test("units are LAMMPS's metal constants")
    func units() {
        #expect(Units.nktv2p == 1.6021765e6)
        #expect(Units.evPerA3ToGPa == 1.6021765e6 * 1e-4)
        #expect(abs(Units.evPerA3ToGPa - 160.21765) < 1e-12)
        #expect(Units.boltzmann == 8.617343e-5)
        #expect(Units.mvv2e == 1.0364269e-4)
        #expect(Units.ftm2v == 1 / 1.0364269e-4)
    }

    @Test("stress = −(W + K)/V in GPa, tension positive, components in xx yy zz xy xz yz order")
    func stressSign() {
        let w = Virial(xx: 1, yy: 2, zz: 3, xy: 4, xz: 5, yz: 6)
        let k = Virial(xx: 0.5, yy: 0, zz: 0, xy: -1, xz: 0, yz: 0)
        let s = Stress(virial: w, kinetic: k, volume: 2)
        let expected = [-(1 + 0.5), -2, -3, -(4 - 1), -5, -6].map { $0 / 2 * Units.evPerA3ToGPa }
        for (a, b) in zip(s.components, expected) { #expect(abs(a - b) < 1e-12) }
        #expect(abs(s.xx - (-(1 + 0.5) / 2 * Units.evPerA3ToGPa)) < 1e-12)
        #expect(abs(s.xy - (-(4 - 1) / 2 * Units.evPerA3ToGPa)) < 1e-12)
        #expect(abs(s.yz - (-6 / 2 * Units.evPerA3ToGPa)) < 1e-12)
        #expect(s.components == [s.xx, s.yy, s.zz, s.xy, s.xz, s.yz])
        // Repulsion (W > 0) is compression: negative stress.
        #expect(Stress(virial: Virial(xx: 1, yy: 1, zz: 1), volume: 1).xx < 0)
        #expect(w.components == [1, 2, 3, 4, 5, 6])
        #expect((w + k).components == [1.5, 2, 3, 3, 5, 6])
        #expect(Virial.zero.components == [0, 0, 0, 0, 0, 0])
    }

    @Test("InputError prints FILE:LINE: error: reason")
    func inputErrorFormat() {
        #expect(InputError(path: "a.data", line: 12, reason: "bad").description == "a.data:12: error: bad")
        #expect(InputError(path: "a.data", reason: "bad").description == "a.data: error: bad")
        #expect(InputError(path: "config.json", keyPath: "aqs.strainStep", reason: "must be > 0").description
            == "config.json: key aqs.strainStep: error: must be > 0")
        // TextFile.error takes a 0-based index and reports a 1-based line.
        let f = TextFile(path: "x.txt", text: "a\nb\nc\n")
        #expect(f.error(1, "r").line == 2)
    }

    @Test("TextFile tokens: comments, tabs and a stray CR stripped")
    func tokens() {
        let f = TextFile(path: "t", text: "  1\t2  # three\r\u{0C}\n# only comment\n\nfour five\n")
        #expect(f.tokens(0) == ["1", "2"])
        #expect(f.tokens(0, stripComments: false) == ["1", "2", "#", "three"])
        #expect(f.tokens(1).isEmpty)
        #expect(f.tokens(2).isEmpty)
        #expect(f.tokens(3) == ["four", "five"])
        #expect((try? f.double("3.0E-0002", line: 0, what: "x")) == 0.03)
        #expect((try? f.int("12", line: 0, what: "x")) == 12)
        #expect((try? f.int("1.5", line: 0, what: "x")) == nil)
        #expect((try? f.double("nan", line: 0, what: "x")) == nil)
    }

    @Test("AtomicFile writes the whole file and leaves no temporary behind; bad directory is an InputError")
    func atomicFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seem-md-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("f.txt").path
        try AtomicFile.write("old", to: path)
        try AtomicFile.write("new contents\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new contents\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["f.txt"])
        let bad = dir.appendingPathComponent("missing/f.txt").path
        let e = inputError { () throws(InputError) in try AtomicFile.write("x", to: bad) }
        #expect(e?.path == bad)
    }

    @Test("roundTrip(x) reads back to the same bits")
    func roundTripFormatting() {
        var rng = SplitMix64(seed: 13)
        for _ in 0..<1000 {
            let x = Double(bitPattern: rng.next())
            guard x.isFinite else { continue }
            #expect(Double(roundTrip(x))?.bitPattern == x.bitPattern)
        }
    }
}
