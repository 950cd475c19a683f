/// Rendering of one panel: layers clipped to the plot area, frame, ticks, titles, colorbar, legend.
extension Panel {
    /// The colour each layer is drawn in: its own, or the next one of `Color.cycle`. A band
    /// without a colour takes the colour of the next cycled series without using it up, so a
    /// band drawn just before its line shares the line's colour.
    func resolvedColors() -> [Color?] {
        var next = 0
        return layers.map { layer in
            switch layer {
            case let .line(l): return l.color ?? { defer { next += 1 }; return Color.cycle[next % Color.cycle.count] }()
            case let .scatter(s): return s.color ?? { defer { next += 1 }; return Color.cycle[next % Color.cycle.count] }()
            case let .histogram(h): return h.color ?? { defer { next += 1 }; return Color.cycle[next % Color.cycle.count] }()
            case let .band(b): return b.color ?? Color.cycle[next % Color.cycle.count]
            case let .quiver(q): return q.color
            case let .reference(r): return r.color
            case .heatmap: return nil
            }
        }
    }

    /// Writes the panel into a `width` × `height` box whose top-left corner is (x, y) in the
    /// figure. `clipID` must be unique in the document (the plot area's clip path).
    func render(into w: inout SVGWriter, x: Double, y: Double, width: Double, height: Double, clipID: String) {
        typealias S = PanelStyle
        let layout = layout(width: width, height: height)
        let f = layout.frame
        let n = SVGWriter.n
        w.open("g", [("class", "panel"), ("transform", "translate(\(n(x)),\(n(y)))")])

        // Grid lines under the data.
        if xAxis.grid { for t in layout.xTicks { w.segment(f.px(t.value), f.top, f.px(t.value), f.bottom, color: Color(hex: 0xe6e6e6), width: 0.8) } }
        if yAxis.grid { for t in layout.yTicks { w.segment(f.left, f.py(t.value), f.right, f.py(t.value), color: Color(hex: 0xe6e6e6), width: 0.8) } }

        // Layers, clipped to the plot area.
        w.open("clipPath", [("id", clipID)])
        w.rect(f.left, f.top, f.width, f.height, fill: .black)
        w.close("clipPath")
        w.open("g", [("clip-path", "url(#\(clipID))")])
        let colors = resolvedColors()
        for (layer, color) in zip(layers, colors) {
            switch layer {
            case let .line(l): w.draw(l, color: color!, in: f)
            case let .band(b): w.draw(b, color: color!, in: f)
            case let .scatter(s): w.draw(s, color: color!, in: f)
            case let .histogram(h): w.draw(h, color: color!, in: f)
            case let .heatmap(m):
                let (lo, hi) = m.scale.resolvedRange(for: m.values)
                w.draw(m, lo: lo, hi: hi, in: f)
            case let .quiver(q): w.draw(q, in: f)
            case let .reference(r): w.draw(r, in: f)
            }
        }
        w.close("g")

        // Frame, ticks and tick labels.
        w.rect(f.left, f.top, f.width, f.height, fill: nil, stroke: .black, strokeWidth: 1)
        for t in layout.xTicks {
            let px = f.px(t.value)
            w.segment(px, f.bottom, px, f.bottom + S.tickLength, color: .black, width: 1)
            w.label(t.label, x: px, y: f.bottom + S.tickLength + 3 + S.tickFont, size: S.tickFont, anchor: "middle")
        }
        for t in layout.yTicks {
            let py = f.py(t.value)
            w.segment(f.left - S.tickLength, py, f.left, py, color: .black, width: 1)
            w.label(t.label, x: f.left - S.tickLength - 3, y: py, size: S.tickFont, anchor: "end", centredVertically: true)
        }

        // Axis titles, panel title and letter.
        if !xAxis.title.isEmpty {
            w.label(xAxis.title, x: f.left + 0.5 * f.width, y: f.bottom + S.tickLength + 3 + S.tickFont + 8 + S.labelFont,
                    size: S.labelFont, anchor: "middle")
        }
        if !yAxis.title.isEmpty {
            let yLabelWidth = layout.yTicks.map { TextMetrics.width($0.label, size: S.tickFont) }.max() ?? 0
            let x = f.left - S.tickLength - 3 - yLabelWidth - 8 - 0.5 * S.labelFont
            w.label(yAxis.title, x: x, y: f.top + 0.5 * f.height, size: S.labelFont, anchor: "middle",
                    centredVertically: true, rotate: -90)
        }
        if let title {
            w.label(title, x: f.left + 0.5 * f.width, y: f.top - 9, size: S.titleFont, anchor: "middle")
        }
        if let letter {
            w.label("(\(letter))", x: 6, y: 4 + S.letterFont, size: S.letterFont, bold: true)
        }
        if let c = layout.colorbar { w.drawColorbar(c, frame: f) }
        drawLegend(into: &w, frame: f, colors: colors)
        w.close("g")
    }
}
