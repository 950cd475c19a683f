/// A figure: panels laid out row by row in a grid of `columns` columns, every panel the same size.
/// `svg()` renders it; `csvTables()` gives its data.
public struct Figure: Sendable {
    /// Panels in reading order (row by row).
    public var panels: [Panel]
    /// Panels per row.
    public var columns: Int
    /// Size of one panel including its margins, tick labels and colorbar, px (CSS pixels).
    public var panelWidth: Double
    /// Height of one panel, px.
    public var panelHeight: Double

    /// A figure of `panels`; `columns` defaults to 2 for 2 or more panels. Panels of a multi-panel
    /// figure without a letter get "a", "b", … in order.
    public init(panels: [Panel], columns: Int? = nil, panelWidth: Double = 420, panelHeight: Double = 320) {
        precondition(!panels.isEmpty, "a figure needs at least one panel")
        var lettered = panels
        if panels.count > 1 {
            for k in lettered.indices where lettered[k].letter == nil {
                lettered[k].letter = String(UnicodeScalar(UInt8(97 + k % 26)))
            }
        }
        self.panels = lettered
        self.columns = max(1, min(columns ?? min(panels.count, 2), panels.count))
        self.panelWidth = panelWidth
        self.panelHeight = panelHeight
    }

    /// A one-panel figure.
    public init(_ panel: Panel, width: Double = 520, height: Double = 380) {
        self.init(panels: [panel], columns: 1, panelWidth: width, panelHeight: height)
    }

    /// Number of panel rows.
    public var rows: Int { (panels.count + columns - 1) / columns }
    /// Total width, px.
    public var width: Double { Double(columns) * panelWidth }
    /// Total height, px.
    public var height: Double { Double(rows) * panelHeight }
}
