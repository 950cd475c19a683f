/// Pixel geometry of one panel: plot area, ticks, and the colorbar if any.
struct PanelLayout {
    var frame: PlotFrame
    var xTicks: [Tick]
    var yTicks: [Tick]
    var colorbar: ColorbarLayout?
}

/// Geometry and scale of a heatmap's colorbar.
struct ColorbarLayout {
    var scale: ColorScale
    /// Colour-value range.
    var lo: Double, hi: Double
    var ticks: [Tick]
    /// Left edge of the bar, px.
    var left: Double
    /// Width of the bar, px.
    static let barWidth = 12.0
}

/// Font sizes and spacings shared by the panel renderer, px.
enum PanelStyle {
    static let tickFont = 11.0
    static let labelFont = 13.0
    static let titleFont = 13.0
    static let letterFont = 15.0
    static let legendFont = 11.0
    static let tickLength = 4.0
    static let fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"
}

extension Panel {
    /// The data extent along x (`horizontal`) or y over all layers, nil when there is no data.
    func dataExtent(horizontal: Bool) -> (min: Double, max: Double)? {
        var lo = Double.infinity, hi = -Double.infinity
        func take(_ v: Double) { if v.isFinite { lo = min(lo, v); hi = max(hi, v) } }
        func take(_ vs: [Double]) { for v in vs { take(v) } }
        for layer in layers {
            switch layer {
            case let .line(l): take(horizontal ? l.x : l.y)
            case let .scatter(s): take(horizontal ? s.x : s.y)
            case let .band(b): if horizontal { take(b.x) } else { take(b.lower); take(b.upper) }
            case let .histogram(h):
                if horizontal { take(h.edges) } else { take(h.counts); take(0) }
            case let .heatmap(m):
                if horizontal { take(m.xEdges.first!); take(m.xEdges.last!) } else { take(m.yEdges.first!); take(m.yEdges.last!) }
            case let .quiver(q):
                let half = 0.5 * (horizontal ? q.cellWidth : q.cellHeight)
                for v in horizontal ? q.x : q.y where v.isFinite { take(v - half); take(v + half) }
            case let .reference(r):
                if (r.orientation == .vertical) == horizontal { take(r.value) }
            }
        }
        return lo <= hi ? (lo, hi) : nil
    }

    /// Whether a heatmap or an arrow grid fills the plot (then auto ranges are not padded).
    var fillsExtent: Bool {
        layers.contains {
            switch $0 {
            case .heatmap, .quiver: return true
            default: return false
            }
        }
    }

    /// The first heatmap that wants a colorbar.
    var colorbarHeatmap: Heatmap? {
        for layer in layers { if case let .heatmap(m) = layer, m.showsColorbar { return m } }
        return nil
    }

    /// Ticks for [lo, hi] along an axis `length` px long: aiming at one per `spacing` px, fewer
    /// when the labels (each `extent(label)` px along the axis) would touch, and at least 3 when
    /// they fit.
    static func fittingTicks(_ lo: Double, _ hi: Double, length: Double, spacing: Double,
                             extent: (String) -> Double) -> [Tick] {
        let desired = max(2, Int(length / spacing))
        var fallback: [Tick]?
        for target in Array((2...desired).reversed()) + Array((desired + 1)...(desired + 4)) {
            let ticks = Ticks.linear(from: lo, to: hi, count: target)
            guard ticks.map({ extent($0.label) }).reduce(0, +) <= length else { continue }
            if ticks.count >= 3 { return ticks }
            if fallback == nil { fallback = ticks }
        }
        return fallback ?? Ticks.linear(from: lo, to: hi, count: 1)
    }

    /// Lays the panel out in a `width` × `height` px box.
    func layout(width: Double, height: Double) -> PanelLayout {
        typealias S = PanelStyle
        let pads = !fillsExtent
        let xe = dataExtent(horizontal: true), ye = dataExtent(horizontal: false)
        let (xLo, xHi) = xAxis.range.resolve(dataMin: xe?.min, dataMax: xe?.max, pads: pads)
        let (yLo, yHi) = yAxis.range.resolve(dataMin: ye?.min, dataMax: ye?.max, pads: pads)

        // Vertical: title row on top, tick labels and axis title below.
        let top = (title != nil || letter != nil) ? 30.0 : 12.0
        let bottom = S.tickLength + 4 + S.tickFont + (xAxis.title.isEmpty ? 6 : 10 + S.labelFont)
        let plotHeight = max(20, height - top - bottom)
        let yTicks = Self.fittingTicks(yLo, yHi, length: plotHeight, spacing: 55) { _ in S.tickFont + 8 }

        // Horizontal: axis title and tick labels on the left, colorbar on the right.
        let yLabelWidth = yTicks.map { TextMetrics.width($0.label, size: S.tickFont) }.max() ?? 0
        let left = 6 + (yAxis.title.isEmpty ? 0 : S.labelFont + 8) + yLabelWidth + 4 + S.tickLength
        var right = 16.0
        var colorbar: ColorbarLayout?
        if let m = colorbarHeatmap {
            let (lo, hi) = m.scale.resolvedRange(for: m.values)
            let ticks = m.scale.logarithmic
                ? Ticks.logarithmic(from: lo, to: hi)
                : Self.fittingTicks(lo, hi, length: plotHeight, spacing: 50) { _ in S.tickFont + 8 }
            let tickWidth = ticks.map { TextMetrics.width($0.label, size: S.tickFont) }.max() ?? 0
            right = 14 + ColorbarLayout.barWidth + 3 + 4 + tickWidth + 8 + S.labelFont + 6
            colorbar = ColorbarLayout(scale: m.scale, lo: lo, hi: hi, ticks: ticks, left: width - right + 14)
        }
        let plotWidth = max(20, width - left - right)

        let xTicks = Self.fittingTicks(xLo, xHi, length: plotWidth, spacing: 75) {
            TextMetrics.width($0, size: S.tickFont) + 14
        }
        let frame = PlotFrame(left: left, top: top, width: plotWidth, height: plotHeight,
                              xLo: xLo, xHi: xHi, yLo: yLo, yHi: yHi)
        return PanelLayout(frame: frame, xTicks: xTicks, yTicks: yTicks, colorbar: colorbar)
    }
}
