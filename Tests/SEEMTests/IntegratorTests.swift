import Foundation
import Harvest
import MDCore
import Testing
@testable import SEEM

/// The integrator against results known in closed form (under the paper's linear law, where they are).
@Suite("SEEM integrator")
struct IntegratorTests {
    /// Stationary mean stress from the balance of loading and drops.
    ///
    /// Database: τ ∈ [0, 3] in 120 bins of w = 0.025 GPa (X1 one bin, X1 ≡ 0, so G = G0 = 30 GPa);
    /// bin k has 2000 visits and k events, each a total change (a − D, 0) with a = G0·Δγ = 0.003 GPa
    /// and D = 0.1 GPa, so the plastic jump is −D and p_k = k/2000, affine in the bin centre
    /// c_k = (k + ½)w: p(c) = (c/w − ½)/2000.
    ///
    /// Per step E[Δτ | τ] = a − D·p(bin(τ)). At stationarity E[Δτ] = 0, so E[p] = a/D exactly, and since p
    /// is affine in c, E[c] = w(2000·a/D + ½) = 1.5125 GPa. τ − c lies in a bin; for a stationary
    /// density smooth on the scale w (σ ≈ √(p*D/(2β)) ≈ 0.27 GPa with β = dp/dτ = 0.02/GPa) its mean
    /// vanishes to second order, so E[τ] = 1.5125 GPa. Relaxation time 1/(Dβ) = 500 steps.
    @Test func stationaryMeanStressFollowsFromBalance() throws {
        let a = 0.003, d = 0.1, w = 0.025
        let db = handDatabase(grid: tauGrid(min: 0, max: 3, bins: 120)) { k in
            let c = (Double(k) + 0.5) * w
            return (2000, Array(repeating: HandEvent(state: [c, 0], delta: [a - d, 0]), count: k))
        }
        let model = try SEEMModel(database: db, settings: SEEMSettings(maxStrain: 2, elasticity: .linear))
        #expect(model.jumps.allSatisfy { abs($0[0] + d) < 1e-15 && $0[1] == 0 })
        let expected = w * (2000 * a / d + 0.5)
        let runs = 64, steps = 20_000, burnIn = 2_000
        var averages: [Double] = []
        var record = [Double](repeating: 0, count: (steps + 1) * 2)
        for r in 0..<runs {
            var state = [expected, 0.0]
            var rng = SeededRandom(seed: 11, stream: [UInt64(r)])
            _ = model.run(state: &state, steps: steps, recordEvery: 1, rng: &rng, record: &record)
            var sum = 0.0
            for n in burnIn...steps { sum += record[2 * n] }
            averages.append(sum / Double(steps - burnIn + 1))
        }
        let (m, v) = meanVariance(averages)
        let standardError = (v / Double(runs)).squareRoot()
        #expect(standardError < 0.02)
        #expect(abs(m - expected) < 4 * standardError + 0.002, "mean \(m), expected \(expected) ± \(standardError)")
    }

    /// Constant probability p and fixed drop D: τ after N steps has mean τ0 + N(a − pD) and variance
    /// N·p(1 − p)·D² (binomial number of events); X1 grows by ΔX1 per event, mean N·p·ΔX1.
    @Test func constantRateGivesBinomialStressAndStructure() throws {
        let a = 30 * 1e-4, d = 0.1, dx = 0.001, p = 0.25
        let db = handDatabase(grid: tauGrid(min: -100, max: 100, bins: 1, x1: (-10, 10, 1)),
                              parameters: parameters(G0: 30, uA: 1e6)) { _ in
            (4, [HandEvent(state: [0, 0], delta: [a - d, dx])])
        }
        let model = try SEEMModel(database: db, settings: SEEMSettings(maxStrain: 0.2, elasticity: .linear))
        let steps = 2000, runs = 400
        var taus: [Double] = [], xs: [Double] = []
        for r in 0..<runs {
            var state = [0.0, 0.0]
            var rng = SeededRandom(seed: 3, stream: [UInt64(r)])
            let c = model.run(state: &state, steps: steps, recordEvery: steps, rng: &rng)
            #expect(c.events == c.eventSteps && c.rateFallbackSteps == 0 && c.eventFallbackDraws == 0)
            taus.append(state[0]); xs.append(state[1])
        }
        let n = Double(steps)
        let (mt, vt) = meanVariance(taus), (mx, _) = meanVariance(xs)
        let varExpected = n * p * (1 - p) * d * d
        let se = (varExpected / Double(runs)).squareRoot()
        // G(X1) = G0(1 − X1/u_A) changes by ≤ 2e-6 relative here: a bias below 1e-4 GPa.
        #expect(abs(mt - n * (a - p * d)) < 4 * se, "mean τ \(mt) vs \(n * (a - p * d)) ± \(se)")
        #expect(abs(vt / varExpected - 1) < 4 * (2 / Double(runs - 1)).squareRoot(), "variance \(vt) vs \(varExpected)")
        #expect(abs(mx - n * p * dx) < 4 * se * dx / d, "mean X1 \(mx) vs \(n * p * dx)")
    }

    /// With no events anywhere, τ_n = τ_{n−1} + G(X1)Δγ exactly (bit for bit, same additions), X1 fixed.
    @Test(arguments: SEEMEventMode.allCases)
    func pureElasticIsExact(mode: SEEMEventMode) throws {
        let db = handDatabase(grid: tauGrid(min: -2, max: 4, bins: 6, x1: (0, 0.05, 5)),
                              parameters: parameters(G0: 25.9, uA: 0.101)) { _ in (10, []) }
        let model = try SEEMModel(database: db, settings: SEEMSettings(strainStep: 3e-4, maxStrain: 0.3, mode: mode, elasticity: .linear))
        let x1 = 0.0237, tau0 = -0.78
        var state = [tau0, x1]
        var rng = SeededRandom(seed: 5)
        var record = [Double](repeating: 0, count: 1001 * 2)
        let c = model.run(state: &state, steps: 1000, recordEvery: 1, rng: &rng, record: &record)
        #expect(c.events == 0 && c.steps == 1000)
        let g = db.parameters.shearModulus(x1: x1) * 3e-4
        var tau = tau0
        for n in 0...1000 {
            #expect(record[2 * n] == tau, "step \(n)")
            #expect(record[2 * n + 1] == x1)
            tau += g
        }
        #expect(state == [record[2000], x1])
        #expect(c.peakStress == record[2000])
    }

    /// Poisson mode at Δγ = 5Δγ_db with p = 0.1: n ~ Poisson(0.5) per step, so the mean event count per
    /// step is 0.5 and the fraction of steps with events is 1 − e^{−0.5}.
    @Test func poissonMeanEventCount() throws {
        let db = handDatabase(grid: tauGrid(min: -1e6, max: 1e6, bins: 1)) { _ in
            (10, [HandEvent(state: [0, 0], delta: [0.003, 0])])  // jump (0, 0): only the count matters
        }
        let model = try SEEMModel(database: db, settings: SEEMSettings(strainStep: 5e-4, maxStrain: 100, mode: .poisson, elasticity: .linear))
        #expect(abs(model.eventsPerStep[0] - 0.5) < 1e-15)
        let steps = 200_000
        var state = [0.0, 0.0]
        var rng = SeededRandom(seed: 17)
        let c = model.run(state: &state, steps: steps, recordEvery: steps, rng: &rng)
        let n = Double(steps)
        #expect(abs(Double(c.events) - 0.5 * n) < 4 * (0.5 * n).squareRoot(), "events \(c.events)")
        let q = 1 - Foundation.exp(-0.5)
        #expect(abs(Double(c.eventSteps) - q * n) < 4 * (q * (1 - q) * n).squareRoot(), "event steps \(c.eventSteps)")
        #expect(c.events > c.eventSteps)
    }

    /// λ = p/Δγ_db: p′ = λΔγ per SEEM step (clamped at 1 and counted in Bernoulli mode). The stress
    /// drift per unit strain, G − λD, is the same at every Δγ: the loading inside the harvested deltas is
    /// neither counted twice nor lost.
    @Test func probabilityScalesWithStrainStep() throws {
        let a = 0.003, d = 0.1, p = 0.2
        let db = handDatabase(grid: tauGrid(min: -1e6, max: 1e6, bins: 1)) { _ in
            (5, [HandEvent(state: [0, 0], delta: [a - d, 0])])
        }
        for (h, expected, clamped) in [(1e-4, 0.2, 0), (2.5e-5, 0.05, 0), (2e-4, 0.4, 0), (1e-3, 1.0, 1)] {
            let m = try SEEMModel(database: db, settings: SEEMSettings(strainStep: h, maxStrain: 0.1, elasticity: .linear))
            #expect(abs(m.eventsPerStep[0] - expected) < 1e-15, "Δγ \(h)")
            #expect(m.clampedBins == clamped)
        }
        let gamma = 0.2, runs = 200
        let drift = 30 - p / 1e-4 * d  // G − λD per unit strain: −170 GPa
        for h in [1e-4, 2.5e-5] {
            let m = try SEEMModel(database: db, settings: SEEMSettings(strainStep: h, maxStrain: gamma, elasticity: .linear))
            var finals: [Double] = []
            for r in 0..<runs {
                var state = [0.0, 0.0]
                var rng = SeededRandom(seed: 23, stream: [UInt64(r)])
                _ = m.run(state: &state, steps: m.steps, recordEvery: m.steps, rng: &rng)
                finals.append(state[0])
            }
            let events = p / 1e-4 * gamma  // λγ, the mean event count (a variance bound)
            let se = (events * d * d / Double(runs)).squareRoot()
            let (mean, _) = meanVariance(finals)
            #expect(abs(mean - drift * gamma) < 4 * se, "Δγ \(h): mean \(mean) vs \(drift * gamma) ± \(se)")
        }
    }
}
