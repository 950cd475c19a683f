#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A text file split into lines and whitespace-separated tokens, keeping 1-based line numbers so
/// that parsers can report `FILE:LINE: error: …`. Works on the raw UTF-8 bytes (no Character
/// processing), so a 10 MB potential or data file parses in well under a second.
public struct TextFile: Sendable {
    /// Path as given by the user (used in messages).
    public let path: String
    /// The file's bytes followed by one NUL (so C number parsers stop at the end).
    private let bytes: [UInt8]
    /// Byte offset where each line starts and ends (terminator excluded).
    private let lineStart: [Int]
    private let lineEnd: [Int]

    /// Reads `path`; a missing or unreadable file is an `InputError`.
    public init(path: String) throws(InputError) {
        self.init(path: path, bytes: try readWholeFileBytes(path))
    }

    /// Wraps text already in memory (tests, generated input).
    public init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    private init(path: String, bytes raw: [UInt8]) {
        self.path = path
        var b = raw
        b.append(0)
        var starts = [0], ends: [Int] = []
        for (k, c) in raw.enumerated() where c == 10 {
            ends.append(k)
            starts.append(k + 1)
        }
        if starts.last == raw.count && starts.count > 1 { starts.removeLast() } else { ends.append(raw.count) }
        self.bytes = b
        self.lineStart = starts
        self.lineEnd = ends
    }

    /// Number of lines.
    public var lineCount: Int { lineStart.count }
    /// Size of the file in bytes.
    public var byteCount: Int { bytes.count - 1 }

    /// True for the characters a decimal number may contain (digits, sign, point, exponent). Hex,
    /// `inf` and `nan`, which C and Swift parsers also accept, are rejected as LAMMPS rejects them.
    @inline(__always)
    static func isNumberCharacter(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || c == 43 || c == 45 || c == 46 || c == 101 || c == 69
    }

    /// Byte range of line `index` without its terminator (and without a trailing CR).
    private func range(_ index: Int) -> Range<Int> {
        let start = lineStart[index]
        var end = lineEnd[index]
        if end > start && bytes[end - 1] == 13 { end -= 1 }
        return start..<end
    }

    /// The text of line `index` (0-based).
    public func line(_ index: Int) -> String {
        String(decoding: bytes[range(index)], as: UTF8.self)
    }

    @inline(__always)
    private static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 13 || c == 12 || c == 11 }

    /// Byte ranges of the tokens of line `index`, stopping at `#` when `stripComments`.
    private func tokenRanges(_ index: Int, stripComments: Bool) -> [Range<Int>] {
        var out: [Range<Int>] = []
        let r = range(index)
        var k = r.lowerBound
        while k < r.upperBound {
            while k < r.upperBound && Self.isSpace(bytes[k]) { k += 1 }
            if k >= r.upperBound || (stripComments && bytes[k] == 35) { break }
            let s = k
            while k < r.upperBound && !Self.isSpace(bytes[k]) && !(stripComments && bytes[k] == 35) { k += 1 }
            out.append(s..<k)
        }
        return out
    }

    /// Tokens of line `index` (0-based) with everything after `#` removed when `stripComments`.
    public func tokens(_ index: Int, stripComments: Bool = true) -> [Substring] {
        tokenRanges(index, stripComments: stripComments).map { Substring(String(decoding: bytes[$0], as: UTF8.self)) }
    }

    /// True when line `index` holds no token (blank or comment only).
    public func isBlank(_ index: Int) -> Bool {
        let r = range(index)
        for k in r {
            let c = bytes[k]
            if c == 35 { return true }
            if !Self.isSpace(c) { return false }
        }
        return true
    }

    /// Appends the numbers of line `index` to `values` until it holds `limit` values; the rest of the
    /// line is ignored. Every token read must be a whole finite number. Returns how many were read.
    @discardableResult
    public func appendNumbers(_ index: Int, to values: inout [Double], limit: Int, what: String) throws(InputError) -> Int {
        let r = range(index)
        var read = 0
        var failure: (token: String, reason: String)?
        let buf = bytes.span
        var k = r.lowerBound
        while k < r.upperBound && values.count < limit {
            while k < r.upperBound && Self.isSpace(buf[k]) { k += 1 }
            if k >= r.upperBound || buf[k] == 35 { break }
            let (v, stop) = parseDouble(bytes, at: k)
            var t = k
            while t < r.upperBound && !Self.isSpace(buf[t]) && buf[t] != 35 { t += 1 }
            var decimal = true
            for c in bytes[k..<t] where !Self.isNumberCharacter(c) { decimal = false; break }
            if stop != t || stop == k || !decimal {
                failure = (String(decoding: bytes[k..<t], as: UTF8.self), "expected a number"); break
            }
            if !v.isFinite {
                failure = (String(decoding: bytes[k..<t], as: UTF8.self), "expected a finite number"); break
            }
            values.append(v)
            read += 1
            k = t
        }
        if let failure { throw error(index, "\(what): \(failure.reason), got '\(failure.token)'") }
        return read
    }

    /// An error located at line `index` (0-based).
    public func error(_ index: Int, _ reason: String) -> InputError {
        InputError(path: path, line: index + 1, reason: reason)
    }

    /// Parses a finite Double token (Fortran `E` exponents and integers accepted).
    public func double(_ token: Substring, line index: Int, what: String) throws(InputError) -> Double {
        guard token.utf8.allSatisfy(Self.isNumberCharacter), let v = Double(token), v.isFinite else {
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

/// Reads a whole text file's bytes with a clear error: empty files and files with NUL bytes are
/// not text.
public func readWholeFileBytes(_ path: String) throws(InputError) -> [UInt8] {
    let bytes = try readBinaryFile(path)
    if bytes.isEmpty { throw InputError(path: path, reason: "file is empty") }
    if bytes.contains(0) { throw InputError(path: path, reason: "file is not text (contains NUL bytes)") }
    return bytes
}

/// Reads a whole file as UTF-8 text with a clear error.
public func readWholeFile(_ path: String) throws(InputError) -> String {
    let bytes = try readWholeFileBytes(path)
    guard let s = String(validating: bytes, as: UTF8.self) else {
        throw InputError(path: path, reason: "file is not UTF-8 text")
    }
    return s
}
