import EAM
import Foundation
import MDCore
import Testing

// Shared helpers of the EAM tests: paths, a seeded RNG, structure generators, setfl writers,
// and subprocess runners for `lmp` and the built `pipeline` executable.

// MARK: - Paths

/// Repository root, found from this file's location (Tests/EAMTests/Support/TestSupport.swift).
let repoRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Support
    .deletingLastPathComponent()  // EAMTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

/// The Mendelev Cu–Zr eam/fs potential shipped with the repository.
let cuZrPath: String = repoRoot.appendingPathComponent("potentials/CuZr_mm.eam.fs").path

/// Mendelev et al. 2009, the paper's potential, committed in potentials/ (see potentials/README.md).
let cuZr2Path: String = repoRoot.appendingPathComponent("potentials/Cu-Zr_2.eam.fs").path

/// LAMMPS's own Cu–Ni eam/alloy file, when LAMMPS's potentials are installed.
let cuNiAlloyPath = "/usr/share/lammps/potentials/CuNi.eam.alloy"

/// A fresh, empty temporary directory for one test.
func makeTemporaryDirectory(_ tag: String = "seem-tests") -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("\(tag)-\(UUID().uuidString)", isDirectory: true)
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The parsed CuZr_mm potential (parsed once per test process).
let cuZr: EAMPotential = {
    do { return try EAMPotential.read(path: cuZrPath, format: .fs) } catch {
        fatalError("cannot read \(cuZrPath): \(error)")
    }
}()

/// A failure inside a helper, with a message for the test log.
struct HelperFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

// MARK: - Random numbers

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, seedable generator for reproducible test inputs.
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
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
    /// Uniform in [a, b).
    mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * unit() }
    /// Uniform in the cube [−w, w)³.
    mutating func vector(_ w: Double) -> SIMD3<Double> {
        SIMD3(uniform(-w, w), uniform(-w, w), uniform(-w, w))
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
}

// MARK: - Structures

/// Tilt factors as multiples of the edges: xy = xyOverLx·lx, xz = xzOverLx·lx, yz = yzOverLy·ly.
struct Tilt: Sendable, CustomStringConvertible {
    var xy = 0.0, xz = 0.0, yz = 0.0
    static let none = Tilt()
    var description: String { xy == 0 && xz == 0 && yz == 0 ? "orthogonal" : "tilt(\(xy),\(xz),\(yz))" }
}

/// An fcc lattice of `cells` unit cells of edge `a` (Å) in a box with the given tilt, atoms placed at the
/// lattice sites in fractional coordinates (so a tilted box holds a sheared crystal), displaced by a
/// uniform random vector of up to `jitter` Å per component, with types drawn so that exactly
/// `fractions[k]·N` (rounded) atoms have type k+1, in random order. With `unwrap`, every fifth atom is
/// moved by a random lattice vector with components in −2…2, so positions lie outside the box.
func fccStructure(cells: SIMD3<Int>, a: Double, tilt: Tilt = .none, lo: SIMD3<Double> = .zero,
                  jitter: Double, fractions: [Double] = [0.64, 0.36], unwrap: Bool = false,
                  seed: UInt64) -> Structure {
    var rng = SplitMix64(seed: seed)
    let lx = Double(cells.x) * a, ly = Double(cells.y) * a, lz = Double(cells.z) * a
    let box = Box(lo: lo, lx: lx, ly: ly, lz: lz, xy: tilt.xy * lx, xz: tilt.xz * lx, yz: tilt.yz * ly)
    let basis: [SIMD3<Double>] = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]]
    var positions: [SIMD3<Double>] = []
    for k in 0..<cells.z {
        for j in 0..<cells.y {
            for i in 0..<cells.x {
                for b in basis {
                    let s = (SIMD3(Double(i), Double(j), Double(k)) + b)
                        / SIMD3(Double(cells.x), Double(cells.y), Double(cells.z))
                    var x = box.cartesian(s) + rng.vector(jitter)
                    if unwrap && positions.count % 5 == 3 {
                        let n = SIMD3(Double(rng.int(-2...2)), Double(rng.int(-2...2)), Double(rng.int(-2...2)))
                        x += box.translation(n)
                    }
                    positions.append(x)
                }
            }
        }
    }
    let n = positions.count
    var types: [Int32] = []
    var assigned = 0
    for (k, f) in fractions.enumerated() {
        let count = k == fractions.count - 1 ? n - assigned : Int((f * Double(n)).rounded())
        types += [Int32](repeating: Int32(k + 1), count: count)
        assigned += count
    }
    types.shuffle(using: &rng)
    return Structure(box: box, typeCount: fractions.count, ids: Array(1...n), types: types, positions: positions)
}

/// Points uniformly random in the box (fractional coordinates in [−0.5, 1.5)), for list geometry tests.
func randomStructure(count: Int, box: Box, typeCount: Int = 2, seed: UInt64) -> Structure {
    var rng = SplitMix64(seed: seed)
    var positions: [SIMD3<Double>] = []
    var types: [Int32] = []
    for _ in 0..<count {
        positions.append(box.cartesian(SIMD3(rng.uniform(-0.5, 1.5), rng.uniform(-0.5, 1.5), rng.uniform(-0.5, 1.5))))
        types.append(Int32(rng.int(1...typeCount)))
    }
    return Structure(box: box, typeCount: typeCount, ids: Array(1...count), types: types, positions: positions)
}

// MARK: - Potentials

/// Text of a setfl file holding `p` in `format` (5 numbers per line, shortest round-trip decimals, so a
/// strtod reader gets the same bits). For eam/alloy, element e's density is `p.density[e][e]`.
func setflText(_ p: EAMPotential, format: EAMPotential.Format, comment: String = "written by the seem tests") -> String {
    var out = "\(comment)\nline 2\nline 3\n"
    out += "\(p.elements.count) " + p.elements.joined(separator: " ") + "\n"
    out += "\(p.nrho) \(p.drho) \(p.nr) \(p.dr) \(p.cutoff)\n"
    func table(_ values: [Double]) {
        var k = 0
        while k < values.count {
            out += values[k..<min(k + 5, values.count)].map { "\($0)" }.joined(separator: " ") + "\n"
            k += 5
        }
    }
    for e in 0..<p.elements.count {
        out += "\(p.atomicNumbers[e]) \(p.masses[e]) 0.0 fcc\n"
        table(p.embedding[e])
        switch format {
        case .alloy: table(p.density[e][e])
        case .fs: for h in 0..<p.elements.count { table(p.density[e][h]) }
        }
    }
    for i in 0..<p.elements.count {
        for j in 0...i { table(p.rphi[i][j]) }
    }
    return out
}

/// `p` with its eam/fs density ρ_{source→host} multiplied by `factor`.
func scalingDensity(_ p: EAMPotential, source: String, host: String, by factor: Double) -> EAMPotential {
    var q = p
    let s = p.elementIndex(source)!, h = p.elementIndex(host)!
    q.density[s][h] = p.density[s][h].map { $0 * factor }
    return q
}

/// `p` sampled at every `factor`-th knot (a smaller potential with the same shape, for fast CLI tests).
func downsampled(_ p: EAMPotential, by factor: Int) -> EAMPotential {
    var q = p
    func pick(_ t: [Double]) -> [Double] { stride(from: 0, to: t.count, by: factor).map { t[$0] } }
    q.nrho = (p.nrho + factor - 1) / factor
    q.drho = p.drho * Double(factor)
    q.nr = (p.nr + factor - 1) / factor
    q.dr = p.dr * Double(factor)
    q.embedding = p.embedding.map(pick)
    q.density = p.density.map { $0.map(pick) }
    q.rphi = p.rphi.map { $0.map(pick) }
    return q
}

/// Potential files generated once per test process. They live in one fixed temporary folder, written
/// atomically (temporary file + rename), so repeated or concurrent runs reuse the same few files
/// instead of leaving a new copy behind each time.
enum GeneratedPotentials {
    static let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("seem-test-potentials", isDirectory: true)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    private static func write(_ name: String, _ text: String) -> String {
        let path = directory.appendingPathComponent(name).path
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// eam/alloy synthesized from CuZr_mm.eam.fs with ρ_e = ρ_{e→e}.
    static let cuZrAlloy: String = write("CuZr_from_fs.eam.alloy", setflText(cuZr, format: .alloy))
    /// CuZr_mm.eam.fs with ρ_{Cu→Zr} scaled by 0.8 (the two cross densities then differ).
    static let cuZrScaledCross: String =
        write("CuZr_scaled_cross.eam.fs", setflText(scalingDensity(cuZr, source: "Cu", host: "Zr", by: 0.8), format: .fs))
    /// CuZr_mm sampled at every 20th knot: 500-point tables, fast to parse in debug builds.
    static let cuZrSmall: String = write("CuZr_small.eam.fs", setflText(downsampled(cuZr, by: 20), format: .fs))
}

// MARK: - Subprocesses

/// What a finished subprocess left behind.
struct ProcessOutput {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `executable` with `arguments` in `directory`, capturing stdout and stderr through files (no
/// pipe-buffer deadlocks), and waits for it.
func runProcess(_ executable: String, _ arguments: [String], in directory: URL? = nil,
                environment: [String: String] = [:]) throws -> ProcessOutput {
    let scratch = makeTemporaryDirectory("seem-proc")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    }
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try out.close(); try err.close()
    return ProcessOutput(status: process.terminationStatus,
                         stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
}

/// First executable named `name` on PATH.
func findOnPath(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    for dir in path.split(separator: ":") {
        let candidate = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// The `pipeline` executable built alongside this test bundle (same build folder), else in one of the
/// repository's usual build folders.
let pipelineExecutable: String? = {
    var candidates: [String] = []
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("pipeline").path)
    }
    if let first = CommandLine.arguments.first {
        candidates.append(URL(fileURLWithPath: first).deletingLastPathComponent().appendingPathComponent("pipeline").path)
    }
    for folder in [".build-tests", ".build"] {
        candidates.append(repoRoot.appendingPathComponent("\(folder)/debug/pipeline").path)
    }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

/// The built pipeline, or a recorded failure.
func requirePipeline(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    try #require(pipelineExecutable, "the pipeline executable was not found next to the test bundle; build it with swift build --scratch-path …", sourceLocation: sourceLocation)
}

// MARK: - Comparisons

/// Largest absolute component difference of two force arrays.
func maxForceDifference(_ a: [SIMD3<Double>], _ b: [SIMD3<Double>]) -> Double {
    precondition(a.count == b.count)
    var m = 0.0
    for k in a.indices {
        m = max(m, maxAbs(a[k] - b[k]))
    }
    return m
}

/// Largest absolute component of v.
func maxAbs(_ v: SIMD3<Double>) -> Double { max(abs(v.x), abs(v.y), abs(v.z)) }

/// |a − b| / max(|a|, |b|, tiny).
func relativeError(_ a: Double, _ b: Double) -> Double {
    abs(a - b) / max(abs(a), abs(b), .leastNormalMagnitude)
}

/// Bitwise equality of two force arrays.
func bitwiseEqual(_ a: [SIMD3<Double>], _ b: [SIMD3<Double>]) -> Bool {
    guard a.count == b.count else { return false }
    for k in a.indices {
        for c in 0..<3 where a[k][c].bitPattern != b[k][c].bitPattern { return false }
    }
    return true
}

func bitwiseEqual(_ a: Virial, _ b: Virial) -> Bool {
    zip(a.components, b.components).allSatisfy { $0.bitPattern == $1.bitPattern }
}

/// Evaluates `s` with a fresh EAMForceField.
func evaluate(_ s: Structure, potential: EAMPotential, typeToElement: [Int], skin: Double = 1.0,
              threads: Int = 2) -> (result: EnergyAndVirial, forces: [SIMD3<Double>], field: EAMForceField) {
    let field = EAMForceField(potential: potential, types: s.types, typeToElement: typeToElement,
                              skin: skin, threads: threads)
    var f: [SIMD3<Double>] = []
    let r = field.evaluate(s.positions, box: s.box, forces: &f)
    return (r, f, field)
}
