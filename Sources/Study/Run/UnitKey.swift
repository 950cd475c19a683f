import MDCore

/// Builds a unit's key: SHA-256 over `name=value` lines of exactly the inputs that determine the
/// unit's result, in a fixed order, including the keys of the units it reads and the code revision of
/// its kind (`SeemVersion.revision(of:)`).
/// Settings that do not change results (threads, skin, checkpoint intervals, jobs) stay out.
package struct UnitKey {
    private(set) var lines: [String]

    init(kind: String) {
        lines = ["format=seem-unit-key/1", "kind=\(kind)", "revision=\(SeemVersion.revision(of: kind))"]
    }

    mutating func add(_ name: String, _ value: String) { lines.append("\(name)=\(value)") }
    mutating func add(_ name: String, _ value: Double) { lines.append("\(name)=\(roundTrip(value))") }
    mutating func add(_ name: String, _ value: Int) { lines.append("\(name)=\(value)") }
    mutating func add(_ name: String, lines more: [String]) { lines += more.map { "\(name).\($0)" } }

    var hex: String { SHA256.hex(lines.joined(separator: "\n")) }

    /// The key of a unit of `kind` that reads `upstream` (name, key of the unit or input) and is set by
    /// `config` (its config paths), with `extra` lines after: the chain every stage's key follows.
    static func hex(kind: String, upstream: [(String, String)], config: JSONValue, extra: [(String, String)] = []) -> String {
        var k = UnitKey(kind: kind)
        for (name, value) in upstream { k.add(name, value) }
        k.add("config", config.formatted())
        for (name, value) in extra { k.add(name, value) }
        return k.hex
    }
}
