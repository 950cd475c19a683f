/// An arrow field: an arrow (u, v) at each point (x, y), e.g. the mean flow (dX₁/dγ, dτ/dγ) at
/// grid-cell centres. Arrows are drawn in the plot's data directions and scaled together so
/// the longest is 90% of a cell (`cellWidth` × `cellHeight`); zero and NaN arrows are skipped.
public struct Quiver: Sendable {
    /// Arrow centres, data units.
    public var x: [Double]
    /// Arrow centres (y), data units.
    public var y: [Double]
    /// Arrow components in the units of the x and y quantity per unit of something (e.g. per strain).
    public var u: [Double]
    /// Arrow components along y.
    public var v: [Double]
    /// Grid spacing along x and y, data units: sets the longest arrow's length.
    public var cellWidth: Double
    /// Grid spacing along y, data units.
    public var cellHeight: Double
    /// Draw every arrow with the same length (direction field) instead of scaling by magnitude.
    public var normalized: Bool
    /// Arrow colour.
    public var color: Color
    /// Legend text.
    public var label: String?
    /// CSV column names for u and v with units, e.g. "dX1/dgamma [eV/atom]".
    public var componentNames: (u: String, v: String)

    /// Arrows (u[i], v[i]) centred at (x[i], y[i]) on a grid of `cellWidth` × `cellHeight` cells.
    public init(x: [Double], y: [Double], u: [Double], v: [Double], cellWidth: Double, cellHeight: Double,
                normalized: Bool = false, color: Color = .black, label: String? = nil,
                componentNames: (u: String, v: String) = ("u", "v")) {
        precondition(x.count == y.count && x.count == u.count && x.count == v.count,
                     "Quiver: x, y, u, v must have the same count")
        self.x = x
        self.y = y
        self.u = u
        self.v = v
        self.cellWidth = cellWidth
        self.cellHeight = cellHeight
        self.normalized = normalized
        self.color = color
        self.label = label
        self.componentNames = componentNames
    }

    /// Arrows at the centres of the grid cells given by `xEdges` × `yEdges`, with u and v laid out
    /// like `Heatmap.values` (row-major by y bin).
    public init(xEdges: [Double], yEdges: [Double], u: [Double], v: [Double], normalized: Bool = false,
                color: Color = .black, label: String? = nil, componentNames: (u: String, v: String) = ("u", "v")) {
        let nx = xEdges.count - 1, ny = yEdges.count - 1
        precondition(nx >= 1 && ny >= 1 && u.count == nx * ny && v.count == nx * ny,
                     "Quiver: \(nx)×\(ny) cells need that many u and v values")
        var xs: [Double] = [], ys: [Double] = []
        for j in 0..<ny {
            for i in 0..<nx {
                xs.append(0.5 * (xEdges[i] + xEdges[i + 1]))
                ys.append(0.5 * (yEdges[j] + yEdges[j + 1]))
            }
        }
        let dx = (xEdges[nx] - xEdges[0]) / Double(nx), dy = (yEdges[ny] - yEdges[0]) / Double(ny)
        self.init(x: xs, y: ys, u: u, v: v, cellWidth: abs(dx), cellHeight: abs(dy), normalized: normalized,
                  color: color, label: label, componentNames: componentNames)
    }
}
