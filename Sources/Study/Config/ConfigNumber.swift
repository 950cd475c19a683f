import MDCore

/// Numbers of a normalized config as people write them: the shortest digits that read back to
/// the same Double (Swift's `description`), with `2500` for `2500.0`, `1e13` for
/// `10000000000000.0`, `1e-5` for `1e-05` and `1e16` for `1e+16`. Same decimal value, so the same
/// bits when read back.
package enum ConfigNumber {
    static func text(_ x: Double) -> String {
        var s = x.description
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            var mantissa = String(s[..<e]), exponent = String(s[s.index(after: e)...])
            if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
            let negative = exponent.hasPrefix("-")
            exponent = String(exponent.drop { $0 == "+" || $0 == "-" }.drop { $0 == "0" })
            return mantissa + "e" + (negative ? "-" : "") + (exponent.isEmpty ? "0" : exponent)
        }
        guard s.hasSuffix(".0") else { return s }
        s.removeLast(2)
        let sign = s.hasPrefix("-") ? "-" : ""
        let digits = s.drop { $0 == "-" }
        let significant = digits.reversed().drop { $0 == "0" }.reversed()
        let zeros = digits.count - significant.count
        guard zeros >= 5 else { return s }
        let d = String(significant)
        let mantissa = d.count == 1 ? d : String(d.first!) + "." + String(d.dropFirst())
        return sign + mantissa + "e\(digits.count - 1)"
    }

    /// `v` with every non-integer number literal (one with '.' or an exponent: a Double written by
    /// `JSONText`) rewritten by `text`; integer literals (counts, seeds beyond 2^53) are kept.
    static func tidy(_ v: JSONValue) -> JSONValue {
        switch v.kind {
        case .number(let x, let t) where t.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }):
            return JSONValue(.number(x, text(x)), line: v.line)
        case .array(let a):
            return JSONValue(.array(a.map(tidy)), line: v.line)
        case .object(let m):
            return JSONValue(.object(m.map { (key: $0.key, value: tidy($0.value)) }), line: v.line)
        default:
            return v
        }
    }

    /// A JSON number written by `text`.
    static func json(_ x: Double) -> JSONValue { JSONValue(.number(x, text(x))) }
}
