import MDCore

/// Linear shear moduli: per sample from the small-strain response, and their dependence on the
/// structural state, G = G0·(1 − X1/u_A) (paper Fig. S1).
public enum ModulusFit {
    /// One sample's linear modulus.
    public struct SampleModulus: Sendable, Equatable {
        /// dτ/dγ on the elastic branches with γ ≤ the modulus strain, GPa.
        public var G: Estimate
        /// Fitted stress at γ = 0 of the first branch (the residual shear stress), GPa.
        public var residualStress: Double
        /// States used and elastic branches (segments) they fall in.
        public var points: Int
        public var segments: Int
    }

    /// Fits τ̃_k = G·γ_k + c_b(k) to the states with γ_k ≤ `maxStrain`, one intercept c_b per elastic branch,
    /// where τ̃ is the stress made linear in γ by Eq. 6: along an elastic branch dγ/dτ = 1/G + (2τ²/τ_A² +
    /// 3τ⁴/τ_B⁴)/G0, so τ̃ = τ + (G/G0)·(⅔τ³/τ_A² + ⅗τ⁵/τ_B⁴) grows as G·γ exactly. G is then the modulus at
    /// τ = 0 whatever stress the branch starts from: glasses carry residual stresses up to ~1 GPa, where
    /// the τ_B term alone already softens the tangent by several per cent. `nonlinear` gives 1/τ_A²,
    /// 1/τ_B⁴ and the ratio G/G0 (from the previous pass of the self-consistent fit; zeros give the plain
    /// linear fit of the first pass).
    ///
    /// Choices: the intercept absorbs the residual shear stress of the unstrained glass (a plain
    /// proportional fit τ = Gγ would be biased by it). A plastic event inside the range starts a new
    /// branch (a new intercept), so its stress drop does not bias the slope — one 1.6e14 K/s sample of the
    /// small data set has two events below γ = 0.02 and a single straight line through it gives G < 0,
    /// while the branch fit gives 30.5 GPa. Branches are split at the steps flagged by `detector`'s energy
    /// criterion (it needs no model parameters). The error is the OLS standard error from the scatter about
    /// the branches (it ignores the slight curvature of the branches, so it is a lower bound).
    public static func sample(_ h: ShearHistory, maxStrain: Double, detector: EventDetector,
                              nonlinear: Nonlinearity = .none) throws(LeastSquares.Refusal) -> SampleModulus {
        let limit = maxStrain * (1 + 1e-9)
        var n = 0
        while n < h.count && h.strain[n] <= limit { n += 1 }
        var branch = [Int](repeating: 0, count: n)
        var branches = 1
        for k in 1..<max(n, 1) {
            if detector.isEnergyDrop(h, step: k - 1) { branches += 1 }
            branch[k] = branches - 1
        }
        var columns = [[Double]](repeating: [Double](repeating: 0, count: n), count: 1 + branches)
        for k in 0..<n {
            columns[0][k] = h.strain[k]
            columns[1 + branch[k]][k] = 1
        }
        let names = ["G of \(h.sample)"] + (0..<branches).map { "stress offset of branch \($0) of \(h.sample)" }
        let linearized = nonlinear == .none ? Array(h.stress[0..<n]) : h.stress[0..<n].map(nonlinear.linearized)
        let fit = try LeastSquares.fit(columns: columns, observations: linearized, names: names)
        return SampleModulus(G: fit.estimate(0), residualStress: fit.solution[1], points: n, segments: branches)
    }

    /// The nonlinear terms of Eq. 6 that `sample` takes out of a branch's stress.
    public struct Nonlinearity: Sendable, Equatable {
        /// 1/τ_A² (GPa⁻²), 1/τ_B⁴ (GPa⁻⁴) and the sample's G/G0.
        public var inverseTauA2: Double
        public var inverseTauB4: Double
        public var relativeModulus: Double
        public static let none = Nonlinearity(inverseTauA2: 0, inverseTauB4: 0, relativeModulus: 1)

        public init(inverseTauA2: Double, inverseTauB4: Double, relativeModulus: Double) {
            self.inverseTauA2 = inverseTauA2; self.inverseTauB4 = inverseTauB4; self.relativeModulus = relativeModulus
        }

        /// τ̃ = τ + (G/G0)·(⅔τ³/τ_A² + ⅗τ⁵/τ_B⁴).
        func linearized(_ tau: Double) -> Double {
            let t2 = tau * tau
            return tau + relativeModulus * tau * t2 * (2.0 / 3.0 * inverseTauA2 + 3.0 / 5.0 * inverseTauB4 * t2)
        }
    }

    /// The softening law G = G0·(1 − X1/u_A) fitted to (X1, G) pairs.
    public struct Softening: Sendable, Equatable {
        public var G0: Estimate
        public var uA: Estimate
        /// Covariance of (G0, u_A) (0 for a fixed parameter).
        public var covarianceG0uA: Double
        /// Residual standard deviation of G about the law, GPa.
        public var residualDeviation: Double
    }

    /// Fits G_i = G0 − (G0/u_A)·X1_i by ordinary least squares (the sample-to-sample scatter of G, a few
    /// GPa for small glasses, dwarfs each G's own fit error, so the points are not weighted), then
    /// u_A = G0/(G0/u_A) with the delta-method error. With `fixedG0` or `fixedUA` only the other is fitted.
    /// Errors in X1 are neglected. Refuses when the X1 do not vary (u_A undetermined) or there are too few
    /// samples.
    public static func softening(x1: [Double], moduli: [Double], fixedG0: Double?, fixedUA: Double?) throws(LeastSquares.Refusal) -> Softening {
        precondition(x1.count == moduli.count)
        switch (fixedG0, fixedUA) {
        case let (g0?, uA?):
            return Softening(G0: Estimate(g0), uA: Estimate(uA), covarianceG0uA: 0,
                             residualDeviation: deviation(zip(x1, moduli).map { $1 - g0 * (1 - $0 / uA) }))
        case let (g0?, nil):
            // G − G0 = c·(−G0·X1), c = 1/u_A.
            let fit = try LeastSquares.fit(columns: [x1.map { -g0 * $0 }], observations: moduli.map { $0 - g0 }, names: ["uA"])
            let c = fit.solution[0], sc = fit.standardError(0)
            guard c > 0 else { throw softeningRefusal(slope: -g0 * c, error: g0 * sc) }
            return Softening(G0: Estimate(g0), uA: Estimate(1 / c, standardError: sc / (c * c)), covarianceG0uA: 0,
                             residualDeviation: fit.residualVariance.squareRoot())
        case let (nil, uA?):
            let fit = try LeastSquares.fit(columns: [x1.map { 1 - $0 / uA }], observations: moduli, names: ["G0"])
            return Softening(G0: fit.estimate(0), uA: Estimate(uA), covarianceG0uA: 0,
                             residualDeviation: fit.residualVariance.squareRoot())
        case (nil, nil):
            let fit = try LeastSquares.fit(columns: [[Double](repeating: 1, count: x1.count), x1.map { -$0 }],
                                           observations: moduli, names: ["G0", "uA"])
            let a = fit.solution[0], b = fit.solution[1]
            let va = fit.covariance(0, 0), vb = fit.covariance(1, 1), cab = fit.covariance(0, 1)
            guard b > 0 else { throw softeningRefusal(slope: -b, error: fit.standardError(1)) }
            let uA = a / b
            // ∂u_A/∂a = 1/b, ∂u_A/∂b = −a/b².
            let vu = va / (b * b) + a * a * vb / (b * b * b * b) - 2 * a * cab / (b * b * b)
            let covGu = va / b - a * cab / (b * b)
            return Softening(G0: fit.estimate(0), uA: Estimate(uA, standardError: max(vu, 0).squareRoot()),
                             covarianceG0uA: covGu, residualDeviation: fit.residualVariance.squareRoot())
        }
    }

    /// u_A > 0 means G falls as X1 grows (the paper's Fig. S1); a fit that gives the opposite cannot
    /// define Eq. 7's softening, and SEEM would load faster the more disordered the glass is.
    private static func softeningRefusal(slope: Double, error: Double) -> LeastSquares.Refusal {
        LeastSquares.Refusal(parameters: ["uA"], reason: "the samples' moduli do not fall with X1 (dG/dX1 = \(roundTrip((slope * 10).rounded() / 10)) ± \(roundTrip((error * 10).rounded() / 10)) GPa per eV/atom ≥ 0), so u_A is not a positive energy")
    }

    private static func deviation(_ r: [Double]) -> Double {
        guard r.count > 1 else { return 0 }
        var s = 0.0
        for x in r { s += x * x }
        return (s / Double(r.count)).squareRoot()
    }
}
