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

    /// Four fake AQS samples at two rates and a database built from all of them, as a harvest with
    /// held-out fraction 0 builds it: states from the histories (Eq. 8), events at the stress drops.
    static func fullWorkspace() throws -> (dir: URL, database: String) {
        let dir = makeTemporaryDirectory("seem-cv")
        var histories: [ShearHistory] = []
        for i in 0..<4 {
            let d = dir.appendingPathComponent("aqs/s\(i)")
            try writeFakeAQS(d, steps: 200, strainStep: 1e-4, tau0: -0.2 + 0.1 * Double(i), u0: -4.5 + 0.005 * Double(i),
                             rate: i % 2 == 0 ? 1e13 : 4e13)
            histories.append(try ShearHistory.read(directory: d.path, sample: "s\(i)"))
        }
        let p = parameters()
        let states = histories.map { StateSpaceDatabase.states(of: $0, parameters: p) }
        let events = states.map { s in (0..<(s.count / 2 - 1)).filter { s[2 * ($0 + 1)] < s[2 * $0] } }
        let grid = try StateSpaceDatabase.grid(variables: ["tau", "X1"], bins: [8, 4], ranges: [nil, nil], states: states)
        let samples = histories.enumerated().map { i, h in
            StateSpaceDatabase.Sample(id: h.sample, directory: "aqs/s\(i)", coolingRate: h.coolingRate, split: "train",
                                      initialState: Array(states[i][0..<2]))
        }
        let db = StateSpaceDatabase.build(variables: ["tau", "X1"], parameters: p, strainStep: 1e-4, eventThreshold: 0.05,
                                          grid: grid, samples: samples, states: states, events: events)
        let path = dir.appendingPathComponent("database.json").path
        try db.write(to: path)
        return (dir, path)
    }

    /// Cross-validation and the distribution checks from the command line: same bytes for any --threads,
    /// per rate a train and a pooled held-out group (no "all": they share their samples).
    @Test func crossValidatesDeterministically() throws {
        let pipeline = try requirePipeline()
        let (dir, database) = try Self.fullWorkspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let names = ["runs.csv", "fig4-sample.csv", "fig5-mean-trajectories.csv", "comparison.csv", "metrics.json", "validation.csv"]
        var outputs: [[Data]] = []
        for threads in [1, 2] {
            let out = dir.appendingPathComponent("cv\(threads)").path
            let r = try runProcess(pipeline, ["seem", "--database", database, "--output", out, "--runs", "10",
                                              "--threads", "\(threads)", "--steady-state-from", "0.01",
                                              "--cross-validation-folds", "2"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("\"steps\": \(2 * 4 * 10 * 200)"), "\(r.stdout)")
            outputs.append(try names.map { try Data(contentsOf: URL(fileURLWithPath: out + "/" + $0)) })
        }
        #expect(outputs[0] == outputs[1])
        let text = outputs[0].map { String(decoding: $0, as: UTF8.self) }
        let comparison = text[3].split(separator: "\n")
        #expect(comparison.count == 5 && !text[3].contains(",all,"), "\(text[3])")
        #expect(text[0].split(separator: "\n").count == 9)  // header + train and test ensemble per sample
        #expect(text[4].contains("\"cross_validation\": {") && text[4].contains("\"folds\": 2"))
        #expect(text[4].contains("\"coverage_5_95\"") && text[4].contains("\"out_of_grid_steps\""))
        let validation = text[5].split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(validation.count == 5 && validation[0].contains("drop_ks_D") && validation[0].contains("coverage_5_95"))
        let d = try #require(validation[0].firstIndex(of: "drop_ks_D"))
        for row in validation.dropFirst() { #expect(Double(row[d]) != nil, "\(row)") }  // AQS events of every sample known
        // The fallback option reaches the model.
        let none = try runProcess(pipeline, ["seem", "--database", database, "--output", dir.appendingPathComponent("none").path,
                                             "--runs", "3", "--fallback", "none"])
        #expect(none.status == 0, "\(none.stderr)")
        let metrics = try String(contentsOfFile: dir.appendingPathComponent("none/metrics.json").path, encoding: .utf8)
        #expect(metrics.contains("\"fallback\": \"none\"") && metrics.contains("\"cross_validation\": null"))
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
        let folds = try runProcess(pipeline, ["seem", "--database", database, "--output", out, "--cross-validation-folds", "1"])
        #expect(folds.status == 2 && folds.stderr.contains("--cross-validation-folds"), "\(folds.stderr)")
        let heldOut = try runProcess(pipeline, ["seem", "--database", database, "--output", out, "--cross-validation-folds", "2"])
        #expect(heldOut.status == 2 && heldOut.stderr.contains("samples[1].split"), "\(heldOut.stderr)")
        let fallback = try runProcess(pipeline, ["seem", "--database", database, "--output", out, "--fallback", "nearest"])
        #expect(fallback.status == 2 && fallback.stderr.contains("--fallback"), "\(fallback.stderr)")
        let strain = try runProcess(pipeline, ["seem", "--database", database, "--output", out, "--max-strain", "0.01005"])
        #expect(strain.status == 2 && strain.stderr.contains("max_strain"), "\(strain.stderr)")
        try FileManager.default.removeItem(at: dir.appendingPathComponent("aqs/a"))
        let noAQS = try runProcess(pipeline, ["seem", "--database", database, "--output", out])
        #expect(noAQS.status == 2 && noAQS.stderr.contains("summary.json"), "\(noAQS.stderr)")
    }
}
