/// The plot area of a panel in pixels and the data ranges it shows: maps data to pixels.
struct PlotFrame {
    /// Plot area, px, in the panel's coordinates (y grows downwards).
    var left: Double, top: Double, width: Double, height: Double
    /// Data ranges shown.
    var xLo: Double, xHi: Double, yLo: Double, yHi: Double

    var right: Double { left + width }
    var bottom: Double { top + height }
    /// Pixels per data unit.
    var xScale: Double { width / (xHi - xLo) }
    var yScale: Double { height / (yHi - yLo) }

    /// Pixel x of data x.
    func px(_ x: Double) -> Double { left + (x - xLo) * xScale }
    /// Pixel y of data y (up in data is up on screen).
    func py(_ y: Double) -> Double { bottom - (y - yLo) * yScale }
    /// Whether pixel (x, y) lies in the plot area.
    func contains(_ x: Double, _ y: Double) -> Bool { x >= left && x <= right && y >= top && y <= bottom }
}
