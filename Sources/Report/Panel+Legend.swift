/// The legend: one row per labelled layer (sample mark + text) in a corner of the plot area.
extension Panel {
    /// One legend row.
    struct LegendEntry {
        var label: String
        var layer: Layer
        var color: Color
    }

    func legendEntries(colors: [Color?]) -> [LegendEntry] {
        zip(layers, colors).compactMap { layer, color in
            guard let label = layer.label, !label.isEmpty else { return nil }
            return LegendEntry(label: label, layer: layer, color: color ?? .black)
        }
    }

    /// Screen points of the line, scatter and band data, used to place a `.best` legend.
    func dataPixels(in f: PlotFrame) -> [(Double, Double)] {
        var points: [(Double, Double)] = []
        func add(_ xs: [Double], _ ys: [Double]) {
            let stride = max(1, xs.count / 400)           // a sample is enough to judge crowding
            for k in Swift.stride(from: 0, to: xs.count, by: stride) where xs[k].isFinite && ys[k].isFinite {
                points.append((f.px(xs[k]), f.py(ys[k])))
            }
        }
        for layer in layers {
            switch layer {
            case let .line(l): add(l.x, l.y)
            case let .scatter(s): add(s.x, s.y)
            case let .band(b): add(b.x, b.upper); add(b.x, b.lower)
            case let .histogram(h): add(Array(h.edges.dropLast()), h.counts)
            default: break
            }
        }
        return points
    }

    func drawLegend(into w: inout SVGWriter, frame f: PlotFrame, colors: [Color?]) {
        typealias S = PanelStyle
        let entries = legendEntries(colors: colors)
        guard legend != .hidden, !entries.isEmpty else { return }
        let rowHeight = S.legendFont + 5, sample = 22.0, pad = 6.0, inset = 8.0
        let textWidth = entries.map { TextMetrics.width($0.label, size: S.legendFont) }.max() ?? 0
        let boxWidth = pad + sample + 6 + textWidth + pad
        let boxHeight = pad + Double(entries.count) * rowHeight + pad - 4
        func origin(_ p: LegendPosition) -> (Double, Double) {
            switch p {
            case .upperLeft: return (f.left + inset, f.top + inset)
            case .lowerRight: return (f.right - inset - boxWidth, f.bottom - inset - boxHeight)
            case .lowerLeft: return (f.left + inset, f.bottom - inset - boxHeight)
            default: return (f.right - inset - boxWidth, f.top + inset)
            }
        }
        var position = legend
        if legend == .best {
            let points = dataPixels(in: f)
            let candidates: [LegendPosition] = [.upperRight, .upperLeft, .lowerRight, .lowerLeft]
            let crowding = candidates.map { p -> Int in
                let (x0, y0) = origin(p)
                return points.filter { $0.0 >= x0 - 4 && $0.0 <= x0 + boxWidth + 4 && $0.1 >= y0 - 4 && $0.1 <= y0 + boxHeight + 4 }.count
            }
            position = candidates[crowding.firstIndex(of: crowding.min()!)!]
        }
        let (x0, y0) = origin(position)
        w.open("g", [("class", "legend")])
        w.empty("rect", [("x", SVGWriter.n(x0)), ("y", SVGWriter.n(y0)), ("width", SVGWriter.n(boxWidth)),
                         ("height", SVGWriter.n(boxHeight)), ("fill", "#ffffff"), ("fill-opacity", "0.85"),
                         ("stroke", "#bbbbbb"), ("stroke-width", "0.8"), ("rx", "2")])
        for (k, e) in entries.enumerated() {
            let cy = y0 + pad + (Double(k) + 0.5) * rowHeight - 2
            let sx = x0 + pad
            switch e.layer {
            case let .line(l): w.segment(sx, cy, sx + sample, cy, color: e.color, width: l.width, dash: l.dash)
            case let .reference(r): w.segment(sx, cy, sx + sample, cy, color: e.color, width: r.width, dash: r.dash)
            case let .band(b): w.rect(sx, cy - 5, sample, 10, fill: e.color, opacity: b.opacity)
            case let .histogram(h): w.rect(sx + 4, cy - 5, sample - 8, 10, fill: e.color, opacity: h.opacity, stroke: e.color, strokeWidth: 0.8)
            case let .scatter(s):
                w.empty("circle", [("cx", SVGWriter.n(sx + 0.5 * sample)), ("cy", SVGWriter.n(cy)),
                                   ("r", SVGWriter.n(max(s.radius, 2.5))), ("fill", e.color.hexString)])
            case .quiver:
                w.segment(sx + 2, cy, sx + sample - 6, cy, color: e.color, width: 1.1)
                w.empty("polygon", [("points", "\(SVGWriter.n(sx + sample)),\(SVGWriter.n(cy)) \(SVGWriter.n(sx + sample - 6)),\(SVGWriter.n(cy - 3)) \(SVGWriter.n(sx + sample - 6)),\(SVGWriter.n(cy + 3))"),
                                    ("fill", e.color.hexString)])
            case .heatmap: break
            }
            w.label(e.label, x: sx + sample + 6, y: cy, size: S.legendFont, centredVertically: true)
        }
        w.close("g")
    }
}
