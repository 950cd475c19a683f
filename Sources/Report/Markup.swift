/// Escaping of text for XML and HTML (SVG text, attributes, HTML bodies).
public enum Markup {
    /// `text` safe inside an XML/HTML element or a double- or single-quoted attribute:
    /// & < > " ' become entities, and control characters that XML 1.0 forbids
    /// (U+0000–U+001F except tab, newline, carriage return; U+FFFE, U+FFFF) are dropped.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xfffe || scalar.value == 0xffff { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
