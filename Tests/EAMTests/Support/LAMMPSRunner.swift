import Foundation
import MDCore
import Testing

/// Single-point energy, pressure tensor and forces from the `lmp` executable.
struct LAMMPSResult {
    /// Potential energy, eV.
    var energy: Double
    /// Pressure tensor pxx pyy pzz pxy pxz pyz, bar.
    var pressure: [Double]
    /// Forces by atom id, eV/Å.
    var forces: [Int: SIMD3<Double>]

    /// Stress in GPa, tension positive (σ = −P), in the order xx yy zz xy xz yz.
    var stressGPa: [Double] { pressure.map { -$0 * 1e-4 } }
}

enum LAMMPS {
    /// `lmp` on PATH, if any.
    static let executable: String? = findOnPath("lmp")

    /// CI sets SEEM_REQUIRE_LAMMPS=1: then a missing `lmp` is a failure, not a skip.
    static var required: Bool { ProcessInfo.processInfo.environment["SEEM_REQUIRE_LAMMPS"] == "1" }

    /// The `lmp` path; records a failure (CI) or cancels the test as skipped (elsewhere) when missing.
    static func require(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        if let executable { return executable }
        if required {
            Issue.record("lmp is not on PATH but SEEM_REQUIRE_LAMMPS=1", sourceLocation: sourceLocation)
            throw HelperFailure("lmp is not on PATH")
        }
        try Test.cancel("lmp is not on PATH: LAMMPS differential test skipped (set SEEM_REQUIRE_LAMMPS=1 to fail instead)")
    }

    /// Runs `run 0` on `structure` with `pair_style style` and `pair_coeff * * potential elements…`.
    static func singlePoint(_ lmp: String, structure: Structure, potential: String, style: String,
                            elements: [String]) throws -> LAMMPSResult {
        let dir = makeTemporaryDirectory("seem-lammps")
        defer { try? FileManager.default.removeItem(at: dir) }
        try LAMMPSDataFile.write(structure, to: dir.appendingPathComponent("data.lmp").path)
        let b = structure.box
        // LAMMPS refuses |xy| > lx/2 (etc.) unless told that large tilts are fine.
        let large = abs(b.xy) > 0.5 * b.lx || abs(b.xz) > 0.5 * b.lx || abs(b.yz) > 0.5 * b.ly
        let input = """
            units metal
            atom_style atomic
            atom_modify map array
            boundary p p p
            \(large ? "box tilt large" : "")
            read_data data.lmp
            pair_style \(style)
            pair_coeff * * \(potential) \(elements.joined(separator: " "))
            neighbor 1.0 bin
            thermo_style custom step pe pxx pyy pzz pxy pxz pyz
            thermo_modify format float %.17g
            dump forces all custom 1 forces.dump id fx fy fz
            dump_modify forces sort id format float %.17g
            run 0

            """
        try input.write(to: dir.appendingPathComponent("in.lmp"), atomically: true, encoding: .utf8)
        let out = try runProcess(lmp, ["-in", "in.lmp", "-log", "log.lammps", "-screen", "none", "-nocite"], in: dir)
        let log = (try? String(contentsOf: dir.appendingPathComponent("log.lammps"), encoding: .utf8)) ?? ""
        guard out.status == 0 else {
            throw HelperFailure("lmp exited with \(out.status): \(out.stderr)\n\(log.suffix(2000))")
        }
        // Thermo: the line after the "Step PotEng Pxx …" header.
        let lines = log.split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.firstIndex(where: { $0.split(separator: " ").first == "Step" }),
              header + 1 < lines.count else { throw HelperFailure("no thermo output in log:\n\(log)") }
        let values = lines[header + 1].split(separator: " ").compactMap { Double($0) }
        guard values.count == 8 else { throw HelperFailure("cannot parse thermo line '\(lines[header + 1])'") }

        let dump = try String(contentsOf: dir.appendingPathComponent("forces.dump"), encoding: .utf8)
        var forces: [Int: SIMD3<Double>] = [:]
        var inAtoms = false
        for line in dump.split(separator: "\n") {
            if line.hasPrefix("ITEM:") { inAtoms = line.hasPrefix("ITEM: ATOMS"); continue }
            guard inAtoms else { continue }
            let t = line.split(separator: " ")
            guard t.count == 4, let id = Int(t[0]), let fx = Double(t[1]), let fy = Double(t[2]), let fz = Double(t[3])
            else { throw HelperFailure("cannot parse dump line '\(line)'") }
            forces[id] = SIMD3(fx, fy, fz)
        }
        guard forces.count == structure.count else {
            throw HelperFailure("dump has \(forces.count) atoms, expected \(structure.count)")
        }
        return LAMMPSResult(energy: values[1], pressure: Array(values[2...7]), forces: forces)
    }
}
