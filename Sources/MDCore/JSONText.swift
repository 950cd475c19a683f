/// Minimal JSON text building for summaries and one-line reports (no Foundation): values are
/// written in a fixed order, numbers in shortest round-trip form.
public enum JSONText {
    /// `s` as a JSON string literal.
    public static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// A number (finite) or `null`.
    public static func number(_ x: Double) -> String { x.isFinite ? roundTrip(x) : "null" }

    /// An object from ordered (key, JSON value text) pairs, on one line.
    public static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { "\(string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }

    /// A `name=value` line's value as JSON: a number when it reads as a finite Double, else a string.
    public static func scalar(_ text: String) -> String {
        if let x = Double(text), x.isFinite, !text.contains(where: { $0.isLetter && $0 != "e" && $0 != "E" }) {
            return text
        }
        return string(text)
    }
}
