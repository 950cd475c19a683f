/// A polyline through (x[i], y[i]). A NaN (or infinite) coordinate breaks the line there,
/// so gaps in the data show as gaps in the curve.
public struct LineSeries: Sendable {
    /// Abscissae, data units (count = y.count).
    public var x: [Double]
    /// Ordinates, data units.
    public var y: [Double]
    /// Legend text; nil keeps the series out of the legend.
    public var label: String?
    /// Stroke colour; nil takes the panel's next colour from `Color.cycle`.
    public var color: Color?
    /// Stroke width, px.
    public var width: Double
    /// Stroke pattern.
    public var dash: Dash

    /// A line through (x[i], y[i]) (equal counts).
    public init(x: [Double], y: [Double], label: String? = nil, color: Color? = nil, width: Double = 1.6,
                dash: Dash = .solid) {
        precondition(x.count == y.count, "LineSeries: x has \(x.count) values, y has \(y.count)")
        self.x = x
        self.y = y
        self.label = label
        self.color = color
        self.width = width
        self.dash = dash
    }
}
