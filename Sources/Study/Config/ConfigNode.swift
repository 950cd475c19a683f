import MDCore

/// One value of a study config being read, with where it came from: the file (as the user named it),
/// its line and its key path (`quench.rates_K_per_s[2]`). Every typed accessor fails with an
/// `InputError` that prints as `config.json:LINE: key quench.rates_K_per_s[2]: error: …`.
package struct ConfigNode {
    /// The value as parsed.
    var value: JSONValue
    /// Key path from the document root, e.g. `aqs.strain_step` or `harvest.bins[1]`; empty for the root.
    var keyPath: String
    /// The config file as the user named it (for messages).
    var file: String

    /// An error located at this value.
    func error(_ reason: String) -> InputError {
        InputError(path: file, line: value.line, keyPath: keyPath.isEmpty ? nil : keyPath, reason: reason)
    }

    /// An error about member `key`: at its value when present, else at this object (the key then
    /// holds its default, and the message says so).
    func error(key: String, _ reason: String) -> InputError {
        if let m = member(key) { return m.error(reason) }
        return InputError(path: file, line: value.line, keyPath: path(key), reason: reason + " (with the default value)")
    }

    /// Key path of member `key`.
    func path(_ key: String) -> String { keyPath.isEmpty ? key : keyPath + "." + key }

    // MARK: Objects

    /// Checks that this is an object whose keys are all in `allowed`; an unknown key is reported
    /// with the nearest allowed key ("did you mean …?") or, failing that, the section it belongs to.
    func checkObject(allowed: [String], elsewhere: [String: [String]] = [:], what: String = "key") throws(InputError) {
        guard let members = value.members else { throw typeError("an object") }
        for (key, member) in members where !allowed.contains(key) {
            let at = ConfigNode(value: member, keyPath: path(key), file: file)
            if let near = EditDistance.suggestion(for: key, among: allowed) {
                throw at.error("unknown \(what) (did you mean '\(near)'?)")
            }
            if let sections = elsewhere[key], !sections.isEmpty {
                let names = Self.list(sections.map { "'\($0)'" })
                throw at.error("unknown \(what) here ('\(key)' is a key of section \(names))")
            }
            throw at.error("unknown \(what) (known: \(allowed.joined(separator: ", ")))")
        }
    }

    /// Member `key`, or nil when absent.
    func member(_ key: String) -> ConfigNode? {
        value[key].map { ConfigNode(value: $0, keyPath: path(key), file: file) }
    }

    /// Member `key`; an error at this object when absent.
    func required(_ key: String) throws(InputError) -> ConfigNode {
        guard let m = member(key) else {
            throw InputError(path: file, line: value.line, keyPath: path(key), reason: "required key is missing")
        }
        return m
    }

    /// Member `key` as an object checked against `allowed` keys; an empty object when absent.
    func section(_ key: String, allowed: [String], elsewhere: [String: [String]] = [:]) throws(InputError) -> ConfigNode {
        let s = member(key) ?? ConfigNode(value: JSONValue(.object([]), line: value.line), keyPath: path(key), file: file)
        try s.checkObject(allowed: allowed, elsewhere: elsewhere)
        return s
    }

    // MARK: Scalars

    /// "expected a number, got a string ("NaN")".
    func typeError(_ expected: String) -> InputError {
        let got: String
        switch value.kind {
        case .null: got = "null (leave the key out to use the default)"
        case .bool(let b): got = "a boolean (\(b))"
        case .number(_, let text): got = "a number (\(text))"
        case .string(let s):
            var hint = ""
            if expected.hasSuffix("number") || expected.hasSuffix("integer"),
               Double(s) != nil || ["nan", "inf", "-inf", "infinity", "-infinity"].contains(s.lowercased()) {
                hint = "; write numbers without quotes (NaN and infinity are not allowed)"
            }
            got = "a string (\(JSONText.string(s)))" + hint
        case .array: got = "an array"
        case .object: got = "an object"
        }
        return error("expected \(expected), got \(got)")
    }

    func double() throws(InputError) -> Double {
        guard let x = value.double else { throw typeError("a number") }
        return x
    }

    /// A number > 0.
    func positive() throws(InputError) -> Double {
        let x = try double()
        guard x > 0 else { throw error("must be a positive finite number (got \(text))") }
        return x
    }

    /// A number ≥ 0.
    func nonNegative() throws(InputError) -> Double {
        let x = try double()
        guard x >= 0 else { throw error("must be a finite number ≥ 0 (got \(text))") }
        return x
    }

    /// The number's literal text (for messages), or its formatted value.
    var text: String {
        if case .number(_, let t) = value.kind { return t }
        return value.formatted()
    }

    /// An integer: a plain integer literal that fits in Int, or a number such as 2e4 whose value is
    /// an integer of at most 2^53.
    func int() throws(InputError) -> Int {
        guard case .number(let x, let t) = value.kind else { throw typeError("an integer") }
        if let n = value.int { return n }
        let isPlain = !t.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
        if isPlain { throw error("integer \(t) is too large (at most \(Int.max))") }
        guard x == x.rounded(.towardZero) else { throw error("expected an integer, got \(t)") }
        guard abs(x) < 0x1p63 else { throw error("integer \(t) is too large (at most \(Int.max))") }
        guard abs(x) <= 0x1p53 else { throw error("integer \(t) is too large to be written with an exponent; write all its digits") }
        return Int(x)
    }

    /// An integer in `range`.
    func int(in range: ClosedRange<Int>) throws(InputError) -> Int {
        let n = try int()
        guard range.contains(n) else {
            if range.upperBound == Int.max { throw error("must be at least \(range.lowerBound) (got \(n))") }
            throw error("must be between \(range.lowerBound) and \(range.upperBound) (got \(n))")
        }
        return n
    }

    /// An unsigned 64-bit integer (seeds): a plain integer literal from 0 to 2^64 − 1.
    func uint64() throws(InputError) -> UInt64 {
        guard case .number(_, let t) = value.kind else { throw typeError("an integer") }
        if t.hasPrefix("-") { throw error("must be an integer from 0 to \(UInt64.max) (got \(t))") }
        if let n = UInt64(t) { return n }
        if !t.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            throw error("must be an integer from 0 to \(UInt64.max) (got \(t))")
        }
        let n = try int()
        guard n >= 0 else { throw error("must be an integer from 0 to \(UInt64.max) (got \(t))") }
        return UInt64(n)
    }

    func string() throws(InputError) -> String {
        guard let s = value.string else { throw typeError("a string") }
        return s
    }

    /// A non-empty string without control characters.
    func name() throws(InputError) -> String {
        let s = try string()
        guard !s.isEmpty else { throw error("must not be empty") }
        guard !s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw error("must not contain control characters")
        }
        return s
    }

    func bool() throws(InputError) -> Bool {
        guard let b = value.bool else { throw typeError("true or false") }
        return b
    }

    /// One of the raw values of `E`, e.g. a norm; errors list the allowed values.
    func choice<E: RawRepresentable & CaseIterable>(_ type: E.Type, what: String) throws(InputError) -> E
    where E.RawValue == String {
        let allowed = E.allCases.map(\.rawValue)
        guard let s = value.string else { throw typeError("one of " + Self.list(allowed)) }
        if let e = E(rawValue: s) { return e }
        var reason = "unknown \(what) '\(s)' (use \(Self.list(allowed)))"
        if let near = EditDistance.suggestion(for: s, among: allowed) { reason += "; did you mean '\(near)'?" }
        throw error(reason)
    }

    /// "a, b or c".
    static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " or " + items.last!
    }

    // MARK: Arrays

    /// Elements of an array, each with its key path `key[i]`.
    func array() throws(InputError) -> [ConfigNode] {
        guard let a = value.elements else { throw typeError("an array") }
        return a.enumerated().map { ConfigNode(value: $1, keyPath: keyPath + "[\($0)]", file: file) }
    }

    /// A non-empty array.
    func nonEmptyArray() throws(InputError) -> [ConfigNode] {
        let a = try array()
        guard !a.isEmpty else { throw error("must not be empty") }
        return a
    }
}
