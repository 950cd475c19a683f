import Foundation
import Harvest
import MDCore
import Testing
@testable import SEEM

// Shared helpers of the SEEM tests: hand-made databases, temporary directories, fake AQS histories and
// the built `pipeline` executable.

/// Parameters with a given modulus law; u0, Ω, τ_A, τ_B only matter for Eq. 8 (AQS curves).
func parameters(G0: Double = 30, uA: Double = 0.1) -> ModelParameters {
    ModelParameters(u0: Estimate(-4.5), omega: Estimate(16), G0: Estimate(G0), uA: Estimate(uA), tauA: Estimate(8),
                    tauB: Estimate(3))
}

/// One hand-made event: the state before and the total change over a database step.
struct HandEvent {
    var state: [Double]
    var delta: [Double]
}

/// A database over `grid` in which bin b has `bin(b).visits` visits and the listed events; samples
/// default to one train sample at the origin.
func handDatabase(grid: StateGrid, strainStep: Double = 1e-4, parameters p: ModelParameters = parameters(),
                  samples: [StateSpaceDatabase.Sample]? = nil,
                  bin: (Int) -> (visits: Int, events: [HandEvent])) -> StateSpaceDatabase {
    let nv = grid.axes.count, nb = grid.count
    var visits = [Int](repeating: 0, count: nb), counts = visits
    var eBin: [Int] = [], eState: [Double] = [], eDelta: [Double] = []
    for b in 0..<nb {
        let (v, events) = bin(b)
        visits[b] = v; counts[b] = events.count
        for e in events { eBin.append(b); eState += e.state; eDelta += e.delta }
    }
    let ne = eBin.count
    return StateSpaceDatabase(
        variables: grid.axes.map(\.variable), parameters: p, strainStep: strainStep, eventThreshold: 0.05, grid: grid,
        samples: samples ?? [.init(id: "s0", directory: "", coolingRate: 1e13, split: "train",
                                   initialState: [Double](repeating: 0, count: nv))],
        visits: visits, eventCounts: counts, meanDelta: [Double](repeating: .nan, count: nb * nv),
        flow: [Double](repeating: .nan, count: nb * nv), eventBin: eBin, eventSample: [Int](repeating: 0, count: ne),
        eventStep: Array(0..<ne), eventState: eState, eventDelta: eDelta)
}

/// A (τ, X1) grid; X1 a single bin by default (a "1-D in τ" database).
func tauGrid(min: Double, max: Double, bins: Int, x1: (Double, Double, Int) = (-1, 1, 1)) -> StateGrid {
    StateGrid(axes: [.init(variable: "tau", min: min, max: max, bins: bins),
                     .init(variable: "X1", min: x1.0, max: x1.1, bins: x1.2)])
}

/// Mean and sample variance.
func meanVariance(_ xs: [Double]) -> (mean: Double, variance: Double) {
    let m = xs.reduce(0, +) / Double(xs.count)
    return (m, xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1))
}

/// A fresh temporary directory.
func makeTemporaryDirectory(_ tag: String = "seem-tests") -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(tag)-\(UUID().uuidString)", isDirectory: true)
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes a fake AQS output directory (history.csv + summary.json, the columns `ShearHistory` reads):
/// elastic loading at `modulus` up to `yield`, then flat flow with small drops every 50 steps.
func writeFakeAQS(_ dir: URL, steps: Int, strainStep: Double, tau0: Double, u0: Double, modulus: Double = 30,
                  yield: Double = 1.2, rate: Double) throws {
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let atoms = 256
    var lines = ["step,strain,pe_eV,stress_xx_GPa,stress_yy_GPa,stress_zz_GPa,stress_xy_GPa,stress_xz_GPa,stress_yz_GPa,iterations,force_evaluations,fnorm_eV_per_A,stop_reason"]
    var tau = tau0, u = u0
    for k in 0...steps {
        lines.append("\(k),\(Double(k) * strainStep),\(u * Double(atoms)),0,0,0,\(tau),0,0,1,1,1e-9,ftol")
        tau += modulus * strainStep
        u += 1e-5
        if tau > yield || k % 50 == 49 { tau -= 0.2; u += 1e-4 }
    }
    try (lines.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("history.csv"), atomically: true, encoding: .utf8)
    let summary = "{\"atoms\": \(atoms), \"volume_A3\": 4096.0, \"inputs\": {\"cooling_rate_K_per_s\": \(rate)}}\n"
    try summary.write(to: dir.appendingPathComponent("summary.json"), atomically: true, encoding: .utf8)
}

struct ProcessOutput {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `executable` to completion, output through files.
func runProcess(_ executable: String, _ arguments: [String]) throws -> ProcessOutput {
    let scratch = makeTemporaryDirectory("seem-proc")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    p.standardOutput = out; p.standardError = err; p.standardInput = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    try out.close(); try err.close()
    return ProcessOutput(status: p.terminationStatus,
                         stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
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
