/// Small summary statistics used by the fits (fixed summation order, so results are reproducible).
enum Statistics {
    /// Mean and its standard error s/√n (0 for one value). `xs` must not be empty.
    static func meanAndStandardError(_ xs: [Double]) -> Estimate {
        let n = Double(xs.count)
        var sum = 0.0
        for x in xs { sum += x }
        let mean = sum / n
        guard xs.count > 1 else { return Estimate(mean) }
        var ss = 0.0
        for x in xs { ss += (x - mean) * (x - mean) }
        return Estimate(mean, standardError: (ss / (n - 1) / n).squareRoot())
    }

    /// Mean and sample standard deviation (0 for one value). `xs` must not be empty.
    static func meanAndDeviation(_ xs: [Double]) -> (mean: Double, deviation: Double) {
        let e = meanAndStandardError(xs)
        return (e.value, e.standardError * Double(xs.count).squareRoot())
    }
}
