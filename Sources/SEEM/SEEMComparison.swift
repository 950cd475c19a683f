import MDCore

/// SEEM ensembles against the AQS histories they were harvested from (paper Figs. 4–5): per sample,
/// and per cooling rate × split ("train", "test", and "all" when both exist and share no sample). The
/// held-out ("test") samples were not used to build their database, so their metrics are the honest
/// measure of the model; under cross-validation every sample has a "test" ensemble (from the database of
/// the folds it is not in) besides its "train" one, and the test groups pool all folds. Groups also carry
/// the distribution checks of `SEEMValidation`.
public struct SEEMComparison: Sendable, Equatable {
    public var steadyStateFrom: Double
    /// One per sample ensemble, in the ensemble order.
    public var perSample: [SEEMGroupComparison]
    /// Cooling rates ascending (samples without one last), then train, test, all.
    public var groups: [SEEMGroupComparison]

    /// Compares `result` with `curves` (one per ensemble, same order and output grid); `seed` drives the
    /// validation's bootstrap.
    public init(result: SEEMEnsembleResult, curves: [AQSCurve], steadyStateFrom: Double, seed: UInt64 = 1) {
        precondition(curves.count == result.samples.count)
        self.steadyStateFrom = steadyStateFrom
        perSample = zip(result.samples, curves).map { e, c in
            Self.compare([e], [c], result: result, split: e.split, coolingRate: e.coolingRate, from: steadyStateFrom)
        }
        var rates: [Double?] = []
        for s in result.samples where !rates.contains(where: { $0 == s.coolingRate }) { rates.append(s.coolingRate) }
        rates.sort { a, b in
            switch (a, b) {
            case let (x?, y?): return x < y
            case (_?, nil): return true
            default: return false
            }
        }
        var out: [SEEMGroupComparison] = []
        for rate in rates {
            let members = result.samples.indices.filter { result.samples[$0].coolingRate == rate }
            let splits = ["train", "test"].filter { sp in members.contains { result.samples[$0].split == sp } }
            let ids = splits.map { sp in Set(members.filter { result.samples[$0].split == sp }.map { result.samples[$0].id }) }
            let disjoint = splits.count > 1 && ids[0].isDisjoint(with: ids[1])
            for sp in splits + (disjoint ? ["all"] : []) {
                let m = members.filter { sp == "all" || result.samples[$0].split == sp }
                var g = Self.compare(m.map { result.samples[$0] }, m.map { curves[$0] }, result: result, split: sp,
                                     coolingRate: rate, from: steadyStateFrom)
                g.validation = SEEMValidation(ensembles: m.map { result.samples[$0] }, curves: m.map { curves[$0] },
                                              coolingRate: rate, split: sp, seed: seed)
                out.append(g)
            }
        }
        groups = out
    }

    /// Pools ensembles and curves of one group and computes its curves and metrics.
    static func compare(_ ensembles: [SEEMSampleEnsemble], _ curves: [AQSCurve], result: SEEMEnsembleResult,
                        split: String, coolingRate: Double?, from: Double) -> SEEMGroupComparison {
        let nv = result.variables.count, np = result.outputStrain.count
        let hasX1 = nv >= 2
        var pooled = TrajectoryMoments(size: np * nv)
        for e in ensembles { pooled.merge(e.moments) }
        let std = pooled.standardDeviation
        let nan = [Double](repeating: .nan, count: np)
        let seemTau = (0..<np).map { pooled.mean[$0 * nv] }, seemTauStd = (0..<np).map { std[$0 * nv] }
        let seemX1 = hasX1 ? (0..<np).map { pooled.mean[$0 * nv + 1] } : nan
        let seemX1Std = hasX1 ? (0..<np).map { std[$0 * nv + 1] } : nan

        func meanStd(_ rows: [[Double]]) -> ([Double], [Double]) {
            var m = [Double](repeating: 0, count: np), s = [Double](repeating: .nan, count: np)
            for j in 0..<np {
                let xs = rows.map { $0[j] }
                let mu = xs.reduce(0, +) / Double(xs.count)
                m[j] = mu
                if xs.count > 1 { s[j] = (xs.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / Double(xs.count - 1)).squareRoot() }
            }
            return (m, s)
        }
        let (aqsTau, aqsTauStd) = meanStd(curves.map(\.tau))
        let (aqsX1raw, aqsX1Std) = meanStd(curves.map(\.x1))
        let aqsX1 = hasX1 ? aqsX1raw : nan

        var m = SEEMMetrics()
        m.steadyStateFrom = from
        let compared = (0..<np).filter { aqsTau[$0].isFinite }
        m.comparedPoints = compared.count
        let steady = compared.filter { result.outputStrain[$0] >= from - 1e-12 }
        func mean(_ xs: [Double], _ idx: [Int]) -> Double { idx.isEmpty ? .nan : idx.reduce(0) { $0 + xs[$1] } / Double(idx.count) }
        func rms(_ a: [Double], _ b: [Double]) -> Double {
            compared.isEmpty ? .nan : (compared.reduce(0) { $0 + (a[$1] - b[$1]) * (a[$1] - b[$1]) } / Double(compared.count)).squareRoot()
        }
        m.flowStressAQS = mean(aqsTau, steady); m.flowStressSEEM = mean(seemTau, steady)
        m.rmsTau = rms(seemTau, aqsTau); m.rmsTauRelative = m.rmsTau / m.flowStressAQS
        if hasX1 {
            m.steadyX1AQS = mean(aqsX1, steady); m.steadyX1SEEM = mean(seemX1, steady)
            m.rmsX1 = rms(seemX1, aqsX1)
            let xs = compared.map { aqsX1[$0] }
            if let lo = xs.min(), let hi = xs.max() { m.x1RangeAQS = hi - lo }
            m.rmsX1Relative = m.rmsX1 / m.x1RangeAQS
        }
        m.peakMeanCurveSEEM = seemTau.max() ?? .nan
        m.peakMeanCurveAQS = compared.map { aqsTau[$0] }.max() ?? .nan
        let runs = ensembles.reduce(0) { $0 + $1.runs }
        m.peakPerTrajectorySEEM = ensembles.reduce(0) { $0 + $1.counters.reduce(0) { $0 + $1.peakStress } } / Double(runs)
        m.peakPerTrajectoryAQS = curves.reduce(0) { $0 + $1.peakStress } / Double(curves.count)
        m.eventsPerRun = Double(ensembles.reduce(0) { $0 + $1.counters.reduce(0) { $0 + $1.events } }) / Double(runs)
        return SEEMGroupComparison(coolingRate: coolingRate, split: split, sampleIDs: ensembles.map(\.id), runs: runs,
                                   strain: result.outputStrain, seemTau: seemTau, seemTauStd: seemTauStd, seemX1: seemX1,
                                   seemX1Std: seemX1Std, aqsTau: aqsTau, aqsTauStd: aqsTauStd, aqsX1: aqsX1,
                                   aqsX1Std: aqsX1Std, metrics: m)
    }
}
