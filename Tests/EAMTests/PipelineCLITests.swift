import EAM
import Foundation
import MDCore
import Testing

/// End-to-end checks of `pipeline evaluate` run as a subprocess: bad input exits 2 with one
/// `path[:line]: error: …` line on stderr and nothing on stdout; good input prints one JSON line.
@Suite("pipeline evaluate (executable)")
struct PipelineCLITests {
    /// A valid 3-atom data file; lines (1-based): 3 atoms, 4 types, 6-8 bounds, 10 Atoms, 12-14 atoms.
    static let dataLines = [
        "data file for CLI tests", "", "3 atoms", "2 atom types", "",
        "0 10 xlo xhi", "0 10 ylo yhi", "0 10 zlo zhi", "",
        "Atoms # atomic", "", "1 1 1 1 1", "2 2 3.5 1 1", "3 1 1 3.6 1.2", "",
    ]

    struct Workspace {
        let dir: URL
        let pipeline: String
        /// Small valid Cu/Zr eam/fs file (CuZr_mm sampled every 20 knots).
        let potential: String

        init() throws {
            pipeline = try requirePipeline()
            dir = makeTemporaryDirectory("seem-cli")
            potential = GeneratedPotentials.cuZrSmall
        }

        func file(_ name: String, _ lines: [String]) throws -> String {
            let path = dir.appendingPathComponent(name).path
            try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        func data(_ edit: (inout [String]) -> Void = { _ in }) throws -> String {
            var l = PipelineCLITests.dataLines
            edit(&l)
            return try file("s.data", l)
        }

        func evaluate(_ args: [String]) throws -> ProcessOutput {
            try runProcess(pipeline, ["evaluate"] + args, in: dir)
        }

        func cleanup() { try? FileManager.default.removeItem(at: dir) }
    }

    /// Exit status 2, nothing on stdout, exactly one line on stderr that starts with `prefix` and
    /// contains `fragment`.
    func expectBadInput(_ out: ProcessOutput, prefix: String, fragment: String,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(out.status == 2, "exit status \(out.status); stderr: \(out.stderr)", sourceLocation: sourceLocation)
        #expect(out.stdout.isEmpty, "stdout: \(out.stdout)", sourceLocation: sourceLocation)
        #expect(out.stderr.hasSuffix("\n") && out.stderr.dropLast().firstIndex(of: "\n") == nil,
                "stderr is not a single line: \(out.stderr.debugDescription)", sourceLocation: sourceLocation)
        #expect(out.stderr.hasPrefix(prefix), "stderr \(out.stderr.debugDescription) should start with \(prefix.debugDescription)",
                sourceLocation: sourceLocation)
        #expect(out.stderr.contains(fragment), "stderr \(out.stderr.debugDescription) should contain \(fragment.debugDescription)",
                sourceLocation: sourceLocation)
    }

    @Test("a good run prints one JSON line and exits 0")
    func goodRun() throws {
        let w = try Workspace()
        defer { w.cleanup() }
        let data = try w.data()
        let out = try w.evaluate([data, "--potential", w.potential, "--elements", "Cu,Zr", "--repeat", "3", "--threads", "1"])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        #expect(out.stdout.hasSuffix("\n") && out.stdout.dropLast().firstIndex(of: "\n") == nil)
        let json = try JSONDecoder().decode(EvaluateOutput.self, from: Data(out.stdout.utf8))
        #expect(json.atoms == 3)
        #expect(json.volume_A3 == 1000)
        // Same numbers as the library.
        let s = try LAMMPSDataFile.read(path: data)
        let p = try EAMPotential.read(path: w.potential)
        let lib = evaluate(s, potential: p, typeToElement: [0, 1])
        #expect(json.energy_eV == lib.result.energy)
        #expect(json.stress_GPa.xy == Stress(virial: lib.result.virial, volume: 1000).xy)
    }

    @Test("velocities add the kinetic term m·v_a·v_b (masses from the potential file)")
    func kineticStress() throws {
        let w = try Workspace()
        defer { w.cleanup() }
        let still = try w.data()
        let moving = try w.file("v.data", Self.dataLines + ["Velocities", "", "1 1 0 0", "2 0 2 1", "3 0 0 0"])
        let a = try JSONDecoder().decode(EvaluateOutput.self, from: Data(try w.evaluate([still, "--potential", w.potential, "--elements", "Cu,Zr"]).stdout.utf8))
        let b = try JSONDecoder().decode(EvaluateOutput.self, from: Data(try w.evaluate([moving, "--potential", w.potential, "--elements", "Cu,Zr"]).stdout.utf8))
        let conv = Units.mvv2e * Units.evPerA3ToGPa / 1000
        // Atom 1 is Cu (63.546) moving along x at 1 Å/ps; atom 2 is Zr (91.224) with v = (0, 2, 1).
        #expect(abs((b.stress_GPa.xx - a.stress_GPa.xx) - (-63.546 * conv)) < 1e-12)
        #expect(abs((b.stress_GPa.yy - a.stress_GPa.yy) - (-91.224 * 4 * conv)) < 1e-12)
        #expect(abs((b.stress_GPa.yz - a.stress_GPa.yz) - (-91.224 * 2 * conv)) < 1e-12)
        #expect(abs(b.stress_GPa.xy - a.stress_GPa.xy) < 1e-12)
        #expect(b.energy_eV == a.energy_eV)
    }

    struct DataCase: Sendable, CustomTestStringConvertible {
        var name: String
        var edit: @Sendable (inout [String]) -> Void
        /// Expected `:line` after the path (nil: no line).
        var line: Int?
        var fragment: String
        var testDescription: String { name }
    }

    static let dataCases: [DataCase] = [
        DataCase(name: "missing Atoms section", edit: { $0.removeSubrange(9...13) }, line: nil, fragment: "no Atoms section"),
        DataCase(name: "wrong atom count", edit: { $0[2] = "4 atoms" }, line: 10, fragment: "ends after 3 of 4 lines"),
        DataCase(name: "atom type out of range", edit: { $0[13] = "3 3 1 3.6 1.2" }, line: 14, fragment: "atom type 3 is outside"),
        DataCase(name: "NaN coordinate", edit: { $0[12] = "2 2 3.5 nan 1" }, line: 13, fragment: "'nan'"),
        DataCase(name: "duplicate id", edit: { $0[13] = "2 1 1 3.6 1.2" }, line: 14, fragment: "atom id 2 already used on line 13"),
        DataCase(name: "unknown section", edit: { $0 += ["Bonds Galore", "", "1 1"] }, line: 16, fragment: "unknown section"),
        DataCase(name: "Atoms # full", edit: { $0[9] = "Atoms # full" }, line: 10, fragment: "full"),
    ]

    @Test("bad data files: exit 2, one line `FILE:LINE: error: …`", arguments: dataCases)
    func badData(_ c: DataCase) throws {
        let w = try Workspace()
        defer { w.cleanup() }
        let data = try w.data(c.edit)
        let out = try w.evaluate([data, "--potential", w.potential, "--elements", "Cu,Zr"])
        let prefix = c.line.map { "\(data):\($0): error: " } ?? "\(data): error: "
        expectBadInput(out, prefix: prefix, fragment: c.fragment)
    }

    @Test("overlapping atoms: exit 2 naming both ids")
    func overlap() throws {
        let w = try Workspace()
        defer { w.cleanup() }
        // Atoms 2 and 3 at the same place; ids deliberately not in file order.
        let data = try w.data { l in l[11] = "7 1 1 1 1"; l[12] = "4 2 5 5 5"; l[13] = "9 1 5 5 5" }
        let out = try w.evaluate([data, "--potential", w.potential, "--elements", "Cu,Zr"])
        expectBadInput(out, prefix: "\(data): error: ", fragment: "overlap")
        #expect(out.stderr.contains("atoms 4 and 9") || out.stderr.contains("atoms 9 and 4"), "\(out.stderr)")
        // Also an atom across the periodic boundary from another (distance 0.2 Å through the image).
        let wrapped = try w.data { l in l[11] = "1 1 0.1 5 5"; l[12] = "2 2 9.9 5 5" }
        let out2 = try w.evaluate([wrapped, "--potential", w.potential, "--elements", "Cu,Zr"])
        expectBadInput(out2, prefix: "\(wrapped): error: ", fragment: "overlap")
        #expect(out2.stderr.contains("atoms 1 and 2") || out2.stderr.contains("atoms 2 and 1"), "\(out2.stderr)")
    }

    @Test("element not in the potential file: exit 2, stderr names --elements")
    func unknownElement() throws {
        let w = try Workspace()
        defer { w.cleanup() }
        let out = try w.evaluate([try w.data(), "--potential", w.potential, "--elements", "Cu,Al"])
        expectBadInput(out, prefix: "--elements: error: ", fragment: "'Al'")
    }

    @Test("element count ≠ atom types: exit 2, stderr names --elements", arguments: ["Cu", "Cu,Zr,Cu", "Cu,,Zr", ""])
    func elementCount(_ elements: String) throws {
        let w = try Workspace()
        defer { w.cleanup() }
        let out = try w.evaluate([try w.data(), "--potential", w.potential, "--elements", elements])
        expectBadInput(out, prefix: "--elements: error: ", fragment: "element")
    }

    @Test("missing files: exit 2 naming the path")
    func missingFiles() throws {
        let w = try Workspace()
        defer { w.cleanup() }
        let nowhere = w.dir.appendingPathComponent("nowhere.data").path
        expectBadInput(try w.evaluate([nowhere, "--potential", w.potential, "--elements", "Cu,Zr"]),
                       prefix: "\(nowhere): error: ", fragment: "cannot open")
        let noPotential = w.dir.appendingPathComponent("nowhere.eam.fs").path
        expectBadInput(try w.evaluate([try w.data(), "--potential", noPotential, "--elements", "Cu,Zr"]),
                       prefix: "\(noPotential): error: ", fragment: "cannot open")
        let noDirectory = w.dir.appendingPathComponent("no/such/dir/forces.csv").path
        expectBadInput(try w.evaluate([try w.data(), "--potential", w.potential, "--elements", "Cu,Zr", "--forces", noDirectory]),
                       prefix: "\(noDirectory): error: ", fragment: "write")
    }

    struct PotentialCase: Sendable, CustomTestStringConvertible {
        var name: String
        var edit: @Sendable (inout [String]) -> Void
        var line: ClosedRange<Int>?
        var fragment: String
        var testDescription: String { name }
    }

    static let potentialCases: [PotentialCase] = [
        PotentialCase(name: "truncated", edit: { $0.removeLast(7) }, line: 18...19, fragment: "file ends"),
        PotentialCase(name: "non-numeric token", edit: { $0[15] = "0.1 0.2 x7 0.4 0.5" }, line: 16...16, fragment: "'x7'"),
        PotentialCase(name: "wrong element count on line 4", edit: { $0[3] = "3 Cu Zr" }, line: 4...4,
                      fragment: "expected 3 element names"),
    ]

    @Test("bad potential files: exit 2, one line `FILE:LINE: error: …`", arguments: potentialCases)
    func badPotential(_ c: PotentialCase) throws {
        let w = try Workspace()
        defer { w.cleanup() }
        let pot = try TinySetfl.write(.fs, in: w.dir, name: "bad.eam.fs", c.edit)
        let out = try w.evaluate([try w.data(), "--potential", pot, "--elements", "Cu,Zr"])
        #expect(out.status == 2)
        let lineNumbers = c.line.map { Array($0) } ?? []
        let prefixes = lineNumbers.isEmpty ? ["\(pot): error: "] : lineNumbers.map { "\(pot):\($0): error: " }
        let prefix = prefixes.first { out.stderr.hasPrefix($0) } ?? prefixes[0]
        expectBadInput(out, prefix: prefix, fragment: c.fragment)
    }

    @Test("--pair-style: unknown style, or the wrong flavour for the file")
    func pairStyle() throws {
        let w = try Workspace()
        defer { w.cleanup() }
        let data = try w.data()
        expectBadInput(try w.evaluate([data, "--potential", w.potential, "--elements", "Cu,Zr", "--pair-style", "eam/cd"]),
                       prefix: "--pair-style: error: ", fragment: "eam/cd")
        // An eam/fs file read as eam/alloy has data left over (or a misplaced header): a located error.
        let out = try w.evaluate([data, "--potential", w.potential, "--elements", "Cu,Zr", "--pair-style", "eam/alloy"])
        expectBadInput(out, prefix: "\(w.potential):", fragment: "error: ")
        // The right flavour given explicitly works.
        #expect(try w.evaluate([data, "--potential", w.potential, "--elements", "Cu,Zr", "--pair-style", "eam/fs"]).status == 0)
    }

    struct AbsurdCase: Sendable, CustomTestStringConvertible {
        var name: String
        var data: @Sendable (inout [String]) -> Void = { _ in }
        var potential: (@Sendable (inout [String]) -> Void)? = nil
        var testDescription: String { name }
    }

    /// Finite, syntactically valid numbers that no real input has: each must be an input error
    /// (exit 2, one line), not an allocation failure or a trap.
    static let absurdCases: [AbsurdCase] = [
        AbsurdCase(name: "10^14 atoms in the header of a 3-atom file", data: { $0[2] = "100000000000000 atoms" }),
        AbsurdCase(name: "10^14 atom types with a Masses section",
                   data: { $0[3] = "100000000000000 atom types"; $0.insert(contentsOf: ["Masses", "", "1 63.5", ""], at: 9) }),
        AbsurdCase(name: "Nrho = 10^15 on the grid line of the potential",
                   potential: { $0[4] = "1000000000000000 0.5 10 0.8 7.2" }),
        AbsurdCase(name: "an atom 10^12 Å outside a 10 Å box", data: { $0[13] = "3 1 1e12 3.6 1.2" }),
    ]

    @Test("absurd sizes and coordinates are input errors, not crashes", arguments: absurdCases)
    func absurdInput(_ c: AbsurdCase) throws {
        let w = try Workspace()
        defer { w.cleanup() }
        let data = try w.data(c.data)
        let pot = try c.potential.map { try TinySetfl.write(.fs, in: w.dir, name: "absurd.eam.fs", $0) } ?? w.potential
        let out = try w.evaluate([data, "--potential", pot, "--elements", "Cu,Zr"])
        let oneLine = out.stderr.hasSuffix("\n") && out.stderr.dropLast().firstIndex(of: "\n") == nil
        #expect(out.status == 2 && oneLine,
                "expected exit 2 with a one-line error; got exit \(out.status), stderr: \(out.stderr.prefix(200).debugDescription)")
    }

    @Test("invalid option values are rejected with a non-zero exit naming the option",
          arguments: [["--repeat", "0"], ["--threads", "0"], ["--skin", "-1"], ["--skin", "nan"]])
    func badOptions(_ option: [String]) throws {
        let w = try Workspace()
        defer { w.cleanup() }
        let out = try w.evaluate([try w.data(), "--potential", w.potential, "--elements", "Cu,Zr"] + option)
        #expect(out.status != 0)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr.contains(option[0]), "stderr: \(out.stderr)")
    }

    /// The pair loops run as AVX2 code where the CPU has it and as baseline x86-64 code otherwise
    /// (SEEM_NO_AVX2=1 forces the latter). Both must give the same bits, so results never depend on
    /// the machine a sample ran on. (On a CPU without AVX2 both runs take the baseline path.)
    @Test("AVX2 and baseline pair loops give bit-identical energy, stress and forces")
    func instructionSetIndependence() throws {
        let w = try Workspace()
        defer { w.cleanup() }
        // A strongly tilted, randomly displaced Cu/Zr crystal (4·5³ = 500 atoms).
        let s = fccStructure(cells: [5, 5, 5], a: 4.0, tilt: Tilt(xy: 0.6, xz: -0.2, yz: 0.3), jitter: 0.25, seed: 17)
        let data = w.dir.appendingPathComponent("tilted.data").path
        try LAMMPSDataFile.write(s, to: data)
        var outputs: [String] = []
        for noAVX2 in ["0", "1"] {
            let forces = w.dir.appendingPathComponent("forces-\(noAVX2).csv").path
            let out = try runProcess(w.pipeline, ["evaluate", data, "--potential", cuZrPath, "--elements", "Cu,Zr",
                                                  "--forces", forces, "--threads", "2"],
                                     in: w.dir, environment: ["SEEM_NO_AVX2": noAVX2])
            #expect(out.status == 0, "stderr: \(out.stderr)")
            let json = out.stdout.replacingOccurrences(of: #""seconds_per_evaluation": [^}]*"#, with: "", options: .regularExpression)
            outputs.append(json + (try String(contentsOfFile: forces, encoding: .utf8)))
        }
        #expect(outputs[0] == outputs[1])
    }
}
