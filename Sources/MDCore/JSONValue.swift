/// A parsed JSON document that remembers where every value came from, so that configs, summaries
/// and databases can be checked with messages like `config.json:12: error: key quench.rates[2]: …`.
///
/// Objects keep their members in file order (duplicate keys are an error). Numbers keep their
/// source text as well as their value (the nearest Double, correctly rounded), so an integer
/// field can insist on an integer literal. No Foundation.
public struct JSONValue: Sendable, Equatable {
    /// The value itself.
    public indirect enum Kind: Sendable, Equatable {
        case null
        case bool(Bool)
        /// The number's value and its literal text as written.
        case number(Double, String)
        case string(String)
        case array([JSONValue])
        /// Members in file order.
        case object([(key: String, value: JSONValue)])

        public static func == (a: Kind, b: Kind) -> Bool {
            switch (a, b) {
            case (.null, .null): return true
            case let (.bool(x), .bool(y)): return x == y
            case let (.number(x, _), .number(y, _)): return x == y
            case let (.string(x), .string(y)): return x == y
            case let (.array(x), .array(y)): return x == y
            case let (.object(x), .object(y)):
                return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
            default: return false
            }
        }
    }

    public var kind: Kind
    /// 1-based line where the value starts (0 when built in code).
    public var line: Int

    /// Equal values, wherever they were written.
    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.kind == b.kind }

    public init(_ kind: Kind, line: Int = 0) {
        self.kind = kind
        self.line = line
    }

    // MARK: Accessors

    /// The member named `key` of an object (nil when absent or when this is not an object).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = kind else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// Members of an object in file order, or nil.
    public var members: [(key: String, value: JSONValue)]? {
        if case .object(let m) = kind { return m }
        return nil
    }

    /// Elements of an array, or nil.
    public var elements: [JSONValue]? {
        if case .array(let a) = kind { return a }
        return nil
    }

    /// A number's value, or nil.
    public var double: Double? {
        if case .number(let x, _) = kind { return x }
        return nil
    }

    /// A number written as an integer literal (no fraction or exponent) that fits in Int, or nil.
    public var int: Int? {
        guard case .number(_, let text) = kind,
              !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) else { return nil }
        return Int(text)
    }

    public var string: String? {
        if case .string(let s) = kind { return s }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let b) = kind { return b }
        return nil
    }

    public var isNull: Bool {
        if case .null = kind { return true }
        return false
    }

    /// "object", "array", "string", "number", "boolean" or "null": for messages.
    public var typeName: String {
        switch kind {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    // MARK: Parsing

    /// Parses `text`; errors name `path` and the line.
    public static func parse(_ text: String, path: String) throws(InputError) -> JSONValue {
        var parser = Parser(bytes: Array(text.utf8), path: path)
        return try parser.document()
    }

    /// Reads and parses the file at `path`.
    public static func read(path: String) throws(InputError) -> JSONValue {
        let bytes = try readWholeFileBytes(path)
        var parser = Parser(bytes: bytes, path: path)
        return try parser.document()
    }

    private struct Parser {
        let bytes: [UInt8]
        let path: String
        var i = 0
        var line = 1
        let maxDepth = 512

        init(bytes: [UInt8], path: String) {
            self.bytes = bytes
            self.path = path
        }

        func fail(_ reason: String) -> InputError {
            InputError(path: path, line: line, reason: "invalid JSON: " + reason)
        }

        mutating func skipSpace() {
            while i < bytes.count {
                switch bytes[i] {
                case 0x20, 0x09, 0x0D: i += 1
                case 0x0A: i += 1; line += 1
                default: return
                }
            }
        }

        mutating func document() throws(InputError) -> JSONValue {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
            skipSpace()
            guard i < bytes.count else { throw fail("the file is empty") }
            let v = try value(depth: 0)
            skipSpace()
            guard i == bytes.count else { throw fail("unexpected text after the end of the document") }
            return v
        }

        mutating func value(depth: Int) throws(InputError) -> JSONValue {
            guard depth < maxDepth else { throw fail("nesting deeper than \(maxDepth)") }
            guard i < bytes.count else { throw fail("unexpected end of file") }
            let start = line
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var members: [(key: String, value: JSONValue)] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return JSONValue(.object(members), line: start) }
                while true {
                    skipSpace()
                    guard i < bytes.count else { throw fail("unexpected end of file inside an object") }
                    guard bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a quoted key") }
                    let keyLine = line
                    let key = try string()
                    if members.contains(where: { $0.key == key }) {
                        throw InputError(path: path, line: keyLine, reason: "invalid JSON: duplicate key \"\(key)\"")
                    }
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':' after key \"\(key)\"") }
                    i += 1
                    skipSpace()
                    members.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    guard i < bytes.count else { throw fail("unexpected end of file inside an object") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return JSONValue(.object(members), line: start) }
                    throw fail("expected ',' or '}' in an object")
                }
            case UInt8(ascii: "["):
                i += 1
                var elements: [JSONValue] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return JSONValue(.array(elements), line: start) }
                while true {
                    skipSpace()
                    elements.append(try value(depth: depth + 1))
                    skipSpace()
                    guard i < bytes.count else { throw fail("unexpected end of file inside an array") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return JSONValue(.array(elements), line: start) }
                    throw fail("expected ',' or ']' in an array")
                }
            case UInt8(ascii: "\""):
                return JSONValue(.string(try string()), line: start)
            case UInt8(ascii: "t"):
                try literal("true"); return JSONValue(.bool(true), line: start)
            case UInt8(ascii: "f"):
                try literal("false"); return JSONValue(.bool(false), line: start)
            case UInt8(ascii: "n"):
                try literal("null"); return JSONValue(.null, line: start)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return try number()
            default:
                throw fail("unexpected character '\(Character(Unicode.Scalar(bytes[i])))'")
            }
        }

        mutating func literal(_ word: String) throws(InputError) {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else {
                throw fail("unknown literal (expected \(word))")
            }
            i += w.count
        }

        mutating func number() throws(InputError) -> JSONValue {
            let start = i
            func digits(_ p: inout Int, _ b: [UInt8]) -> Int {
                let s = p
                while p < b.count, b[p] >= 0x30, b[p] <= 0x39 { p += 1 }
                return p - s
            }
            var p = i
            if bytes[p] == UInt8(ascii: "-") { p += 1 }
            let intStart = p
            let nInt = digits(&p, bytes)
            guard nInt > 0 else { throw fail("malformed number") }
            if nInt > 1, bytes[intStart] == UInt8(ascii: "0") { throw fail("malformed number (leading zero)") }
            if p < bytes.count, bytes[p] == UInt8(ascii: ".") {
                p += 1
                guard digits(&p, bytes) > 0 else { throw fail("malformed number (no digits after '.')") }
            }
            if p < bytes.count, bytes[p] == UInt8(ascii: "e") || bytes[p] == UInt8(ascii: "E") {
                p += 1
                if p < bytes.count, bytes[p] == UInt8(ascii: "+") || bytes[p] == UInt8(ascii: "-") { p += 1 }
                guard digits(&p, bytes) > 0 else { throw fail("malformed number (empty exponent)") }
            }
            i = p
            let text = String(decoding: bytes[start..<p], as: UTF8.self)
            guard let x = Double(text), x.isFinite else { throw fail("number \(text) is out of range") }
            return JSONValue(.number(x, text), line: line)
        }

        mutating func hex4() throws(InputError) -> UInt32 {
            guard i + 4 <= bytes.count else { throw fail("truncated \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[i]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: throw fail("bad \\u escape")
                }
                v = v << 4 | d
                i += 1
            }
            return v
        }

        mutating func string() throws(InputError) -> String {
            i += 1  // opening quote
            var out: [UInt8] = []
            while true {
                guard i < bytes.count else { throw fail("unterminated string") }
                let c = bytes[i]
                if c == UInt8(ascii: "\"") { i += 1; break }
                if c < 0x20 { throw fail("control character inside a string (missing closing quote?)") }
                if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
                i += 1
                guard i < bytes.count else { throw fail("unterminated string") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard i + 2 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                            throw fail("unpaired surrogate in \\u escape")
                        }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate in \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default:
                    throw fail("unknown escape '\\\(Character(Unicode.Scalar(e)))'")
                }
            }
            guard let s = String(validating: out, as: UTF8.self) else { throw fail("string is not valid UTF-8") }
            return s
        }
    }

    // MARK: Writing

    /// The value as JSON text: objects and arrays of containers one member per line, indented by two
    /// spaces; arrays of scalars on one line; numbers in shortest round-trip form. Deterministic.
    public func formatted(indent: Int = 0) -> String {
        let pad = String(repeating: " ", count: indent + 2)
        let close = String(repeating: " ", count: indent)
        switch kind {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let x, let text): return text.isEmpty ? JSONText.number(x) : text
        case .string(let s): return JSONText.string(s)
        case .array(let a):
            if a.isEmpty { return "[]" }
            let scalars = a.allSatisfy { v in
                switch v.kind { case .array, .object: return false; default: return true }
            }
            if scalars { return "[" + a.map { $0.formatted() }.joined(separator: ", ") + "]" }
            return "[\n" + a.map { pad + $0.formatted(indent: indent + 2) }.joined(separator: ",\n") + "\n" + close + "]"
        case .object(let m):
            if m.isEmpty { return "{}" }
            return "{\n" + m.map { pad + JSONText.string($0.key) + ": " + $0.value.formatted(indent: indent + 2) }
                .joined(separator: ",\n") + "\n" + close + "}"
        }
    }

    // MARK: Building

    public static func number(_ x: Double) -> JSONValue { JSONValue(.number(x, JSONText.number(x))) }
    public static func number(_ n: Int) -> JSONValue { JSONValue(.number(Double(n), String(n))) }
    public static func string(_ s: String) -> JSONValue { JSONValue(.string(s)) }
    public static func bool(_ b: Bool) -> JSONValue { JSONValue(.bool(b)) }
    public static let null = JSONValue(.null)
    public static func array(_ a: [JSONValue]) -> JSONValue { JSONValue(.array(a)) }
    public static func numbers(_ a: [Double]) -> JSONValue { JSONValue(.array(a.map { number($0) })) }
    public static func object(_ m: [(String, JSONValue)]) -> JSONValue {
        JSONValue(.object(m.map { (key: $0.0, value: $0.1) }))
    }
}
