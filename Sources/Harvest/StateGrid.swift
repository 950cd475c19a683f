import MDCore

/// A regular grid over the state vector s = (τ, X1, …, XM): one axis per state variable, `bins`
/// equal bins between `min` and `max`. States outside the range fall in the edge bins. The flat bin
/// index is row-major with the first axis slowest: for axes (τ, X1), index = iτ·bins(X1) + iX1.
public struct StateGrid: Sendable, Equatable {
    /// One axis of the grid.
    public struct Axis: Sendable, Equatable {
        /// State variable name: "tau" (GPa) or "X1", "X2", … (eV/atom).
        public var variable: String
        public var min: Double
        public var max: Double
        public var bins: Int

        public init(variable: String, min: Double, max: Double, bins: Int) {
            self.variable = variable; self.min = min; self.max = max; self.bins = bins
        }

        /// Bin width.
        @inlinable public var width: Double { (max - min) / Double(bins) }

        /// The bin holding `x`, clamped to [0, bins − 1].
        @inlinable
        public func bin(_ x: Double) -> Int {
            let k = Int(((x - min) / (max - min) * Double(bins)).rounded(.down))
            return k < 0 ? 0 : (k >= bins ? bins - 1 : k)
        }

        /// Centre of bin `k`.
        @inlinable public func center(_ k: Int) -> Double { min + (Double(k) + 0.5) * width }
    }

    public var axes: [Axis]

    public init(axes: [Axis]) { self.axes = axes }

    /// Total number of bins.
    public var count: Int { axes.reduce(1) { $0 * $1.bins } }

    /// Flat index of the bin holding `state` (one value per axis, in axis order).
    @inlinable
    public func bin(_ state: Span<Double>) -> Int {
        var index = 0
        for a in 0..<axes.count { index = index * axes[a].bins + axes[a].bin(state[a]) }
        return index
    }

    /// Flat index of the bin holding `state`.
    public func bin(_ state: [Double]) -> Int { bin(state.span) }

    /// Per-axis indices of flat bin `index`.
    public func indices(_ index: Int) -> [Int] {
        var out = [Int](repeating: 0, count: axes.count)
        var r = index
        for a in stride(from: axes.count - 1, through: 0, by: -1) {
            out[a] = r % axes[a].bins
            r /= axes[a].bins
        }
        return out
    }

    /// Problems that make the grid unusable (empty range, non-finite bounds, no bins), as one message.
    public func problem() -> String? {
        for a in axes {
            if a.bins < 1 { return "axis \(a.variable): needs at least one bin (got \(a.bins))" }
            if !(a.min.isFinite && a.max.isFinite) { return "axis \(a.variable): range is not finite" }
            if !(a.max > a.min) { return "axis \(a.variable): empty range [\(roundTrip(a.min)), \(roundTrip(a.max))]" }
        }
        return axes.isEmpty ? "the grid has no axes" : nil
    }

    public var json: JSONValue {
        .array(axes.map { .object([("variable", .string($0.variable)), ("min", .number($0.min)),
                                   ("max", .number($0.max)), ("bins", .number($0.bins))]) })
    }

    public init(json: JSONValue, path: String, key: String = "grid") throws(InputError) {
        guard let elements = json.elements else {
            throw InputError(path: path, line: json.line, keyPath: key, reason: "must be an array of axes")
        }
        var axes: [Axis] = []
        for (k, e) in elements.enumerated() {
            guard let v = e["variable"]?.string, let lo = e["min"]?.double, let hi = e["max"]?.double,
                  let n = e["bins"]?.int else {
                throw InputError(path: path, line: e.line, keyPath: "\(key)[\(k)]",
                                 reason: "an axis needs variable (string), min, max (numbers) and bins (integer)")
            }
            axes.append(Axis(variable: v, min: lo, max: hi, bins: n))
        }
        self.init(axes: axes)
        if let p = problem() { throw InputError(path: path, line: json.line, keyPath: key, reason: p) }
    }
}
