/// Mean and spread of trajectories on a common output grid: per value (output point × variable) the
/// count, mean and sum of squared deviations M2, accumulated by Welford's update and merged by Chan
/// et al.'s pairwise formula. Both are applied in a fixed order by the callers, so the bits do not
/// depend on how work was spread over threads.
public struct TrajectoryMoments: Sendable, Equatable {
    /// Trajectories added.
    public private(set) var count: Int
    /// Per value: mean, and M2 = Σ(x − mean)².
    public private(set) var mean: [Double]
    public private(set) var m2: [Double]

    /// Empty moments for trajectories of `size` values.
    public init(size: Int) {
        count = 0
        mean = [Double](repeating: 0, count: size)
        m2 = [Double](repeating: 0, count: size)
    }

    /// Moments of one set of values (count 1).
    public init(single values: [Double]) {
        count = 1; mean = values; m2 = [Double](repeating: 0, count: values.count)
    }

    /// Adds one trajectory (Welford). O(size), no allocation.
    public mutating func add(_ x: Span<Double>) {
        precondition(x.count == mean.count)
        count += 1
        let n = Double(count)
        Self.welford(x, n: n, mean: &mean, m2: &m2)
    }

    private static func welford(_ x: Span<Double>, n: Double, mean: inout [Double], m2: inout [Double]) {
        var mu = mean.mutableSpan, m = m2.mutableSpan
        for i in 0..<x.count {
            let d = x[i] - mu[i]
            mu[i] += d / n
            m[i] += d * (x[i] - mu[i])
        }
    }

    /// Adds one trajectory (Welford). O(size), no allocation.
    public mutating func add(_ x: [Double]) { add(x.span) }

    /// Merges `other` into these moments (Chan, Golub & LeVeque 1979). O(size).
    public mutating func merge(_ other: TrajectoryMoments) {
        precondition(other.mean.count == mean.count)
        if other.count == 0 { return }
        if count == 0 { self = other; return }
        let na = Double(count), nb = Double(other.count), n = na + nb
        for i in 0..<mean.count {
            let d = other.mean[i] - mean[i]
            mean[i] += d * (nb / n)
            m2[i] += other.m2[i] + d * d * (na * nb / n)
        }
        count += other.count
    }

    /// Sample standard deviation per value (n − 1 in the denominator; 0 for a single trajectory).
    public var standardDeviation: [Double] {
        count < 2 ? [Double](repeating: 0, count: mean.count) : m2.map { ($0 / Double(count - 1)).squareRoot() }
    }
}
