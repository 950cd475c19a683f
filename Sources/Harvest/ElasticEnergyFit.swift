import MDCore

/// τ_A and τ_B of Eq. 7 from loading data.
///
/// Along a loading path without structural change X1 stays at its unstrained value X1⁰, so by Eqs. 5 and 7
/// the energy gained since the unstrained state k = 0 is
///   y_k ≡ u_k − u_0 − c·g·(τ_k² − τ_0²) = c·(τ_k⁴ − τ_0⁴)·(1/τ_A²) + c·(τ_k⁶ − τ_0⁶)·(1/τ_B⁴),
/// with c = Ω/(2G0) and g = 1/(1 − X1⁰/u_A): linear in p = 1/τ_A² and q = 1/τ_B⁴ once G0, u_A are known.
/// Working with differences from the unstrained state makes the fit independent of u0 and of the
/// second-order error of Eq. 8's X1 (which would otherwise enter y as an offset of the size of the τ_A term).
/// The data are either the ensemble-mean loading curve (`ensembleMean`, default, as the paper fits one
/// smooth curve: at each strain step the *rows* are averaged over the samples — each sample's y_k and
/// regressors — which is unbiased; averaging u and τ first and applying the nonlinear law to the means is
/// not: with residual stresses of ±0.4 GPa and moduli differing by 10 %, that biases 1/τ_A² by a factor ~2 in
/// the synthetic test) or every sample's rows (`allSamples`). τ_A = p^{−1/2}, τ_B = q^{−1/4}, errors by the
/// delta method; the errors of G0 and u_A are propagated with a finite-difference Jacobian of (p, q) with
/// respect to them. The OLS errors treat the rows as independent; successive states of a loading curve are
/// correlated, so they are lower bounds.
///
/// **Strain range.** Eq. 7 is an expansion of the elastic energy, so the data should be quasi-elastic. The
/// default upper strain is 95 % of the strain where the ensemble-mean stress peaks: before the peak the mean
/// response is dominated by elastic loading; at the peak dτ/dγ → 0 while u keeps rising through plastic events,
/// a vertical u(τ) that no polynomial in τ follows and that dominates the fit by its leverage.
///
/// **On twelve 256-atom Cu64Zr36 glasses** (AQS to γ = 0.3; six of them, cut to γ ≤ 0.06, are
/// Tests/HarvestTests/Fixtures/aqs-256) the τ⁴ and τ⁶ columns are nearly collinear over the loading
/// range and plasticity contributes to the energy: for every upper strain from 0.05 to 0.11 one of p, q comes
/// out negative (mean rows: p < 0, q ≈ 0.014–0.027 GPa⁻⁴; all rows: q < 0, p ≈ 0.07–0.14 GPa⁻²). A fit that
/// gives p ≤ 0 or q ≤ 0 is refused; then one of them must be fixed (`HarvestSettings.fixed`) — the paper
/// fitted them to a 400 000-atom loading curve for this reason.
public enum ElasticEnergyFit {
    public struct Result: Sendable, Equatable {
        /// 1/τ_A² (GPa⁻²) and 1/τ_B⁴ (GPa⁻⁴), fitted or from the fixed values.
        public var inverseTauA2: Estimate
        public var inverseTauB4: Estimate
        public var tauA: Estimate
        public var tauB: Estimate
        /// Largest strain used and number of fitted rows.
        public var maxStrain: Double
        public var points: Int
        /// Residual standard deviation of y, eV/atom.
        public var residualDeviation: Double
    }

    /// The default largest strain: 95 % of the strain of the ensemble-mean stress peak over the first
    /// `steps` states of `histories`. nil when the peak is at one of the first 4 states.
    public static func autoMaxStrain(histories: [ShearHistory]) -> Double? {
        let steps = histories.map { $0.count }.min() ?? 0
        guard steps > 0 else { return nil }
        var best = -Double.infinity, kPeak = 0
        for k in 0..<steps {
            var s = 0.0
            for h in histories { s += h.stress[k] }
            if s > best { best = s; kPeak = k }
        }
        let k = Int((0.95 * Double(kPeak)).rounded(.down))
        return k >= 4 ? histories[0].strain[k] : nil
    }

    /// One route's free fit of both τ's, or why it refused.
    public struct Route: Sendable, Equatable {
        public var data: HarvestSettings.ElasticFitData
        /// Which training samples (nil for the large system).
        public var samples: HarvestSettings.ElasticFitSamples?
        public var result: Result?
        public var refusal: String?
    }

    /// Where a loading curve's linear modulus G (the first term of Eq. 7, G0/G) comes from.
    public enum Modulus: Sendable, Equatable {
        /// The softening law G = G0·(1 − X1⁰/u_A) at the curve's unstrained X1⁰ (eV/atom).
        case law(x1: Double)
        /// The curve's own measured modulus, GPa (a large system outside the ensemble the law was fitted to).
        case measured(Double)

        /// G/G0.
        func relative(G0: Double, uA: Double) -> Double {
            switch self {
            case .law(let x1): return 1 - x1 / uA
            case .measured(let g): return g / G0
            }
        }
    }

    /// Fits p, q (or the free one of them) to the loading states with γ ≤ `maxStrain`. `moduli[i]` gives
    /// history i's linear modulus; `parameters` supplies u0, Ω, G0, u_A (and their errors);
    /// `covarianceG0uA` is their covariance. `elastic[i][k]` says whether step k → k+1 of history i is
    /// elastic (needed by `.elasticBranches` only).
    public static func fit(histories: [ShearHistory], moduli: [Modulus], parameters: ModelParameters,
                           covarianceG0uA: Double, data: HarvestSettings.ElasticFitData, maxStrain: Double,
                           fixedTauA: Double?, fixedTauB: Double?, elastic: [[Bool]]? = nil) throws(LeastSquares.Refusal) -> Result {
        let base = try solve(histories: histories, moduli: moduli, G0: parameters.G0.value, uA: parameters.uA.value,
                             u0: parameters.u0.value, omega: parameters.omega.value, data: data, maxStrain: maxStrain,
                             fixedTauA: fixedTauA, fixedTauB: fixedTauB, elastic: elastic)
        let free = base.fit.map { $0.solution.count } ?? 0
        var cov = [Double](repeating: 0, count: free * free)
        if let fit = base.fit { cov = fit.covariance }
        // Propagate the errors of G0 and u_A: Cov += J·Σ·Jᵀ with J = ∂(p, q)/∂(G0, u_A).
        if free > 0 {
            let sG = parameters.G0.standardError, sU = parameters.uA.standardError
            var jac = [[Double]](repeating: [0, 0], count: free)
            for (j, (value, sigma)) in [(parameters.G0.value, sG), (parameters.uA.value, sU)].enumerated() where sigma > 0 {
                let h = 1e-4 * abs(value)
                var g0 = parameters.G0.value, ua = parameters.uA.value
                if j == 0 { g0 += h } else { ua += h }
                let plus = try solve(histories: histories, moduli: moduli, G0: g0, uA: ua, u0: parameters.u0.value,
                                     omega: parameters.omega.value, data: data, maxStrain: maxStrain,
                                     fixedTauA: fixedTauA, fixedTauB: fixedTauB, elastic: elastic)
                if j == 0 { g0 -= 2 * h } else { ua -= 2 * h }
                let minus = try solve(histories: histories, moduli: moduli, G0: g0, uA: ua, u0: parameters.u0.value,
                                      omega: parameters.omega.value, data: data, maxStrain: maxStrain,
                                      fixedTauA: fixedTauA, fixedTauB: fixedTauB, elastic: elastic)
                for r in 0..<free { jac[r][j] = (plus.fit!.solution[r] - minus.fit!.solution[r]) / (2 * h) }
            }
            let sigma = [[sG * sG, covarianceG0uA], [covarianceG0uA, sU * sU]]
            for r in 0..<free {
                for s in 0..<free {
                    var add = 0.0
                    for a in 0..<2 { for b in 0..<2 { add += jac[r][a] * sigma[a][b] * jac[s][b] } }
                    cov[r * free + s] += add
                }
            }
        }
        var p = Estimate(fixedTauA.map { 1 / ($0 * $0) } ?? 0), q = Estimate(fixedTauB.map { 1 / ($0 * $0 * $0 * $0) } ?? 0)
        var slot = 0
        if fixedTauA == nil { p = Estimate(base.fit!.solution[slot], standardError: cov[slot * free + slot].squareRoot()); slot += 1 }
        if fixedTauB == nil { q = Estimate(base.fit!.solution[slot], standardError: cov[slot * free + slot].squareRoot()) }
        func refuse(_ name: String, _ e: Estimate, _ what: String) -> LeastSquares.Refusal {
            LeastSquares.Refusal(parameters: [name], reason: "the loading data up to γ = \(roundTrip(maxStrain)) give \(what) = \(String(format3(e.value))) ± \(String(format3(e.standardError))) ≤ 0, so \(name) is not a positive stress")
        }
        if fixedTauA == nil && !(p.value > 0) { throw refuse("tauA", p, "1/tauA² (GPa⁻²)") }
        if fixedTauB == nil && !(q.value > 0) { throw refuse("tauB", q, "1/tauB⁴ (GPa⁻⁴)") }
        let tauA = fixedTauA.map { Estimate($0) }
            ?? Estimate(1 / p.value.squareRoot(), standardError: 0.5 * p.standardError / (p.value * p.value.squareRoot()))
        let tauB = fixedTauB.map { Estimate($0) }
            ?? Estimate(1 / q.value.squareRoot().squareRoot(), standardError: 0.25 * q.standardError / (q.value * q.value.squareRoot().squareRoot()))
        return Result(inverseTauA2: p, inverseTauB4: q, tauA: tauA, tauB: tauB, maxStrain: maxStrain,
                      points: base.rows, residualDeviation: base.residualDeviation)
    }

    private static func format3(_ x: Double) -> String {
        let s = (x * 1e4).rounded() / 1e4
        return roundTrip(s)
    }

    /// One least-squares solve for given G0, u_A. `fit` is nil when both τ's are fixed.
    private static func solve(histories: [ShearHistory], moduli: [Modulus], G0: Double, uA: Double, u0: Double,
                              omega: Double, data: HarvestSettings.ElasticFitData, maxStrain: Double,
                              fixedTauA: Double?, fixedTauB: Double?, elastic: [[Bool]]?) throws(LeastSquares.Refusal)
        -> (fit: LeastSquares?, rows: Int, residualDeviation: Double) {
        let c = omega / (2 * G0 * Units.evPerA3ToGPa)
        let pFixed = fixedTauA.map { 1 / ($0 * $0) }, qFixed = fixedTauB.map { 1 / ($0 * $0 * $0 * $0) }
        let limit = maxStrain * (1 + 1e-9)
        let steps = histories.map { h in
            var n = 0
            while n < h.count && h.strain[n] <= limit { n += 1 }
            return n
        }.min() ?? 0
        _ = u0
        // Row k of sample i: (y, c·(τ⁴ − τ0⁴), c·(τ⁶ − τ0⁶)), fixed terms moved to y.
        func row(_ h: ShearHistory, _ k: Int, modulus: Modulus) -> (Double, Double, Double) {
            let t2 = h.stress[k] * h.stress[k], s2 = h.stress[0] * h.stress[0]
            let a = c * (t2 * t2 - s2 * s2), b = c * (t2 * t2 * t2 - s2 * s2 * s2)
            var v = h.energyPerAtom[k] - h.energyPerAtom[0] - c * (t2 - s2) / modulus.relative(G0: G0, uA: uA)
            if let p = pFixed { v -= a * p }
            if let q = qFixed { v -= b * q }
            return (v, a, b)
        }
        var y: [Double] = [], t4: [Double] = [], t6: [Double] = []
        switch data {
        case .ensembleMean:
            let w = 1 / Double(histories.count)
            for k in 0..<steps {
                var v = 0.0, a = 0.0, b = 0.0
                for (i, h) in histories.enumerated() {
                    let r = row(h, k, modulus: moduli[i])
                    v += r.0; a += r.1; b += r.2
                }
                y.append(v * w); t4.append(a * w); t6.append(b * w)
            }
        case .elasticBranches:
            // One row per elastic step: the increment of each cumulative quantity over the step.
            for (i, h) in histories.enumerated() {
                guard steps > 1 else { break }
                var last = row(h, 0, modulus: moduli[i])
                for k in 0..<(steps - 1) {
                    let next = row(h, k + 1, modulus: moduli[i])
                    if elastic?[i][k] ?? true {
                        y.append(next.0 - last.0); t4.append(next.1 - last.1); t6.append(next.2 - last.2)
                    }
                    last = next
                }
            }
        case .allSamples, .largeSystem:
            for (i, h) in histories.enumerated() {
                for k in 0..<steps {
                    let r = row(h, k, modulus: moduli[i])
                    y.append(r.0); t4.append(r.1); t6.append(r.2)
                }
            }
        }
        var columns: [[Double]] = [], names: [String] = []
        if pFixed == nil { columns.append(t4); names.append("tauA") }
        if qFixed == nil { columns.append(t6); names.append("tauB") }
        guard !columns.isEmpty else {
            var s = 0.0
            for v in y { s += v * v }
            return (nil, y.count, y.isEmpty ? 0 : (s / Double(y.count)).squareRoot())
        }
        let fit = try LeastSquares.fit(columns: columns, observations: y, names: names)
        return (fit, y.count, fit.residualVariance.squareRoot())
    }
}
