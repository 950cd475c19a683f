/// The 64-bit FNV-1a hash (Fowler, Noll, Vo): a small, fast, non-cryptographic hash used for
/// checkpoint checksums and for the keys that tie a checkpoint to its inputs and settings.
///
/// Offset basis 0xcbf29ce484222325, prime 0x100000001b3; bytes are folded in order
/// (h ^= byte; h *= prime). Multi-byte values are hashed as their little-endian bytes.
public struct FNV1a64: Sendable, Equatable {
    /// The running hash.
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    /// Folds in `bytes`.
    public mutating func combine<C: Sequence>(bytes: C) where C.Element == UInt8 {
        var h = value
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        value = h
    }

    /// Folds in the bytes of `bytes`.
    public mutating func combine(_ bytes: Span<UInt8>) {
        var h = value
        for i in bytes.indices { h = (h ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01b3 }
        value = h
    }

    /// Folds in the UTF-8 bytes of `text`.
    public mutating func combine(_ text: String) { combine(bytes: text.utf8) }

    /// Folds in the 8 little-endian bytes of `x`.
    public mutating func combine(_ x: UInt64) {
        var h = value
        var v = x
        for _ in 0..<8 {
            h = (h ^ (v & 0xff)) &* 0x0000_0100_0000_01b3
            v >>= 8
        }
        value = h
    }

    /// The hash of `bytes`.
    public static func hash<C: Sequence>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h = FNV1a64()
        h.combine(bytes: bytes)
        return h.value
    }

    /// The value as 16 lowercase hex digits.
    public static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
