/// Drawing of the simple layers (lines, bands, points, bars, reference lines) in a plot frame.
extension SVGWriter {
    /// Runs of consecutive indices whose points are finite (a NaN or ∞ ends a run).
    static func finiteRuns(_ count: Int, _ isFinite: (Int) -> Bool) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start: Int?
        for k in 0..<count {
            if isFinite(k) {
                if start == nil { start = k }
            } else if let s = start {
                runs.append(s..<k)
                start = nil
            }
        }
        if let s = start { runs.append(s..<count) }
        return runs
    }

    /// A polyline in data coordinates, broken at non-finite points; one `<path>` element.
    mutating func draw(_ l: LineSeries, color: Color, in f: PlotFrame) {
        var d = ""
        for run in Self.finiteRuns(l.x.count, { l.x[$0].isFinite && l.y[$0].isFinite }) where run.count >= 2 {
            for k in run {
                d += (k == run.lowerBound ? "M" : "L") + Self.n(f.px(l.x[k])) + " " + Self.n(f.py(l.y[k]))
            }
        }
        guard !d.isEmpty else { return }
        empty("path", [
            ("d", d), ("fill", "none"), ("stroke", color.hexString), ("stroke-width", Self.n(l.width)),
            ("stroke-dasharray", l.dash.dashArray(width: l.width)),
            ("stroke-linecap", l.dash == .dotted ? "round" : nil), ("stroke-linejoin", "round"),
        ])
    }

    /// A filled band: upper edge forward, lower edge back, one closed subpath per finite run.
    mutating func draw(_ b: Band, color: Color, in f: PlotFrame) {
        var d = ""
        let ok = { (k: Int) in b.x[k].isFinite && b.lower[k].isFinite && b.upper[k].isFinite }
        for run in Self.finiteRuns(b.x.count, ok) where run.count >= 2 {
            for k in run { d += (k == run.lowerBound ? "M" : "L") + Self.n(f.px(b.x[k])) + " " + Self.n(f.py(b.upper[k])) }
            for k in run.reversed() { d += "L" + Self.n(f.px(b.x[k])) + " " + Self.n(f.py(b.lower[k])) }
            d += "Z"
        }
        guard !d.isEmpty else { return }
        empty("path", [("d", d), ("fill", color.hexString), ("fill-opacity", Self.n(b.opacity)), ("stroke", "none")])
    }

    /// Filled circles, NaN points skipped.
    mutating func draw(_ s: Scatter, color: Color, in f: PlotFrame) {
        open("g", [("fill", color.hexString), ("fill-opacity", Self.n(s.opacity))])
        for k in s.x.indices where s.x[k].isFinite && s.y[k].isFinite {
            empty("circle", [("cx", Self.n(f.px(s.x[k]))), ("cy", Self.n(f.py(s.y[k]))), ("r", Self.n(s.radius))])
        }
        close("g")
    }

    /// Bars from y = 0 (or the bottom of the plot, if 0 is below it) to each count.
    mutating func draw(_ h: Histogram, color: Color, in f: PlotFrame) {
        let base = f.py(max(0, f.yLo))
        open("g", [("fill", color.hexString), ("fill-opacity", Self.n(h.opacity)), ("stroke", color.hexString),
                   ("stroke-width", "0.8")])
        for k in h.counts.indices where h.counts[k].isFinite && h.edges[k].isFinite && h.edges[k + 1].isFinite {
            let x0 = f.px(h.edges[k]), x1 = f.px(h.edges[k + 1]), top = f.py(h.counts[k])
            empty("rect", [("x", Self.n(min(x0, x1))), ("y", Self.n(min(top, base))),
                           ("width", Self.n(abs(x1 - x0))), ("height", Self.n(abs(base - top)))])
        }
        close("g")
    }

    /// A line across the whole plot at x = value or y = value.
    mutating func draw(_ r: ReferenceLine, in f: PlotFrame) {
        guard r.value.isFinite else { return }
        switch r.orientation {
        case .vertical: segment(f.px(r.value), f.top, f.px(r.value), f.bottom, color: r.color, width: r.width, dash: r.dash)
        case .horizontal: segment(f.left, f.py(r.value), f.right, f.py(r.value), color: r.color, width: r.width, dash: r.dash)
        }
    }
}
