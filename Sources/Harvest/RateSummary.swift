import MDCore

/// The atomistic findings per cooling rate (paper Fig. 1): inherent-structure energy, the stress
/// overshoot and the steady flow stress, each as mean ± standard error over the rate's samples, and
/// the trends of energy and X1⁰ with the logarithm of the rate.
public struct RateSummary: Sendable, Equatable {
    /// One sample's numbers.
    public struct Sample: Sendable, Equatable {
        public var id: String
        public var coolingRate: Double?
        /// Unstrained inherent-structure energy u(0) and its stress-free value u(0) − Ωτ(0)²/2G, eV/atom.
        public var energy: Double
        public var stressFreeEnergy: Double
        /// X1 of the unstrained state, eV/atom; linear modulus at τ = 0, GPa.
        public var x1: Double
        public var modulus: Double
        /// Largest τ over the run (the overshoot) and its strain; mean τ over γ ≥ `steadyStateFrom`, GPa.
        public var peakStress: Double
        public var peakStrain: Double
        public var flowStress: Double
    }

    /// One cooling rate's means ± standard errors over its samples.
    public struct Rate: Sendable, Equatable {
        public var coolingRate: Double?
        public var samples: Int
        public var energy: Estimate
        public var stressFreeEnergy: Estimate
        public var x1: Estimate
        public var modulus: Estimate
        public var peakStress: Estimate
        public var peakStrain: Estimate
        public var flowStress: Estimate
    }

    /// A straight line y = a + b·log10(rate) through the samples, b ± its standard error (per decade).
    public struct Trend: Sendable, Equatable {
        public var intercept: Estimate
        public var perDecade: Estimate
        public var covariance: Double

        /// The line's value at `rate`, with its standard error.
        public func value(at rate: Double) -> Estimate {
            let x = log10(rate)
            let v = intercept.standardError * intercept.standardError + x * x * perDecade.standardError * perDecade.standardError
                + 2 * x * covariance
            return Estimate(intercept.value + perDecade.value * x, standardError: max(v, 0).squareRoot())
        }
    }

    public var steadyStateFrom: Double
    public var samples: [Sample]
    /// Rates in increasing order; samples without a recorded rate form one group last.
    public var rates: [Rate]
    /// Trends over the samples with a recorded rate (nil with fewer than two distinct rates).
    public var energyTrend: Trend?
    public var x1Trend: Trend?

    /// Summarises `histories` (X1 per state in `x1`, linear moduli in `moduli`); the flow stress averages τ
    /// over γ ≥ `steadyStateFrom` (a history that ends earlier has no flow stress: NaN).
    public init(histories: [ShearHistory], x1: [[Double]], moduli: [Double], steadyStateFrom: Double) {
        self.steadyStateFrom = steadyStateFrom
        let samples: [Sample] = histories.indices.map { i in
            let h = histories[i]
            var peak = -Double.infinity, peakAt = 0
            for k in 0..<h.count where h.stress[k] > peak { peak = h.stress[k]; peakAt = k }
            var sum = 0.0, n = 0
            for k in 0..<h.count where h.strain[k] >= steadyStateFrom - 1e-12 { sum += h.stress[k]; n += 1 }
            return Sample(id: h.sample, coolingRate: h.coolingRate, energy: h.energyPerAtom[0],
                          stressFreeEnergy: ReferenceEnergy.stressFreeEnergy(h, modulus: moduli[i]), x1: x1[i][0],
                          modulus: moduli[i], peakStress: peak, peakStrain: h.strain[peakAt],
                          flowStress: n > 0 ? sum / Double(n) : .nan)
        }
        self.samples = samples
        let known = Array(Set(samples.compactMap(\.coolingRate))).sorted()
        var groups: [[Sample]] = known.map { r in samples.filter { $0.coolingRate == r } }
        let unknown = samples.filter { $0.coolingRate == nil }
        if !unknown.isEmpty { groups.append(unknown) }
        let rates: [Rate] = groups.map { g in
            func stat(_ f: (Sample) -> Double) -> Estimate { Statistics.meanAndStandardError(g.map(f)) }
            return Rate(coolingRate: g[0].coolingRate, samples: g.count, energy: stat(\.energy),
                        stressFreeEnergy: stat(\.stressFreeEnergy), x1: stat(\.x1), modulus: stat(\.modulus),
                        peakStress: stat(\.peakStress), peakStrain: stat(\.peakStrain), flowStress: stat(\.flowStress))
        }
        self.rates = rates
        let withRate = samples.filter { $0.coolingRate != nil }
        func trend(_ f: (Sample) -> Double) -> Trend? {
            guard known.count >= 2 else { return nil }
            let x = withRate.map { log10($0.coolingRate!) }
            guard let fit = try? LeastSquares.fit(columns: [[Double](repeating: 1, count: x.count), x],
                                                  observations: withRate.map(f), names: ["intercept", "per decade"]) else { return nil }
            return Trend(intercept: fit.estimate(0), perDecade: fit.estimate(1), covariance: fit.covariance(0, 1))
        }
        energyTrend = trend(\.stressFreeEnergy)
        x1Trend = trend(\.x1)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
