import MDCore

/// The data of a figure as CSV files, one per panel, written beside its SVG.
extension Figure {
    /// One CSV table per panel with its file name: `baseName` + panel letter + ".csv"
    /// ("fig2a.csv" … "fig2d.csv"), or `baseName.csv` for an unlettered one-panel figure.
    /// See `Panel.csvTable()` for the columns.
    public func csvTables(baseName: String) -> [(fileName: String, table: CSVTable)] {
        panels.enumerated().map { k, panel in
            let suffix = panel.letter.map(Self.fileNamePart) ?? (panels.count > 1 ? "\(k + 1)" : "")
            return (Self.fileNamePart(baseName) + suffix + ".csv", panel.csvTable())
        }
    }

    /// Writes `csvTables(baseName:)` into `directory` (which must exist), atomically; returns
    /// the file names written.
    @discardableResult
    public func writeCSV(directory: String, baseName: String) throws(InputError) -> [String] {
        var names: [String] = []
        for (name, table) in csvTables(baseName: baseName) {
            try table.write(to: directory + "/" + name)
            names.append(name)
        }
        return names
    }

    /// `text` restricted to characters safe in a file name and a URL: ASCII letters, digits, '-', '_', '.'.
    static func fileNamePart(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)) }.map(Character.init))
    }
}
