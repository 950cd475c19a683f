/// Where a panel's legend goes.
public enum LegendPosition: Hashable, Sendable {
    /// The inside corner covering the fewest data points (upper right when tied).
    case best
    case upperRight, upperLeft, lowerRight, lowerLeft
    /// No legend.
    case hidden
}

/// One plot (subplot) of a figure: two linear axes and the layers drawn in them.
public struct Panel: Sendable {
    /// Title above the plot, or nil.
    public var title: String?
    /// Panel letter printed as "(a)" at the top left; `Figure` fills it in for multi-panel figures
    /// when nil. Also names the panel's CSV file ("fig2a.csv").
    public var letter: String?
    /// Horizontal axis.
    public var xAxis: Axis
    /// Vertical axis.
    public var yAxis: Axis
    /// Layers, drawn first to last.
    public var layers: [Layer]
    /// Legend placement (labelled layers only).
    public var legend: LegendPosition

    /// A panel with axes `x` and `y` and optional title, letter, legend placement and layers.
    public init(x: Axis, y: Axis, title: String? = nil, letter: String? = nil, legend: LegendPosition = .best,
                layers: [Layer] = []) {
        self.xAxis = x
        self.yAxis = y
        self.title = title
        self.letter = letter
        self.legend = legend
        self.layers = layers
    }

    /// Appends a layer (drawn above the earlier ones).
    public mutating func add(_ layer: Layer) { layers.append(layer) }
}
