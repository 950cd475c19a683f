import MDCore

/// `SeededRandom`'s xoshiro256** held in four locals for the inner loop: the same stream, word for word
/// (checked by a test), but inlined here, where a call across the module boundary would keep the state
/// in memory. Taken from a `SeededRandom` and handed back to it at the end of a run.
@usableFromInline
struct SEEMStream {
    @usableFromInline var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    @inlinable
    init(_ rng: SeededRandom) { (s0, s1, s2, s3) = rng.state }

    /// The generator's state, to continue as a `SeededRandom`.
    @inlinable
    var seededRandom: SeededRandom { SeededRandom(state: (s0, s1, s2, s3)) }

    /// Next 64 random bits (xoshiro256**, Blackman & Vigna 2018).
    @inlinable @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform double in [0, 1) from the top 53 bits (as `SeededRandom.uniform`).
    @inlinable @inline(__always)
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform integer in [0, n), n > 0: the high word of next()·n (bias < n/2⁶⁴).
    @inlinable @inline(__always)
    mutating func index(below n: Int32) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(truncatingIfNeeded: n)).high)
    }
}
