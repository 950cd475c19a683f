import MDCore

extension ConjugateGradient {
    /// One line search along `h` from `x` (LAMMPS `linemin_quadratic` or `linemin_backtrack`).
    /// On return `x`, `f` and `energy` hold the accepted point; a non-nil result stops the
    /// minimization with that reason (after a failure, x is back at the line-search origin).
    @inlinable
    func lineSearch(box: Box, energy: inout Double, settings: MinimizerSettings) -> StopReason? {
        let n = atomCount
        let x = self.x, f = self.f, h = self.h, x0 = self.x0
        // Prelude: the direction must be downhill and non-zero; the first trial moves no
        // coordinate by more than dmax.
        let fh0 = VectorKernels.dot(f, h, n)
        if fh0 <= 0 { return .lineSearchFailed(.notDownhill) }
        let hmax = VectorKernels.maxAbs(h, n)
        let alphaMax = Swift.min(Self.alphaMax, settings.maxDisplacement / hmax)
        if hmax == 0 { return .lineSearchFailed(.zeroForces) }
        x0.copy(from: x)
        let e0 = energy
        var alpha = alphaMax

        @inline(__always) func step(_ a: Double) -> Double {
            VectorKernels.step(x, from: x0, alpha: a, along: h, n)
            return evaluate(box: box)
        }

        switch settings.lineSearch {
        case .backtrack:
            while true {
                energy = step(alpha)
                let deIdeal = -Self.backtrackSlope * alpha * fh0
                let de = energy - e0
                if de <= deIdeal { return nil }
                alpha *= Self.alphaReduce
                if alpha <= 0 || deIdeal >= -Self.emach {
                    energy = step(0)
                    return de < 0 ? .energyTolerance : .lineSearchFailed(.alphaZero)
                }
            }
        case .quadratic:
            var fhPrev = fh0, ePrev = e0, alphaPrev = 0.0
            while true {
                energy = step(alpha)
                let fh = VectorKernels.dot(f, h, n)
                let dfh = fh - fhPrev
                if Swift.abs(fh) < Self.epsQuadratic || Swift.abs(dfh) < Self.epsQuadratic {
                    energy = step(0)
                    return .lineSearchFailed(.quadraticFactorsZero)
                }
                // Secant zero of f·h (the minimum of the quadratic through both points), tried when
                // the energies are consistent with a quadratic and it lies inside (0, alphaMax).
                let relerr = Swift.abs(1.0 - (0.5 * (alpha - alphaPrev) * (fh + fhPrev) + energy) / ePrev)
                let alpha0 = alpha - (alpha - alphaPrev) * fh / dfh
                if relerr <= Self.quadraticTolerance && alpha0 > 0 && alpha0 < alphaMax {
                    energy = step(alpha0)
                    if energy - e0 < Self.emach { return nil }
                }
                // Sufficient decrease (Armijo) at the last evaluated point.
                let deIdeal = -Self.backtrackSlope * alpha * fh0
                let de = energy - e0
                if de <= deIdeal { return nil }
                fhPrev = fh
                ePrev = energy
                alphaPrev = alpha
                alpha *= Self.alphaReduce
                if alpha <= 0 || deIdeal >= -Self.emach {
                    energy = step(0)
                    return .lineSearchFailed(.alphaZero)
                }
            }
        }
    }
}
