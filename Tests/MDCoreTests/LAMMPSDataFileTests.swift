import Foundation
import MDCore
import Testing

/// SplitMix64 (Steele, Lea, Flood 2014): seedable generator for reproducible test data.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * Double(next() >> 11) * 0x1p-53 }
}

/// A random structure with awkward numbers everywhere (tilted box, negative lo, masses, image flags,
/// velocities, ids out of order).
func randomStructure(count: Int, seed: UInt64, images: Bool = true, velocities: Bool = true,
                     masses: Bool = true, lo: SIMD3<Double> = .zero) -> Structure {
    var rng = SplitMix64(seed: seed)
    let box = Box(lo: lo, lx: rng.uniform(5, 30), ly: rng.uniform(5, 30), lz: rng.uniform(5, 30),
                  xy: rng.uniform(-20, 20), xz: rng.uniform(-3, 3), yz: rng.uniform(-1e-3, 1e-3))
    var ids = Array(1...count).map { $0 * 7 + 3 }
    ids.shuffle(using: &rng)
    let types = (0..<count).map { _ in Int32(1 + Int(rng.next() % 3)) }
    let positions = (0..<count).map { _ in
        box.cartesian(SIMD3(rng.uniform(-0.1, 1.1), rng.uniform(0, 1), rng.uniform(0, 1)))
    }
    let imageFlags = (0..<count).map { _ in
        SIMD3<Int32>(Int32(rng.next() % 7) - 3, Int32(rng.next() % 3) - 1, Int32(truncatingIfNeeded: rng.next() % 5) - 2)
    }
    let v = (0..<count).map { _ in SIMD3(rng.uniform(-9, 9), rng.uniform(-1e-7, 1e-7), rng.uniform(-1e3, 1e3)) }
    return Structure(box: box, typeCount: 3, masses: masses ? [63.546, 91.224, rng.uniform(1, 300)] : nil,
                     ids: ids, types: types, positions: positions, images: images ? imageFlags : nil,
                     velocities: velocities ? v : nil)
}

/// The InputError thrown by `body`, or nil.
func inputError<T>(_ body: () throws(InputError) -> T) -> InputError? {
    do { _ = try body(); return nil } catch { return error }
}

func parse(_ text: String, path: String = "test.data") throws(InputError) -> Structure {
    try LAMMPSDataFile.parse(TextFile(path: path, text: text))
}

@Suite("LAMMPS data files")
struct LAMMPSDataFileTests {
    /// Every field of two structures, compared bit for bit.
    func expectIdenticalBits(_ a: Structure, _ b: Structure, sourceLocation: SourceLocation = #_sourceLocation) {
        func same(_ x: Double, _ y: Double) -> Bool { x.bitPattern == y.bitPattern }
        func same(_ x: SIMD3<Double>, _ y: SIMD3<Double>) -> Bool { same(x.x, y.x) && same(x.y, y.y) && same(x.z, y.z) }
        #expect(same(a.box.lo, b.box.lo), "lo", sourceLocation: sourceLocation)
        for (x, y) in [(a.box.lx, b.box.lx), (a.box.ly, b.box.ly), (a.box.lz, b.box.lz),
                       (a.box.xy, b.box.xy), (a.box.xz, b.box.xz), (a.box.yz, b.box.yz)] {
            #expect(same(x, y), "box: \(x) vs \(y)", sourceLocation: sourceLocation)
        }
        #expect(a.typeCount == b.typeCount, sourceLocation: sourceLocation)
        #expect(a.ids == b.ids, sourceLocation: sourceLocation)
        #expect(a.types == b.types, sourceLocation: sourceLocation)
        #expect(a.images == b.images, sourceLocation: sourceLocation)
        #expect((a.masses == nil) == (b.masses == nil), sourceLocation: sourceLocation)
        if let m = a.masses, let n = b.masses { #expect(zip(m, n).allSatisfy(same), "masses", sourceLocation: sourceLocation) }
        #expect(zip(a.positions, b.positions).allSatisfy(same), "positions", sourceLocation: sourceLocation)
        #expect((a.velocities == nil) == (b.velocities == nil), sourceLocation: sourceLocation)
        if let v = a.velocities, let w = b.velocities {
            #expect(zip(v, w).allSatisfy(same), "velocities", sourceLocation: sourceLocation)
        }
    }

    @Test("format → parse gives identical bits (box at the origin)", arguments: [
        (1, true, true, true), (2, false, true, false), (3, true, false, true), (4, false, false, false),
    ])
    func roundTrip(_ seed: Int, _ images: Bool, _ velocities: Bool, _ masses: Bool) throws {
        let s = randomStructure(count: 57, seed: UInt64(seed), images: images, velocities: velocities, masses: masses)
        let back = try parse(LAMMPSDataFile.format(s))
        expectIdenticalBits(s, back)
        #expect(back == s)
    }

    @Test("format → parse with lo ≠ 0: lo, hi and everything else keep their bits; format is a fixed point")
    func roundTripOffsetBox() throws {
        // The file stores xlo and xhi = xlo + lx, so lx itself comes back as (xlo + lx) − xlo, which may
        // differ from lx in the last bit; the numbers in the file, and hence LAMMPS's box, are exact.
        let s = randomStructure(count: 40, seed: 9, lo: SIMD3(-12.345678901234567, 0.1, 3.3e-3))
        let text = LAMMPSDataFile.format(s)
        let back = try parse(text)
        #expect(back.box.lo == s.box.lo)
        #expect(back.box.hi == s.box.hi)
        // Many random offsets: xlo and xhi always survive, and one round trip reaches a fixed point.
        var rng = SplitMix64(seed: 10)
        for _ in 0..<2000 {
            let lo = rng.uniform(-50, 50), lx = rng.uniform(1, 60)
            let b = Box(lo: SIMD3(lo, -lo, 0.5 * lo), lx: lx, ly: 2 * lx, lz: 0.5 * lx)
            let one = Structure(box: b, typeCount: 1, ids: [1], types: [1], positions: [b.lo])
            let back = try parse(LAMMPSDataFile.format(one))
            #expect(back.box.lo == b.lo && back.box.hi == b.hi)
            let again = try parse(LAMMPSDataFile.format(back))
            #expect(again.box == back.box)
        }
        #expect(back.box.xy == s.box.xy && back.box.xz == s.box.xz && back.box.yz == s.box.yz)
        #expect(back.positions == s.positions && back.velocities == s.velocities && back.images == s.images)
        #expect(abs(back.box.lx - s.box.lx) <= s.box.lx.ulp * 16)
        // Once read, writing and reading again changes nothing.
        #expect(LAMMPSDataFile.format(back) == LAMMPSDataFile.format(try parse(LAMMPSDataFile.format(back))))
    }

    @Test("write(_:to:) then read(path:) round-trips through the file system")
    func writeRead() throws {
        let s = randomStructure(count: 10, seed: 5)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seem-md-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.data").path
        try LAMMPSDataFile.write(s, to: path, title: "a title\nwith a newline")
        let back = try LAMMPSDataFile.read(path: path)
        expectIdenticalBits(s, back)
        // No temporary file left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["s.data"])
    }

    /// A small hand-written file. Lines (1-based): 1 title, 3 atoms, 4 types, 6-8 bounds, 10 Atoms, 12-14 atoms.
    static let small = """
        LAMMPS data file for tests
        
        3 atoms
        2 atom types
        
        0 10 xlo xhi
        0 10 ylo yhi
        0 10 zlo zhi
        
        Atoms # atomic
        
        1 1 0 0 0
        2 2 1 1 1
        3 1 2 2 2
        
        """

    func smallWith(_ edit: (inout [String]) -> Void) -> String {
        var l = Self.small.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        edit(&l)
        return l.joined(separator: "\n")
    }

    @Test("comments, blank lines, tabs, Masses/Velocities and a skipped Pair Coeffs section", arguments: [false, true])
    func commentsAndSections(_ crlf: Bool) throws {
        let text = Self.commented
        let t = crlf ? text.replacingOccurrences(of: "\n", with: "\r\n") : text
        let s = try parse(t)
        #expect(s.count == 4 && s.typeCount == 2)
        #expect(s.box.lo == SIMD3(-1.5, 0, 0) && s.box.lx == 10 && s.box.xy == 2.5 && s.box.xz == -1 && s.box.yz == 0.25)
        #expect(s.masses == [63.546, 91.224])
        #expect(s.ids == [10, 20, 30, 40])
        #expect(s.types == [1, 2, 1, 2])
        #expect(s.positions[1] == SIMD3(1.5, 1.5, 1.5))
        #expect(s.images?[1] == SIMD3(1, -1, 2) && s.images?[3] == SIMD3(0, 0, -4))
        // Velocities are matched by id, not by order.
        #expect(s.velocities?[0] == SIMD3(4, 5, 6) && s.velocities?[3] == SIMD3(1, 2, 3))
        #expect(s.velocities?[1] == SIMD3(1e-3, -20, 0.5))
    }

    static let commented = """
            # title line (ignored)
            # a comment line in the header

            \t4 atoms   # with a comment
            2 atom types
            0 bonds
            -1.5 8.5 xlo xhi
            0 10 ylo yhi
              0   10   zlo zhi
            2.5 -1 0.25 xy xz yz

            # comment between sections
            Masses

            1 63.546 # Cu
            2 91.224

            Pair Coeffs # eam

            1 0.1 1.0
            2 0.2 1.0

            Atoms # atomic

            10 1 0.5 0.5 0.5 0 0 0
            # a comment inside a section
            20 2 1.5 1.5 1.5 1 -1 2

            30 1 2.5 2.5 2.5 0 0 0
            40 2 3.5 3.5 3.5 0 0 -4

            Velocities

            40 1 2 3
            10 4 5 6
            30 7 8 9
            20 1e-3 -2E+1 0.5
            """

    @Test("Atoms section style hint: none and '# atomic' accepted")
    func atomicHint() throws {
        #expect(try parse(Self.small).count == 3)
        #expect(try parse(smallWith { $0[9] = "Atoms" }).count == 3)
        #expect(try parse(smallWith { $0[9] = "Atoms #atomic" }).count == 3)
        #expect(try parse(smallWith { $0[9] = "Atoms  # atomic  " }).count == 3)
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var name: String
        var edit: @Sendable (inout [String]) -> Void
        var line: Int?
        var fragment: String
        var testDescription: String { name }
    }

    static let badCases: [BadCase] = [
        BadCase(name: "Atoms # full", edit: { $0[9] = "Atoms # full" }, line: 10, fragment: "atom_style 'full'"),
        BadCase(name: "Atoms # charge", edit: { $0[9] = "Atoms # charge" }, line: 10, fragment: "only 'atomic'"),
        BadCase(name: "missing Atoms section", edit: { $0.removeSubrange(9...13) }, line: nil, fragment: "no Atoms section"),
        BadCase(name: "fewer atom lines than the header says", edit: { $0[2] = "4 atoms" }, line: 10,
                fragment: "ends after 3 of 4 lines"),
        BadCase(name: "more atom lines than the header says", edit: { $0[2] = "2 atoms" }, line: 14,
                fragment: "more lines than the header's counts (2 atoms"),
        BadCase(name: "atom type out of range", edit: { $0[13] = "3 3 2 2 2" }, line: 14, fragment: "atom type 3 is outside"),
        BadCase(name: "atom type 0", edit: { $0[12] = "2 0 1 1 1" }, line: 13, fragment: "atom type 0 is outside"),
        BadCase(name: "NaN coordinate", edit: { $0[12] = "2 2 1 nan 1" }, line: 13, fragment: "got 'nan'"),
        BadCase(name: "infinite coordinate", edit: { $0[12] = "2 2 1 1 -inf" }, line: 13, fragment: "got '-inf'"),
        BadCase(name: "non-numeric coordinate", edit: { $0[12] = "2 2 1 1 1.0.0" }, line: 13, fragment: "got '1.0.0'"),
        BadCase(name: "duplicate atom id", edit: { $0[13] = "2 1 2 2 2" }, line: 14, fragment: "atom id 2 already used on line 13"),
        BadCase(name: "atom id 0", edit: { $0[11] = "0 1 0 0 0" }, line: 12, fragment: "atom id must be positive"),
        BadCase(name: "wrong field count", edit: { $0[12] = "2 2 1 1" }, line: 13, fragment: "5 or 8 fields"),
        BadCase(name: "image flags on some atoms only", edit: { $0[11] = "1 1 0 0 0 1 0 0" }, line: 13, fragment: "image flags"),
        BadCase(name: "unknown section", edit: { $0.append("Bogus"); $0.append(""); $0.append("1 2") }, line: 16,
                fragment: "unknown section or header line 'Bogus'"),
        BadCase(name: "molecular section", edit: { $0.append("Bonds"); $0.append(""); $0.append("1 1 1 2") }, line: 16,
                fragment: "only atom_style atomic"),
        BadCase(name: "bonds in the header", edit: { $0.insert("5 bonds", at: 4) }, line: 5, fragment: "atomic"),
        BadCase(name: "no atom count", edit: { $0.remove(at: 2) }, line: nil, fragment: "atoms"),
        BadCase(name: "no atom types line", edit: { $0.remove(at: 3) }, line: nil, fragment: "atom types"),
        BadCase(name: "zero atoms", edit: { $0[2] = "0 atoms" }, line: nil, fragment: "positive"),
        BadCase(name: "missing zlo zhi", edit: { $0.remove(at: 7) }, line: nil, fragment: "zlo zhi"),
        BadCase(name: "inverted bounds", edit: { $0[5] = "10 0 xlo xhi" }, line: nil, fragment: "lo < hi"),
        BadCase(name: "non-numeric bound", edit: { $0[6] = "0 ten ylo yhi" }, line: 7, fragment: "got 'ten'"),
        BadCase(name: "Masses with a type out of range",
                edit: { $0.insert(contentsOf: ["Masses", "", "1 63.5", "3 91.2", ""], at: 9) }, line: 13,
                fragment: "atom type 3 is outside"),
        BadCase(name: "Masses given twice for a type",
                edit: { $0.insert(contentsOf: ["Masses", "", "1 63.5", "1 91.2", ""], at: 9) }, line: 13,
                fragment: "given twice"),
        BadCase(name: "negative mass", edit: { $0.insert(contentsOf: ["Masses", "", "1 63.5", "2 -1", ""], at: 9) },
                line: 13, fragment: "mass must be positive"),
        BadCase(name: "velocity for an unknown id",
                edit: { $0 += ["Velocities", "", "1 0 0 0", "2 0 0 0", "9 0 0 0"] }, line: 20,
                fragment: "unknown atom id 9"),
        BadCase(name: "Velocities before Atoms",
                edit: { $0.insert(contentsOf: ["Velocities", "", "1 0 0 0", "2 0 0 0", "3 0 0 0", ""], at: 9) },
                line: 10, fragment: "before Atoms"),
    ]

    @Test("bad data files: message fragment and line", arguments: badCases)
    func badDataFile(_ c: BadCase) throws {
        let text = smallWith(c.edit)
        let e = try #require(inputError { () throws(InputError) in try parse(text) }, "\(c.name) was accepted:\n\(text)")
        #expect(e.path == "test.data")
        #expect(e.reason.contains(c.fragment), "reason: \(e.reason)")
        #expect(e.line == c.line, "\(e)")
        let expectedPrefix = c.line.map { "test.data:\($0): error: " } ?? "test.data: error: "
        #expect(e.description.hasPrefix(expectedPrefix), "\(e)")
        #expect(!e.description.contains("\n"))
    }

    @Test("missing, empty and binary files")
    func missingFiles() throws {
        let e = try #require(inputError { () throws(InputError) in try LAMMPSDataFile.read(path: "/nonexistent/dir/x.data") })
        #expect(e.path == "/nonexistent/dir/x.data" && e.line == nil)
        #expect(e.reason.contains("cannot open"))
        #expect(e.description.hasPrefix("/nonexistent/dir/x.data: error: cannot open"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seem-md-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = dir.appendingPathComponent("empty.data").path
        FileManager.default.createFile(atPath: empty, contents: Data())
        #expect(inputError { () throws(InputError) in try LAMMPSDataFile.read(path: empty) }?.reason.contains("empty") == true)
        // A directory is not a data file.
        #expect(inputError { () throws(InputError) in try LAMMPSDataFile.read(path: dir.path) } != nil)
    }
}
