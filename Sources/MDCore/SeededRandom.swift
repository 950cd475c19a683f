/// The project's one random-number generator: xoshiro256** (Blackman & Vigna 2018) seeded through
/// SplitMix64. Pure integer arithmetic, so a seed gives the same stream on every platform; Gaussian
/// variates use the Marsaglia polar method with `portableLog`, which is plain IEEE arithmetic too.
///
/// Independent streams come from `init(seed:stream:)`: the stream words (e.g. rate index, sample
/// index) are mixed into the seed, so adding samples never changes the streams of existing ones.
public struct SeededRandom: Sendable, Equatable {
    /// Generator state (never all zero).
    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    public static func == (l: SeededRandom, r: SeededRandom) -> Bool { l.state == r.state }

    /// A generator for `seed`, optionally specialised to a stream `(w0, w1, …)`.
    public init(seed: UInt64, stream: [UInt64] = []) {
        var mix = SplitMix64(seed)
        for word in stream { mix = SplitMix64(mix.next() ^ word) }
        state = (mix.next(), mix.next(), mix.next(), mix.next())
        if state == (0, 0, 0, 0) { state.0 = 0x9E37_79B9_7F4A_7C15 }
    }

    /// Restores a saved state (`state` of an earlier generator).
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "xoshiro256** state must not be all zero")
        self.state = state
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = Self.rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = Self.rotl(state.3, 45)
        return result
    }

    /// Uniform double in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal variate (polar method; the second variate of each pair is discarded so that
    /// the state is just the four words).
    public mutating func gaussian() -> Double {
        while true {
            let u = 2 * uniform() - 1
            let v = 2 * uniform() - 1
            let r = u * u + v * v
            if r > 0 && r < 1 { return u * (-2 * portableLog(r) / r).squareRoot() }
        }
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): seeds xoshiro from one word.
public struct SplitMix64: Sendable {
    private var x: UInt64
    public init(_ seed: UInt64) { x = seed }
    public mutating func next() -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Natural logarithm from IEEE arithmetic alone (no libm), so random streams are the same on every
/// platform. x = m·2^e with m ∈ [√½, √2); log m = 2·atanh(s), s = (m−1)/(m+1), |s| ≤ 0.172, summed to
/// s²⁹ (truncation below 1e-24). Accurate to about 1 ulp for normal positive x.
public func portableLog(_ x: Double) -> Double {
    precondition(x > 0 && x.isFinite, "portableLog needs a positive finite number")
    var e = Double(x.exponent)
    var m = x.significand  // [1, 2)
    if m > 1.4142135623730951 { m *= 0.5; e += 1 }
    let s = (m - 1) / (m + 1)
    let s2 = s * s
    var series = 1.0 / 29
    var k = 27.0
    while k >= 1 { series = series * s2 + 1 / k; k -= 2 }
    return e * 0.6931471805599453 + 2 * s * series
}
