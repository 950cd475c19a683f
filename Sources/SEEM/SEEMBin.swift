/// One bin of the flattened model, as the inner loop reads it (32 bytes, one load per step).
@usableFromInline
struct SEEMBin: Sendable, Equatable {
    /// Bernoulli: event probability per SEEM step, min(1, λΔγ). Poisson: P(no event) = exp(−λΔγ).
    @usableFromInline var threshold: Double
    /// Poisson mean λΔγ (0 in Bernoulli mode).
    @usableFromInline var mean: Double
    /// The events a triggered event is drawn from: `eventCount` entries from `eventStart` in the
    /// model's jump array (the bin's own, or a fallback bin's).
    @usableFromInline var eventStart: Int32
    @usableFromInline var eventCount: Int32
    /// Bit 0: the bin was never visited (its rate is borrowed, or 0 under `SEEMFallback.none`).
    /// Bit 1: the events are borrowed.
    @usableFromInline var flags: UInt32

    @usableFromInline static let rateFallback: UInt32 = 1
    @usableFromInline static let eventFallback: UInt32 = 2
}
