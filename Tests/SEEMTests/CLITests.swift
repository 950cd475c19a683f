import Foundation
import Harvest
import MDCore
import Testing
@testable import SEEM

/// `pipeline seem` as a subprocess: files, byte-identical outputs for any --threads, exit 2 on bad input.
@Suite("pipeline seem (executable)", .serialized)
struct CLITests {
    /// Two fake AQS samples (train, test) and a database over them.
    static func workspace() throws -> (dir: URL, database: String) {
        let dir = makeTemporaryDirectory("seem-cli")
        try writeFakeAQS(dir.appendingPathComponent("aqs/a"), steps: 200, strainStep: 1e-4, tau0: -0.2, u0: -4.5, rate: 1e13)
        try writeFakeAQS(dir.appendingPathComponent("aqs/b"), steps: 200, strainStep: 1e-4, tau0: 0.1, u0: -4.49, rate: 1e13)
        let samples: [StateSpaceDatabase.Sample] = [
            .init(id: "a", directory: "aqs/a", coolingRate: 1e13, split: "train", initialState: [-0.2, 0.0]),
            .init(id: "b", directory: dir.appendingPathComponent("aqs/b").path, coolingRate: 1e13, split: "test", initialState: [0.1, 0.01]),
        ]
        let grid = tauGrid(min: -0.5, max: 1.5, bins: 8, x1: (-0.02, 0.04, 4))
        let db = handDatabase(grid: grid, samples: samples) { b in
            let it = b / 4
            guard it < 7 else { return (0, []) }
            return (20, (0..<it).map { k in HandEvent(state: [grid.axes[0].center(it), 0], delta: [-0.15, 0.001 * Double(k % 3 - 1)]) })
        }
        let path = dir.appendingPathComponent("database.json").path
        try db.write(to: path)
        return (dir, path)
    }

    @Test func writesDeterministicFiles() throws {
        let pipeline = try requirePipeline()
        let (dir, database) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        var outputs: [[Data]] = []
        for threads in [1, 2] {
            let out = dir.appendingPathComponent("out\(threads)").path
            let r = try runProcess(pipeline, ["seem", "--database", database, "--output", out, "--runs", "12",
                                              "--threads", "\(threads)", "--steady-state-from", "0.01"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("\"steps\": \(2 * 12 * 200)"), "\(r.stdout)")
            let names = ["runs.csv", "fig4-sample.csv", "fig5-mean-trajectories.csv", "comparison.csv", "metrics.json"]
            outputs.append(try names.map { try Data(contentsOf: URL(fileURLWithPath: out + "/" + $0)) })
        }
        #expect(outputs[0] == outputs[1])
        let comparison = String(decoding: outputs[0][3], as: UTF8.self).split(separator: "\n")
        #expect(comparison.count == 4)  // header + train, test, all
        #expect(comparison[1].hasPrefix("10000000000000.0,train,1,12,201,"))
        let fig4 = String(decoding: outputs[0][1], as: UTF8.self).split(separator: "\n")
        #expect(fig4.count == 202 && fig4[1].hasPrefix("0.0,0.1,0.01,0.1,0.0,0.01,0.0,0.1,"))
        // Poisson mode at a larger step, start at τ = 0.
        let r = try runProcess(pipeline, ["seem", "--database", database, "--output", dir.appendingPathComponent("p").path,
                                          "--runs", "3", "--mode", "poisson", "--strain-step", "4e-4", "--start", "zero",
                                          "--max-strain", "0.02"])
        #expect(r.status == 0, "\(r.stderr)")
        let metrics = try String(contentsOfFile: dir.appendingPathComponent("p/metrics.json").path, encoding: .utf8)
        #expect(metrics.contains("\"mode\": \"poisson\"") && metrics.contains("\"output_every_steps\": 1"))
    }

    @Test func badInputExitsWithStatus2() throws {
        let pipeline = try requirePipeline()
        let (dir, database) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out").path
        let missing = try runProcess(pipeline, ["seem", "--database", dir.appendingPathComponent("none.json").path, "--output", out])
        #expect(missing.status == 2 && missing.stderr.contains("none.json"), "\(missing.stderr)")
        let bad = dir.appendingPathComponent("bad.json")
        try "{\"format\": \"seem-database/1\"}".write(to: bad, atomically: true, encoding: .utf8)
        let malformed = try runProcess(pipeline, ["seem", "--database", bad.path, "--output", out])
        #expect(malformed.status == 2 && malformed.stderr.contains("error:"), "\(malformed.stderr)")
        let mode = try runProcess(pipeline, ["seem", "--database", database, "--output", out, "--mode", "binomial"])
        #expect(mode.status == 2 && mode.stderr.contains("--mode"))
        let strain = try runProcess(pipeline, ["seem", "--database", database, "--output", out, "--max-strain", "0.01005"])
        #expect(strain.status == 2 && strain.stderr.contains("max_strain"), "\(strain.stderr)")
        try FileManager.default.removeItem(at: dir.appendingPathComponent("aqs/a"))
        let noAQS = try runProcess(pipeline, ["seem", "--database", database, "--output", out])
        #expect(noAQS.status == 2 && noAQS.stderr.contains("summary.json"), "\(noAQS.stderr)")
    }
}
