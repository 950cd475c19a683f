#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A text file split into lines and whitespace-separated tokens, keeping 1-based line numbers so
/// that parsers can report `FILE:LINE: error: …`.
public struct TextFile: Sendable {
    /// Path as given by the user (used in messages).
    public let path: String
    /// Raw lines without their terminators.
    public let lines: [Substring]

    /// Reads `path`; a missing or unreadable file is an `InputError`.
    public init(path: String) throws(InputError) {
        let text: String
        do { text = try readWholeFile(path) } catch { throw error }
        self.init(path: path, text: text)
    }

    /// Wraps text already in memory (tests, generated input).
    public init(path: String, text: String) {
        self.path = path
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.last == "\r" ? line.dropLast() : line
        }
    }

    /// Tokens of line `index` (0-based) with everything after `#` removed when `stripComments`.
    public func tokens(_ index: Int, stripComments: Bool = true) -> [Substring] {
        var line = lines[index]
        if stripComments, let hash = line.firstIndex(of: "#") { line = line[..<hash] }
        return line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\u{0C}" })
    }

    /// An error located at line `index` (0-based).
    public func error(_ index: Int, _ reason: String) -> InputError {
        InputError(path: path, line: index + 1, reason: reason)
    }

    /// Parses a finite Double token (Fortran `E` exponents and integers accepted).
    public func double(_ token: Substring, line index: Int, what: String) throws(InputError) -> Double {
        guard let v = Double(token), v.isFinite else {
            throw error(index, "\(what): expected a finite number, got '\(token)'")
        }
        return v
    }

    /// Parses an integer token.
    public func int(_ token: Substring, line index: Int, what: String) throws(InputError) -> Int {
        guard let v = Int(token) else {
            throw error(index, "\(what): expected an integer, got '\(token)'")
        }
        return v
    }
}

/// Reads a whole file as UTF-8 with a clear error.
public func readWholeFile(_ path: String) throws(InputError) -> String {
    guard let f = fopen(path, "rb") else {
        throw InputError(path: path, reason: "cannot open file (\(String(cString: strerror(errno))))")
    }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
        if n > 0 { bytes.append(contentsOf: buffer[0..<n]) }
        if n < buffer.count {
            if ferror(f) != 0 { throw InputError(path: path, reason: "read error") }
            break
        }
    }
    if bytes.isEmpty { throw InputError(path: path, reason: "file is empty") }
    guard let s = String(validating: bytes, as: UTF8.self) else {
        throw InputError(path: path, reason: "file is not UTF-8 text")
    }
    return s
}
