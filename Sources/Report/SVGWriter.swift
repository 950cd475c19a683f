/// Accumulates SVG markup. Attribute values and text are escaped here, so callers pass plain
/// strings; numbers are formatted by `NumberFormat.coordinate` (2 decimals, deterministic).
struct SVGWriter {
    private(set) var text = ""
    private var depth = 0

    /// Formats a pixel coordinate, clamped to ±10⁷ px so wild data cannot produce invalid numbers.
    static func n(_ x: Double) -> String { NumberFormat.coordinate(x.isNaN ? 0 : min(max(x, -1e7), 1e7)) }

    private static func attributes(_ attrs: [(String, String?)]) -> String {
        var s = ""
        for (name, value) in attrs {
            guard let value else { continue }
            s += " \(name)=\"\(Markup.escape(value))\""
        }
        return s
    }

    private mutating func line(_ s: String) {
        text += String(repeating: " ", count: depth) + s + "\n"
    }

    /// `<name attrs>` and indent what follows until `close`.
    mutating func open(_ name: String, _ attrs: [(String, String?)] = []) {
        line("<\(name)\(Self.attributes(attrs))>")
        depth += 1
    }

    /// `</name>`.
    mutating func close(_ name: String) {
        depth -= 1
        line("</\(name)>")
    }

    /// `<name attrs/>`.
    mutating func empty(_ name: String, _ attrs: [(String, String?)]) {
        line("<\(name)\(Self.attributes(attrs))/>")
    }

    /// `<name attrs>escaped content</name>`.
    mutating func element(_ name: String, _ attrs: [(String, String?)], content: String) {
        line("<\(name)\(Self.attributes(attrs))>\(Markup.escape(content))</\(name)>")
    }

    /// Text anchored at (x, y): `anchor` is start, middle or end; `middle` vertical centring uses
    /// dy = 0.35em (portable, unlike dominant-baseline); `rotate` in degrees about (x, y).
    mutating func label(_ content: String, x: Double, y: Double, size: Double, anchor: String = "start",
                        centredVertically: Bool = false, bold: Bool = false, rotate: Double? = nil,
                        color: Color? = nil) {
        element("text", [
            ("x", Self.n(x)), ("y", Self.n(y)),
            ("dy", centredVertically ? "0.35em" : nil),
            ("font-size", Self.n(size)),
            ("text-anchor", anchor == "start" ? nil : anchor),
            ("font-weight", bold ? "bold" : nil),
            ("fill", color?.hexString),
            ("transform", rotate.map { "rotate(\(Self.n($0)) \(Self.n(x)) \(Self.n(y)))" }),
        ], content: content)
    }

    /// A straight line segment.
    mutating func segment(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, color: Color, width: Double,
                          dash: Dash = .solid) {
        empty("line", [
            ("x1", Self.n(x1)), ("y1", Self.n(y1)), ("x2", Self.n(x2)), ("y2", Self.n(y2)),
            ("stroke", color.hexString), ("stroke-width", Self.n(width)),
            ("stroke-dasharray", dash.dashArray(width: width)),
            ("stroke-linecap", dash == .dotted ? "round" : nil),
        ])
    }

    /// An axis-aligned rectangle.
    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: Color?, opacity: Double? = nil,
                       stroke: Color? = nil, strokeWidth: Double? = nil) {
        empty("rect", [
            ("x", Self.n(x)), ("y", Self.n(y)), ("width", Self.n(w)), ("height", Self.n(h)),
            ("fill", fill?.hexString ?? "none"),
            ("fill-opacity", opacity.map(Self.n)),
            ("stroke", stroke?.hexString), ("stroke-width", strokeWidth.map(Self.n)),
        ])
    }
}
