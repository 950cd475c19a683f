/// Stroke pattern of a line.
public enum Dash: Hashable, Sendable {
    case solid
    case dashed
    case dotted
    case dashDot

    /// SVG `stroke-dasharray` for a line of `width` px (nil for solid), scaled with the width.
    func dashArray(width: Double) -> String? {
        let w = max(width, 1)
        func pattern(_ a: [Double]) -> String { a.map { NumberFormat.coordinate($0 * w) }.joined(separator: ",") }
        switch self {
        case .solid: return nil
        case .dashed: return pattern([4, 2.5])
        case .dotted: return pattern([0.01, 2.2])   // drawn with round caps: round dots
        case .dashDot: return pattern([4, 1.8, 1, 1.8])
        }
    }
}
