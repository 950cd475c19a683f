import MDCore

/// A fitted value with its standard error (Table I's "value ± error").
public struct Estimate: Sendable, Equatable {
    public var value: Double
    /// One standard error; 0 when the value was given rather than fitted.
    public var standardError: Double

    public init(_ value: Double, standardError: Double = 0) {
        self.value = value
        self.standardError = standardError
    }

    /// `{"value": v, "standard_error": s}`.
    public var json: JSONValue {
        .object([("value", .number(value)), ("standard_error", .number(standardError))])
    }

    /// Reads `{"value": v, "standard_error": s}` (the error may be omitted).
    public init(json: JSONValue, path: String, key: String) throws(InputError) {
        guard let v = json["value"]?.double else {
            throw InputError(path: path, line: json.line, keyPath: key + ".value", reason: "missing or not a number")
        }
        let s = json["standard_error"]?.double ?? 0
        self.init(v, standardError: s)
    }
}
