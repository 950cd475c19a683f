import AQS
import Minimization
import EAM
import Foundation
import MDCore
import Testing

// Shared helpers of the AQS tests: paths, analytic force fields, small structures, a LAMMPS-made
// glass, and subprocess runners for `lmp` and the built `pipeline` executable.

/// Repository root (this file is Tests/AQSTests/Support.swift).
let repoRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The Mendelev Cu–Zr eam/fs potential shipped with the repository.
let cuZrPath: String = repoRoot.appendingPathComponent("potentials/CuZr_mm.eam.fs").path

/// The parsed potential (once per process).
let cuZr: EAMPotential = {
    do { return try EAMPotential.read(path: cuZrPath, format: .fs) } catch { fatalError("cannot read \(cuZrPath): \(error)") }
}()

/// A fresh temporary directory.
func makeTemporaryDirectory(_ tag: String = "seem-aqs-tests") -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(tag)-\(UUID().uuidString)", isDirectory: true)
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

struct HelperFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// SplitMix64: a tiny seedable generator for test inputs.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
    mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * unit() }
}

/// max(|v.x|, |v.y|, |v.z|).
func maxAbs(_ v: SIMD3<Double>) -> Double { max(abs(v.x), abs(v.y), abs(v.z)) }

// MARK: - Analytic force fields

/// Independent anisotropic harmonic wells: E = ½ Σ_i Σ_a k_ia (x_ia − c_ia)², f = −k (x − c).
/// The box is ignored; the virial is zero. Counts its evaluations.
final class HarmonicWells: ForceField {
    let centers: [SIMD3<Double>]
    let stiffness: [SIMD3<Double>]
    private(set) var evaluationCount = 0
    var atomCount: Int { centers.count }

    init(centers: [SIMD3<Double>], stiffness: [SIMD3<Double>]) {
        self.centers = centers; self.stiffness = stiffness
    }

    func evaluate(positions: Span<SIMD3<Double>>, box: Box,
                  forces: inout MutableSpan<SIMD3<Double>>) -> EnergyAndVirial {
        evaluationCount += 1
        var e = 0.0
        for i in 0..<centers.count {
            let d = positions[i] - centers[i]
            forces[i] = -stiffness[i] * d
            e += 0.5 * (stiffness[i] * d * d).sum()
        }
        return EnergyAndVirial(energy: e, virial: .zero)
    }
}

// MARK: - Structures

/// An fcc arrangement of `cells`³ unit cells (lattice constant 3.988 Å, the Cu64Zr36 density of
/// scripts/make-glass-lammps.sh) with about 36 % type 2 (Zr) at random and every atom displaced by up
/// to `jitter` Å: minimized, a small disordered Cu–Zr solid.
func jitteredAlloy(cells: Int, jitter: Double = 0.15, seed: UInt64 = 7) -> Structure {
    let a = 3.988
    var rng = SplitMix64(state: seed)
    let basis: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(0.5, 0.5, 0), SIMD3(0.5, 0, 0.5), SIMD3(0, 0.5, 0.5)]
    var positions: [SIMD3<Double>] = [], types: [Int32] = []
    for i in 0..<cells { for j in 0..<cells { for k in 0..<cells { for b in basis {
        let p = (SIMD3(Double(i), Double(j), Double(k)) + b) * a
        positions.append(p + SIMD3(rng.uniform(-jitter, jitter), rng.uniform(-jitter, jitter), rng.uniform(-jitter, jitter)))
        types.append(rng.unit() < 0.36 ? 2 : 1)
    } } } }
    let l = Double(cells) * a
    return Structure(box: Box(lx: l, ly: l, lz: l), typeCount: 2, masses: [63.546, 91.224],
                     ids: Array(1...positions.count), types: types, positions: positions)
}

/// An EAM force field for `s` with CuZr_mm (type 1 = Cu, type 2 = Zr).
func cuZrField(_ s: Structure, threads: Int = 1) -> EAMForceField {
    EAMForceField(potential: cuZr, types: s.types, typeToElement: [0, 1], skin: 0.5, threads: threads)
}

// MARK: - Subprocesses

struct ProcessOutput {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// A running subprocess whose output goes to files.
final class Subprocess {
    let process = Process()
    let scratch = makeTemporaryDirectory("seem-proc")
    private let out: FileHandle, err: FileHandle

    init(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws {
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        out = try FileHandle(forWritingTo: outURL)
        err = try FileHandle(forWritingTo: errURL)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    func wait() throws -> ProcessOutput {
        process.waitUntilExit()
        try out.close(); try err.close()
        defer { try? FileManager.default.removeItem(at: scratch) }
        return ProcessOutput(status: process.terminationStatus,
                             stdout: (try? String(contentsOf: scratch.appendingPathComponent("stdout"), encoding: .utf8)) ?? "",
                             stderr: (try? String(contentsOf: scratch.appendingPathComponent("stderr"), encoding: .utf8)) ?? "")
    }
}

func runProcess(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws -> ProcessOutput {
    try Subprocess(executable, arguments, in: directory).wait()
}

func findOnPath(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let candidate = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// The `pipeline` executable built next to this test bundle.
let pipelineExecutable: String? = {
    var candidates: [String] = []
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("pipeline").path)
    }
    if let first = CommandLine.arguments.first {
        candidates.append(URL(fileURLWithPath: first).deletingLastPathComponent().appendingPathComponent("pipeline").path)
    }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

func requirePipeline(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    try #require(pipelineExecutable, "the pipeline executable was not found next to the test bundle", sourceLocation: sourceLocation)
}

// MARK: - LAMMPS

enum LAMMPS {
    static let executable: String? = findOnPath("lmp")
    static var required: Bool { ProcessInfo.processInfo.environment["SEEM_REQUIRE_LAMMPS"] == "1" }

    /// The `lmp` path; a failure when SEEM_REQUIRE_LAMMPS=1, else the test is skipped.
    static func require(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        if let executable { return executable }
        if required {
            Issue.record("lmp is not on PATH but SEEM_REQUIRE_LAMMPS=1", sourceLocation: sourceLocation)
            throw HelperFailure("lmp is not on PATH")
        }
        try Test.cancel("lmp is not on PATH: LAMMPS differential test skipped (set SEEM_REQUIRE_LAMMPS=1 to fail instead)")
    }

    /// Runs `input` in `dir`; returns the log text.
    static func run(_ lmp: String, input: String, in dir: URL) throws -> String {
        try input.write(to: dir.appendingPathComponent("in.lmp"), atomically: true, encoding: .utf8)
        let out = try runProcess(lmp, ["-in", "in.lmp", "-log", "log.lammps", "-screen", "none", "-nocite"], in: dir)
        let log = (try? String(contentsOf: dir.appendingPathComponent("log.lammps"), encoding: .utf8)) ?? ""
        guard out.status == 0 else { throw HelperFailure("lmp exited with \(out.status): \(out.stderr)\n\(log.suffix(3000))") }
        return log
    }

    /// One minimization as LAMMPS reports it.
    struct Minimization {
        var stopCriterion: String
        var iterations: Int
        var evaluations: Int
        /// Thermo values of the final step: pe, pxx, pyy, pzz, pxy, pxz, pyz (bar), fnorm.
        var thermo: [Double]
        var energy: Double { thermo[0] }
        /// σ_xy in GPa (−pxy).
        var stressXY: Double { -thermo[4] * 1e-4 }
    }

    /// The minimizations of a log whose thermo style is `step pe pxx pyy pzz pxy pxz pyz fnorm`.
    static func minimizations(_ log: String) throws -> [Minimization] {
        let lines = log.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var result: [Minimization] = []
        var lastThermo: [Double]?
        var current: (thermo: [Double], stop: String?)?
        for (k, line) in lines.enumerated() {
            let t = line.split(separator: " ")
            if t.count == 9, Int(t[0]) != nil, let values = Optional(t[1...].compactMap { Double($0) }), values.count == 8 {
                lastThermo = values
            }
            if line.hasPrefix("Loop time") {
                guard let th = lastThermo else { throw HelperFailure("no thermo line before line \(k + 1)") }
                current = (th, nil)
            }
            if line.contains("Stopping criterion =") {
                current?.stop = String(line.split(separator: "=", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces)
            }
            if line.contains("Iterations, force evaluations =") {
                let v = line.split(separator: "=")[1].split(separator: " ").compactMap { Int($0) }
                guard v.count == 2, let c = current, let stop = c.stop else { throw HelperFailure("cannot parse '\(line)'") }
                result.append(Minimization(stopCriterion: stop, iterations: v[0], evaluations: v[1], thermo: c.thermo))
                current = nil
            }
        }
        return result
    }

    /// A 108-atom Cu64Zr36 glass: 3×3×3 fcc cells (a = 3.988 Å) with 36 % Zr at random, melted at
    /// 2000 K (1 ps), quenched to 300 K in 2 ps (nvt, τ = 0.1 ps), minimized (ftol 1e-6); velocities zeroed.
    /// Made once per test process in a fixed temporary folder.
    static func glass108(_ lmp: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seem-aqs-glass", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("glass-108.data").path
        return try glassLock.withLock {
            if FileManager.default.fileExists(atPath: path) { return path }
            let work = makeTemporaryDirectory("seem-aqs-glass-work")
            defer { try? FileManager.default.removeItem(at: work) }
            _ = try run(lmp, input: """
                units metal
                atom_style atomic
                lattice fcc 3.988
                region box block 0 3 0 3 0 3
                create_box 2 box
                create_atoms 1 box
                set type 1 type/ratio 2 0.36 4711
                mass 1 63.546
                mass 2 91.224
                pair_style eam/fs
                pair_coeff * * \(cuZrPath) Cu Zr
                neighbor 1.0 bin
                velocity all create 2000 4711 dist gaussian
                fix 1 all nvt temp 2000 2000 0.1
                timestep 0.002
                run 500
                unfix 1
                fix 1 all nvt temp 2000 300 0.1
                run 1000
                unfix 1
                velocity all set 0 0 0
                minimize 0 1e-6 10000 100000
                write_data glass.data nocoeff

                """, in: work)
            let tmp = path + ".tmp.\(getpid())"
            try FileManager.default.copyItem(atPath: work.appendingPathComponent("glass.data").path, toPath: tmp)
            guard rename(tmp, path) == 0 else { throw HelperFailure("cannot rename \(tmp)") }
            return path
        }
    }
}

let glassLock = NSLock()
