/// Drawing of arrow fields.
extension SVGWriter {
    /// Arrows centred on their points, directions in screen space (so they follow the axes),
    /// lengths scaled together so the longest spans 90% of a cell; zero and NaN arrows skipped.
    mutating func draw(_ q: Quiver, in f: PlotFrame) {
        let cellPx = min(abs(q.cellWidth * f.xScale), abs(q.cellHeight * f.yScale))
        var longest = 0.0
        var vectors: [(k: Int, dx: Double, dy: Double, length: Double)] = []
        for k in q.x.indices {
            let dx = q.u[k] * f.xScale, dy = -q.v[k] * f.yScale
            let length = (dx * dx + dy * dy).squareRoot()
            guard q.x[k].isFinite, q.y[k].isFinite, length.isFinite, length > 0 else { continue }
            vectors.append((k, dx, dy, length))
            longest = max(longest, length)
        }
        guard longest > 0, cellPx.isFinite, cellPx > 0 else { return }
        open("g", [("class", "quiver"), ("stroke", q.color.hexString), ("fill", q.color.hexString)])
        for (k, dx, dy, length) in vectors {
            let drawn = q.normalized ? 0.8 * cellPx : 0.9 * cellPx * length / longest
            guard drawn >= 1 else { continue }
            let ux = dx / length, uy = dy / length
            let cx = f.px(q.x[k]), cy = f.py(q.y[k])
            let x0 = cx - 0.5 * drawn * ux, y0 = cy - 0.5 * drawn * uy
            let x1 = cx + 0.5 * drawn * ux, y1 = cy + 0.5 * drawn * uy
            let head = min(max(0.35 * drawn, 2.5), 6), half = 0.45 * head
            let bx = x1 - head * ux, by = y1 - head * uy           // base of the head
            empty("line", [("x1", Self.n(x0)), ("y1", Self.n(y0)), ("x2", Self.n(bx)), ("y2", Self.n(by)),
                           ("stroke-width", "1.1")])
            let points = [(x1, y1), (bx - half * uy, by + half * ux), (bx + half * uy, by - half * ux)]
                .map { Self.n($0.0) + "," + Self.n($0.1) }.joined(separator: " ")
            empty("polygon", [("points", points), ("stroke", "none")])
        }
        close("g")
    }
}
