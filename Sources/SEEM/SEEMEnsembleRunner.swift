import Dispatch
import Synchronization
import Harvest
import MDCore

/// K independent SEEM runs from each sample's initial state (paper Figs. 3–5), in parallel.
///
/// **Reproducibility.** Run r of sample s draws from `SeededRandom(seed: settings.seed,
/// stream: [FNV-1a(sample id), r])`, so a run's trajectory depends only on (seed, sample id, r): not on
/// the thread count, the other samples or the other runs. Runs are grouped into fixed chunks of
/// `runsPerChunk`; a chunk accumulates its runs' moments in run order and the chunks are merged in
/// chunk order, so the ensemble statistics are bit-identical for any thread count.
public struct SEEMEnsembleRunner: Sendable {
    public let database: StateSpaceDatabase
    public let settings: SEEMSettings
    public let model: SEEMModel

    /// Runs per work item (fixed: it shapes the order of floating-point merges, not the results' meaning).
    public static let runsPerChunk = 8
    /// Runs per sample (the first ones) whose τ curves and stress drops are kept for the distribution
    /// checks (`SEEMValidation`): enough for a 5–95 % band and a KS test, bounded in memory for any K.
    public static let distributionRuns = 1000
    /// Event steps per run kept for the stress-drop distribution (a bound on the buffer, not reached
    /// by any sensible run).
    public static let maxStressChangesPerRun = 1 << 20

    public init(database: StateSpaceDatabase, settings: SEEMSettings, path: String = "database") throws(InputError) {
        self.database = database
        self.settings = settings
        model = try SEEMModel(database: database, settings: settings, path: path)
    }

    /// The initial state of sample `k`'s runs: its recorded state, with τ = 0 for `.zero`.
    public func initialState(sample k: Int) -> [Double] {
        var s = database.samples[k].initialState
        if settings.start == .zero { s[0] = 0 }
        return s
    }

    /// The random stream of run `run` of sample `k`.
    public func stream(sample k: Int, run: Int) -> SeededRandom {
        var h = FNV1a64()
        h.combine(database.samples[k].id)
        return SeededRandom(seed: settings.seed, stream: [h.value, UInt64(run)])
    }

    /// One run of sample `k`: its counters and trajectory on the output grid (outputCount × variables).
    public func trajectory(sample k: Int, run: Int) -> (counters: SEEMRunCounters, values: [Double]) {
        var values = [Double](repeating: 0, count: model.outputCount * model.variableCount)
        var none: [Double] = []
        let c = trajectory(sample: k, run: run, into: &values, stressChanges: &none)
        return (c, values)
    }

    /// One run of sample `k` into caller-owned arrays (see `SEEMModel.run`; an empty `stressChanges`
    /// keeps none).
    func trajectory(sample k: Int, run: Int, into values: inout [Double], stressChanges: inout [Double]) -> SEEMRunCounters {
        var state = initialState(sample: k)
        var rng = stream(sample: k, run: run)
        return model.run(state: &state, steps: model.steps, recordEvery: model.recordEvery, rng: &rng, record: &values,
                         stressChanges: &stressChanges)
    }

    private struct Chunk: Sendable {
        var moments: TrajectoryMoments
        var counters: [SEEMRunCounters]
        var firstRun: [Double]?
        /// τ curves and event-step τ changes of the chunk's runs below `distributionRuns`, in run order.
        var tauRuns: [Double] = []
        var stressChanges: [Double] = []
    }

    /// Runs `settings.runsPerSample` runs for each sample in `samples` (default: all, in database
    /// order) on `threads` threads. O(samples × runs × steps); memory O(chunks × output points).
    public func run(samples: [Int]? = nil, threads: Int) -> SEEMEnsembleResult {
        precondition(threads >= 1)
        let chosen = samples ?? Array(database.samples.indices)
        let k = settings.runsPerSample, per = Self.runsPerChunk
        let chunksPerSample = (k + per - 1) / per
        let items = chosen.flatMap { s in (0..<chunksPerSample).map { (s, $0) } }
        let size = model.outputCount * model.variableCount
        let out = ChunkSlots<Chunk>(count: items.count)
        do {
            let work: (Int) -> Void = { i in
                let (s, c) = items[i]
                var chunk = Chunk(moments: TrajectoryMoments(size: size), counters: [], firstRun: nil)
                var values = [Double](repeating: 0, count: size)
                var changes = [Double](repeating: 0, count: min(model.steps, Self.maxStressChangesPerRun))
                var none: [Double] = []
                for r in (c * per)..<min(k, (c + 1) * per) {
                    let kept = r < Self.distributionRuns
                    let counters = kept ? trajectory(sample: s, run: r, into: &values, stressChanges: &changes)
                                        : trajectory(sample: s, run: r, into: &values, stressChanges: &none)
                    chunk.moments.add(values.span)
                    chunk.counters.append(counters)
                    if r == 0 { chunk.firstRun = values }
                    if kept {
                        for j in 0..<model.outputCount { chunk.tauRuns.append(values[j * model.variableCount]) }
                        chunk.stressChanges += changes[0..<min(counters.eventSteps, changes.count)]
                    }
                }
                out.store(chunk, at: i)
            }
            let workers = min(threads, items.count)
            if workers <= 1 {
                for i in 0..<items.count { work(i) }
            } else {
                nonisolated(unsafe) let run = work
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var i = w
                    while i < items.count { run(i); i += workers }
                }
            }
        }
        let results = out.take()
        var ensembles: [SEEMSampleEnsemble] = []
        for (n, s) in chosen.enumerated() {
            var moments = TrajectoryMoments(size: size)
            var counters: [SEEMRunCounters] = []
            var first: [Double] = [], tauRuns: [Double] = [], changes: [Double] = []
            for c in 0..<chunksPerSample {
                let chunk = results[n * chunksPerSample + c]!
                moments.merge(chunk.moments)
                counters += chunk.counters
                if let f = chunk.firstRun { first = f }
                tauRuns += chunk.tauRuns
                changes += chunk.stressChanges
            }
            let sample = database.samples[s]
            ensembles.append(SEEMSampleEnsemble(sampleIndex: s, id: sample.id, coolingRate: sample.coolingRate,
                                                split: sample.split, initialState: initialState(sample: s),
                                                moments: moments, firstRun: first, counters: counters,
                                                tauRuns: tauRuns, stressChanges: changes))
        }
        return SEEMEnsembleResult(variables: model.variables, outputStrain: model.outputStrain, samples: ensembles)
    }
}

/// One slot per work item, written once each by the worker that ran the item (under a lock: a store
/// is rare next to the runs it follows).
private final class ChunkSlots<Chunk: Sendable>: Sendable {
    private let slots: Mutex<[Chunk?]>
    init(count: Int) { slots = Mutex([Chunk?](repeating: nil, count: count)) }
    func store(_ chunk: Chunk, at i: Int) { slots.withLock { $0[i] = chunk } }
    func take() -> [Chunk?] { slots.withLock { $0 } }
}
