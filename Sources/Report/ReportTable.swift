/// A table for the report page, e.g. Table I (parameter, value ± standard error, unit) or a
/// table of validation metrics.
public struct ReportTable: Sendable, Equatable {
    /// Label printed before the caption, e.g. "Table I."; nil numbers tables in page order.
    public var label: String?
    /// Caption text.
    public var caption: String
    /// Column headings.
    public var columns: [String]
    /// Rows, each with `columns.count` cells.
    public private(set) var rows: [[TableCell]]

    /// A table with `caption`, column headings and rows (each `columns.count` cells).
    public init(caption: String, columns: [String], rows: [[TableCell]] = [], label: String? = nil) {
        self.caption = caption
        self.columns = columns
        self.label = label
        self.rows = []
        for row in rows { append(row) }
    }

    /// Appends a row of exactly `columns.count` cells.
    public mutating func append(_ row: [TableCell]) {
        precondition(row.count == columns.count, "table row has \(row.count) cells, table has \(columns.count) columns")
        rows.append(row)
    }
}
