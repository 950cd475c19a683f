/// A vertical (x = c) or horizontal (y = c) line across the whole plot, e.g. ΔX₁ = 0.
public struct ReferenceLine: Sendable {
    /// Which coordinate is constant.
    public enum Orientation: Hashable, Sendable {
        /// The line x = value.
        case vertical
        /// The line y = value.
        case horizontal
    }

    /// Vertical (x = value) or horizontal (y = value).
    public var orientation: Orientation
    /// The constant coordinate, data units.
    public var value: Double
    /// Legend text; nil keeps the line out of the legend.
    public var label: String?
    /// Stroke colour.
    public var color: Color
    /// Stroke width, px.
    public var width: Double
    /// Stroke pattern (dashed by default).
    public var dash: Dash

    /// A reference line x = value (`.vertical`) or y = value (`.horizontal`).
    public init(_ orientation: Orientation, at value: Double, label: String? = nil, color: Color = .gray,
                width: Double = 1.2, dash: Dash = .dashed) {
        self.orientation = orientation
        self.value = value
        self.label = label
        self.color = color
        self.width = width
        self.dash = dash
    }

    /// The line x = `x`.
    public static func vertical(_ x: Double, label: String? = nil, color: Color = .gray, dash: Dash = .dashed) -> ReferenceLine {
        ReferenceLine(.vertical, at: x, label: label, color: color, dash: dash)
    }

    /// The line y = `y`.
    public static func horizontal(_ y: Double, label: String? = nil, color: Color = .gray, dash: Dash = .dashed) -> ReferenceLine {
        ReferenceLine(.horizontal, at: y, label: label, color: color, dash: dash)
    }
}
