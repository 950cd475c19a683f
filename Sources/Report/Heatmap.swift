/// Values on a rectangular grid of bins, drawn as coloured cells with a colorbar.
///
/// Cell (i, j) spans [xEdges[i], xEdges[i+1]) × [yEdges[j], yEdges[j+1]) and holds
/// `values[j * nx + i]` (row-major, one row per y bin, nx = xEdges.count − 1). NaN marks a cell
/// with no data (an unvisited state), drawn in `missingColor`, or left blank when that is nil.
public struct Heatmap: Sendable {
    /// Bin edges along x, increasing, data units (nx + 1 values).
    public var xEdges: [Double]
    /// Bin edges along y, increasing, data units (ny + 1 values).
    public var yEdges: [Double]
    /// nx × ny values, row-major by y bin (see the type's documentation).
    public var values: [Double]
    /// Colormap, range, log scale and colorbar title.
    public var scale: ColorScale
    /// Colour for NaN cells; nil leaves them blank.
    public var missingColor: Color?
    /// Draw a colorbar to the right of the panel.
    public var showsColorbar: Bool

    /// Number of bins along x.
    public var nx: Int { xEdges.count - 1 }
    /// Number of bins along y.
    public var ny: Int { yEdges.count - 1 }

    /// A heatmap of `values` (row-major by y bin) on the grid `xEdges` × `yEdges`.
    public init(xEdges: [Double], yEdges: [Double], values: [Double], scale: ColorScale,
                missingColor: Color? = .lightGray, showsColorbar: Bool = true) {
        precondition(xEdges.count >= 2 && yEdges.count >= 2, "Heatmap: need at least one bin along x and y")
        precondition(values.count == (xEdges.count - 1) * (yEdges.count - 1),
                     "Heatmap: \(xEdges.count - 1)×\(yEdges.count - 1) bins need that many values, got \(values.count)")
        self.xEdges = xEdges
        self.yEdges = yEdges
        self.values = values
        self.scale = scale
        self.missingColor = missingColor
        self.showsColorbar = showsColorbar
    }

    /// A heatmap whose cell (i, j) holds `value(i, j)` (i along x, j along y).
    public init(xEdges: [Double], yEdges: [Double], scale: ColorScale, missingColor: Color? = .lightGray,
                showsColorbar: Bool = true, value: (_ i: Int, _ j: Int) -> Double) {
        let nx = xEdges.count - 1, ny = yEdges.count - 1
        precondition(nx >= 1 && ny >= 1, "Heatmap: need at least one bin along x and y")
        var v: [Double] = []
        v.reserveCapacity(nx * ny)
        for j in 0..<ny { for i in 0..<nx { v.append(value(i, j)) } }
        self.init(xEdges: xEdges, yEdges: yEdges, values: v, scale: scale, missingColor: missingColor,
                  showsColorbar: showsColorbar)
    }

    /// The value of cell (i, j).
    public subscript(i: Int, j: Int) -> Double { values[j * nx + i] }

    /// `count` + 1 evenly spaced edges from `lo` to `hi` (endpoints exact).
    public static func edges(from lo: Double, to hi: Double, count: Int) -> [Double] {
        precondition(count >= 1, "need at least one bin")
        return (0...count).map { k in k == count ? hi : lo + (hi - lo) * Double(k) / Double(count) }
    }
}
