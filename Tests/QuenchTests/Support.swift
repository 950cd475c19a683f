import EAM
import Foundation
import MDCore
import Quench

/// Repository root, found from this file's path.
let repoRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

let potentialPath = repoRoot + "/potentials/CuZr_mm.eam.fs"

/// The default potential, parsed once.
let cuZr: EAMPotential = try! EAMPotential.read(path: potentialPath)

/// A small Cu64Zr36 sample at the glass's number density (15.86 Å³ per atom), lattice sites
/// displaced at random so that it is far from equilibrium.
func smallSample(atoms: Int = 256, seed: UInt64 = 7, jitter: Double = 0.15) -> Structure {
    let edge = pow(Double(atoms) * 63425.726272 / 4000, 1.0 / 3)
    var random = SeededRandom(seed: seed)
    var s = SampleBuilder.fccCube(atoms: atoms, edge: edge, fractions: [0.64, 0.36], masses: cuZr.masses, random: &random)
    for i in 0..<s.count {
        s.positions[i] += SIMD3(random.uniform() - 0.5, random.uniform() - 0.5, random.uniform() - 0.5) * (2 * jitter)
    }
    return s
}

/// Per-atom masses of a Cu/Zr structure from the potential.
func atomMasses(_ s: Structure) -> [Double] { s.types.map { cuZr.masses[Int($0) - 1] } }

/// A force field for `s` with the default potential.
func forceField(_ s: Structure, threads: Int = 1) -> EAMForceField {
    EAMForceField(potential: cuZr, types: s.types, typeToElement: [0, 1], skin: 1.0, threads: threads)
}

/// True when LAMMPS is available; throws when it is required (SEEM_REQUIRE_LAMMPS=1) but missing.
func lammpsAvailable() throws -> Bool {
    if let path = ProcessInfo.processInfo.environment["PATH"] {
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/lmp") { return true }
    }
    if ProcessInfo.processInfo.environment["SEEM_REQUIRE_LAMMPS"] == "1" {
        throw LAMMPSMissing()
    }
    return false
}
struct LAMMPSMissing: Error, CustomStringConvertible { var description: String { "lmp not found but SEEM_REQUIRE_LAMMPS=1" } }

/// Runs `lmp -in input` in `dir`; returns the log text.
func runLAMMPS(_ input: String, in dir: String) throws -> String {
    try input.write(toFile: dir + "/in.lmp", atomically: true, encoding: .utf8)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["lmp", "-in", "in.lmp", "-log", "log.lammps", "-screen", "none"]
    p.currentDirectoryURL = URL(fileURLWithPath: dir)
    try p.run()
    p.waitUntilExit()
    let log = (try? String(contentsOfFile: dir + "/log.lammps", encoding: .utf8)) ?? ""
    if p.terminationStatus != 0 { throw LAMMPSFailed(log: log) }
    return log
}
struct LAMMPSFailed: Error, CustomStringConvertible { var log: String; var description: String { "LAMMPS failed:\n" + log.suffix(2000) } }

/// A fresh temporary directory.
func temporaryDirectory() -> String {
    let dir = NSTemporaryDirectory() + "seem-quench-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// Thermo rows (numbers) of a LAMMPS log between the header starting with `Step` and `Loop time`.
func thermoTable(_ log: String) -> [[Double]] {
    var rows: [[Double]] = []
    var inside = false
    for line in log.split(separator: "\n") {
        if line.trimmingCharacters(in: .whitespaces).hasPrefix("Step") { inside = true; continue }
        if line.hasPrefix("Loop time") { inside = false; continue }
        if inside {
            let v = line.split(separator: " ").compactMap { Double($0) }
            if !v.isEmpty { rows.append(v) }
        }
    }
    return rows
}
