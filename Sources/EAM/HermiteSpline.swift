/// The C¹ piecewise-cubic interpolant LAMMPS builds from an EAM table (not a natural spline).
///
/// For values f₁…fₙ on knots x_m = (m−1)Δ the slopes (per index unit) use five-point differences
/// inside and one-sided differences at the ends; each knot stores seven coefficients
///
///     c6 = f_m, c5 = s_m, c4 = 3(f_{m+1}−f_m) − 2s_m − s_{m+1}, c3 = s_m + s_{m+1} − 2(f_{m+1}−f_m)
///     c2 = c5/Δ, c1 = 2c4/Δ, c0 = 3c3/Δ
///
/// so that value(t) = ((c3 t + c4) t + c5) t + c6 and derivative(t) = (c0 t + c1) t + c2 (per unit x)
/// for t ∈ [0,1] in segment m. Evaluated in exactly this Horner order, results match LAMMPS bit for bit.
public enum HermiteSpline {
    /// Seven coefficients per knot, `[c0, c1, …, c6]` for knot 1, then knot 2, …
    public static func coefficients(_ f: [Double], delta: Double) -> [Double] {
        let n = f.count
        precondition(n >= 5, "a spline table needs at least 5 values")
        var s = [Double](repeating: 0, count: n)
        s[0] = f[1] - f[0]
        s[1] = 0.5 * (f[2] - f[0])
        s[n - 2] = 0.5 * (f[n - 1] - f[n - 3])
        s[n - 1] = f[n - 1] - f[n - 2]
        if n > 4 {
            for m in 2..<(n - 2) {
                s[m] = ((f[m - 2] - f[m + 2]) + 8.0 * (f[m + 1] - f[m - 1])) / 12.0
            }
        }
        var c = [Double](repeating: 0, count: 7 * n)
        for m in 0..<n {
            let k = 7 * m
            c[k + 6] = f[m]
            c[k + 5] = s[m]
            if m < n - 1 {
                c[k + 4] = 3.0 * (f[m + 1] - f[m]) - 2.0 * s[m] - s[m + 1]
                c[k + 3] = s[m] + s[m + 1] - 2.0 * (f[m + 1] - f[m])
            }
            c[k + 2] = c[k + 5] / delta
            c[k + 1] = 2.0 * c[k + 4] / delta
            c[k + 0] = 3.0 * c[k + 3] / delta
        }
        return c
    }
}
