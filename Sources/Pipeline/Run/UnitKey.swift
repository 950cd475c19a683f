import MDCore

/// Builds a unit's key: SHA-256 over `name=value` lines of exactly the inputs that determine the
/// unit's result, in a fixed order, including the keys of the units it reads and the code revision of
/// its kind (`SeemVersion.revision(of:)`).
/// Settings that do not change results (threads, skin, checkpoint intervals, jobs) stay out.
struct UnitKey {
    private(set) var lines: [String]

    init(kind: String) {
        lines = ["format=seem-unit-key/1", "kind=\(kind)", "revision=\(SeemVersion.revision(of: kind))"]
    }

    mutating func add(_ name: String, _ value: String) { lines.append("\(name)=\(value)") }
    mutating func add(_ name: String, _ value: Double) { lines.append("\(name)=\(roundTrip(value))") }
    mutating func add(_ name: String, _ value: Int) { lines.append("\(name)=\(value)") }
    mutating func add(_ name: String, lines more: [String]) { lines += more.map { "\(name).\($0)" } }

    var hex: String { SHA256.hex(lines.joined(separator: "\n")) }
}
