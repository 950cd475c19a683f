import Harvest
import MDCore
import Testing
@testable import SEEM

/// The distribution checks: KS statistic against hand values, the bootstrap over samples, band coverage.
@Suite("SEEM validation statistics")
struct ValidationTests {
    @Test func ksStatisticEqualsTheHandValue() {
        // F_a − F_b after 1, 2, 3, 4, 5: 1/4, 2/4, 3/4 − 1/5, 1 − 2/5, 1 − 3/5 → D = 0.6.
        #expect(abs(KolmogorovSmirnov.statistic([1, 2, 3, 4], [3, 4, 5, 6, 7]) - 0.6) < 1e-15)
        // Ties are compared after the whole run of equal values: 2/3 − 1/3 at 1, 0 at 2.
        #expect(abs(KolmogorovSmirnov.statistic([1, 1, 2], [1, 2, 2]) - 1.0 / 3) < 1e-15)
        #expect(KolmogorovSmirnov.statistic([1, 2], [1, 2]) == 0)
        #expect(KolmogorovSmirnov.statistic([1, 2], [3, 4]) == 1)
        #expect(KolmogorovSmirnov.statistic([], [1]).isNaN)
        #expect(KolmogorovSmirnov.statistic([1, .nan, 2], [1, 2]) == 0)  // non-finite values ignored
    }

    /// The cell-compressed scan of a replica equals D of the values repeated by their cluster's weight,
    /// computed plainly (ECDFs at every distinct value), with ties and either side the smaller.
    @Test func weightedScanEqualsBruteForce() {
        var rng = SeededRandom(seed: 21)
        for trial in 0..<40 {
            let clusters = 1 + trial % 6
            let rounded = { (x: Double) in (x * 4).rounded() / 4 }  // many ties
            let a = (0..<clusters).map { _ in (0..<Int(rng.uniform() * 8)).map { _ in rounded(rng.gaussian()) } }
            let b = (0..<clusters).map { _ in (0..<Int(rng.uniform() * (trial % 2 == 0 ? 40 : 3))).map { _ in rounded(rng.gaussian() + 0.3) } }
            let w = (0..<clusters).map { _ in Int(rng.uniform() * 3) }
            let xa = zip(a, w).flatMap { xs, k in Array(repeatElement(xs, count: k)).flatMap { $0 } }
            let xb = zip(b, w).flatMap { xs, k in Array(repeatElement(xs, count: k)).flatMap { $0 } }
            var plain = Double.nan
            if !xa.isEmpty && !xb.isEmpty {
                plain = 0
                for x in Set(xa + xb) {
                    let fa = Double(xa.filter { $0 <= x }.count) / Double(xa.count)
                    let fb = Double(xb.filter { $0 <= x }.count) / Double(xb.count)
                    plain = max(plain, abs(fa - fb))
                }
            }
            let scan = KolmogorovSmirnov.Pooled(a: a, b: b).statistic(weights: w)
            #expect(scan == plain || (scan.isNaN && plain.isNaN) || abs(scan - plain) < 1e-15, "trial \(trial)")
        }
    }

    @Test func quantilesAreType7() {
        #expect(KolmogorovSmirnov.quantile(sorted: [1, 2, 3, 4, 5], 0.5) == 3)
        #expect(abs(KolmogorovSmirnov.quantile(sorted: [0, 10], 0.05) - 0.5) < 1e-12)
        #expect(KolmogorovSmirnov.quantile(sorted: [7], 0.95) == 7)
    }

    /// 20 samples, each with correlated values (a sample-level offset): the interval contains D, is
    /// deterministic, and another seed draws other replicas.
    static func clusters(shift: Double) -> (a: [[Double]], b: [[Double]]) {
        var rng = SeededRandom(seed: 11)
        var a: [[Double]] = [], b: [[Double]] = []
        for _ in 0..<20 {
            let offset = 0.5 * rng.gaussian()
            a.append((0..<30).map { _ in offset + rng.gaussian() })
            b.append((0..<60).map { _ in offset + shift + rng.gaussian() })
        }
        return (a, b)
    }

    @Test func bootstrapIntervalContainsDAndIsDeterministic() {
        let (a, b) = Self.clusters(shift: 0.8)
        let k = KolmogorovSmirnov.bootstrap(a: a, b: b, replicas: 1000, seed: 5, stream: [1])
        #expect(k.d == KolmogorovSmirnov.statistic(a.flatMap { $0 }, b.flatMap { $0 }))
        #expect(k.d > 0.2 && k.low <= k.d && k.d <= k.high && k.low < k.high, "\(k)")
        #expect(k.replicas == 1000 && k.usedReplicas == 1000)
        #expect(KolmogorovSmirnov.bootstrap(a: a, b: b, replicas: 1000, seed: 5, stream: [1]) == k)
        #expect(KolmogorovSmirnov.bootstrap(a: a, b: b, replicas: 1000, seed: 6, stream: [1]) != k)
        // Same distributions: a small D, and an interval reaching down near 0.
        let (c, d) = Self.clusters(shift: 0)
        let same = KolmogorovSmirnov.bootstrap(a: c, b: d, replicas: 1000, seed: 5, stream: [1])
        #expect(same.d < 0.1 && same.low < 0.1, "\(same)")
        // Clusters are resampled whole: with a single cluster every replica is the data itself.
        let one = KolmogorovSmirnov.bootstrap(a: [a[0]], b: [b[0]], replicas: 50, seed: 1, stream: [])
        #expect(one.low == one.d && one.high == one.d)
    }

    /// A reference drawn from the same process as the runs lies inside their 5–95 % band 90 % of the
    /// time; a shifted one much less often.
    @Test func coverageOfTheProcessItselfIsNinetyPercent() {
        var rng = SeededRandom(seed: 3)
        let points = 40, runs = 200
        var sum = 0.0, shifted = 0.0
        let trials = 200
        for _ in 0..<trials {
            let ensemble = (0..<(runs * points)).map { _ in rng.gaussian() }
            let reference = (0..<points).map { _ in rng.gaussian() }
            sum += BandCoverage.fraction(runs: ensemble, points: points, reference: reference)
            shifted += BandCoverage.fraction(runs: ensemble, points: points, reference: reference.map { $0 + 2 })
        }
        #expect(abs(sum / Double(trials) - 0.9) < 0.01, "\(sum / Double(trials))")
        #expect(shifted / Double(trials) < 0.5)
        // NaN reference points are skipped; none at all gives NaN.
        #expect(BandCoverage.fraction(runs: [0, 0, 1, 2], points: 2, reference: [.nan, 1]) == 1)
        #expect(BandCoverage.fraction(runs: [0, 0], points: 2, reference: [.nan, .nan]).isNaN)
    }

    /// SEEM against its own runs: runs from other streams of the same sample, taken as the "AQS" curve,
    /// fall in the band of the ensemble about 90 % of the time.
    @Test func seemRunsCoverThemselves() throws {
        var settings = EnsembleTests.settings(runs: 200)
        settings.maxStrain = 0.05
        let runner = try SEEMEnsembleRunner(database: EnsembleTests.database(), settings: settings)
        let ensemble = runner.run(samples: [2], threads: 2).samples[0]
        let points = runner.model.outputCount, nv = runner.model.variableCount
        #expect(ensemble.tauRuns.count == 200 * points)
        var sum = 0.0
        for r in 200..<300 {
            let values = runner.trajectory(sample: 2, run: r).values
            // Points after the first event anywhere in the ensemble (before it all runs coincide).
            let tau = (0..<points).map { j in j < points / 5 ? Double.nan : values[j * nv] }
            sum += BandCoverage.fraction(runs: ensemble.tauRuns, points: points, reference: tau)
        }
        #expect(abs(sum / 100 - 0.9) < 0.05, "\(sum / 100)")
    }

    /// Event steps store their τ change; the ensemble keeps them for its first runs.
    @Test func stressChangesAreTheEventSteps() throws {
        let runner = try SEEMEnsembleRunner(database: EnsembleTests.database(), settings: EnsembleTests.settings(runs: 10))
        for mode in SEEMEventMode.allCases {
            var s = EnsembleTests.settings(runs: 10, mode: mode)
            s.seed = 7
            let r = try SEEMEnsembleRunner(database: EnsembleTests.database(), settings: s).run(threads: 2)
            for e in r.samples {
                #expect(e.stressChanges.count == e.counters.reduce(0) { $0 + $1.eventSteps }, "\(mode)")
                #expect(e.stressChanges.allSatisfy { $0.isFinite })
            }
        }
        // One run by hand: the recorded changes are the τ jumps of the trajectory at its event steps.
        let m = runner.model
        var state = runner.initialState(sample: 0), rng = runner.stream(sample: 0, run: 3)
        var path = [Double](repeating: 0, count: (m.steps + 1) * 2), changes = [Double](repeating: 0, count: m.steps)
        let c = m.run(state: &state, steps: m.steps, recordEvery: 1, rng: &rng, record: &path, stressChanges: &changes)
        #expect(c.eventSteps > 0)
        var found: [Double] = []
        for k in 0..<m.steps where path[2 * (k + 1) + 1] != path[2 * k + 1] || abs(path[2 * (k + 1)] - path[2 * k] - m.loading(SIMD4(path[2 * k], path[2 * k + 1], 0, 0))) > 1e-12 {
            found.append(path[2 * (k + 1)] - path[2 * k])
        }
        #expect(found.count == c.eventSteps)
        for (x, y) in zip(found, changes.prefix(c.eventSteps)) { #expect(abs(x - y) < 1e-12) }
    }
}
