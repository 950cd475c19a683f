/// Bad input: a file, line or key that the user can fix. Printed as
/// `FILE:LINE: error: reason` (or `FILE: key a.b: error: reason`) and mapped to exit code 2.
public struct InputError: Error, CustomStringConvertible, Sendable, Equatable {
    /// File (or flag, e.g. `--elements`) the problem is in.
    public var path: String
    /// 1-based line number, when the problem has one.
    public var line: Int?
    /// JSON key path for configuration errors (`aqs.strainStep`).
    public var keyPath: String?
    /// What is wrong, in one sentence.
    public var reason: String

    public init(path: String, line: Int? = nil, keyPath: String? = nil, reason: String) {
        self.path = path
        self.line = line
        self.keyPath = keyPath
        self.reason = reason
    }

    public var description: String {
        var s = path
        if let line { s += ":\(line)" }
        if let keyPath { s += ": key \(keyPath)" }
        return s + ": error: " + reason
    }
}
