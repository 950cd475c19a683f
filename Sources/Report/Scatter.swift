/// Points drawn as filled circles; points with a NaN coordinate are skipped.
public struct Scatter: Sendable {
    /// Abscissae, data units.
    public var x: [Double]
    /// Ordinates, data units (count = x.count).
    public var y: [Double]
    /// Legend text; nil keeps the points out of the legend.
    public var label: String?
    /// Fill colour; nil takes the panel's next colour from `Color.cycle`.
    public var color: Color?
    /// Circle radius, px.
    public var radius: Double
    /// Fill opacity in [0, 1] (below 1 shows overlapping points).
    public var opacity: Double

    /// Points (x[i], y[i]) (equal counts).
    public init(x: [Double], y: [Double], label: String? = nil, color: Color? = nil, radius: Double = 2.5,
                opacity: Double = 0.8) {
        precondition(x.count == y.count, "Scatter: x has \(x.count) values, y has \(y.count)")
        self.x = x
        self.y = y
        self.label = label
        self.color = color
        self.radius = radius
        self.opacity = opacity
    }
}
