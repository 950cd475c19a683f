import Foundation
import Harvest
import MDCore
import Testing
@testable import SEEM

/// Ensembles: streams per (seed, sample id, run), bit-identical results for any thread count, and
/// the output files' bytes.
@Suite("SEEM ensembles and determinism")
struct EnsembleTests {
    /// A 6×5 (τ, X1) database with X1-changing events, some bins unvisited, and three samples
    /// (two train, one test) at two cooling rates.
    static func database() -> StateSpaceDatabase {
        let grid = tauGrid(min: -1, max: 2, bins: 6, x1: (0, 0.05, 5))
        let samples: [StateSpaceDatabase.Sample] = [
            .init(id: "a", directory: "", coolingRate: 1e13, split: "train", initialState: [-0.3, 0.01]),
            .init(id: "b", directory: "", coolingRate: 1e13, split: "test", initialState: [0.2, 0.015]),
            .init(id: "c", directory: "", coolingRate: 4e13, split: "train", initialState: [0.0, 0.025]),
        ]
        return handDatabase(grid: grid, parameters: parameters(G0: 25.9, uA: 0.101), samples: samples) { b in
            let it = b / 5, ix = b % 5
            if it == 0 && ix == 4 { return (0, []) }
            let tau = grid.axes[0].center(it), x1 = grid.axes[1].center(ix)
            let n = max(0, it - 1) * (ix + 1)
            let events = (0..<n).map { k in
                HandEvent(state: [tau, x1], delta: [0.0026 - 0.05 * Double(k % 4 + 1), 0.002 * Double(k % 3) - 0.0015])
            }
            return (40, events)
        }
    }

    static func settings(runs: Int = 10, mode: SEEMEventMode = .bernoulli) -> SEEMSettings {
        SEEMSettings(maxStrain: 0.05, mode: mode, runsPerSample: runs, seed: 42, steadyStateFrom: 0.03)
    }

    /// Fake AQS curves on the output grid (the comparison needs one per ensemble).
    static func curves(_ r: SEEMEnsembleResult) -> [AQSCurve] {
        r.samples.map { e in
            AQSCurve(sampleIndex: e.sampleIndex, strain: r.outputStrain,
                     tau: r.outputStrain.map { e.initialState[0] + 20 * $0 }, x1: r.outputStrain.map { 0.01 + 0.1 * $0 },
                     peakStress: 1)
        }
    }

    static func files(_ runner: SEEMEnsembleRunner, _ r: SEEMEnsembleResult) -> [String] {
        let c = SEEMComparison(result: r, curves: curves(r), steadyStateFrom: runner.settings.steadyStateFrom)
        return SEEMOutputFiles(database: runner.database, databasePath: "db.json", settings: runner.settings,
                               model: runner.model, result: r, comparison: c,
                               figure4Sample: SEEMOutputFiles.defaultFigure4Sample(r)).files.map(\.text)
    }

    @Test(arguments: SEEMEventMode.allCases)
    func anyThreadCountGivesTheSameBits(mode: SEEMEventMode) throws {
        let runner = try SEEMEnsembleRunner(database: Self.database(), settings: Self.settings(mode: mode))
        let one = runner.run(threads: 1)
        #expect(one.samples.count == 3 && one.samples.allSatisfy { $0.runs == 10 })
        #expect(one.totals.events > 0)
        for threads in [2, 3, 7] { #expect(runner.run(threads: threads) == one, "threads \(threads)") }
        let text = Self.files(runner, one)
        #expect(Self.files(runner, runner.run(threads: 2)) == text)
        // Same seed, new runner: same bytes. Another seed: different.
        let again = try SEEMEnsembleRunner(database: Self.database(), settings: Self.settings(mode: mode))
        #expect(Self.files(again, again.run(threads: 2)) == text)
        var other = Self.settings(mode: mode)
        other.seed = 43
        #expect(try SEEMEnsembleRunner(database: Self.database(), settings: other).run(threads: 1) != one)
    }

    /// A run's trajectory depends on (seed, sample id, run) only: not on the other samples or on K.
    @Test func runsDoNotDependOnOtherRuns() throws {
        let full = try SEEMEnsembleRunner(database: Self.database(), settings: Self.settings(runs: 10)).run(threads: 2)
        let fewer = try SEEMEnsembleRunner(database: Self.database(), settings: Self.settings(runs: 5))
        let part = fewer.run(samples: [1], threads: 1)
        #expect(part.samples[0].counters == Array(full.samples[1].counters.prefix(5)))
        #expect(part.samples[0].firstRun == full.samples[1].firstRun)
        // Drop a sample from the database: the others keep their streams.
        var db = Self.database()
        db.samples.remove(at: 0)
        db.eventSample = db.eventSample.map { _ in 0 }
        let shifted = try SEEMEnsembleRunner(database: db, settings: Self.settings(runs: 10)).run(threads: 1)
        #expect(shifted.samples[0].counters == full.samples[1].counters)
        #expect(shifted.samples[0].moments == full.samples[1].moments)
    }

    /// Ensemble statistics equal those of the individual trajectories; start = zero zeroes τ⁰ only.
    @Test func ensembleMomentsMatchTheTrajectories() throws {
        var settings = Self.settings(runs: 12)
        settings.start = .zero
        let runner = try SEEMEnsembleRunner(database: Self.database(), settings: settings)
        let r = runner.run(threads: 2)
        let e = r.samples[2]
        #expect(e.initialState == [0, 0.025])
        let trajectories = (0..<12).map { runner.trajectory(sample: 2, run: $0) }
        #expect(trajectories.map(\.counters) == e.counters)
        #expect(trajectories[0].values == e.firstRun)
        let nv = 2, last = r.outputStrain.count - 1
        for j in [0, last / 2, last] {
            for a in 0..<nv {
                let xs = trajectories.map { $0.values[j * nv + a] }
                let (m, v) = xs.count > 1 ? meanVariance(xs) : (xs[0], 0)
                #expect(abs(e.moments.mean[j * nv + a] - m) <= 1e-12 * max(1, abs(m)))
                #expect(abs(e.moments.standardDeviation[j * nv + a] - v.squareRoot()) <= 1e-9)
            }
        }
        #expect(r.outputStrain.first == 0 && abs(r.outputStrain.last! - 0.05) < 1e-12)
        #expect(r.outputStrain.count == 501)
    }

    /// Comparison groups: per rate, train/test/all, metrics finite where data exist.
    @Test func comparisonGroupsByRateAndSplit() throws {
        let runner = try SEEMEnsembleRunner(database: Self.database(), settings: Self.settings())
        let r = runner.run(threads: 2)
        let c = SEEMComparison(result: r, curves: Self.curves(r), steadyStateFrom: 0.03)
        #expect(c.groups.map(\.coolingRate) == [1e13, 1e13, 1e13, 4e13])
        #expect(c.groups.map(\.split) == ["train", "test", "all", "train"])
        #expect(c.groups[2].runs == 20 && c.groups[2].sampleIDs == ["a", "b"])
        for g in c.groups {
            #expect(g.metrics.rmsTau.isFinite && g.metrics.rmsX1Relative.isFinite && g.metrics.flowStressAQS.isFinite)
            #expect(g.metrics.comparedPoints == r.outputStrain.count)
        }
        let text = Self.files(runner, r)
        #expect(text[0].hasPrefix("sample_id,cooling_rate_K_per_s,split,runs,"))
        #expect(text[0].split(separator: "\n").count == 4)
        #expect(text[1].split(separator: "\n").count == 502)
        #expect(text[4].contains("\"format\": \"seem-metrics/1\""))
        #expect(text[4].contains("\"figure4_sample\": \"b\""))
    }
}
