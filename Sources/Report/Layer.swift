/// One thing drawn in a panel, bottom to top in the order the panel lists them.
public enum Layer: Sendable {
    case line(LineSeries)
    case band(Band)
    case scatter(Scatter)
    case histogram(Histogram)
    case heatmap(Heatmap)
    case quiver(Quiver)
    case reference(ReferenceLine)

    /// Legend text, if the layer appears in the legend.
    var label: String? {
        switch self {
        case let .line(l): return l.label
        case let .band(b): return b.label
        case let .scatter(s): return s.label
        case let .histogram(h): return h.label
        case .heatmap: return nil
        case let .quiver(q): return q.label
        case let .reference(r): return r.label
        }
    }

    /// Whether the layer takes a colour from the panel's cycle when it has none of its own.
    var usesColorCycle: Bool {
        switch self {
        case let .line(l): return l.color == nil
        case let .band(b): return b.color == nil
        case let .scatter(s): return s.color == nil
        case let .histogram(h): return h.color == nil
        case .heatmap, .quiver, .reference: return false
        }
    }

    /// Short kind name, used in CSV and SVG class names.
    var kind: String {
        switch self {
        case .line: return "line"
        case .band: return "band"
        case .scatter: return "scatter"
        case .histogram: return "histogram"
        case .heatmap: return "heatmap"
        case .quiver: return "quiver"
        case .reference: return "reference"
        }
    }
}
