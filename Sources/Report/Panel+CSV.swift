/// The data of a panel as one tidy CSV table.
extension Panel {
    /// CSV columns in output order; a table has only those some layer fills.
    enum Column: Int, CaseIterable {
        case series, kind, x, xLow, xHigh, y, yLower, yUpper, yLow, yHigh, value, u, v
    }

    /// The panel's data: one row per point, band sample, bin, cell or arrow, and one per
    /// reference line. Columns: `series` (the layer's label, or kind and number), `kind`, then
    /// the quantities with units taken from the axes, e.g. "tau [GPa]", "X1 low [eV/atom]" for
    /// bin edges, "tau lower"/"tau upper" for bands, the colour-scale name for heatmap values and
    /// the quiver's component names. Fields a row does not use are empty; NaN is "nan".
    public func csvTable() -> CSVTable {
        var rows: [[Column: String]] = []
        let f = CSVTable.field
        var heatmapHeader: String?, quiverHeaders: (u: String, v: String)?
        for (k, layer) in layers.enumerated() {
            let series = layer.label ?? "\(layer.kind) \(k + 1)"
            func row(_ cells: [Column: String]) {
                var r = cells
                r[.series] = series
                r[.kind] = layer.kind
                rows.append(r)
            }
            switch layer {
            case let .line(l): for i in l.x.indices { row([.x: f(l.x[i]), .y: f(l.y[i])]) }
            case let .scatter(s): for i in s.x.indices { row([.x: f(s.x[i]), .y: f(s.y[i])]) }
            case let .band(b): for i in b.x.indices { row([.x: f(b.x[i]), .yLower: f(b.lower[i]), .yUpper: f(b.upper[i])]) }
            case let .histogram(h):
                for i in h.counts.indices { row([.xLow: f(h.edges[i]), .xHigh: f(h.edges[i + 1]), .y: f(h.counts[i])]) }
            case let .heatmap(m):
                heatmapHeader = heatmapHeader ?? Axis(m.scale.csvName ?? m.scale.label, unit: m.scale.unit).csvHeader()
                for j in 0..<m.ny {
                    for i in 0..<m.nx {
                        row([.xLow: f(m.xEdges[i]), .xHigh: f(m.xEdges[i + 1]), .yLow: f(m.yEdges[j]),
                             .yHigh: f(m.yEdges[j + 1]), .value: f(m[i, j])])
                    }
                }
            case let .quiver(q):
                quiverHeaders = quiverHeaders ?? q.componentNames
                for i in q.x.indices { row([.x: f(q.x[i]), .y: f(q.y[i]), .u: f(q.u[i]), .v: f(q.v[i])]) }
            case let .reference(r):
                row(r.orientation == .vertical ? [.x: f(r.value)] : [.y: f(r.value)])
            }
        }
        let used = Column.allCases.filter { c in c == .series || c == .kind || rows.contains { $0[c] != nil } }
        let names: [Column: String] = [
            .series: "series", .kind: "kind",
            .x: xAxis.csvHeader(), .xLow: xAxis.csvHeader("low"), .xHigh: xAxis.csvHeader("high"),
            .y: yAxis.csvHeader(), .yLower: yAxis.csvHeader("lower"), .yUpper: yAxis.csvHeader("upper"),
            .yLow: yAxis.csvHeader("low"), .yHigh: yAxis.csvHeader("high"),
            .value: heatmapHeader ?? "value", .u: quiverHeaders?.u ?? "u", .v: quiverHeaders?.v ?? "v",
        ]
        var table = CSVTable(header: used.map { names[$0]! })
        for r in rows { table.append(used.map { r[$0] ?? "" }) }
        return table
    }
}
