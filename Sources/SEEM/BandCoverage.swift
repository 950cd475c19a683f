/// How often a reference curve lies inside the central band of an ensemble of model curves: at each
/// output point the band is [q_lower, q_upper] of the runs' values (type-7 quantiles), and the coverage
/// is the fraction of the reference's finite points inside it. For a calibrated stochastic model the
/// reference is one more draw from the same process, and the coverage of the 5–95 % band is ≈ 0.9.
public enum BandCoverage {
    /// The band of the validation: 5 % to 95 %.
    public static let lower = 0.05
    public static let upper = 0.95

    /// Coverage of `reference` (one value per point) by the band of `runs` (run after run, `points`
    /// values each). NaN without runs or without a finite reference point. O(runs·points·log runs).
    public static func fraction(runs: [Double], points: Int, reference: [Double],
                                lower: Double = lower, upper: Double = upper) -> Double {
        precondition(reference.count == points && points > 0 && runs.count % points == 0)
        let r = runs.count / points
        guard r > 0 else { return .nan }
        var column = [Double](repeating: 0, count: r)
        var inside = 0, compared = 0
        for j in 0..<points where reference[j].isFinite {
            for k in 0..<r { column[k] = runs[k * points + j] }
            column.sort()
            let sorted = column.span
            let (lo, hi) = (KolmogorovSmirnov.quantile(sorted: sorted, lower), KolmogorovSmirnov.quantile(sorted: sorted, upper))
            compared += 1
            if reference[j] >= lo && reference[j] <= hi { inside += 1 }
        }
        return compared == 0 ? .nan : Double(inside) / Double(compared)
    }
}
