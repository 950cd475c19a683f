import MDCore
import Testing
@testable import Harvest

@Suite struct EventDetectorTests {
    /// A sawtooth: elastic loading with planted drops of different sizes (one rejuvenating, one aging), and
    /// noise just below the thresholds' scale: exactly the planted steps are events.
    @Test func plantedDropsAreExactlyTheEvents() throws {
        let s = Synthetic(parameters: Synthetic.truth)
        let planted: [Int: (Double, Double)] = [120: (-0.3, 0.001), 260: (-0.05, -0.0005), 400: (-0.8, 0.002),
                                                555: (-0.01, 0.0), 700: (-0.2, -0.001)]
        let h = s.history(sample: "saw", rate: 1e13, steps: 800, tau0: 1.5, x10: 0.01, events: planted,
                          tauNoise: 3e-6, energyNoise: 5e-9, seed: 9)
        let stress = EventDetector.autoStressThreshold(forceTolerance: 1e-4, atoms: 256, volume: h.volume)
        let energy = EventDetector.autoEnergyThreshold(forceTolerance: 1e-4, maxDisplacement: 0.1, atoms: 256)
        #expect(abs(stress / 9.914441854876562e-05 - 1) < 1e-6)   // 10 × ftol·Ω^{1/3}/V
        #expect(energy == 1e-5 / 256)
        let x1 = (0..<h.count).map { Synthetic.truth.x1(u: h.energyPerAtom[$0], tau: h.stress[$0]) }
        for criterion in [HarvestSettings.EventCriterion.stressAndEnergy, .energy] {
            let d = EventDetector(criterion: criterion, stressThreshold: stress, energyThreshold: energy)
            #expect(d.events(in: h, x1: x1, parameters: Synthetic.truth) == planted.keys.sorted(), "\(criterion)")
        }
        // The stress criterion alone also flags the reversible softening of the elastic branches at high
        // stress (the tangent modulus is below G(X1) there): the reason for the energy check.
        let stressOnly = EventDetector(criterion: .stress, stressThreshold: stress, energyThreshold: energy)
        #expect(stressOnly.events(in: h, x1: x1, parameters: Synthetic.truth).count > planted.count)
        // Measured noise is close to the planted 3e-6 GPa and inside the ftol bound.
        let noise = try #require(stressOnly.measuredStressNoise(h))
        #expect(noise > 1.5e-6 && noise < 6e-6)
        #expect(noise < EventDetector.stressNoiseBound(forceTolerance: 1e-4, atoms: 256, volume: h.volume))
    }

    @Test func dissipationOfAnElasticStepIsTheTrapezoidError() {
        let h = Synthetic(parameters: Synthetic.truth).history(sample: "e", rate: nil, steps: 50, tau0: 0, x10: 0)
        for k in 0..<50 { #expect(abs(EventDetector.dissipation(h, step: k)) < 1e-12) }
    }
}

@Suite struct DatabaseBuildingTests {
    /// Two samples on a 2×2 grid over (τ, X1) ∈ [0, 2]×[0, 2]; every number below is counted by hand.
    @Test func handMadeBookkeeping() throws {
        let grid = StateGrid(axes: [.init(variable: "tau", min: 0, max: 2, bins: 2), .init(variable: "X1", min: 0, max: 2, bins: 2)])
        // Sample 0 states (τ, X1): (0.5,0.5) → (0.7,0.5) → (1.5,0.5) [event at k=1] → (1.2,1.5) [event at k=2] → (1.4,1.5)
        let s0: [Double] = [0.5, 0.5, 0.7, 0.5, 1.5, 0.5, 1.2, 1.5, 1.4, 1.5]
        // Sample 1 (train): (0.2,0.2) → (0.4,0.2) [event at k=0: to (0.4,0.2)? no: plain] → (0.1, 0.3) [event at k=1]
        let s1: [Double] = [0.2, 0.2, 0.4, 0.2, 0.1, 0.3]
        // Sample 2 is held out: it must not count.
        let s2: [Double] = [0.5, 0.5, 1.9, 1.9]
        let samples = [
            StateSpaceDatabase.Sample(id: "a", directory: "", coolingRate: 1, split: "train", initialState: [0.5, 0.5]),
            StateSpaceDatabase.Sample(id: "b", directory: "", coolingRate: 1, split: "train", initialState: [0.2, 0.2]),
            StateSpaceDatabase.Sample(id: "c", directory: "", coolingRate: 1, split: "test", initialState: [0.5, 0.5]),
        ]
        let db = StateSpaceDatabase.build(variables: ["tau", "X1"], parameters: Synthetic.truth, strainStep: 0.1,
                                          eventThreshold: 0.01, grid: grid, samples: samples, states: [s0, s1, s2],
                                          events: [[1, 2], [1], [0]])
        #expect(db.problem() == nil)
        // Bins: 0 = (τ<1, X1<1), 1 = (τ<1, X1≥1), 2 = (τ≥1, X1<1), 3 = (τ≥1, X1≥1).
        #expect(db.visits == [4, 0, 1, 1])          // s0 k=0,1 and s1 k=0,1 in bin 0; s0 k=2 in bin 2; k=3 in bin 3
        #expect(db.eventCounts == [2, 0, 1, 0])
        #expect(db.eventProbability(bin: 0) == 0.5)
        #expect(db.eventProbability(bin: 1).isNaN)
        // Bin 0 events: s0 k=1 Δ = (0.8, 0), s1 k=1 Δ = (−0.3, 0.1): mean (0.25, 0.05).
        #expect(abs(db.meanDelta[0] - 0.25) < 1e-15 && abs(db.meanDelta[1] - 0.05) < 1e-15)
        // Bin 0 flow: Δ sums (0.2,0)+(0.8,0)+(0.2,0)+(−0.3,0.1) = (0.9, 0.1) over 4 visits / Δγ 0.1.
        #expect(abs(db.flow[0] - 0.9 / 4 / 0.1) < 1e-12 && abs(db.flow[1] - 0.1 / 4 / 0.1) < 1e-12)
        // Bin 2: one visit, one event Δ = (−0.3, 1.0).
        #expect(abs(db.meanDelta[4] + 0.3) < 1e-15 && abs(db.meanDelta[5] - 1) < 1e-15)
        #expect(abs(db.flow[4] + 3) < 1e-12 && abs(db.flow[5] - 10) < 1e-12)
        #expect(db.meanDelta[6].isNaN && abs(db.flow[6] - 2) < 1e-12)
        // Events sorted by bin, then sample, then step.
        #expect(db.eventBin == [0, 0, 2] && db.eventSample == [0, 1, 0] && db.eventStep == [1, 1, 2])
        #expect(db.eventState == [0.7, 0.5, 0.4, 0.2, 1.5, 0.5])
        // Round trip through the JSON contract.
        let path = Synthetic.temporaryDirectory("db") + "/database.json"
        try db.write(to: path)
        let back = try StateSpaceDatabase.read(path: path)
        #expect(back.visits == db.visits && back.eventStep == db.eventStep && back.samples == db.samples)
    }

    @Test func emptyRangeIsRefused() {
        #expect(throws: InputError.self) {
            try StateSpaceDatabase.grid(variables: ["tau", "X1"], bins: [2, 2], ranges: [], states: [[1, 0.5, 2, 0.5]])
        }
        var s = HarvestSettings()
        s.ranges = [1.0...1.0]
        do { try s.validate(); Issue.record("expected an error") } catch {
            #expect(error.path == "--tau-range" && error.reason.contains("empty bin range"))
        }
    }
}

@Suite struct SplitTests {
    @Test func deterministicStratifiedAndOrderIndependent() {
        let ids = (0..<8).flatMap { i in ["r1/s\(i)", "r2/s\(i)"] }
        let rates: [Double?] = (0..<8).flatMap { _ in [1e13, 4e13] }
        let a = TrainTestSplit.assign(ids: ids, coolingRates: rates, heldOutFraction: 0.25, seed: 3)
        #expect(a == TrainTestSplit.assign(ids: ids, coolingRates: rates, heldOutFraction: 0.25, seed: 3))
        #expect(zip(a, rates).filter { $0 == "test" && $1 == 1e13 }.count == 2)
        #expect(zip(a, rates).filter { $0 == "test" && $1 == 4e13 }.count == 2)
        let order = Array((0..<ids.count).reversed())
        let b = TrainTestSplit.assign(ids: order.map { ids[$0] }, coolingRates: order.map { rates[$0] }, heldOutFraction: 0.25, seed: 3)
        for (k, i) in order.enumerated() { #expect(b[k] == a[i]) }
        #expect(TrainTestSplit.assign(ids: ids, coolingRates: rates, heldOutFraction: 0, seed: 3).allSatisfy { $0 == "train" })
        #expect(TrainTestSplit.assign(ids: ids, coolingRates: rates, heldOutFraction: 0.25, seed: 4) != a)
    }

    /// The whole harvest is bit-identical whatever order the histories come in.
    @Test func harvestIsOrderIndependent() throws {
        let s = Synthetic(parameters: Synthetic.truth)
        var hs: [ShearHistory] = []
        for r in 0..<2 {
            for i in 0..<4 {
                hs.append(s.history(sample: "r\(r)/s\(i)", rate: r == 0 ? 1e13 : 1e14, steps: 300, tau0: 0.1 * Double(i - 2),
                                    x10: 0.004 * Double(i + 3 * r), events: [100 + 20 * i: (-0.2, 0.001), 250: (-0.3, 0.002)],
                                    tauNoise: 1e-6, energyNoise: 1e-9, seed: UInt64(r * 10 + i)))
            }
        }
        var settings = HarvestSettings()
        settings.fixed = .init(tauA: 8.4, tauB: 2.9)
        settings.bins = [5, 4]
        // The planted jumps raise X1 by more than they release elastically, so no step dissipates energy and
        // no step is an event: `run` would refuse; the harvest proper is what this test is about.
        let a = try Harvester.harvest(histories: hs, settings: settings)
        let b = try Harvester.harvest(histories: hs.reversed(), settings: settings)
        #expect(a.database.json.formatted() == b.database.json.formatted())
        #expect(a.parametersJSON.formatted() == b.parametersJSON.formatted())
        #expect(FigureTables.events(a) == FigureTables.events(b))
        #expect(a.database.samples.filter { $0.split == "test" }.count == 2)
        // Statistics come from the training samples only.
        #expect(a.database.visits.reduce(0, +) == 6 * 300)
    }
}
