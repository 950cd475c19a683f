import MDCore

/// Limited-memory BFGS minimization over atom positions at a fixed box (Nocedal 1980; Nocedal &
/// Wright, *Numerical Optimization*, Alg. 7.4), for the elastic steps of a sheared glass where the
/// LAMMPS-exact `ConjugateGradient` is not required.
///
/// * Direction p = −H·∇E from the two-loop recursion over the last `memory` pairs
///   (s = Δx, y = Δ∇E), with H₀ = (s·y / y·y)·I from the newest pair (0.1 Å²/eV·I without pairs).
///   Pairs with s·y ≤ 1e-12·|s||y| are skipped, so H stays positive definite.
/// * Step: α = min(1, dmax / max_k |p_k|), accepted when E(α) − E₀ ≤ −1e-4·α·(f·p) + 1e-8 eV
///   (the 1e-8 eV allowance is LAMMPS's EMACH: energy differences below it are rounding noise);
///   otherwise α shrinks to the minimum of the quadratic through E₀, f·p and E(α), kept within
///   [0.1α, 0.5α]. Near a minimum the unit step is accepted almost always: about one force
///   evaluation per iteration.
/// * Stop tests, their order and the evaluation count are those of `ConjugateGradient` (LAMMPS):
///   max evaluations, energy tolerance, force tolerance in the chosen norm, max iterations. When
///   backtracking fails the memory is dropped and a steepest-descent step is tried once more before
///   stopping with `.lineSearchFailed(.alphaZero)`.
/// * With `keepsMemory`, the pairs survive from one `minimize` call to the next: consecutive
///   elastic strain steps have nearly the same Hessian, so the next minimization starts with a good
///   inverse-Hessian model. `memoryState` exposes the pairs for checkpoints.
public final class LBFGS<F: ForceField> {
    public let field: F
    public let atomCount: Int
    /// Number of (s, y) pairs kept.
    public let memory: Int
    /// Keep the pairs across `minimize` calls.
    public var keepsMemory: Bool

    @usableFromInline let f: Buffer<SIMD3<Double>>
    @usableFromInline let fOld: Buffer<SIMD3<Double>>
    @usableFromInline let p: Buffer<SIMD3<Double>>
    @usableFromInline let x0: Buffer<SIMD3<Double>>
    /// The positions being minimized, Å (copied in and out by `minimize`).
    @usableFromInline let x: Buffer<SIMD3<Double>>
    @usableFromInline var s: [Buffer<SIMD3<Double>>]
    @usableFromInline var y: [Buffer<SIMD3<Double>>]
    @usableFromInline var rho: [Double]
    @usableFromInline var alphas: [Double]
    /// Pairs stored, and the slot of the newest.
    @usableFromInline var pairCount = 0
    @usableFromInline var newest = -1
    @usableFromInline var last = EnergyAndVirial(energy: 0, virial: .zero)
    @usableFromInline var evaluations = 0
    /// Called after every iteration's line search with (iteration, energy in eV, force evaluations so far).
    public var iterationObserver: ((_ iteration: Int, _ energy: Double, _ evaluations: Int) -> Void)?

    @usableFromInline static var armijo: Double { 1e-4 }
    @usableFromInline static var emach: Double { 1e-8 }
    @usableFromInline static var initialInverseCurvature: Double { 0.1 }

    public init(field: F, memory: Int = 10, keepsMemory: Bool = false) {
        precondition(memory >= 1)
        self.field = field
        atomCount = field.atomCount
        self.memory = memory
        self.keepsMemory = keepsMemory
        let n = atomCount
        f = Buffer(count: n, repeating: .zero)
        fOld = Buffer(count: n, repeating: .zero)
        p = Buffer(count: n, repeating: .zero)
        x0 = Buffer(count: n, repeating: .zero)
        x = Buffer(count: n, repeating: .zero)
        s = (0..<memory).map { _ in Buffer(count: n, repeating: .zero) }
        y = (0..<memory).map { _ in Buffer(count: n, repeating: .zero) }
        rho = [Double](repeating: 0, count: memory)
        alphas = [Double](repeating: 0, count: memory)
    }

    /// Forgets every pair.
    public func resetMemory() { pairCount = 0; newest = -1 }

    /// The stored pairs, oldest first (for checkpoints).
    public var memoryState: [(s: [SIMD3<Double>], y: [SIMD3<Double>])] {
        get {
            (0..<pairCount).map { k in
                let slot = (newest - pairCount + 1 + k + memory) % memory
                return (s[slot].array, y[slot].array)
            }
        }
        set {
            precondition(newValue.count <= memory)
            resetMemory()
            for pair in newValue {
                precondition(pair.s.count == atomCount && pair.y.count == atomCount)
                newest = (newest + 1) % memory
                s[newest].replace(with: pair.s)
                y[newest].replace(with: pair.y)
                rho[newest] = 1 / VectorKernels.dotSplit(s[newest], y[newest], atomCount)
                pairCount += 1
            }
        }
    }

    /// Forces of the last evaluation, eV/Å.
    public var forces: [SIMD3<Double>] { f.array }

    @inlinable
    func evaluate(box: Box, counted: Bool = true) -> Double {
        last = field.evaluate(positions: x, box: box, forces: f)
        if counted { evaluations += 1 }
        return last.energy
    }

    /// Minimizes the energy over `positions` (Å, updated in place) in the fixed `box`.
    @inlinable
    public func minimize(_ positions: inout [SIMD3<Double>], box: Box, settings: MinimizerSettings) -> MinimizationReport {
        precondition(positions.count == atomCount)
        x.copy(from: positions)
        let report = minimizeStoredPositions(box: box, settings: settings)
        x.copy(to: &positions)
        return report
    }

    /// p = H·f by the two-loop recursion (a descent direction for E).
    @usableFromInline
    func direction() {
        let n = atomCount
        let p = self.p
        p.copy(from: f)
        guard pairCount > 0 else {
            VectorKernels.scale(p, by: Self.initialInverseCurvature, n)
            return
        }
        // First loop (newest to oldest): α_k = ρ_k s_k·p, p −= α_k y_k; each update fused with the
        // next dot product. Second loop (oldest to newest) likewise with β_k = ρ_k y_k·p.
        var slot = newest
        var sp = VectorKernels.dotSplit(s[slot], p, n)
        for k in 0..<pairCount {
            let a = rho[slot] * sp
            alphas[slot] = a
            if k < pairCount - 1 {
                let next = (slot - 1 + memory) % memory
                sp = VectorKernels.axpyDot(p, -a, y[slot], s[next], n)
                slot = next
            } else {
                VectorKernels.axpy(p, -a, y[slot], n)
            }
        }
        let yy = VectorKernels.dotSplit(y[newest], y[newest], n)
        VectorKernels.scale(p, by: 1 / (rho[newest] * yy), n)
        var yp = VectorKernels.dotSplit(y[slot], p, n)
        for k in 0..<pairCount {
            let b = rho[slot] * yp
            if k < pairCount - 1 {
                let next = (slot + 1) % memory
                yp = VectorKernels.axpyDot(p, alphas[slot] - b, s[slot], y[next], n)
                slot = next
            } else {
                VectorKernels.axpy(p, alphas[slot] - b, s[slot], n)
            }
        }
    }

    /// Minimizes over the positions in `x` (Å, updated in place) in `box`.
    @inlinable
    func minimizeStoredPositions(box: Box, settings: MinimizerSettings) -> MinimizationReport {
        let n = atomCount
        let x = self.x, f = self.f, p = self.p, x0 = self.x0, fOld = self.fOld
        if !keepsMemory { resetMemory() }
        evaluations = 0
        var energy = evaluate(box: box, counted: false)
        let initialEnergy = energy
        let initialFnorm = VectorKernels.dotSplit(f, f, n).squareRoot()
        var previous = energy
        var iterations = 0
        var stop = StopReason.maxIterations

        iterate: while iterations < settings.maxIterations {
            iterations += 1
            previous = energy
            var triedSteepest = false
            lineSearch: while true {
                direction()
                var fp = VectorKernels.dotSplit(f, p, n)
                if fp <= 0 {
                    resetMemory()
                    direction()
                    fp = VectorKernels.dotSplit(f, p, n)
                    if fp <= 0 { stop = .lineSearchFailed(.notDownhill); break iterate }
                }
                let pmax = VectorKernels.maxAbs(p, n)
                if pmax == 0 { stop = .lineSearchFailed(.zeroForces); break iterate }
                var alpha = Swift.min(1.0, settings.maxDisplacement / pmax)
                x0.copy(from: x)
                fOld.copy(from: f)
                let e0 = energy
                while true {
                    VectorKernels.step(x, from: x0, alpha: alpha, along: p, n)
                    energy = evaluate(box: box)
                    let de = energy - e0
                    if de <= -Self.armijo * alpha * fp + Self.emach { break lineSearch }
                    let curvature = de + fp * alpha
                    var next = curvature > 0 ? fp * alpha * alpha / (2 * curvature) : 0.5 * alpha
                    next = Swift.min(Swift.max(next, 0.1 * alpha), 0.5 * alpha)
                    alpha = next
                    if alpha * fp < Self.emach || evaluations >= settings.maxEvaluations {
                        // The expected decrease is below rounding noise: back to x0.
                        x.copy(from: x0)
                        energy = evaluate(box: box)
                        if triedSteepest || pairCount == 0 || evaluations >= settings.maxEvaluations {
                            stop = evaluations >= settings.maxEvaluations ? .maxEvaluations : .lineSearchFailed(.alphaZero)
                            break iterate
                        }
                        triedSteepest = true
                        resetMemory()
                        continue lineSearch
                    }
                }
            }
            iterationObserver?(iterations, energy, evaluations)
            // New pair s = x − x0, y = ∇E − ∇E₀ = f₀ − f.
            let slot = (newest + 1) % memory
            let (sy, ss, yy) = VectorKernels.pairSplit(s: s[slot], y: y[slot], x: x, x0: x0, f: f, f0: fOld, n)
            if sy > 1e-12 * (ss * yy).squareRoot() {
                newest = slot
                rho[slot] = 1 / sy
                pairCount = Swift.min(pairCount + 1, memory)
            } else if pairCount == memory {
                pairCount -= 1  // the oldest pair's slot was overwritten
            }

            if evaluations >= settings.maxEvaluations { stop = .maxEvaluations; break }
            if Swift.abs(energy - previous)
                < settings.energyTolerance * 0.5 * (Swift.abs(energy) + Swift.abs(previous) + 1e-8) {
                stop = .energyTolerance; break
            }
            if settings.forceTolerance > 0 {
                let fdotf: Double
                switch settings.norm {
                case .twoNorm: fdotf = VectorKernels.dotSplit(f, f, n)
                case .max: fdotf = VectorKernels.maxAtomNormSquared(f, n)
                case .inf: fdotf = VectorKernels.maxComponentSquared(f, n)
                }
                if fdotf < settings.forceTolerance * settings.forceTolerance { stop = .forceTolerance; break }
            }
        }
        let ff = VectorKernels.dotSplit(f, f, n)
        return MinimizationReport(
            iterations: iterations, forceEvaluations: evaluations, initialEnergy: initialEnergy,
            previousEnergy: previous, energy: energy, initialFnorm: initialFnorm, fnorm: ff.squareRoot(),
            fmax: VectorKernels.maxComponentSquared(f, n).squareRoot(), stopReason: stop, virial: last.virial)
    }
}
