import Foundation
import Harvest
import MDCore

/// A `StateSpaceDatabase` flattened for the SEEM inner loop (paper Eqs. 3–4), at one SEEM strain step
/// Δγ and event mode: per bin the event threshold and where its events are, the events' plastic jumps,
/// the modulus law G(X1) = G0(1 − X1/u_A), and the strain schedule (steps, output points).
///
/// **Rates.** The database gives p_b = events/visits per database step Δγ_db, i.e. λ_b = p_b/Δγ_db
/// events per unit strain (paper: p = λΔγ). Bernoulli: p′ = min(1, λ_bΔγ) (= p_b exactly when
/// Δγ = Δγ_db; bins where λΔγ > 1 are clamped and counted in `clampedBins`). Poisson: n ~ Poisson(λ_bΔγ).
///
/// **Events.** A database event's `delta` is the total change of s over one database step, elastic
/// loading included. SEEM splits it once, here, into the loading the model itself would have applied
/// over that step from the event's own recorded state, G(X1_e)·Δγ_db on τ (X unchanged), and the
/// plastic jump j_e = delta_e − (G(X1_e)·Δγ_db, 0, …). A SEEM step then applies every event's jump and
/// the loading G(X1)·Δγ of the step, with X1 taken at the start of the step (Eq. 3):
/// s ← s + Σ j + (G(X1)Δγ, 0, …). At Δγ = Δγ_db a one-event step thus equals the harvested total change
/// up to (G(X1) − G(X1_e))·Δγ_db, the modulus difference between the current and the event's state
/// within one bin; at any other Δγ the elastic loading is never counted twice nor lost.
///
/// **Fallback** (`SEEMFallback`). `.nearestVisited`: a bin never visited takes its rate from the nearest
/// visited bin; a triggered event in a bin without events (possible for an unvisited bin, or for the
/// 2nd+ event of a Poisson step) is drawn from the rate bin's events if it has any, else from the
/// nearest bin with events. "Nearest" is the scaled grid-index distance √Σ_a((i_a − j_a)/bins_a)², ties
/// to the lowest flat index. `.none`: an unvisited bin has rate 0 and a bin without events lends none,
/// so the state only loads elastically there. Runs count the steps begun in unvisited bins and the
/// borrowed events (`SEEMRunCounters`).
public struct SEEMModel: Sendable {
    /// Number of state variables (τ first, then X1, …), at most 4.
    public let variableCount: Int
    public let variables: [String]
    /// The database's strain step Δγ_db and the SEEM step Δγ.
    public let databaseStrainStep: Double
    public let strainStep: Double
    public let mode: SEEMEventMode
    /// Elastic loading law between events.
    public let elasticity: SEEMElasticity
    /// What a step does in a never-visited bin.
    public let fallback: SEEMFallback
    public let parameters: ModelParameters
    /// Steps per run (γ_max/Δγ), steps between output points, output points (γ = 0 included).
    public let steps: Int
    public let recordEvery: Int
    public let outputCount: Int
    /// Strain of each output point.
    public var outputStrain: [Double] { (0..<outputCount).map { Double($0 * recordEvery) * strainStep } }

    /// Per bin: the bin its rate comes from (−1: none, rate 0, under `.none`) and the bin its events come
    /// from (−1: no events to draw).
    public let rateSourceBin: [Int]
    public let eventSourceBin: [Int]
    /// Per bin: event probability per SEEM step (Bernoulli) or mean event count (Poisson).
    public let eventsPerStep: [Double]
    /// Bins never visited (rates borrowed, or 0 under `.none`), visited bins without events, bins whose λΔγ was clamped to 1.
    public let unvisitedBins: Int
    public let binsWithoutEvents: Int
    public let clampedBins: Int
    /// Plastic jumps, one per database event, τ in lane 0.
    public let jumps: [SIMD4<Double>]

    @usableFromInline let grid: SEEMGridLookup
    @usableFromInline let table: [SEEMBin]

    /// Largest Poisson mean per step accepted (inversion sampling stays cheap and exact below it).
    public static let maxPoissonMean = 50.0

    /// Flattens `database` for `settings`. Throws for an unusable database (structural problems, no
    /// visited bin, more than 4 variables, non-finite events, bad parameters) or settings that do not
    /// fit it (max strain or output step not whole numbers of SEEM steps, Poisson means too large).
    public init(database db: StateSpaceDatabase, settings: SEEMSettings, path: String = "database") throws(InputError) {
        try settings.validate()
        if let p = db.problem() { throw InputError(path: path, reason: "inconsistent database: " + p) }
        let nv = db.variables.count, nb = db.grid.count
        guard nv <= 4 else { throw InputError(path: path, keyPath: "state_variables", reason: "SEEM handles at most 4 state variables (got \(nv))") }
        if nv >= 2, db.variables[1] != "X1" {
            throw InputError(path: path, keyPath: "state_variables", reason: "the second state variable must be X1 (got \(db.variables[1]))")
        }
        let par = db.parameters
        guard par.G0.value.isFinite, par.G0.value > 0 else {
            throw InputError(path: path, keyPath: "parameters.G0_GPa", reason: "must be a finite number > 0 (got \(par.G0.value))")
        }
        guard par.uA.value.isFinite, par.uA.value > 0 else {
            throw InputError(path: path, keyPath: "parameters.uA_eV_per_atom", reason: "must be a finite number > 0 (got \(par.uA.value))")
        }
        guard db.strainStep.isFinite, db.strainStep > 0 else {
            throw InputError(path: path, keyPath: "strain_step", reason: "must be a finite number > 0")
        }
        for (k, s) in db.samples.enumerated() {
            guard s.initialState.count == nv, s.initialState.allSatisfy(\.isFinite) else {
                throw InputError(path: path, keyPath: "samples[\(k)].initial_state", reason: "needs \(nv) finite numbers (got \(s.initialState))")
            }
        }
        for x in db.eventState where !x.isFinite {
            throw InputError(path: path, keyPath: "events.state", reason: "holds a non-finite value")
        }
        for x in db.eventDelta where !x.isFinite {
            throw InputError(path: path, keyPath: "events.delta", reason: "holds a non-finite value")
        }
        variableCount = nv; variables = db.variables; parameters = par; fallback = settings.fallback
        databaseStrainStep = db.strainStep; mode = settings.mode; elasticity = settings.elasticity

        // Strain schedule.
        let h = settings.strainStep ?? db.strainStep
        strainStep = h
        let tol = SEEMSettings.multipleTolerance
        let n = (settings.maxStrain / h).rounded()
        guard n >= 1, abs(n * h - settings.maxStrain) <= tol * settings.maxStrain else {
            throw InputError(path: "seem", keyPath: "max_strain",
                             reason: "must be a whole number of strain steps \(roundTrip(h)) (got \(roundTrip(settings.maxStrain)))")
        }
        steps = Int(n)
        if let o = settings.outputStrainStep {
            let m = (o / h).rounded()
            guard m >= 1, abs(m * h - o) <= tol * o else {
                throw InputError(path: "seem", keyPath: "output_strain_step",
                                 reason: "must be a whole multiple of the strain step \(roundTrip(h)) (got \(roundTrip(o)))")
            }
            recordEvery = Int(m)
        } else {
            recordEvery = max(1, Int((db.strainStep / h * (1 - tol)).rounded(.up)))
        }
        guard recordEvery <= steps else {
            throw InputError(path: "seem", keyPath: "output_strain_step", reason: "is longer than the run (max strain \(roundTrip(settings.maxStrain)))")
        }
        outputCount = steps / recordEvery + 1

        // Fallback maps.
        let axisBins = db.grid.axes.map { Double($0.bins) }
        let coords = (0..<nb).map { db.grid.indices($0) }
        func nearest(to b: Int, among candidates: [Int]) -> Int {
            var best = -1, bestD = Double.infinity
            for c in candidates {
                var d = 0.0
                for a in 0..<nv {
                    let x = Double(coords[b][a] - coords[c][a]) / axisBins[a]
                    d += x * x
                }
                if d < bestD { bestD = d; best = c }
            }
            return best
        }
        let visited = (0..<nb).filter { db.visits[$0] > 0 }
        let withEvents = (0..<nb).filter { db.eventCounts[$0] > 0 }
        guard !visited.isEmpty else { throw InputError(path: path, keyPath: "bins.visits", reason: "no bin was ever visited") }
        var rateSource = [Int](repeating: 0, count: nb), eventSource = [Int](repeating: -1, count: nb)
        for b in 0..<nb {
            switch settings.fallback {
            case .nearestVisited:
                let r = db.visits[b] > 0 ? b : nearest(to: b, among: visited)
                rateSource[b] = r
                eventSource[b] = db.eventCounts[r] > 0 ? r : (withEvents.isEmpty ? -1 : nearest(to: b, among: withEvents))
            case .none:
                rateSource[b] = db.visits[b] > 0 ? b : -1
                eventSource[b] = db.eventCounts[b] > 0 ? b : -1
            }
        }
        rateSourceBin = rateSource; eventSourceBin = eventSource
        unvisitedBins = nb - visited.count
        binsWithoutEvents = visited.count - withEvents.count

        // Rates per SEEM step.
        let ratio = h / db.strainStep
        let offsets = db.eventOffsets
        var perStep = [Double](repeating: 0, count: nb)
        var bins = [SEEMBin](repeating: SEEMBin(threshold: 0, mean: 0, eventStart: 0, eventCount: 0, flags: 0), count: nb)
        var clamped = 0
        for b in 0..<nb {
            let r = rateSource[b]
            let p = r < 0 ? 0 : Double(db.eventCounts[r]) / Double(db.visits[r])
            let lh = settings.strainStep == nil ? p : p * ratio
            var entry = SEEMBin(threshold: 0, mean: 0, eventStart: 0, eventCount: 0, flags: 0)
            switch settings.mode {
            case .bernoulli:
                if lh > 1 { clamped += 1 }
                entry.threshold = min(1, lh)
                perStep[b] = entry.threshold
            case .poisson:
                guard lh <= Self.maxPoissonMean else {
                    throw InputError(path: "seem", keyPath: "strain_step",
                                     reason: "too large for Poisson mode: \(roundTrip(lh)) events per step expected in bin \(r) (at most \(roundTrip(Self.maxPoissonMean)))")
                }
                entry.mean = lh
                entry.threshold = Foundation.exp(-lh)
                perStep[b] = lh
            }
            let e = eventSource[b]
            if e >= 0 {
                entry.eventStart = Int32(offsets[e])
                entry.eventCount = Int32(offsets[e + 1] - offsets[e])
            }
            if db.visits[b] == 0 { entry.flags |= SEEMBin.rateFallback }
            if e >= 0 && e != b { entry.flags |= SEEMBin.eventFallback }
            bins[b] = entry
        }
        eventsPerStep = perStep
        clampedBins = clamped
        grid = SEEMGridLookup(db.grid)
        table = bins

        // Plastic jumps: total change minus the model's own loading over one database step.
        var j = [SIMD4<Double>](repeating: .zero, count: db.eventCount)
        for e in 0..<db.eventCount {
            let x1 = nv >= 2 ? db.eventState[e * nv + 1] : 0
            var v = SIMD4<Double>.zero
            for a in 0..<nv { v[a] = db.eventDelta[e * nv + a] }
            v[0] -= par.elasticSlope(x1: x1, tau: db.eventState[e * nv], elasticity: settings.elasticity) * db.strainStep
            j[e] = v
        }
        jumps = j

        // Loading consistency: the model's mean dτ/dγ per visited bin against the harvested flow.
        var wsum = 0.0, msum = 0.0, m2sum = 0.0
        for b in 0..<nb where db.visits[b] > 0 && db.flow[b * nv].isFinite {
            let x1 = nv >= 2 ? db.grid.axes[1].center(db.grid.indices(b)[1]) : 0
            var jump = 0.0
            for e in offsets[b]..<offsets[b + 1] { jump += j[e][0] }
            let tau = db.grid.axes[0].center(db.grid.indices(b)[0])
            let drift = par.elasticSlope(x1: x1, tau: tau, elasticity: settings.elasticity) + jump / (Double(db.visits[b]) * db.strainStep)
            let m = drift - db.flow[b * nv], w = Double(db.visits[b])
            wsum += w; msum += w * m; m2sum += w * m * m
        }
        loadingMismatch = wsum > 0 ? (msum / wsum, (m2sum / wsum).squareRoot()) : (.nan, .nan)
    }

    /// Visit-weighted mean and RMS over visited bins of (model dτ/dγ − harvested flow dτ/dγ), GPa per
    /// unit strain: G(X1 of the bin centre) + Σ jumps/(visits·Δγ_db) − `flow[τ]`. Non-zero when the
    /// non-event steps of the histories did not load at G(X1) (nonlinear elasticity, sub-threshold drops):
    /// SEEM then drifts by about this much stress per unit strain relative to AQS. NaN without flow data.
    public let loadingMismatch: (mean: Double, rms: Double)

    /// Flat bin of a state (one value per variable), as the inner loop computes it.
    public func bin(of state: [Double]) -> Int { grid.bin(Self.lanes(state)) }

    /// A state vector in SIMD lanes (unused lanes 0).
    @usableFromInline
    static func lanes(_ state: [Double]) -> SIMD4<Double> {
        var s = SIMD4<Double>.zero
        for a in 0..<min(4, state.count) { s[a] = state[a] }
        return s
    }

    /// The model's summary for metrics.json: sizes, fallbacks, schedule.
    public var json: JSONValue {
        .object([("state_variables", .array(variables.map { .string($0) })),
                 ("database_strain_step", .number(databaseStrainStep)), ("strain_step", .number(strainStep)),
                 ("mode", .string(mode.rawValue)), ("fallback", .string(fallback.rawValue)), ("steps_per_run", .number(steps)),
                 ("output_every_steps", .number(recordEvery)), ("output_points", .number(outputCount)),
                 ("bins", .number(table.count)), ("unvisited_bins", .number(unvisitedBins)),
                 ("visited_bins_without_events", .number(binsWithoutEvents)),
                 ("bins_with_probability_clamped_to_1", .number(clampedBins)), ("events", .number(jumps.count)),
                 ("loading_mismatch_mean_GPa", .number(loadingMismatch.mean)),
                 ("loading_mismatch_rms_GPa", .number(loadingMismatch.rms))])
    }
}
