/// Little-endian binary encoding of the few value kinds checkpoints hold. Doubles are stored as
/// their IEEE-754 bit patterns, so they read back to the same bits.
public struct BinaryWriter: Sendable {
    /// Bytes written so far.
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    public mutating func write(_ v: UInt64) {
        var x = v
        for _ in 0..<8 { bytes.append(UInt8(x & 0xff)); x >>= 8 }
    }
    public mutating func write(_ v: UInt32) {
        var x = v
        for _ in 0..<4 { bytes.append(UInt8(x & 0xff)); x >>= 8 }
    }
    public mutating func write(_ v: Int) { write(UInt64(bitPattern: Int64(v))) }
    public mutating func write(_ v: Double) { write(v.bitPattern) }
    public mutating func write(_ v: Bool) { bytes.append(v ? 1 : 0) }
    /// A length-prefixed UTF-8 string.
    public mutating func write(_ s: String) {
        let u = Array(s.utf8)
        write(UInt64(u.count))
        bytes.append(contentsOf: u)
    }
    /// A length-prefixed byte array.
    public mutating func write(bytes b: [UInt8]) {
        write(UInt64(b.count))
        bytes.append(contentsOf: b)
    }
    /// A length-prefixed array of doubles.
    public mutating func write(_ a: [Double]) {
        write(UInt64(a.count))
        for x in a { write(x) }
    }
    /// A length-prefixed array of 3-vectors (x, y, z of each, in order).
    public mutating func write(_ a: [SIMD3<Double>]) {
        write(UInt64(a.count))
        bytes.reserveCapacity(bytes.count + 24 * a.count)
        for p in a { write(p.x); write(p.y); write(p.z) }
    }
}

/// Reads what `BinaryWriter` wrote; every read checks bounds and throws `BinaryReader.Truncated`.
public struct BinaryReader: Sendable {
    /// Thrown when the data ends early or a length is implausible.
    public struct Truncated: Error, Sendable { public init() {} }

    public let bytes: [UInt8]
    /// Read position.
    public private(set) var offset: Int = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// True when every byte was consumed.
    public var isAtEnd: Bool { offset == bytes.count }

    private mutating func take(_ n: Int) throws(Truncated) -> ArraySlice<UInt8> {
        guard n >= 0, n <= bytes.count - offset else { throw Truncated() }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }

    public mutating func readUInt64() throws(Truncated) -> UInt64 {
        var v: UInt64 = 0
        for (k, b) in try take(8).enumerated() { v |= UInt64(b) << (8 * UInt64(k)) }
        return v
    }
    public mutating func readUInt32() throws(Truncated) -> UInt32 {
        var v: UInt32 = 0
        for (k, b) in try take(4).enumerated() { v |= UInt32(b) << (8 * UInt32(k)) }
        return v
    }
    public mutating func readInt() throws(Truncated) -> Int { Int(Int64(bitPattern: try readUInt64())) }
    public mutating func readDouble() throws(Truncated) -> Double { Double(bitPattern: try readUInt64()) }
    public mutating func readBool() throws(Truncated) -> Bool {
        let b = try take(1)
        guard let v = b.first, v <= 1 else { throw Truncated() }
        return v == 1
    }
    private mutating func readCount(elementSize: Int) throws(Truncated) -> Int {
        let n = try readUInt64()
        guard n <= UInt64(bytes.count - offset) / UInt64(elementSize) else { throw Truncated() }
        return Int(n)
    }
    public mutating func readString() throws(Truncated) -> String {
        let n = try readCount(elementSize: 1)
        guard let s = String(validating: try take(n), as: UTF8.self) else { throw Truncated() }
        return s
    }
    public mutating func readBytes() throws(Truncated) -> [UInt8] {
        let n = try readCount(elementSize: 1)
        return Array(try take(n))
    }
    public mutating func readDoubles() throws(Truncated) -> [Double] {
        let n = try readCount(elementSize: 8)
        var a = [Double]()
        a.reserveCapacity(n)
        for _ in 0..<n { a.append(try readDouble()) }
        return a
    }
    public mutating func readVectors() throws(Truncated) -> [SIMD3<Double>] {
        let n = try readCount(elementSize: 24)
        var a = [SIMD3<Double>]()
        a.reserveCapacity(n)
        for _ in 0..<n { a.append(SIMD3(try readDouble(), try readDouble(), try readDouble())) }
        return a
    }
}
