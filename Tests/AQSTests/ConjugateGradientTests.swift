import AQS
import Minimization
import MDCore
import Testing

/// The LAMMPS-exact conjugate-gradient minimizer on analytic problems whose iteration and
/// evaluation counts follow from lammps-notes.md §(d) by hand, and its stop criteria.
@Suite("ConjugateGradient")
struct ConjugateGradientTests {
    static let box = Box.cube(10)

    /// One 1-D well E = ½k x², start x = 0.1 Å: h = f, α_max = min(1, 0.1/|f|) = 1.
    /// k = 0.5: the first trial (α = 1) halves x and passes the backtracking test; the secant zero
    /// (α = 2) lies beyond α_max, so every iteration costs one evaluation and |f| halves:
    /// 0.05·2⁻ⁱ < 1e-6 first at i = 16.
    @Test func softWellTakesOneEvaluationPerIteration() {
        let field = HarmonicWells(centers: [.zero], stiffness: [SIMD3(0.5, 0.5, 0.5)])
        var x = [SIMD3(0.1, 0, 0)]
        let report = ConjugateGradient(field: field).minimize(&x, box: Self.box, settings: MinimizerSettings(forceTolerance: 1e-6))
        #expect(report.stopReason == .forceTolerance)
        #expect(report.iterations == 16)
        #expect(report.forceEvaluations == 16)
        #expect(field.evaluationCount == 17)  // + the uncounted setup evaluation
        #expect(abs(report.fnorm - 0.05 * 0x1p-16) < 1e-18)
    }

    /// k = 1.5, x = 0.05: the first trial (α = 1) overshoots to x = −0.025; the secant zero α = 2/3 is
    /// inside (0, 1) and lands on the minimum: one iteration, two evaluations, zero force.
    @Test func stiffWellUsesTheSecantStep() {
        let field = HarmonicWells(centers: [.zero], stiffness: [SIMD3(1.5, 1.5, 1.5)])
        var x = [SIMD3(0.05, 0, 0)]
        let report = ConjugateGradient(field: field).minimize(&x, box: Self.box, settings: MinimizerSettings(forceTolerance: 1e-10))
        #expect(report.stopReason == .forceTolerance)
        #expect(report.iterations == 1)
        #expect(report.forceEvaluations == 2)
        #expect(abs(x[0].x) < 1e-15)
    }

    /// k = 1.5, x = 0.1: α_max = dmax/|f| = 2/3 puts the first trial exactly on the minimum, where
    /// f·h = 0: LAMMPS gives up ("quadratic factors are zero") and returns to the start.
    @Test func exactHitOfTheMinimumIsAQuadraticFactorsFailure() {
        let field = HarmonicWells(centers: [.zero], stiffness: [SIMD3(1.5, 1.5, 1.5)])
        var x = [SIMD3(0.1, 0, 0)]
        let report = ConjugateGradient(field: field).minimize(&x, box: Self.box, settings: MinimizerSettings(forceTolerance: 1e-10))
        #expect(report.stopReason == .lineSearchFailed(.quadraticFactorsZero))
        #expect(report.iterations == 1)
        #expect(report.forceEvaluations == 2)
        #expect(x[0].x == 0.1)
    }

    /// A start exactly at the minimum: f = 0, so f·h = 0 and the first line search fails
    /// ("search direction is not downhill"), after one iteration, as in LAMMPS.
    @Test func zeroForceStartStopsInTheFirstLineSearch() {
        let field = HarmonicWells(centers: [SIMD3(1, 2, 3)], stiffness: [SIMD3(1, 1, 1)])
        var x = [SIMD3(1.0, 2.0, 3.0)]
        let report = ConjugateGradient(field: field).minimize(&x, box: Self.box, settings: MinimizerSettings(forceTolerance: 1e-8))
        #expect(report.stopReason == .lineSearchFailed(.notDownhill))
        #expect(report.iterations == 1)
        #expect(report.forceEvaluations == 0)
    }

    /// 40 wells with stiffnesses from 0.2 to 20 eV/Å² (condition number 100) and random starts.
    static func anisotropic(seed: UInt64 = 1) -> (HarmonicWells, [SIMD3<Double>]) {
        var rng = SplitMix64(state: seed)
        var c: [SIMD3<Double>] = [], k: [SIMD3<Double>] = [], x: [SIMD3<Double>] = []
        for _ in 0..<40 {
            c.append(SIMD3(rng.uniform(0, 10), rng.uniform(0, 10), rng.uniform(0, 10)))
            k.append(SIMD3(rng.uniform(0.2, 20), rng.uniform(0.2, 20), rng.uniform(0.2, 20)))
            x.append(c.last! + SIMD3(rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.3)))
        }
        return (HarmonicWells(centers: c, stiffness: k), x)
    }

    @Test func convergesOnAnIllConditionedQuadraticWithMonotoneEnergy() {
        let (field, start) = Self.anisotropic()
        var x = start
        let cg = ConjugateGradient(field: field)
        var energies: [Double] = []
        cg.iterationObserver = { _, e, _ in energies.append(e) }
        let report = cg.minimize(&x, box: Self.box, settings: MinimizerSettings(forceTolerance: 1e-10))
        #expect(report.stopReason == .forceTolerance)
        #expect(report.fnorm < 1e-10)
        #expect(report.energy < 1e-20)
        #expect(energies.count == report.iterations)
        // The quadratic line search accepts rises below EMACH = 1e-8 eV only.
        for k in 1..<energies.count { #expect(energies[k] <= energies[k - 1] + 1e-8) }
        #expect(report.energy <= report.initialEnergy)
        for i in 0..<x.count { #expect(maxAbs(x[i] - field.centers[i]) < 1e-10 / 0.2) }
    }

    @Test func stopsAtTheIterationLimit() {
        let (field, start) = Self.anisotropic()
        var x = start
        let report = ConjugateGradient(field: field).minimize(
            &x, box: Self.box, settings: MinimizerSettings(forceTolerance: 1e-12, maxIterations: 3))
        #expect(report.stopReason == .maxIterations)
        #expect(report.iterations == 3)
    }

    /// maxeval is checked after each line search: the count may pass the limit by that search's evaluations.
    @Test func stopsAtTheEvaluationLimit() {
        let (field, start) = Self.anisotropic()
        var x = start
        let report = ConjugateGradient(field: field).minimize(
            &x, box: Self.box, settings: MinimizerSettings(forceTolerance: 1e-12, maxEvaluations: 5))
        #expect(report.stopReason == .maxEvaluations)
        #expect(report.forceEvaluations >= 5 && report.forceEvaluations <= 8)
    }

    @Test func stopsOnTheEnergyTolerance() {
        let (field, start) = Self.anisotropic()
        var x = start
        let report = ConjugateGradient(field: field).minimize(
            &x, box: Self.box, settings: MinimizerSettings(energyTolerance: 1e-3, forceTolerance: 0))
        #expect(report.stopReason == .energyTolerance)
        let e = report.energy, p = report.previousEnergy
        let limit: Double = 1e-3 * 0.5 * (abs(e) + abs(p) + 1e-8)
        #expect(abs(e - p) < limit)
    }

    @Test(arguments: [ForceNorm.twoNorm, .max, .inf])
    func forceToleranceUsesTheChosenNorm(norm: ForceNorm) {
        let (field, start) = Self.anisotropic(seed: 3)
        var x = start
        let ftol = 1e-6
        let report = ConjugateGradient(field: field).minimize(
            &x, box: Self.box, settings: MinimizerSettings(forceTolerance: ftol, norm: norm))
        #expect(report.stopReason == .forceTolerance)
        var forces = [SIMD3<Double>](repeating: .zero, count: x.count)
        _ = field.evaluate(x, box: Self.box, forces: &forces)
        let measured: Double
        switch norm {
        case .twoNorm: measured = forces.map { ($0 * $0).sum() }.reduce(0, +).squareRoot()
        case .max: measured = forces.map { ($0 * $0).sum().squareRoot() }.max()!
        case .inf: measured = forces.map(maxAbs).max()!
        }
        #expect(measured < ftol)
        #expect(abs(report.fnorm - forces.map { ($0 * $0).sum() }.reduce(0, +).squareRoot()) < 1e-20)
    }

    @Test func backtrackingLineSearchConverges() {
        let (field, start) = Self.anisotropic(seed: 5)
        var x = start
        let report = ConjugateGradient(field: field).minimize(
            &x, box: Self.box, settings: MinimizerSettings(forceTolerance: 1e-8, lineSearch: .backtrack))
        // Backtracking stops once the expected decrease is below EMACH = 1e-8 eV.
        #expect(report.stopReason.isConverged || report.stopReason == .lineSearchFailed(.alphaZero))
        #expect(report.energy < 1e-7)
        #expect(report.energy < 1e-3 * report.initialEnergy)
    }

    @Test func rejectsBadSettings() {
        for bad in [MinimizerSettings(forceTolerance: .nan), MinimizerSettings(forceTolerance: -1),
                    MinimizerSettings(forceTolerance: .infinity), MinimizerSettings(energyTolerance: .nan),
                    MinimizerSettings(energyTolerance: 0, forceTolerance: 0), MinimizerSettings(maxIterations: 0),
                    MinimizerSettings(maxEvaluations: 0), MinimizerSettings(maxDisplacement: 0)] {
            #expect(throws: InputError.self) { try bad.validate() }
        }
    }
}

@Suite("LBFGS")
struct LBFGSTests {
    @Test func convergesWithAboutOneEvaluationPerIteration() {
        let (field, start) = ConjugateGradientTests.anisotropic(seed: 2)
        var x = start
        let lbfgs = LBFGS(field: field, memory: 10)
        var energies: [Double] = []
        lbfgs.iterationObserver = { _, e, _ in energies.append(e) }
        let report = lbfgs.minimize(&x, box: ConjugateGradientTests.box, settings: MinimizerSettings(forceTolerance: 1e-10))
        #expect(report.stopReason == .forceTolerance)
        #expect(report.fnorm < 1e-10)
        #expect(Double(report.forceEvaluations) <= 1.3 * Double(report.iterations))
        for k in 1..<energies.count { #expect(energies[k] <= energies[k - 1] + 1e-8) }
    }

    /// Kept pairs make the next, nearby minimization cheaper; `memoryState` round-trips them.
    @Test func keptMemoryHelpsTheNextMinimizationAndRoundTrips() {
        let (field, start) = ConjugateGradientTests.anisotropic(seed: 4)
        let settings = MinimizerSettings(forceTolerance: 1e-10)
        let warm = LBFGS(field: field, memory: 20, keepsMemory: true)
        var x = start
        _ = warm.minimize(&x, box: ConjugateGradientTests.box, settings: settings)
        let saved = warm.memoryState
        #expect(!saved.isEmpty)
        var x2 = start.map { $0 + SIMD3(0.01, -0.02, 0.015) }
        var x3 = x2
        let warmReport = warm.minimize(&x2, box: ConjugateGradientTests.box, settings: settings)
        let cold = LBFGS(field: field, memory: 20)
        let coldReport = cold.minimize(&x3, box: ConjugateGradientTests.box, settings: settings)
        #expect(warmReport.forceEvaluations < coldReport.forceEvaluations)

        let restored = LBFGS(field: field, memory: 20, keepsMemory: true)
        restored.memoryState = saved
        var x4 = start.map { $0 + SIMD3(0.01, -0.02, 0.015) }
        let restoredReport = restored.minimize(&x4, box: ConjugateGradientTests.box, settings: settings)
        #expect(restoredReport == warmReport)
        #expect(x4 == x2)
    }
}
