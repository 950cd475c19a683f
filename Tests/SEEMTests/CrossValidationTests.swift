import Harvest
import MDCore
import Testing
@testable import SEEM

/// k-fold cross-validation: folds, fold databases refilled from the other folds, runs from each
/// held-out sample's state, bit-identical for any thread count.
@Suite("SEEM cross-validation")
struct CrossValidationTests {
    /// Six samples at two rates, each a sawtooth τ(γ) (loading at 30 GPa, a 0.2 GPa drop every 50 steps,
    /// phase and X1 per sample); events are the drops. A database from all of them, (τ, X1) grid 8 × 4.
    static func study(samples n: Int = 6) -> (database: StateSpaceDatabase, states: [[Double]]) {
        let step = 1e-4
        var states: [[Double]] = [], events: [[Int]] = [], samples: [StateSpaceDatabase.Sample] = []
        for i in 0..<n {
            var s: [Double] = [], ev: [Int] = []
            var tau = -0.1 * Double(i), x1 = 0.01 + 0.002 * Double(i)
            for k in 0...300 {
                s += [tau, x1]
                tau += 30 * step
                if (k + 7 * i) % 50 == 49 { tau -= 0.2; x1 += 0.0005; ev.append(k) }
            }
            states.append(s); events.append(ev)
            samples.append(.init(id: "r\(i % 2)/s\(i)", directory: "", coolingRate: i % 2 == 0 ? 1e13 : 4e13,
                                 split: "train", initialState: Array(s[0..<2])))
        }
        let grid = try! StateSpaceDatabase.grid(variables: ["tau", "X1"], bins: [8, 4], ranges: [nil, nil], states: states)
        let db = StateSpaceDatabase.build(variables: ["tau", "X1"], parameters: parameters(G0: 30, uA: 1e9), strainStep: step,
                                          eventThreshold: 0.05, grid: grid, samples: samples, states: states, events: events)
        return (db, states)
    }

    static func settings(folds: Int = 3) -> SEEMSettings {
        SEEMSettings(maxStrain: 0.02, runsPerSample: 12, seed: 9, steadyStateFrom: 0.01, crossValidationFolds: folds)
    }

    @Test func everySampleIsInExactlyOneFold() {
        let ids = (0..<23).map { "s\($0)" }, rates: [Double?] = (0..<23).map { [1e13, 4e13, nil][$0 % 3] }
        let folds = CrossValidationFolds.assign(ids: ids, coolingRates: rates, folds: 5, seed: 4)
        #expect(folds.count == 23 && folds.allSatisfy { (0..<5).contains($0) })
        // Balanced: fold sizes differ by at most one, overall and per rate.
        let sizes = (0..<5).map { f in folds.filter { $0 == f }.count }
        #expect(sizes.max()! - sizes.min()! <= 1)
        for r in [1e13, 4e13] as [Double?] {
            let per = (0..<5).map { f in folds.indices.filter { rates[$0] == r && folds[$0] == f }.count }
            #expect(per.max()! - per.min()! <= 1)
        }
        // Independent of the input order; another seed deals otherwise.
        let order = Array((0..<23).reversed())
        let shuffled = CrossValidationFolds.assign(ids: order.map { ids[$0] }, coolingRates: order.map { rates[$0] }, folds: 5, seed: 4)
        #expect(order.enumerated().allSatisfy { shuffled[$0.offset] == folds[$0.element] })
        #expect(CrossValidationFolds.assign(ids: ids, coolingRates: rates, folds: 5, seed: 5) != folds)
    }

    /// Refilling with the database's own split gives it back; with a fold out, exactly the other samples'
    /// visits and events.
    @Test func refilledDatabasesKeepGridAndParameters() {
        let (db, states) = Self.study()
        let same = db.refilled(training: [Bool](repeating: true, count: 6), states: states)
        #expect(same.visits == db.visits && same.eventCounts == db.eventCounts && same.eventBin == db.eventBin)
        #expect(same.eventSample == db.eventSample && same.eventStep == db.eventStep && same.eventDelta == db.eventDelta)
        #expect(same.flow.map(\.bitPattern) == db.flow.map(\.bitPattern) && same.samples == db.samples)
        let out = [false, true, true, false, true, true]
        let fold = db.refilled(training: out, states: states)
        #expect(fold.grid == db.grid && fold.parameters == db.parameters && fold.strainStep == db.strainStep)
        #expect(fold.samples.map(\.split) == out.map { $0 ? "train" : "test" })
        #expect(fold.visits.reduce(0, +) == 4 * 300)
        #expect(Set(fold.eventSample) == [1, 2, 4, 5])
        #expect(fold.eventCount == db.eventCount - db.events(ofSample: 0).count - db.events(ofSample: 3).count)
        #expect(db.events(ofSample: 0).map { db.eventStep[$0] } == [49 - 0, 99, 149, 199, 249, 299])
    }

    @Test func eachSampleIsRunOnceFromItsFoldDatabase() throws {
        let (db, states) = Self.study()
        let cv = try SEEMCrossValidation(database: db, states: states, settings: Self.settings())
        let one = cv.run(threads: 1)
        #expect(one.map(\.sampleIndex) == Array(0..<6) && one.allSatisfy { $0.split == "test" && $0.runs == 12 })
        for threads in [2, 5] { #expect(cv.run(threads: threads) == one) }
        for (f, runner) in cv.runners.enumerated() {
            let r = try #require(runner)
            let held = Set(cv.fold.indices.filter { cv.fold[$0] == f })
            #expect(held.count == 2)
            #expect(r.database.eventSample.allSatisfy { !held.contains($0) })
            #expect(r.database.samples.indices.allSatisfy { (r.database.samples[$0].split == "test") == held.contains($0) })
        }
        // A sample's runs use its own streams: against the full database they differ only through the bins.
        let full = try SEEMEnsembleRunner(database: db, settings: Self.settings()).run(threads: 2)
        #expect(full.samples.map(\.initialState) == one.map(\.initialState))
        #expect(full.samples.map(\.counters) != one.map(\.counters))
    }

    @Test func refusesWhatItCannotCrossValidate() throws {
        var (db, states) = Self.study()
        // More folds than samples: the empty fold is skipped, every sample still held out once.
        let wide = try SEEMCrossValidation(database: db, states: states, settings: Self.settings(folds: 7))
        #expect(wide.runners.compactMap { $0 }.count == 6 && wide.run(threads: 2).count == 6)
        // One sample: no fold has anything to build from.
        let (single, s1) = Self.study(samples: 1)
        #expect(throws: InputError.self) { try SEEMCrossValidation(database: single, states: s1, settings: Self.settings(folds: 2)) }
        // Histories that do not match the database.
        states[2][10] += 0.5
        #expect(throws: InputError.self) { try SEEMCrossValidation(database: db, states: states, settings: Self.settings()) }
        // A held-out sample's events are missing.
        states = Self.study().states
        db.samples[1].split = "test"
        #expect(throws: InputError.self) { try SEEMCrossValidation(database: db, states: states, settings: Self.settings()) }
        var bad = Self.settings()
        bad.crossValidationFolds = 1
        #expect(throws: InputError.self) { try bad.validate() }
    }
}
