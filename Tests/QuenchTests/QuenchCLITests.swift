import Foundation
import Testing

/// The `pipeline` executable next to this test bundle.
let pipeline: String? = {
    var candidates: [String] = []
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("pipeline").path)
    }
    for folder in [".build", ".build-me", ".build-tests"] { candidates.append(repoRoot + "/\(folder)/debug/pipeline") }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

/// Runs pipeline with `arguments`; returns (status, stderr).
@discardableResult
func runPipeline(_ arguments: [String], killAfterFile: String? = nil) throws -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: try #require(pipeline))
    p.arguments = arguments
    let err = Pipe()
    p.standardError = err
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    if let file = killAfterFile {
        while p.isRunning && !FileManager.default.fileExists(atPath: file) { usleep(2000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
    }
    let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    return (p.terminationStatus, text)
}

@Suite("pipeline quench")
struct QuenchCLITests {
    /// A protocol of a few hundred steps on 108 atoms.
    func arguments(_ out: String, threads: Int = 1) -> [String] {
        ["quench", "--atoms", "108", "--box", "11.89", "--potential", potentialPath, "--elements", "Cu,Zr",
         "--melt-ps", "0.2", "--branch-rate", "1e16", "--relax-ps", "0.1", "--rate", "1e16", "--samples", "2",
         "--seed", "5", "--thermo-every", "10", "--checkpoint-every", "25", "--threads", "\(threads)", "--output", out]
    }

    func results(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for part in ["parent", "sample-000", "sample-001"] {
            for file in ["branch.data", "glass.data", "inherent.data", "thermo.csv"] {
                let path = "\(dir)/\(part)/\(file)"
                if FileManager.default.fileExists(atPath: path) { out["\(part)/\(file)"] = try Data(contentsOf: URL(fileURLWithPath: path)) }
            }
        }
        return out
    }

    @Test("writes the parent and samples; killed at any point and resumed, results are byte-identical")
    func resumeAfterKill() throws {
        let dir = temporaryDirectory()
        let (status, _) = try runPipeline(arguments(dir + "/full"))
        #expect(status == 0)
        let full = try results(dir + "/full")
        #expect(full.count == 8)
        let summary = try String(contentsOfFile: dir + "/full/sample-001/summary.json", encoding: .utf8)
        #expect(summary.contains("\"is_energy_per_atom_eV\": -"))
        #expect(summary.contains("\"stop_reason\": \"ftol\""))
        #expect(!FileManager.default.fileExists(atPath: dir + "/full/sample-001/checkpoint.bin"))

        // Kill during the parent and during a sample, resume with another thread count.
        let out = dir + "/killed"
        try runPipeline(arguments(out), killAfterFile: out + "/parent/checkpoint.bin")
        try runPipeline(arguments(out, threads: 2), killAfterFile: out + "/sample-001/checkpoint.bin")
        let (status2, _) = try runPipeline(arguments(out, threads: 2))
        #expect(status2 == 0)
        #expect(try results(out) == full)

        // A finished run does nothing the second time.
        let before = try Data(contentsOf: URL(fileURLWithPath: out + "/sample-000/summary.json"))
        let (status3, _) = try runPipeline(arguments(out))
        #expect(status3 == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/sample-000/summary.json")) == before)
    }

    @Test("bad flags: one line naming the flag, exit 2", arguments: [
        (["--timestep=-0.001"], "--timestep"),
        (["--rate", "0"], "--rate"),
        (["--tdamp", "nan"], "--tdamp"),
        (["--composition", "Cu:0.5,Zr:0.4"], "--composition"),
        (["--composition", "Cu:0.64,Ni:0.36"], "--composition"),
        (["--elements", "Cu,Xx"], "--elements"),
        (["--melt-temperature=-5"], "--melt-temperature"),
        (["--norm", "l3"], "--norm"),
    ])
    func badFlags(_ extra: [String], _ flag: String) throws {
        let dir = temporaryDirectory()
        let (status, err) = try runPipeline(["quench", "--potential", potentialPath, "--output", dir + "/q"] + extra)
        #expect(status == 2)
        #expect(err.hasPrefix(flag), "\(err)")
        #expect(err.split(separator: "\n").count == 1)
    }

    @Test("a checkpoint from other settings is refused, not mixed")
    func otherSettings() throws {
        let dir = temporaryDirectory()
        let out = dir + "/q"
        try runPipeline(arguments(out), killAfterFile: out + "/parent/checkpoint.bin")
        try #require(FileManager.default.fileExists(atPath: out + "/parent/checkpoint.bin"), "the run was not stopped with a checkpoint written")
        var changed = arguments(out)
        changed[changed.firstIndex(of: "--seed")! + 1] = "6"
        let (status, err) = try runPipeline(changed)
        #expect(status == 2)
        #expect(err.contains("different settings"), "\(err)")
        #expect(err.contains("seed"), "\(err)")
    }
}
