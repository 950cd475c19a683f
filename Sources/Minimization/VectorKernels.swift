// KERNEL FILE (unsafe by design): the minimizers' vector loops read and write their `Buffer`s
// through the buffers' base pointers (no copy-on-write, uniqueness or exclusivity checks in the loop;
// docs/ARCHITECTURE.md, "Unsafe code").
// Invariants: every operand is a Buffer of at least `n` elements that stays alive, and is not
// resized, during the call (the minimizers allocate them once, `atomCount` long); an output buffer
// may alias no input except where a kernel says so (`axpy`, `scale` update in place).

import MDCore

/// The vector operations of the minimizers over 3N-vectors stored as `SIMD3<Double>` per atom.
///
/// Sums run over the flattened components (x₀, y₀, z₀, x₁, …) with one accumulator, in the order
/// LAMMPS's `min_cg` loops over its `fvec`, so the minimizer's own arithmetic rounds as LAMMPS's
/// does. Each kernel streams its operands once (n × 32 bytes each).
@usableFromInline
enum VectorKernels {
    /// Σ_k a_k b_k.
    @usableFromInline
    static func dot(_ a: Buffer<SIMD3<Double>>, _ b: Buffer<SIMD3<Double>>, _ n: Int) -> Double {
        let a = a.base
        let b = b.base
        var s = 0.0
        for i in 0..<n {
            let u = a[i], v = b[i]
            s += u.x * v.x
            s += u.y * v.y
            s += u.z * v.z
        }
        return s
    }

    /// (Σ_k a_k a_k, Σ_k a_k b_k) in one pass.
    @usableFromInline
    static func dot2(_ a: Buffer<SIMD3<Double>>, _ b: Buffer<SIMD3<Double>>, _ n: Int) -> (Double, Double) {
        let a = a.base
        let b = b.base
        var aa = 0.0, ab = 0.0
        for i in 0..<n {
            let u = a[i], v = b[i]
            aa += u.x * u.x; ab += u.x * v.x
            aa += u.y * u.y; ab += u.y * v.y
            aa += u.z * u.z; ab += u.z * v.z
        }
        return (aa, ab)
    }

    /// max_k |a_k|.
    @usableFromInline
    static func maxAbs(_ a: Buffer<SIMD3<Double>>, _ n: Int) -> Double {
        let a = a.base
        var m = 0.0
        for i in 0..<n {
            let u = a[i]
            m = Swift.max(m, Swift.abs(u.x)); m = Swift.max(m, Swift.abs(u.y)); m = Swift.max(m, Swift.abs(u.z))
        }
        return m
    }

    /// max_i |a_i|² over atoms (LAMMPS `fnorm_max`, squared).
    @usableFromInline
    static func maxAtomNormSquared(_ a: Buffer<SIMD3<Double>>, _ n: Int) -> Double {
        let a = a.base
        var m = 0.0
        for i in 0..<n {
            let u = a[i]
            m = Swift.max(m, u.x * u.x + u.y * u.y + u.z * u.z)
        }
        return m
    }

    /// max_k a_k² (LAMMPS `fnorm_inf`, squared).
    @usableFromInline
    static func maxComponentSquared(_ a: Buffer<SIMD3<Double>>, _ n: Int) -> Double {
        let a = a.base
        var m = 0.0
        for i in 0..<n {
            let u = a[i]
            m = Swift.max(m, u.x * u.x); m = Swift.max(m, u.y * u.y); m = Swift.max(m, u.z * u.z)
        }
        return m
    }

    /// x = x0 + α·h, or x = x0 exactly when α = 0 (LAMMPS `alpha_step`).
    @usableFromInline
    static func step(_ x: Buffer<SIMD3<Double>>, from x0: Buffer<SIMD3<Double>>,
                     alpha: Double, along h: Buffer<SIMD3<Double>>, _ n: Int) {
        let x = x.base
        let x0 = x0.base
        let h = h.base
        if alpha > 0 {
            for i in 0..<n { x[i] = x0[i] + alpha * h[i] }
        } else {
            x.update(from: x0, count: n)
        }
    }

    /// g = f; h = g + β·h; returns Σ g·h (the Polak–Ribière update of `min_cg`).
    @usableFromInline
    static func conjugate(g gBuffer: Buffer<SIMD3<Double>>, h hBuffer: Buffer<SIMD3<Double>>,
                          f: Buffer<SIMD3<Double>>, beta: Double, _ n: Int) -> Double {
        let g = gBuffer.base
        let h = hBuffer.base
        let f = f.base
        for i in 0..<n {
            let fi = f[i]
            g[i] = fi
            h[i] = fi + beta * h[i]
        }
        return dot(gBuffer, hBuffer, n)
    }
}

extension VectorKernels {
    /// a *= c.
    @usableFromInline
    static func scale(_ a: Buffer<SIMD3<Double>>, by c: Double, _ n: Int) {
        let a = a.base
        for i in 0..<n { a[i] = c * a[i] }
    }

    /// a += c·b.
    @usableFromInline
    static func axpy(_ a: Buffer<SIMD3<Double>>, _ c: Double, _ b: Buffer<SIMD3<Double>>, _ n: Int) {
        let a = a.base
        let b = b.base
        for i in 0..<n { a[i] = a[i] + c * b[i] }
    }

    // L-BFGS kernels. L-BFGS need not round as LAMMPS does, so its sums keep six independent partial
    // sums (x, y, z of even and of odd atoms): a single accumulator makes a 3N-long chain of
    // dependent adds, which is what the two-loop recursion would otherwise wait for. The order is
    // fixed, so results are still deterministic.

    /// Σ_k a_k b_k with split partial sums.
    @usableFromInline
    static func dotSplit(_ a: Buffer<SIMD3<Double>>, _ b: Buffer<SIMD3<Double>>, _ n: Int) -> Double {
        let a = a.base
        let b = b.base
        var even = SIMD3<Double>.zero, odd = SIMD3<Double>.zero
        var i = 0
        while i + 1 < n {
            even += a[i] * b[i]
            odd += a[i + 1] * b[i + 1]
            i += 2
        }
        if i < n { even += a[i] * b[i] }
        let t = even + odd
        return (t.x + t.y) + t.z
    }

    /// a += c·b, then returns Σ_k d_k a_k (of the updated a) with split partial sums: one pass where
    /// the two-loop recursion would make two.
    @usableFromInline
    static func axpyDot(_ a: Buffer<SIMD3<Double>>, _ c: Double, _ b: Buffer<SIMD3<Double>>,
                        _ d: Buffer<SIMD3<Double>>, _ n: Int) -> Double {
        let a = a.base
        let b = b.base
        let d = d.base
        var even = SIMD3<Double>.zero, odd = SIMD3<Double>.zero
        var i = 0
        while i + 1 < n {
            let u = a[i] + c * b[i], v = a[i + 1] + c * b[i + 1]
            a[i] = u
            a[i + 1] = v
            even += d[i] * u
            odd += d[i + 1] * v
            i += 2
        }
        if i < n { let u = a[i] + c * b[i]; a[i] = u; even += d[i] * u }
        let t = even + odd
        return (t.x + t.y) + t.z
    }

    /// s = x − x0, y = f0 − f; returns (s·y, s·s, y·y) with split partial sums.
    @usableFromInline
    static func pairSplit(s: Buffer<SIMD3<Double>>, y: Buffer<SIMD3<Double>>,
                          x: Buffer<SIMD3<Double>>, x0: Buffer<SIMD3<Double>>,
                          f: Buffer<SIMD3<Double>>, f0: Buffer<SIMD3<Double>>, _ n: Int)
        -> (sy: Double, ss: Double, yy: Double) {
        let s = s.base
        let y = y.base
        let x = x.base
        let x0 = x0.base
        let f = f.base
        let f0 = f0.base
        var sy0 = SIMD3<Double>.zero, sy1 = SIMD3<Double>.zero, ss0 = SIMD3<Double>.zero, ss1 = SIMD3<Double>.zero
        var yy0 = SIMD3<Double>.zero, yy1 = SIMD3<Double>.zero
        var i = 0
        while i + 1 < n {
            let si = x[i] - x0[i], yi = f0[i] - f[i]
            let sj = x[i + 1] - x0[i + 1], yj = f0[i + 1] - f[i + 1]
            s[i] = si; y[i] = yi; s[i + 1] = sj; y[i + 1] = yj
            sy0 += si * yi; ss0 += si * si; yy0 += yi * yi
            sy1 += sj * yj; ss1 += sj * sj; yy1 += yj * yj
            i += 2
        }
        if i < n {
            let si = x[i] - x0[i], yi = f0[i] - f[i]
            s[i] = si; y[i] = yi
            sy0 += si * yi; ss0 += si * si; yy0 += yi * yi
        }
        func total(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { let t = a + b; return (t.x + t.y) + t.z }
        return (total(sy0, sy1), total(ss0, ss1), total(yy0, yy1))
    }
}
