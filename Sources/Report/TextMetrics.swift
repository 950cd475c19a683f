/// Estimated text widths for layout (DejaVu Sans / Helvetica-like advance widths, in em).
/// SVG has no text measurement, so margins are sized from these estimates with some slack.
enum TextMetrics {
    /// Approximate width of `text` at `size` px.
    static func width(_ text: String, size: Double) -> Double {
        var em = 0.0
        for c in text.unicodeScalars {
            switch c {
            case "0"..."9": em += 0.64
            case ".", ",", ":", ";", "i", "l", "j", "I", "|", "!", "'": em += 0.3
            case " ", "f", "t", "r", "(", ")", "[", "]", "/": em += 0.38
            case "−", "×", "+", "=", "±", "<", ">": em += 0.84
            case "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹", "⁻", "₀", "₁", "₂", "₃", "₄": em += 0.42
            case "m", "w", "M", "W": em += 0.95
            case "A"..."Z": em += 0.72
            default: em += 0.6
            }
        }
        return em * size
    }
}
