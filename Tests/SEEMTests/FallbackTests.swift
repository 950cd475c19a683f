import Harvest
import MDCore
import Testing
@testable import SEEM

/// Unvisited bins borrow from the nearest visited bin (scaled grid-index distance), runs count it, and
/// the model's bin lookup is Harvest's.
@Suite("SEEM fallback and binning")
struct FallbackTests {
    /// 4×4 grid, τ ∈ [0, 4], X1 ∈ [0, 4]: visited (0,0), (0,1), (1,0), (1,1); only (0,1) has events,
    /// with p = 1 and a total change (0, 0) (jump −G0Δγ, which cancels the step's loading).
    static func database() -> StateSpaceDatabase {
        handDatabase(grid: tauGrid(min: 0, max: 4, bins: 4, x1: (0, 4, 4)), parameters: parameters(G0: 30, uA: 1e9)) { b in
            switch b {
            case 0, 4, 5: return (10, [])
            case 1: return (1, [HandEvent(state: [0.5, 1.5], delta: [0, 0])])
            default: return (0, [])
            }
        }
    }

    @Test func fallbackMapsAreTheNearestBins() throws {
        let model = try SEEMModel(database: Self.database(), settings: SEEMSettings(maxStrain: 0.01))
        #expect(model.unvisitedBins == 12 && model.binsWithoutEvents == 3)
        // flat = iτ·4 + iX1
        #expect(model.rateSourceBin[2] == 1)    // (0,2) → (0,1)
        #expect(model.rateSourceBin[3] == 1)    // (0,3) → (0,1): 2/4 vs √5/4
        #expect(model.rateSourceBin[15] == 5)   // (3,3) → (1,1)
        #expect(model.rateSourceBin[8] == 4)    // (2,0) → (1,0)
        #expect(model.rateSourceBin[10] == 5)   // (2,2) → (1,1)
        #expect(model.rateSourceBin[5] == 5 && model.eventSourceBin[5] == 1)  // visited, no events → nearest with events
        #expect(model.eventSourceBin[1] == 1)
        for b in 0..<16 where [0, 1, 4, 5].contains(b) { #expect(model.rateSourceBin[b] == b) }
    }

    /// A run parked in the unvisited bin (0,2): every step takes (0,1)'s rate (p = 1) and events.
    @Test func runsCountFallbacks() throws {
        let model = try SEEMModel(database: Self.database(), settings: SEEMSettings(maxStrain: 0.01))
        for mode in SEEMEventMode.allCases {
            let m = try SEEMModel(database: Self.database(), settings: SEEMSettings(maxStrain: 0.01, mode: mode))
            var state = [0.5, 2.5]
            var rng = SeededRandom(seed: 1)
            let c = m.run(state: &state, steps: 500, recordEvery: 500, rng: &rng)
            #expect(c.rateFallbackSteps == 500, "\(mode)")
            #expect(c.eventFallbackDraws == c.events && c.events > 0)
            #expect(state[1] == 2.5)
            if mode == .bernoulli {
                // one event per step, whose jump cancels the loading (G differs by 1e-9 between X1 = 1.5 and 2.5)
                #expect(c.events == 500)
                #expect(abs(state[0] - 0.5) < 1e-6)
            }
        }
        // A visited bin with p = 0: no fallback at all.
        var state = [0.5, 0.5]
        var rng = SeededRandom(seed: 1)
        let c = model.run(state: &state, steps: 100, recordEvery: 100, rng: &rng)
        #expect(c.rateFallbackSteps == 0 && c.events == 0)
    }

    /// `fallback: none`: the unvisited bin (0,2) has no rate, so a run parked there only loads
    /// elastically, where `nearest_visited` borrows (0,1)'s events at every step.
    @Test func fallbackNoneLeavesUnvisitedBinsElastic() throws {
        for mode in SEEMEventMode.allCases {
            var none = SEEMSettings(maxStrain: 0.01, mode: mode, elasticity: .linear)
            none.fallback = .none
            let m = try SEEMModel(database: Self.database(), settings: none)
            #expect(m.rateSourceBin[2] == -1 && m.eventsPerStep[2] == 0 && m.eventSourceBin[5] == -1)
            #expect(m.rateSourceBin[1] == 1 && m.eventsPerStep[1] == 1)
            var state = [0.5, 2.5], rng = SeededRandom(seed: 1)
            let c = m.run(state: &state, steps: 20, recordEvery: 20, rng: &rng)
            #expect(c.events == 0 && c.eventFallbackDraws == 0 && c.rateFallbackSteps == 20, "\(mode)")
            #expect(abs(state[0] - (0.5 + 20 * 30 * 1e-4)) < 1e-9)  // G(X1 = 2.5) = 30(1 − 2.5·10⁻⁹)
            var nearest = none
            nearest.fallback = .nearestVisited
            var s2 = [0.5, 2.5], r2 = SeededRandom(seed: 1)
            let c2 = try SEEMModel(database: Self.database(), settings: nearest).run(state: &s2, steps: 20, recordEvery: 20, rng: &r2)
            #expect(c2.events > 0 && s2 != state)
        }
        // Whole ensembles differ too (the sample starts in the unvisited bin).
        var db = Self.database()
        db.samples[0].initialState = [0.5, 2.5]
        var settings = SEEMSettings(maxStrain: 0.01, runsPerSample: 4)
        let a = try SEEMEnsembleRunner(database: db, settings: settings).run(threads: 1)
        settings.fallback = .none
        let b = try SEEMEnsembleRunner(database: db, settings: settings).run(threads: 1)
        #expect(a.samples[0].moments != b.samples[0].moments)
    }

    /// Steps begun beyond the grid (either side, any axis) are counted; the grid's edges are inside.
    @Test func outOfGridStepsAreCounted() throws {
        let db = handDatabase(grid: tauGrid(min: 0, max: 1, bins: 4, x1: (-1, 1, 1)), parameters: parameters(G0: 30, uA: 1e9)) { _ in (5, []) }
        let m = try SEEMModel(database: db, settings: SEEMSettings(maxStrain: 0.05))
        for start in [[0.5, 0.0], [-0.4, 0.0], [0.2, 1.5], [0.0, 1.0]] {
            var state = start, rng = SeededRandom(seed: 2)
            var path = [Double](repeating: 0, count: 2 * 501)
            let c = m.run(state: &state, steps: 500, recordEvery: 1, rng: &rng, record: &path)
            let beyond = (0..<500).filter { k in
                path[2 * k] < 0 || path[2 * k] > 1 || path[2 * k + 1] < -1 || path[2 * k + 1] > 1
            }.count
            #expect(c.outOfGridSteps == beyond, "\(start)")
            #expect(beyond > 0 || start == [0.0, 1.0])
        }
        // An ensemble sums its runs' counts; the result totals them.
        let r = try SEEMEnsembleRunner(database: db, settings: SEEMSettings(maxStrain: 0.05, runsPerSample: 3)).run(threads: 2)
        #expect(r.samples[0].outOfGridSteps == r.samples[0].counters.reduce(0) { $0 + $1.outOfGridSteps })
        #expect(r.totals.outOfGridSteps == r.samples[0].outOfGridSteps && r.totals.outOfGridSteps > 0)
    }

    /// The distance is scaled by the bins per axis: on a 2 × 8 grid, bin (1,3) is nearer (1,7)
    /// (Δ = (0, 4/8)) than (0,0) (Δ = (1/2, 3/8)), although its plain index distance is larger.
    @Test func distanceIsScaledByBinsPerAxis() throws {
        let db = handDatabase(grid: tauGrid(min: 0, max: 2, bins: 2, x1: (0, 8, 8))) { b in
            (b == 0 || b == 15) ? (3, []) : (0, [])
        }
        let model = try SEEMModel(database: db, settings: SEEMSettings(maxStrain: 0.01))
        #expect(model.rateSourceBin[8 + 3] == 15)
        #expect(model.rateSourceBin[1] == 0)
    }

    /// Same bin as `StateGrid.bin` for states inside, outside and on the edges of the grid.
    @Test func binLookupMatchesStateGrid() throws {
        let grid = StateGrid(axes: [.init(variable: "tau", min: -0.7, max: 3.1, bins: 19),
                                    .init(variable: "X1", min: 0.003, max: 0.071, bins: 23)])
        let db = handDatabase(grid: grid) { _ in (1, []) }
        let model = try SEEMModel(database: db, settings: SEEMSettings(maxStrain: 0.01))
        var rng = SeededRandom(seed: 9)
        var states: [[Double]] = [[-0.7, 0.003], [3.1, 0.071], [-5, -1], [50, 1], [3.0999999999, 0.0709999]]
        for k in 0...19 { states.append([grid.axes[0].min + Double(k) * grid.axes[0].width, 0.03]) }
        for _ in 0..<5000 { states.append([-1.5 + 5.5 * rng.uniform(), -0.01 + 0.1 * rng.uniform()]) }
        for s in states { #expect(model.bin(of: s) == grid.bin(s), "\(s)") }
    }
}

/// The inner loop's inlined generator is `SeededRandom`'s stream, word for word, and a run hands the
/// advanced state back.
@Test func innerStreamIsSeededRandom() throws {
    var a = SeededRandom(seed: 77, stream: [3, 4])
    var b = SEEMStream(a)
    for _ in 0..<1000 { #expect(a.next() == b.next()) }
    #expect(b.seededRandom == a)
    let db = handDatabase(grid: tauGrid(min: -1e6, max: 1e6, bins: 1)) { _ in (1, []) }
    let model = try SEEMModel(database: db, settings: SEEMSettings(maxStrain: 0.01))
    var rng = SeededRandom(seed: 5), reference = SeededRandom(seed: 5)
    var state = [0.0, 0.0]
    _ = model.run(state: &state, steps: 100, recordEvery: 100, rng: &rng)
    for _ in 0..<100 { _ = reference.next() }  // p = 0: one draw per step
    #expect(rng == reference)
}
