/// Drawing of heatmap cells and of the colorbar.
extension SVGWriter {
    /// One `<rect>` per cell, coloured on [lo, hi]; NaN (and, on a log scale, ≤ 0) cells in the
    /// missing colour or not at all.
    mutating func draw(_ m: Heatmap, lo: Double, hi: Double, in f: PlotFrame) {
        open("g", [("class", "heatmap"), ("shape-rendering", "crispEdges")])
        for j in 0..<m.ny {
            let y0 = f.py(m.yEdges[j]), y1 = f.py(m.yEdges[j + 1])
            for i in 0..<m.nx {
                let color: Color
                if let t = m.scale.fraction(m[i, j], lo: lo, hi: hi) {
                    color = m.scale.colormap.color(at: t)
                } else if let missing = m.missingColor {
                    color = missing
                } else {
                    continue
                }
                let x0 = f.px(m.xEdges[i]), x1 = f.px(m.xEdges[i + 1])
                rect(min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0), fill: color)
            }
        }
        close("g")
    }

    /// A vertical colorbar beside the plot: 96 stacked steps, a frame, ticks and the title.
    mutating func drawColorbar(_ c: ColorbarLayout, frame f: PlotFrame) {
        typealias S = PanelStyle
        let steps = 96, w = ColorbarLayout.barWidth
        let stepHeight = f.height / Double(steps)
        open("g", [("class", "colorbar")])
        open("g", [("shape-rendering", "crispEdges")])
        for k in 0..<steps {
            let t = (Double(k) + 0.5) / Double(steps)
            rect(c.left, f.bottom - Double(k + 1) * stepHeight, w, stepHeight + 0.5, fill: c.scale.colormap.color(at: t))
        }
        close("g")
        rect(c.left, f.top, w, f.height, fill: nil, stroke: .black, strokeWidth: 0.8)
        var labelRight = c.left + w
        for tick in c.ticks {
            guard let t = c.scale.fraction(tick.value, lo: c.lo, hi: c.hi) else { continue }
            let y = f.bottom - t * f.height
            segment(c.left + w, y, c.left + w + 3, y, color: .black, width: 0.8)
            label(tick.label, x: c.left + w + 6, y: y, size: S.tickFont, centredVertically: true)
            labelRight = max(labelRight, c.left + w + 6 + TextMetrics.width(tick.label, size: S.tickFont))
        }
        let x = labelRight + 6 + 0.5 * S.labelFont
        label(c.scale.title, x: x, y: f.top + 0.5 * f.height, size: S.labelFont, anchor: "middle",
              centredVertically: true, rotate: -90)
        close("g")
    }
}
