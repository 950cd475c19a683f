/// The vector operations of the minimizers over raw 3N-vectors stored as `SIMD3<Double>` per atom.
///
/// Sums run over the flattened components (x₀, y₀, z₀, x₁, …) with one accumulator, in the order
/// LAMMPS's `min_cg` loops over its `fvec`, so the minimizer's own arithmetic rounds as LAMMPS's
/// does. Each kernel streams its operands once (n × 32 bytes each).
@usableFromInline
enum VectorKernels {
    /// Σ_k a_k b_k.
    @usableFromInline
    static func dot(_ a: UnsafePointer<SIMD3<Double>>, _ b: UnsafePointer<SIMD3<Double>>, _ n: Int) -> Double {
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
    static func dot2(_ a: UnsafePointer<SIMD3<Double>>, _ b: UnsafePointer<SIMD3<Double>>, _ n: Int) -> (Double, Double) {
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
    static func maxAbs(_ a: UnsafePointer<SIMD3<Double>>, _ n: Int) -> Double {
        var m = 0.0
        for i in 0..<n {
            let u = a[i]
            m = Swift.max(m, Swift.abs(u.x)); m = Swift.max(m, Swift.abs(u.y)); m = Swift.max(m, Swift.abs(u.z))
        }
        return m
    }

    /// max_i |a_i|² over atoms (LAMMPS `fnorm_max`, squared).
    @usableFromInline
    static func maxAtomNormSquared(_ a: UnsafePointer<SIMD3<Double>>, _ n: Int) -> Double {
        var m = 0.0
        for i in 0..<n {
            let u = a[i]
            m = Swift.max(m, u.x * u.x + u.y * u.y + u.z * u.z)
        }
        return m
    }

    /// max_k a_k² (LAMMPS `fnorm_inf`, squared).
    @usableFromInline
    static func maxComponentSquared(_ a: UnsafePointer<SIMD3<Double>>, _ n: Int) -> Double {
        var m = 0.0
        for i in 0..<n {
            let u = a[i]
            m = Swift.max(m, u.x * u.x); m = Swift.max(m, u.y * u.y); m = Swift.max(m, u.z * u.z)
        }
        return m
    }

    /// x = x0 + α·h, or x = x0 exactly when α = 0 (LAMMPS `alpha_step`).
    @usableFromInline
    static func step(_ x: UnsafeMutablePointer<SIMD3<Double>>, from x0: UnsafePointer<SIMD3<Double>>,
                     alpha: Double, along h: UnsafePointer<SIMD3<Double>>, _ n: Int) {
        if alpha > 0 {
            for i in 0..<n { x[i] = x0[i] + alpha * h[i] }
        } else {
            x.update(from: x0, count: n)
        }
    }

    /// g = f; h = g + β·h; returns Σ g·h (the Polak–Ribière update of `min_cg`).
    @usableFromInline
    static func conjugate(g: UnsafeMutablePointer<SIMD3<Double>>, h: UnsafeMutablePointer<SIMD3<Double>>,
                          f: UnsafePointer<SIMD3<Double>>, beta: Double, _ n: Int) -> Double {
        for i in 0..<n {
            let fi = f[i]
            g[i] = fi
            h[i] = fi + beta * h[i]
        }
        return dot(g, h, n)
    }
}

extension VectorKernels {
    /// a *= c.
    @usableFromInline
    static func scale(_ a: UnsafeMutablePointer<SIMD3<Double>>, by c: Double, _ n: Int) {
        for i in 0..<n { a[i] = c * a[i] }
    }

    /// a += c·b.
    @usableFromInline
    static func axpy(_ a: UnsafeMutablePointer<SIMD3<Double>>, _ c: Double, _ b: UnsafePointer<SIMD3<Double>>, _ n: Int) {
        for i in 0..<n { a[i] = a[i] + c * b[i] }
    }

    /// s = x − x0, y = f0 − f; returns s·y.
    @usableFromInline
    static func pair(s: UnsafeMutablePointer<SIMD3<Double>>, y: UnsafeMutablePointer<SIMD3<Double>>,
                     x: UnsafePointer<SIMD3<Double>>, x0: UnsafePointer<SIMD3<Double>>,
                     f: UnsafePointer<SIMD3<Double>>, f0: UnsafePointer<SIMD3<Double>>, _ n: Int) -> Double {
        var sy = 0.0
        for i in 0..<n {
            let si = x[i] - x0[i], yi = f0[i] - f[i]
            s[i] = si
            y[i] = yi
            sy += si.x * yi.x
            sy += si.y * yi.y
            sy += si.z * yi.z
        }
        return sy
    }
}
