import MDCore

/// A table of text written as CSV (RFC 4180): a header row, then data rows, "\n" line ends.
/// Fields containing a comma, quote, CR or LF are quoted, quotes doubled. Numbers go in as
/// shortest round-trip text (`CSVTable.field(_:)`), so the file reads back to the same Doubles.
public struct CSVTable: Equatable, Sendable {
    /// Column names, with units: "tau [GPa]".
    public var header: [String]
    /// Data rows, each with `header.count` fields.
    public private(set) var rows: [[String]]

    /// A table with `header` and optional initial `rows` (each `header.count` fields).
    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = []
        for row in rows { append(row) }
    }

    /// Appends a row of exactly `header.count` fields.
    public mutating func append(_ row: [String]) {
        precondition(row.count == header.count, "CSV row has \(row.count) fields, header has \(header.count)")
        rows.append(row)
    }

    /// Appends a row of numbers.
    public mutating func append(numbers: [Double]) { append(numbers.map(Self.field)) }

    /// A number as a CSV field: shortest round-trip text; NaN is "nan", infinities "inf"/"-inf".
    public static func field(_ x: Double) -> String { roundTrip(x) }

    /// The CSV text.
    public var text: String {
        var out = ""
        for row in [header] + rows {
            out += row.map(Self.quoted).joined(separator: ",")
            out += "\n"
        }
        return out
    }

    /// Writes `text` to `path` atomically (MDCore `AtomicFile`).
    public func write(to path: String) throws(InputError) {
        try AtomicFile.write(text, to: path)
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return field }
        var out = "\""
        for c in field { out += c == "\"" ? "\"\"" : String(c) }
        return out + "\""
    }
}
