// KERNEL FILE (unsafe by design): the SEEM integrators, 5–10 ns per strain step, read the bin table
// and the jump table and write the record rows through raw buffer pointers (no bounds checks in the
// step loop; docs/ARCHITECTURE.md, "Unsafe code"). The public entry points take arrays.
// Invariants: the pointers come from `withUnsafe…BufferPointer` on the model's `table` and `jumps`
// and on the caller's arrays, and do not outlive `run`; every bin index comes from `grid.bin` (in
// 0..<table.count), every jump index is `eventStart + index(below: eventCount)` of a bin (in
// 0..<jumps.count, checked when the model is built), a record row is written only while
// row < ⌊steps/recordEvery⌋ + 1 (the record size is checked first), and a τ change only at an index
// below the stressChanges count.

import Harvest
import MDCore

extension SEEMModel {
    /// Integrates one SEEM trajectory (paper Eq. 4, or Eq. 3 in Poisson mode) for `steps` strain steps
    /// from `initial` (one value per state variable, τ first), drawing from `rng`.
    ///
    /// Each step: bin b of the state at the start; one uniform draw u; Bernoulli: an event if u < p_b;
    /// Poisson: n events by inversion of the same u (none if u < e^{−μ_b}). Each event is drawn uniformly
    /// from its bin's events (a second draw) and adds its plastic jump; then τ += G(X1)·Δγ with X1 of the
    /// step's start. The 2nd+ event of a Poisson step is drawn from the bin of the state after the
    /// previous events. `record` (if given) receives the state after steps 0, m, 2m, … (m = `recordEvery`),
    /// `variableCount` values each: it needs ⌊steps/m⌋ + 1 rows. `stressChanges` (if given) receives the
    /// τ change of every step with an event, in order (the run's stress drops, loading of the step
    /// included, as a harvested event's total change): min(`eventSteps`, its count) values.
    /// On return `initial` holds the final state. No allocation; about 5–10 ns per step.
    public func run(state: inout [Double], steps: Int, recordEvery: Int, rng: inout SeededRandom) -> SEEMRunCounters {
        runKernel(state: &state, steps: steps, recordEvery: recordEvery, rng: &rng, record: nil, stressChanges: nil)
    }

    /// `run(state:steps:recordEvery:rng:)`, recording the state into `record` (see there).
    public func run(state: inout [Double], steps: Int, recordEvery: Int, rng: inout SeededRandom,
                    record: inout [Double]) -> SEEMRunCounters {
        record.withUnsafeMutableBufferPointer { r in
            runKernel(state: &state, steps: steps, recordEvery: recordEvery, rng: &rng, record: r, stressChanges: nil)
        }
    }

    /// `run(state:steps:recordEvery:rng:)`, recording the state into `record` and the τ changes of the
    /// steps with an event into `stressChanges` (its first min(eventSteps, count) values; see there).
    public func run(state: inout [Double], steps: Int, recordEvery: Int, rng: inout SeededRandom,
                    record: inout [Double], stressChanges: inout [Double]) -> SEEMRunCounters {
        record.withUnsafeMutableBufferPointer { r in
            stressChanges.withUnsafeMutableBufferPointer { d in
                runKernel(state: &state, steps: steps, recordEvery: recordEvery, rng: &rng, record: r, stressChanges: d)
            }
        }
    }

    private func runKernel(state: inout [Double], steps: Int, recordEvery: Int, rng: inout SeededRandom,
                           record: UnsafeMutableBufferPointer<Double>?,
                           stressChanges: UnsafeMutableBufferPointer<Double>?) -> SEEMRunCounters {
        precondition(state.count == variableCount, "state needs \(variableCount) values")
        precondition(steps >= 0 && recordEvery >= 1)
        if let record { precondition(record.count >= (steps / recordEvery + 1) * variableCount, "record buffer too small") }
        var s = Self.lanes(state)
        var counters = SEEMRunCounters()
        var stream = SEEMStream(rng)
        table.withUnsafeBufferPointer { bins in
            jumps.withUnsafeBufferPointer { jumps in
                switch mode {
                case .bernoulli:
                    integrateBernoulli(&s, steps: steps, recordEvery: recordEvery, rng: &stream, bins: bins, jumps: jumps,
                                       record: record?.baseAddress, drops: stressChanges, counters: &counters)
                case .poisson:
                    integratePoisson(&s, steps: steps, recordEvery: recordEvery, rng: &stream, bins: bins, jumps: jumps,
                                     record: record?.baseAddress, drops: stressChanges, counters: &counters)
                }
            }
        }
        rng = stream.seededRandom
        for a in 0..<variableCount { state[a] = s[a] }
        return counters
    }

    /// τ loading per step from state s: G(X1)·Δγ (linear) or G_t(X1, τ)·Δγ (nonlinear), GPa.
    @inline(__always)
    func loading(_ s: SIMD4<Double>) -> Double { parameters.elasticSlope(x1: s[1], tau: s[0], elasticity: elasticity) * strainStep }

    @inline(__always)
    func store(_ s: SIMD4<Double>, _ record: UnsafeMutablePointer<Double>?, _ row: Int) {
        guard let record else { return }
        for a in 0..<variableCount { record[row * variableCount + a] = s[a] }
    }

    /// Bernoulli kernel. Per step: reads one 32-byte bin entry (the table is a few KB, L1-resident),
    /// one random word; on an event a second word and one 32-byte jump (and one stored τ change).
    func integrateBernoulli(_ state: inout SIMD4<Double>, steps: Int, recordEvery: Int, rng rng0: inout SEEMStream,
                            bins: UnsafeBufferPointer<SEEMBin>, jumps: UnsafeBufferPointer<SIMD4<Double>>,
                            record: UnsafeMutablePointer<Double>?, drops: UnsafeMutableBufferPointer<Double>?,
                            counters: inout SEEMRunCounters) {
        let kept = drops?.count ?? 0
        let grid = self.grid
        var s = state, load = loading(s), peak = s[0]
        var rng = rng0
        var events = 0, rateFallback = 0, eventFallback = 0, outside = 0
        var row = 0, untilRecord = recordEvery
        store(s, record, row)
        for _ in 0..<steps {
            let e = bins[grid.bin(s, outside: &outside)]
            rateFallback &+= Int(e.flags & SEEMBin.rateFallback)
            let u = rng.uniform()
            let l = elasticity == .linear ? load : loading(s)
            if u < e.threshold {
                let k = Int(e.eventStart) + rng.index(below: e.eventCount)
                s += jumps[k]
                if events < kept { drops.unsafelyUnwrapped[events] = jumps[k][0] + l }
                events &+= 1
                eventFallback &+= Int((e.flags & SEEMBin.eventFallback) >> 1)
                load = loading(s)
            }
            s[0] += l
            if s[0] > peak { peak = s[0] }
            untilRecord &-= 1
            if untilRecord == 0 { row &+= 1; store(s, record, row); untilRecord = recordEvery }
        }
        state = s
        rng0 = rng
        counters.steps = steps; counters.events = events; counters.eventSteps = events
        counters.rateFallbackSteps = rateFallback; counters.eventFallbackDraws = eventFallback
        counters.outOfGridSteps = outside; counters.peakStress = peak
    }

    /// Poisson kernel: as Bernoulli, with the event count found by inverting the step's uniform draw
    /// through the Poisson CDF (sequential search, one multiply and add per extra event).
    func integratePoisson(_ state: inout SIMD4<Double>, steps: Int, recordEvery: Int, rng rng0: inout SEEMStream,
                          bins: UnsafeBufferPointer<SEEMBin>, jumps: UnsafeBufferPointer<SIMD4<Double>>,
                          record: UnsafeMutablePointer<Double>?, drops: UnsafeMutableBufferPointer<Double>?,
                          counters: inout SEEMRunCounters) {
        let kept = drops?.count ?? 0
        let grid = self.grid
        let maxEvents = 1_000
        var s = state, load = loading(s), peak = s[0]
        var rng = rng0
        var events = 0, eventSteps = 0, rateFallback = 0, eventFallback = 0, outside = 0
        var row = 0, untilRecord = recordEvery
        store(s, record, row)
        for _ in 0..<steps {
            var e = bins[grid.bin(s, outside: &outside)]
            rateFallback &+= Int(e.flags & SEEMBin.rateFallback)
            let u = rng.uniform()
            let l = elasticity == .linear ? load : loading(s)
            if u >= e.threshold {
                // n ≥ 1: smallest n with u < F(n).
                var n = 1
                var pk = e.threshold * e.mean, cdf = e.threshold + pk
                while u >= cdf && n < maxEvents { n += 1; pk *= e.mean / Double(n); cdf += pk }
                var change = l
                for i in 0..<n {
                    if i > 0 { e = bins[grid.bin(s)] }
                    if e.eventCount == 0 { continue }  // no events anywhere in the database (rate is then 0)
                    let k = Int(e.eventStart) + rng.index(below: e.eventCount)
                    s += jumps[k]
                    change += jumps[k][0]
                    events &+= 1
                    eventFallback &+= Int((e.flags & SEEMBin.eventFallback) >> 1)
                }
                if eventSteps < kept { drops.unsafelyUnwrapped[eventSteps] = change }
                eventSteps &+= 1
                load = loading(s)
            }
            s[0] += l
            if s[0] > peak { peak = s[0] }
            untilRecord &-= 1
            if untilRecord == 0 { row &+= 1; store(s, record, row); untilRecord = recordEvery }
        }
        state = s
        rng0 = rng
        counters.steps = steps; counters.events = events; counters.eventSteps = eventSteps
        counters.rateFallbackSteps = rateFallback; counters.eventFallbackDraws = eventFallback
        counters.outOfGridSteps = outside; counters.peakStress = peak
    }
}
