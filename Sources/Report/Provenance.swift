/// Where the results came from: an ordered key/value list (configuration hash, potential hash,
/// code version, seeds, dates …), shown at the end of the report.
public struct Provenance: Sendable, Equatable {
    /// One key/value pair.
    public struct Entry: Sendable, Equatable {
        /// What the value is, e.g. "Config hash".
        public var key: String
        /// The value, shown in monospace.
        public var value: String

        /// The pair `key: value`.
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// Entries in display order.
    public var entries: [Entry]

    /// A block with `entries` as (key, value) pairs, in order.
    public init(_ entries: [(String, String)] = []) {
        self.entries = entries.map { Entry(key: $0.0, value: $0.1) }
    }

    /// Appends `key: value`.
    public mutating func add(_ key: String, _ value: String) { entries.append(Entry(key: key, value: value)) }
}
