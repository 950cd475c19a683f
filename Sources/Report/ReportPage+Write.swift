#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MDCore

/// Writing a report page and its figure files to a directory.
extension ReportPage {
    /// Writes, into `directory` (created with its parents when missing), each figure's SVG
    /// (`name.svg`) and CSV files (`name` + panel letter + `.csv`), then `index.html`, all
    /// atomically. Returns the file names written, index.html last. Two figures with the same
    /// file name stem are an error (one would overwrite the other).
    @discardableResult
    public func write(toDirectory directory: String) throws(InputError) -> [String] {
        try Self.makeDirectory(directory)
        var written: [String] = []
        var stems: Set<String> = []
        for f in figures {
            let stem = Figure.fileNamePart(f.name)
            guard !stem.isEmpty, stems.insert(stem).inserted else {
                throw InputError(path: directory, reason: "figure name '\(f.name)' is empty or used twice")
            }
            try f.figure.writeSVG(to: directory + "/" + stem + ".svg", idPrefix: f.name)
            written.append(stem + ".svg")
            written += try f.figure.writeCSV(directory: directory, baseName: f.name)
        }
        try AtomicFile.write(html(), to: directory + "/index.html")
        written.append("index.html")
        return written
    }

    /// `mkdir -p`: creates `path` and missing parents (mode 0755).
    static func makeDirectory(_ path: String) throws(InputError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw InputError(path: prefix, reason: "cannot create directory (\(String(cString: strerror(errno))))")
            }
            prefix += "/"
        }
    }
}
