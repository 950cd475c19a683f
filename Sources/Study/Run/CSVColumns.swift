import MDCore

/// A CSV file with a header, read into columns by name (for the report, which draws what the stages
/// wrote). Numbers parse as Double; empty fields and "nan" read as NaN.
package struct CSVColumns {
    let path: String
    let header: [String]
    let rows: [[Substring]]

    init(path: String) throws(InputError) {
        let file = try TextFile(path: path)
        self.path = path
        header = file.line(0).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var rows: [[Substring]] = []
        for k in 1..<file.lineCount {
            let line = file.line(k)
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { Substring($0) }
            guard fields.count == header.count else {
                throw InputError(path: path, line: k + 1, reason: "expected \(header.count) fields, found \(fields.count)")
            }
            rows.append(fields)
        }
        self.rows = rows
    }

    var count: Int { rows.count }

    private func index(_ name: String) throws(InputError) -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw InputError(path: path, line: 1, reason: "missing column '\(name)'")
        }
        return i
    }

    func numbers(_ name: String) throws(InputError) -> [Double] {
        let i = try index(name)
        return rows.map { Double($0[i]) ?? .nan }
    }

    func strings(_ name: String) throws(InputError) -> [String] {
        let i = try index(name)
        return rows.map { String($0[i]) }
    }
}
