import EAM
import Foundation
import MDCore
import Testing

/// A tiny two-element setfl file (Nrho = Nr = 10, five numbers per line) whose lines are easy to count:
///
///     fs:    1-3 comments, 4 "2 Cu Zr", 5 grid, 6 Cu header, 7-8 F_Cu, 9-10 ρ_{Cu→Cu}, 11-12 ρ_{Cu→Zr},
///            13 Zr header, 14-15 F_Zr, 16-17 ρ_{Zr→Cu}, 18-19 ρ_{Zr→Zr}, 20-21 rφ_CuCu, 22-23 rφ_ZrCu,
///            24-25 rφ_ZrZr                                                                  (25 lines)
///     alloy: 1-5 as above, 6 Cu header, 7-8 F_Cu, 9-10 ρ_Cu, 11 Zr header, 12-13 F_Zr, 14-15 ρ_Zr,
///            16-21 rφ                                                                        (21 lines)
///
/// Every table holds distinct values: F_e(k) = −(e+1)·√(k·drho), ρ tables = (100·s + 10·h + 1)·exp(−r), rφ = (i+j+1)·exp(−r)/r².
enum TinySetfl {
    static let nr = 10, dr = 0.8, nrho = 10, drho = 0.5, cutoff = 7.2

    static func embedding(_ e: Int) -> [Double] { (0..<nrho).map { -Double(e + 1) * (Double($0) * drho).squareRoot() } }
    static func density(source: Int, host: Int) -> [Double] {
        (0..<nr).map { Double(100 * source + 10 * host + 1) * exp(-Double($0) * dr) }
    }
    static func rphi(_ i: Int, _ j: Int) -> [Double] {
        (0..<nr).map { k in let r = max(Double(k) * dr, 0.4); return Double(i + j + 1) * exp(-r) / (r * r) }
    }

    static func lines(_ format: EAMPotential.Format) -> [String] {
        var l = ["tiny test potential", "second comment", "third comment", "2 Cu Zr", "\(nrho) \(drho) \(nr) \(dr) \(cutoff)"]
        func table(_ v: [Double]) {
            l.append(v[0..<5].map { "\($0)" }.joined(separator: " "))
            l.append(v[5..<10].map { "\($0)" }.joined(separator: " "))
        }
        let header = ["29 63.546 3.639 fcc", "40 91.224 3.23 hcp"]
        for e in 0..<2 {
            l.append(header[e])
            table(embedding(e))
            switch format {
            case .fs: for h in 0..<2 { table(density(source: e, host: h)) }
            case .alloy: table(density(source: e, host: 0))
            }
        }
        for i in 0..<2 { for j in 0...i { table(rphi(i, j)) } }
        return l
    }

    static func text(_ format: EAMPotential.Format, _ edit: (inout [String]) -> Void = { _ in }) -> String {
        var l = lines(format)
        edit(&l)
        return l.joined(separator: "\n") + "\n"
    }

    /// Writes a (possibly edited) tiny file and returns its path.
    static func write(_ format: EAMPotential.Format, in dir: URL, name: String = "tiny.eam",
                      _ edit: (inout [String]) -> Void = { _ in }) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try text(format, edit).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// The InputError thrown by `body`, or nil.
func inputError<T>(_ body: () throws(InputError) -> T) -> InputError? {
    do { _ = try body(); return nil } catch { return error }
}

@Suite("EAM potential files")
struct PotentialParsingTests {
    @Test("tiny eam/fs: tables land where LAMMPS puts them (block α, table β = ρ_{α→β})")
    func tinyFs() throws {
        let p = try EAMPotential.parse(TextFile(path: "tiny.eam.fs", text: TinySetfl.text(.fs)), format: .fs)
        #expect(p.format == .fs)
        #expect(p.elements == ["Cu", "Zr"])
        #expect(p.atomicNumbers == [29, 40])
        #expect(p.masses == [63.546, 91.224])
        #expect(p.nr == 10 && p.nrho == 10 && p.dr == 0.8 && p.drho == 0.5 && p.cutoff == 7.2)
        for e in 0..<2 { #expect(p.embedding[e] == TinySetfl.embedding(e)) }
        for s in 0..<2 {
            for h in 0..<2 { #expect(p.density[s][h] == TinySetfl.density(source: s, host: h), "density[\(s)][\(h)]") }
        }
        for i in 0..<2 {
            for j in 0..<2 { #expect(p.rphi[i][j] == TinySetfl.rphi(max(i, j), min(i, j)), "rphi[\(i)][\(j)]") }
        }
    }

    @Test("tiny eam/alloy: one density per source element, shared by all hosts")
    func tinyAlloy() throws {
        let p = try EAMPotential.parse(TextFile(path: "tiny.eam.alloy", text: TinySetfl.text(.alloy)), format: .alloy)
        #expect(p.format == .alloy)
        for s in 0..<2 {
            for h in 0..<2 { #expect(p.density[s][h] == TinySetfl.density(source: s, host: 0)) }
        }
        #expect(p.rphi[1][0] == TinySetfl.rphi(1, 0) && p.rphi[0][1] == TinySetfl.rphi(1, 0))
    }

    @Test("read(path:) infers the flavour from the number of values", arguments: EAMPotential.Format.allCases)
    func inferFormat(_ format: EAMPotential.Format) throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try TinySetfl.write(format, in: dir)
        #expect(try EAMPotential.read(path: path).format == format)
        #expect(try EAMPotential.read(path: path, format: format).format == format)
    }

    @Test("the real files: CuZr_mm.eam.fs and an eam/alloy written from it")
    func realFiles() throws {
        #expect(cuZr.elements == ["Cu", "Zr"])
        #expect(cuZr.nrho == 10000 && cuZr.nr == 10000 && cuZr.cutoff == 7.6 && cuZr.dr == 7.6e-4 && cuZr.drho == 0.03)
        #expect(cuZr.masses == [63.546, 91.224])
        #expect(cuZr.rphi[0][0][0] == 1e12)
        #expect(cuZr.embedding[0][0] == 0)
        let alloy = try EAMPotential.read(path: GeneratedPotentials.cuZrAlloy)
        #expect(alloy.format == .alloy)
        #expect(alloy.density[0][1] == cuZr.density[0][0] && alloy.density[1][0] == cuZr.density[1][1])
        #expect(alloy.embedding == cuZr.embedding && alloy.rphi == cuZr.rphi)
        // Writing the fs file back gives the same numbers.
        let again = try EAMPotential.parse(TextFile(path: "again", text: setflText(cuZr, format: .fs)), format: .fs)
        #expect(again.density == cuZr.density && again.embedding == cuZr.embedding && again.rphi == cuZr.rphi)
    }

    @Test("comments and blank lines after line 3 are skipped; a table ending mid-line drops the rest of the line")
    func commentsAndPartialLines() throws {
        let plain = try EAMPotential.parse(TextFile(path: "t", text: TinySetfl.text(.fs)), format: .fs)
        let commented = TinySetfl.text(.fs) { l in
            l.insert("# a comment line", at: 7)       // inside F_Cu
            l.insert("", at: 5)                       // blank line before the Cu header
            l[3] += "   # element line comment"
            l.insert("   ", at: 20)
        }
        let q = try EAMPotential.parse(TextFile(path: "t", text: commented), format: .fs)
        #expect(q.embedding == plain.embedding && q.density == plain.density && q.rphi == plain.rphi)
        // Nr = 7: each radial table is "5 values / 2 values + junk"; the junk is discarded.
        let seven = TinySetfl.text(.fs) { l in
            l[4] = "10 0.5 7 0.8 4.7"
            for k in [9, 11, 16, 18, 20, 22, 24] {  // second line of every radial table (0-based index k)
                let head = l[k].split(separator: " ").prefix(2).joined(separator: " ")
                l[k] = head + " 12345 999 888"
            }
        }
        let s = try EAMPotential.parse(TextFile(path: "t", text: seven), format: .fs)
        #expect(s.nr == 7)
        #expect(s.density[0][1] == Array(TinySetfl.density(source: 0, host: 1).prefix(7)))
        #expect(s.rphi[1][1] == Array(TinySetfl.rphi(1, 1).prefix(7)))
    }

    @Test("CRLF line endings parse like LF")
    func crlf() throws {
        let plain = try EAMPotential.parse(TextFile(path: "t", text: TinySetfl.text(.fs)), format: .fs)
        let crlf = TinySetfl.text(.fs).replacingOccurrences(of: "\n", with: "\r\n")
        let r = try EAMPotential.parse(TextFile(path: "t", text: crlf), format: .fs)
        #expect(r.density == plain.density && r.embedding == plain.embedding && r.rphi == plain.rphi)
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var name: String
        var format: EAMPotential.Format = .fs
        var edit: @Sendable (inout [String]) -> Void
        /// Expected 1-based line (nil: the error has none).
        var line: ClosedRange<Int>?
        var fragment: String
        var testDescription: String { name }
    }

    static let badCases: [BadCase] = [
        BadCase(name: "truncated inside ρ_{Zr→Zr}", edit: { $0.removeLast(7) }, line: 18...19,
                fragment: "file ends inside the ρ(r) of Zr at Zr hosts table (5 of 10 values)"),
        BadCase(name: "truncated after the Cu header line", edit: { $0.removeLast($0.count - 6) }, line: 6...7,
                fragment: "file ends inside the F(ρ) of Cu table (0 of 10 values)"),
        BadCase(name: "only three comment lines", edit: { $0.removeLast($0.count - 3) }, line: nil,
                fragment: "not a setfl potential file"),
        BadCase(name: "non-numeric token in ρ_{Zr→Cu}", edit: { $0[15] = "0.1 0.2 abc 0.4 0.5" }, line: 16...16,
                fragment: "got 'abc'"),
        BadCase(name: "NaN in rφ", edit: { $0[19] = "nan 1 2 3 4" }, line: 20...20, fragment: "got 'nan'"),
        BadCase(name: "infinite value in F", edit: { $0[6] = "0 1 inf 3 4" }, line: 7...7, fragment: "got 'inf'"),
        BadCase(name: "element count 3 but two names on line 4", edit: { $0[3] = "3 Cu Zr" }, line: 4...4,
                fragment: "expected 3 element names after the count, got 2"),
        BadCase(name: "element count 1 but two names on line 4", edit: { $0[3] = "1 Cu Zr" }, line: 4...4,
                fragment: "expected 1 element names after the count, got 2"),
        BadCase(name: "element count not an integer", edit: { $0[3] = "two Cu Zr" }, line: 4...4, fragment: "element count"),
        BadCase(name: "repeated element names", edit: { $0[3] = "2 Cu Cu" }, line: 4...4, fragment: "repeat"),
        BadCase(name: "grid line too short", edit: { $0[4] = "10 0.5 10 0.8" }, line: 5...5, fragment: "grid line"),
        BadCase(name: "negative dr", edit: { $0[4] = "10 0.5 10 -0.8 7.2" }, line: 5...5, fragment: "positive"),
        BadCase(name: "Nr below 5", edit: { $0[4] = "10 0.5 4 0.8 7.2" }, line: 5...5, fragment: "at least 5"),
        BadCase(name: "zero mass", edit: { $0[12] = "40 0 3.23 hcp" }, line: 13...13, fragment: "mass"),
        BadCase(name: "data after the last table", edit: { $0.append("1 2 3") }, line: 26...26,
                fragment: "unexpected data after the last table"),
        BadCase(name: "eam/alloy file parsed as eam/fs", format: .fs,
                edit: { l in l = TinySetfl.lines(.alloy) }, line: 11...11, fragment: "got 'hcp'"),
        BadCase(name: "UNITS: real on line 1", edit: { $0[0] = "DATE: 2020 UNITS: real" }, line: 1...1, fragment: "units"),
    ]

    @Test("bad potential files: message and line", arguments: badCases)
    func badPotential(_ c: BadCase) throws {
        let text = TinySetfl.text(c.format, c.edit)
        let e = try #require(inputError { () throws(InputError) in
            try EAMPotential.parse(TextFile(path: "bad.eam.fs", text: text), format: c.format)
        }, "\(c.name) was accepted")
        #expect(e.path == "bad.eam.fs")
        #expect(e.reason.contains(c.fragment), "reason: \(e.reason)")
        if let line = c.line {
            #expect(e.line.map { line.contains($0) } == true, "line \(String(describing: e.line)), expected \(line)")
            #expect(e.description.hasPrefix("bad.eam.fs:\(e.line ?? -1): error: "), "\(e)")
        }
        // The same through read(path:) with the flavour inferred: still an error naming the file.
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bad.eam").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let inferred = inputError { () throws(InputError) in try EAMPotential.read(path: path) }
        if c.name != "eam/alloy file parsed as eam/fs" {
            #expect(inferred?.path == path, "read(path:) accepted \(c.name)")
        }
    }

    @Test("missing and empty potential files")
    func missingFile() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("nope.eam.fs").path
        let e = try #require(inputError { () throws(InputError) in try EAMPotential.read(path: missing) })
        #expect(e.path == missing && e.line == nil)
        #expect(e.reason.contains("cannot open"))
        let empty = dir.appendingPathComponent("empty.eam.fs").path
        FileManager.default.createFile(atPath: empty, contents: Data())
        let e2 = try #require(inputError { () throws(InputError) in try EAMPotential.read(path: empty) })
        #expect(e2.reason.contains("empty"))
    }
}
