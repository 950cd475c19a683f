import MDCore

/// The fixed point of the mean flow (paper Fig. 2d): the state (X1*, τ*) where the mean rates dτ/dγ and
/// dX1/dγ both vanish, "where rejuvenation and aging events balance such that the net stress drop per
/// unit strain precisely counters the elastic loading".
///
/// Near the attractor the mean flow is close to linear in the state, so each recorded step of the
/// steady state (γ ≥ `steadyStateFrom`) gives one noisy observation of it, ds/dγ ≈ (s_{k+1} − s_k)/Δγ,
/// and ds/dγ = a + B·(s − s̄) is fitted by least squares for both components; s* = s̄ − B⁻¹a. Steps
/// within one sample are correlated, so the uncertainty comes from a bootstrap over whole samples
/// (seeded, so it is reproducible).
public struct FixedPoint: Sendable, Equatable {
    public var x1: Estimate
    public var tau: Estimate
    /// Steps used, samples, bootstrap replicas that gave a fixed point (a singular B gives none).
    public var steps: Int
    public var samples: Int
    public var replicas: Int
    /// The linear flow's matrix B = ∂(dτ/dγ, dX1/dγ)/∂(τ, X1) of the full fit (row-major): both
    /// eigenvalues with negative real part make the point attracting.
    public var jacobian: [Double]

    public static let bootstrapReplicas = 200

    /// nil when there are no steady-state steps or the linear flow is singular.
    public static func estimate(histories: [ShearHistory], x1: [[Double]], steadyStateFrom: Double, seed: UInt64) -> FixedPoint? {
        // Per sample: rows (τ, X1, dτ/dγ, dX1/dγ) of its steady-state steps.
        let rows: [[(Double, Double, Double, Double)]] = histories.indices.map { i in
            let h = histories[i]
            var out: [(Double, Double, Double, Double)] = []
            for k in 0..<max(h.count - 1, 0) where h.strain[k] >= steadyStateFrom - 1e-12 {
                let dg = h.strain[k + 1] - h.strain[k]
                out.append((h.stress[k], x1[i][k], (h.stress[k + 1] - h.stress[k]) / dg, (x1[i][k + 1] - x1[i][k]) / dg))
            }
            return out
        }.filter { !$0.isEmpty }
        guard !rows.isEmpty, let full = solve(rows.indices.map { rows[$0] }) else { return nil }
        var rng = SeededRandom(seed: seed, stream: [0x6669_7865_6470_7400])  // "fixedpt"
        var taus: [Double] = [], xs: [Double] = []
        for _ in 0..<bootstrapReplicas {
            let pick = (0..<rows.count).map { _ in rows[Int(rng.uniform() * Double(rows.count))] }
            if let s = solve(pick) { taus.append(s.tau); xs.append(s.x1) }
        }
        func spread(_ v: [Double]) -> Double { v.count > 1 ? Statistics.meanAndDeviation(v).deviation : .nan }
        return FixedPoint(x1: Estimate(full.x1, standardError: spread(xs)), tau: Estimate(full.tau, standardError: spread(taus)),
                          steps: rows.reduce(0) { $0 + $1.count }, samples: rows.count, replicas: taus.count, jacobian: full.jacobian)
    }

    /// The fixed point of the linear flow fitted to the pooled rows.
    private static func solve(_ groups: [[(Double, Double, Double, Double)]]) -> (tau: Double, x1: Double, jacobian: [Double])? {
        var n = 0.0, mt = 0.0, mx = 0.0
        for g in groups { for r in g { n += 1; mt += r.0; mx += r.1 } }
        guard n > 3 else { return nil }
        mt /= n; mx /= n
        var dt: [Double] = [], dx: [Double] = [], one: [Double] = [], yt: [Double] = [], yx: [Double] = []
        for g in groups { for r in g { one.append(1); dt.append(r.0 - mt); dx.append(r.1 - mx); yt.append(r.2); yx.append(r.3) } }
        guard let ft = try? LeastSquares.fit(columns: [one, dt, dx], observations: yt, names: ["a_tau", "dtau/dtau", "dtau/dX1"]),
              let fx = try? LeastSquares.fit(columns: [one, dt, dx], observations: yx, names: ["a_X1", "dX1/dtau", "dX1/dX1"]) else { return nil }
        let a = [ft.solution[0], fx.solution[0]]
        let b = [ft.solution[1], ft.solution[2], fx.solution[1], fx.solution[2]]
        let det = b[0] * b[3] - b[1] * b[2]
        guard det != 0, det.isFinite else { return nil }
        // s* − s̄ = −B⁻¹a.
        let dT = -(b[3] * a[0] - b[1] * a[1]) / det
        let dX = -(-b[2] * a[0] + b[0] * a[1]) / det
        return (mt + dT, mx + dX, b)
    }
}
