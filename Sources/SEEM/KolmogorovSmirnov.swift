import MDCore

/// The two-sample Kolmogorov–Smirnov statistic D = sup_x |F_a(x) − F_b(x)| of two empirical
/// distributions, and its percentile bootstrap over *samples*: values come in clusters (the stress drops
/// of one glass sample and of the SEEM runs started from it), correlated within a cluster, so a replica
/// draws whole clusters with replacement and each drawn cluster brings both its a- and its b-values.
///
/// One scan does both: the values of both sides are sorted once into counts per cell and cluster
/// (`Pooled`); a replica weights each count by its cluster's multiplicity and walks the cells, comparing
/// the two weighted ECDFs after every cell. Counts are integers and the draws come from one seeded
/// stream, so the bits are fixed. O(N log N) once, then O(min(N, clusters × cells) + clusters) per replica.
public enum KolmogorovSmirnov {
    /// D with a bootstrap interval; NaN where a side has no values.
    public struct Interval: Sendable, Equatable {
        public var d: Double
        public var low: Double
        public var high: Double
        /// Replicas drawn, and those with values on both sides (the interval is over these).
        public var replicas: Int
        public var usedReplicas: Int

        public static let none = Interval(d: .nan, low: .nan, high: .nan, replicas: 0, usedReplicas: 0)
    }

    /// D of two plain samples (NaN if either is empty). Non-finite values are ignored.
    public static func statistic(_ a: [Double], _ b: [Double]) -> Double {
        Pooled(a: [a], b: [b]).statistic(weights: [1])
    }

    /// D of the pooled clusters and its percentile interval at `confidence` from `replicas` bootstrap
    /// draws over the clusters, from `SeededRandom(seed:, stream:)`. `a[i]`, `b[i]`: cluster i's values.
    public static func bootstrap(a: [[Double]], b: [[Double]], replicas: Int, confidence: Double = 0.95,
                                 seed: UInt64, stream: [UInt64]) -> Interval {
        precondition(a.count == b.count && replicas >= 0 && confidence > 0 && confidence < 1)
        let pooled = Pooled(a: a, b: b)
        let n = a.count
        let d = pooled.statistic(weights: [Int](repeating: 1, count: n))
        guard d.isFinite else { return .none }
        var rng = SeededRandom(seed: seed, stream: stream)
        var weights = [Int](repeating: 0, count: n)
        var ds: [Double] = []
        ds.reserveCapacity(replicas)
        for _ in 0..<replicas {
            for i in 0..<n { weights[i] = 0 }
            for _ in 0..<n { weights[min(Int(rng.uniform() * Double(n)), n - 1)] += 1 }
            let r = pooled.statistic(weights: weights)
            if r.isFinite { ds.append(r) }
        }
        ds.sort()
        let tail = (1 - confidence) / 2
        return Interval(d: d, low: quantile(sorted: ds, tail), high: quantile(sorted: ds, 1 - tail),
                        replicas: replicas, usedReplicas: ds.count)
    }

    /// Quantile p of sorted values, linear between order statistics (Hyndman–Fan type 7); NaN if empty.
    public static func quantile(sorted x: [Double], _ p: Double) -> Double {
        quantile(sorted: x.span, p)
    }

    static func quantile(sorted x: Span<Double>, _ p: Double) -> Double {
        guard !x.isEmpty else { return .nan }
        let h = Double(x.count - 1) * p
        let lo = Int(h), hi = min(lo + 1, x.count - 1)
        return x[lo] + (h - Double(lo)) * (x[hi] - x[lo])
    }

    /// Both sides' finite values as counts per (cell, cluster), in cell order. The cells cut the line at
    /// the distinct values r_0 < … < r_{m−1} of the side with fewer values: cell 2j is the open interval
    /// (r_{j−1}, r_j), cell 2j + 1 the point r_j, cell 2m the values above r_{m−1}. On each cell that side's
    /// ECDF is constant and the other's only grows, so |F_a − F_b| after each whole cell gives the same
    /// supremum as after each value, and values sharing a cell and a cluster are counted together:
    /// a replica walks at most min(values, clusters × cells) entries.
    struct Pooled {
        var cell: [Int] = []
        var cluster: [Int] = []
        var a: [Int] = [], b: [Int] = []
        /// Values per cluster on each side.
        var countA: [Int], countB: [Int]

        init(a xa: [[Double]], b xb: [[Double]]) {
            countA = xa.map { $0.reduce(0) { $0 + ($1.isFinite ? 1 : 0) } }
            countB = xb.map { $0.reduce(0) { $0 + ($1.isFinite ? 1 : 0) } }
            let reference = countA.reduce(0, +) <= countB.reduce(0, +) ? xa : xb
            var r = reference.flatMap { $0.filter(\.isFinite) }
            r.sort()
            var cuts: [Double] = []
            for x in r where cuts.last != x { cuts.append(x) }
            func cellOf(_ v: Double) -> Int {
                var lo = 0, hi = cuts.count  // first cut ≥ v
                while lo < hi { let mid = (lo + hi) / 2; if cuts[mid] < v { lo = mid + 1 } else { hi = mid } }
                return lo < cuts.count && cuts[lo] == v ? 2 * lo + 1 : 2 * lo
            }
            var entries: [(cell: Int, cluster: Int, isB: Bool)] = []
            for (i, xs) in xa.enumerated() { for x in xs where x.isFinite { entries.append((cellOf(x), i, false)) } }
            for (i, xs) in xb.enumerated() { for x in xs where x.isFinite { entries.append((cellOf(x), i, true)) } }
            entries.sort { ($0.cell, $0.cluster) < ($1.cell, $1.cluster) }
            for e in entries {
                if cell.last != e.cell || cluster.last != e.cluster { cell.append(e.cell); cluster.append(e.cluster); a.append(0); b.append(0) }
                if e.isB { b[b.count - 1] += 1 } else { a[a.count - 1] += 1 }
            }
        }

        /// sup |F_a − F_b| with every value of cluster i counted `weights[i]` times; NaN if a side is empty.
        func statistic(weights: [Int]) -> Double {
            var totalA = 0, totalB = 0
            for i in weights.indices { totalA += weights[i] * countA[i]; totalB += weights[i] * countB[i] }
            guard totalA > 0, totalB > 0 else { return .nan }
            let na = Double(totalA), nb = Double(totalB)
            var ca = 0, cb = 0, d = 0.0, k = 0
            let n = cell.count
            while k < n {
                let c = cell[k]
                repeat {
                    let w = weights[cluster[k]]
                    ca += w * a[k]; cb += w * b[k]
                    k += 1
                } while k < n && cell[k] == c
                d = max(d, abs(Double(ca) / na - Double(cb) / nb))
            }
            return d
        }
    }
}
