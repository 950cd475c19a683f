/// A shaded band between lower[i] and upper[i] over x[i], e.g. mean ± standard deviation.
/// A NaN anywhere in a point breaks the band there.
public struct Band: Sendable {
    /// Abscissae, data units.
    public var x: [Double]
    /// Lower edge, data units (count = x.count).
    public var lower: [Double]
    /// Upper edge, data units (count = x.count).
    public var upper: [Double]
    /// Legend text; nil keeps the band out of the legend.
    public var label: String?
    /// Fill colour; nil takes the panel's next colour from `Color.cycle`.
    public var color: Color?
    /// Fill opacity in [0, 1].
    public var opacity: Double

    /// The band between `lower` and `upper` over `x` (equal counts).
    public init(x: [Double], lower: [Double], upper: [Double], label: String? = nil, color: Color? = nil,
                opacity: Double = 0.25) {
        precondition(x.count == lower.count && x.count == upper.count,
                     "Band: x, lower, upper have \(x.count), \(lower.count), \(upper.count) values")
        self.x = x
        self.lower = lower
        self.upper = upper
        self.label = label
        self.color = color
        self.opacity = opacity
    }

    /// The band mean ± k·std (k = 1 by default).
    public init(x: [Double], mean: [Double], std: [Double], k: Double = 1, label: String? = nil,
                color: Color? = nil, opacity: Double = 0.25) {
        precondition(x.count == mean.count && x.count == std.count,
                     "Band: x, mean, std have \(x.count), \(mean.count), \(std.count) values")
        self.init(x: x, lower: zip(mean, std).map { $0 - k * $1 }, upper: zip(mean, std).map { $0 + k * $1 },
                  label: label, color: color, opacity: opacity)
    }
}
