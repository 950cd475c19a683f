import MDCore

/// Polak–Ribière conjugate-gradient minimization of the potential energy over atom positions at a
/// fixed box, reproducing LAMMPS `min_style cg` (29 Sep 2021) step for step: the same iterations,
/// force evaluations and stop reason from the same start, with LAMMPS's quadratic (default) or
/// backtracking line search (LAMMPS `min_cg.cpp` and `min_linesearch.cpp`; the algorithm is written out below).
///
/// Algorithm (state x, f, g, h over all 3N coordinates):
/// 1. Setup: E, f at the start (not counted as an evaluation); h = g = f, gg = f·f.
/// 2. Each iteration: a line search along h sets x, f, E; then, in this order, stop on a failed
///    line search, on `maxEvaluations`, on the energy tolerance
///    |E − E_prev| < etol·½(|E| + |E_prev| + 1e-8), and on the force tolerance (‖f‖² < ftol² in the
///    chosen norm). Otherwise β = max(0, (f·f − f·g)/gg) (0 every 3N iterations), g = f,
///    h = g + β h, and h = g when g·h ≤ 0.
/// 3. After `maxIterations` iterations: stop with `.maxIterations`.
///
/// The final energy, forces and virial are those of the last evaluation, which is always at the
/// final positions (LAMMPS re-evaluates there; our force fields give the same bits again).
///
/// The class owns the scratch vectors (x, f, g, h, x₀: 5 × 32 bytes per atom) and is reused across
/// minimizations. Generic over the force field, so its evaluation is called without an existential;
/// the vector loops are the non-generic `VectorKernels`.
public final class ConjugateGradient<F: ForceField> {
    /// The potential-energy surface.
    public let field: F
    /// Number of atoms.
    public let atomCount: Int
    /// Forces of the last evaluation, eV/Å.
    @usableFromInline let f: Buffer<SIMD3<Double>>
    /// Forces at the previous iteration (Polak–Ribière), eV/Å.
    @usableFromInline let g: Buffer<SIMD3<Double>>
    /// Search direction, eV/Å.
    @usableFromInline let h: Buffer<SIMD3<Double>>
    /// Line-search origin, Å.
    @usableFromInline let x0: Buffer<SIMD3<Double>>
    /// The positions being minimized, Å (copied in and out by `minimize`).
    @usableFromInline let x: Buffer<SIMD3<Double>>
    /// Energy and virial of the last evaluation.
    @usableFromInline var last = EnergyAndVirial(energy: 0, virial: .zero)
    /// Force evaluations of the current minimization (LAMMPS `neval`).
    @usableFromInline var evaluations = 0
    /// Called after every iteration's line search with (iteration, energy in eV, force evaluations so far).
    public var iterationObserver: ((_ iteration: Int, _ energy: Double, _ evaluations: Int) -> Void)?

    // LAMMPS's line-search constants (min_linesearch.cpp).
    @usableFromInline static var alphaMax: Double { 1.0 }
    @usableFromInline static var alphaReduce: Double { 0.5 }
    @usableFromInline static var backtrackSlope: Double { 0.4 }
    @usableFromInline static var quadraticTolerance: Double { 0.1 }
    /// Smallest energy change the line search trusts, eV (absolute).
    @usableFromInline static var emach: Double { 1e-8 }
    @usableFromInline static var epsQuadratic: Double { 1e-28 }
    /// Added to |E| + |E_prev| in the energy-tolerance test, eV.
    @usableFromInline static var epsEnergy: Double { 1e-8 }

    public init(field: F) {
        self.field = field
        atomCount = field.atomCount
        f = Buffer(count: atomCount, repeating: .zero)
        g = Buffer(count: atomCount, repeating: .zero)
        h = Buffer(count: atomCount, repeating: .zero)
        x0 = Buffer(count: atomCount, repeating: .zero)
        x = Buffer(count: atomCount, repeating: .zero)
    }

    /// Forces of the last evaluation (at the final positions after `minimize`), eV/Å.
    public var forces: [SIMD3<Double>] { f.array }

    /// Minimizes the energy over `positions` (Å, updated in place) in the fixed `box`.
    @inlinable
    public func minimize(_ positions: inout [SIMD3<Double>], box: Box, settings: MinimizerSettings) -> MinimizationReport {
        precondition(positions.count == atomCount, "positions has \(positions.count) atoms, minimizer \(atomCount)")
        x.copy(from: positions)
        let report = minimizeStoredPositions(box: box, settings: settings)
        x.copy(to: &positions)
        return report
    }

    /// Evaluates E, f (into `f`) and the virial at `x`; counts one evaluation when `counted`.
    @inlinable
    func evaluate(box: Box, counted: Bool = true) -> Double {
        last = field.evaluate(positions: x, box: box, forces: f)
        if counted { evaluations += 1 }
        return last.energy
    }

    /// Minimizes over the positions in `x` (Å, updated in place) in `box`.
    @inlinable
    func minimizeStoredPositions(box: Box, settings: MinimizerSettings) -> MinimizationReport {
        let n = atomCount
        let f = self.f, g = self.g, h = self.h
        evaluations = 0
        var energy = evaluate(box: box, counted: false)
        let initialEnergy = energy
        var previous = energy
        var iterations = 0
        let nlimit = Swift.min(Int(Int32.max), 3 * n)

        g.copy(from: f)
        h.copy(from: f)
        var gg = VectorKernels.dot(f, f, n)
        let initialFnorm = gg.squareRoot()

        var stop = StopReason.maxIterations
        iterate: while iterations < settings.maxIterations {
            iterations += 1
            previous = energy
            if let failure = lineSearch(box: box, energy: &energy, settings: settings) {
                stop = failure
                break iterate
            }
            iterationObserver?(iterations, energy, evaluations)
            if evaluations >= settings.maxEvaluations { stop = .maxEvaluations; break }
            if Swift.abs(energy - previous)
                < settings.energyTolerance * 0.5 * (Swift.abs(energy) + Swift.abs(previous) + Self.epsEnergy) {
                stop = .energyTolerance; break
            }
            let (ff, fg) = VectorKernels.dot2(f, g, n)
            if settings.forceTolerance > 0 {
                let fdotf: Double
                switch settings.norm {
                case .twoNorm: fdotf = ff
                case .max: fdotf = VectorKernels.maxAtomNormSquared(f, n)
                case .inf: fdotf = VectorKernels.maxComponentSquared(f, n)
                }
                if fdotf < settings.forceTolerance * settings.forceTolerance { stop = .forceTolerance; break }
            }
            // Polak–Ribière with restarts every 3N iterations and whenever h is not downhill.
            var beta = Swift.max(0.0, (ff - fg) / gg)
            if (iterations + 1) % nlimit == 0 { beta = 0 }
            gg = ff
            if VectorKernels.conjugate(g: g, h: h, f: f, beta: beta, n) <= 0 {
                h.copy(from: g)
            }
        }
        let (ff, _) = VectorKernels.dot2(f, f, n)
        return MinimizationReport(
            iterations: iterations, forceEvaluations: evaluations, initialEnergy: initialEnergy,
            previousEnergy: previous, energy: energy, initialFnorm: initialFnorm, fnorm: ff.squareRoot(),
            fmax: VectorKernels.maxComponentSquared(f, n).squareRoot(), stopReason: stop, virial: last.virial)
    }
}
