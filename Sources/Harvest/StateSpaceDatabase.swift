import MDCore

/// The harvested event statistics on a grid over the state vector s = (τ, X1, …, XM) (paper Figs. 2
/// and 3): per bin the visits and events, the event probability per strain step (λΔγ), the mean change
/// of s per event and the mean flow ds/dγ; and every event itself (state before, total change over the
/// step), grouped by bin, for SEEM to sample from.
///
/// Conventions shared with SEEM: a *visit* is one recorded state k < last of a history (the start of a
/// strain step k → k+1); an *event* is a step flagged plastic; its `delta` is the total change of the
/// state over that step, s(k+1) − s(k), elastic part included. Arrays indexed by (bin, variable) are
/// flat, variable fastest. Statistics of bins without events (or visits) are NaN, `null` in JSON.
public struct StateSpaceDatabase: Sendable, Equatable {
    public static let format = "seem-database/1"

    /// A sample that contributed (split "train") or was held out (split "test").
    public struct Sample: Sendable, Equatable {
        public var id: String
        /// AQS output directory it was read from.
        public var directory: String
        public var coolingRate: Double?
        /// "train" or "test".
        public var split: String
        /// Initial state s(γ = 0), one value per state variable.
        public var initialState: [Double]

        public init(id: String, directory: String, coolingRate: Double?, split: String, initialState: [Double]) {
            self.id = id; self.directory = directory; self.coolingRate = coolingRate
            self.split = split; self.initialState = initialState
        }
    }

    /// Names of the state variables in state-vector order; "tau" first, then "X1", ….
    public var variables: [String]
    public var parameters: ModelParameters
    /// Strain step Δγ of the histories the statistics refer to.
    public var strainStep: Double
    /// Stress-drop threshold used to flag events, GPa.
    public var eventThreshold: Double
    public var grid: StateGrid
    public var samples: [Sample]

    /// Per bin: visited states (strain steps started in the bin) and events among them.
    public var visits: [Int]
    public var eventCounts: [Int]
    /// Per (bin, variable): mean change per event; mean total change per unit strain over all visits.
    public var meanDelta: [Double]
    public var flow: [Double]

    /// Per event, sorted by bin, then sample, then step: bin, sample index, step k (the event happens
    /// over k → k+1), state before (per variable) and total change (per variable).
    public var eventBin: [Int]
    public var eventSample: [Int]
    public var eventStep: [Int]
    public var eventState: [Double]
    public var eventDelta: [Double]
    /// Free-form provenance (config hash, potential hash, code version, …).
    public var provenance: JSONValue

    public init(variables: [String], parameters: ModelParameters, strainStep: Double, eventThreshold: Double,
                grid: StateGrid, samples: [Sample], visits: [Int], eventCounts: [Int], meanDelta: [Double],
                flow: [Double], eventBin: [Int], eventSample: [Int], eventStep: [Int], eventState: [Double],
                eventDelta: [Double], provenance: JSONValue = .object([])) {
        self.variables = variables; self.parameters = parameters; self.strainStep = strainStep
        self.eventThreshold = eventThreshold; self.grid = grid; self.samples = samples
        self.visits = visits; self.eventCounts = eventCounts; self.meanDelta = meanDelta; self.flow = flow
        self.eventBin = eventBin; self.eventSample = eventSample; self.eventStep = eventStep
        self.eventState = eventState; self.eventDelta = eventDelta; self.provenance = provenance
    }

    /// Number of events.
    public var eventCount: Int { eventBin.count }

    /// Event probability per strain step in bin `b` (events/visits; NaN when unvisited).
    public func eventProbability(bin b: Int) -> Double {
        visits[b] > 0 ? Double(eventCounts[b]) / Double(visits[b]) : .nan
    }

    /// Offsets of each bin's events in the event arrays (count + 1 entries): bin b's events are
    /// eventOffsets[b] ..< eventOffsets[b + 1].
    public var eventOffsets: [Int] {
        var offsets = [Int](repeating: 0, count: grid.count + 1)
        for b in eventBin { offsets[b + 1] += 1 }
        for b in 0..<grid.count { offsets[b + 1] += offsets[b] }
        return offsets
    }

    /// Structural problems (array sizes, unsorted events, out-of-range indices), as one message.
    public func problem() -> String? {
        let nb = grid.count, nv = variables.count, ne = eventBin.count
        if let p = grid.problem() { return p }
        if grid.axes.count != nv { return "grid has \(grid.axes.count) axes for \(nv) state variables" }
        if variables.first != "tau" { return "the first state variable must be tau" }
        if visits.count != nb || eventCounts.count != nb { return "per-bin arrays must have \(nb) entries" }
        if meanDelta.count != nb * nv || flow.count != nb * nv { return "per-bin vectors must have \(nb)×\(nv) entries" }
        if eventSample.count != ne || eventStep.count != ne || eventState.count != ne * nv || eventDelta.count != ne * nv {
            return "event arrays have inconsistent lengths"
        }
        var last = -1
        var counts = [Int](repeating: 0, count: nb)
        for e in 0..<ne {
            let b = eventBin[e]
            guard b >= 0, b < nb else { return "event \(e): bin \(b) out of range" }
            guard b >= last else { return "events are not sorted by bin" }
            guard eventSample[e] >= 0, eventSample[e] < samples.count else { return "event \(e): sample index out of range" }
            last = b
            counts[b] += 1
        }
        if counts != eventCounts { return "per-bin event counts do not match the events" }
        for b in 0..<nb where eventCounts[b] > visits[b] { return "bin \(b) has more events than visits" }
        return nil
    }

    // MARK: JSON

    private static func numbers(_ xs: [Double]) -> JSONValue { .numbers(xs) }
    private static func ints(_ xs: [Int]) -> JSONValue { .array(xs.map { .number($0) }) }

    /// The database as a JSON document (NaN written as null). Deterministic.
    public var json: JSONValue {
        let samplesJSON: JSONValue = .array(samples.map { s in
            .object([("id", .string(s.id)), ("directory", .string(s.directory)),
                     ("cooling_rate_K_per_s", s.coolingRate.map { .number($0) } ?? .null),
                     ("split", .string(s.split)), ("initial_state", .numbers(s.initialState))])
        })
        let probability = (0..<grid.count).map { eventProbability(bin: $0) }
        return .object([
            ("format", .string(Self.format)),
            ("state_variables", .array(variables.map { .string($0) })),
            ("parameters", parameters.json),
            ("strain_step", .number(strainStep)),
            ("event_threshold_GPa", .number(eventThreshold)),
            ("grid", grid.json),
            ("samples", samplesJSON),
            ("bins", .object([("visits", Self.ints(visits)), ("events", Self.ints(eventCounts)),
                              ("event_probability", Self.numbers(probability)),
                              ("mean_delta", Self.numbers(meanDelta)), ("flow", Self.numbers(flow))])),
            ("events", .object([("bin", Self.ints(eventBin)), ("sample", Self.ints(eventSample)),
                                ("step", Self.ints(eventStep)), ("state", Self.numbers(eventState)),
                                ("delta", Self.numbers(eventDelta))])),
            ("provenance", provenance),
        ])
    }

    /// Writes the database atomically to `path`.
    public func write(to path: String) throws(InputError) {
        try AtomicFile.write(json.formatted() + "\n", to: path)
    }

    /// Reads and checks a database written by `write(to:)`.
    public static func read(path: String) throws(InputError) -> StateSpaceDatabase {
        let doc = try JSONValue.read(path: path)
        func member(_ v: JSONValue?, _ key: String, parent: JSONValue) throws(InputError) -> JSONValue {
            guard let v else { throw InputError(path: path, line: parent.line, keyPath: key, reason: "missing") }
            return v
        }
        func doubles(_ v: JSONValue?, _ key: String, parent: JSONValue) throws(InputError) -> [Double] {
            let v = try member(v, key, parent: parent)
            guard let a = v.elements else { throw InputError(path: path, line: v.line, keyPath: key, reason: "must be an array") }
            var out: [Double] = []
            out.reserveCapacity(a.count)
            for (k, e) in a.enumerated() {
                if e.isNull { out.append(.nan); continue }
                guard let x = e.double else {
                    throw InputError(path: path, line: e.line, keyPath: "\(key)[\(k)]", reason: "must be a number or null")
                }
                out.append(x)
            }
            return out
        }
        func ints(_ v: JSONValue?, _ key: String, parent: JSONValue) throws(InputError) -> [Int] {
            let v = try member(v, key, parent: parent)
            guard let a = v.elements else { throw InputError(path: path, line: v.line, keyPath: key, reason: "must be an array") }
            var out: [Int] = []
            out.reserveCapacity(a.count)
            for (k, e) in a.enumerated() {
                guard let x = e.int else {
                    throw InputError(path: path, line: e.line, keyPath: "\(key)[\(k)]", reason: "must be an integer")
                }
                out.append(x)
            }
            return out
        }
        guard doc["format"]?.string == format else {
            throw InputError(path: path, line: doc["format"]?.line ?? 1, keyPath: "format",
                             reason: "not a seem database (expected \"\(format)\")")
        }
        let varsJSON = try member(doc["state_variables"], "state_variables", parent: doc)
        guard let variables = varsJSON.elements?.compactMap({ $0.string }), variables.count == varsJSON.elements?.count,
              !variables.isEmpty else {
            throw InputError(path: path, line: varsJSON.line, keyPath: "state_variables", reason: "must be a non-empty array of names")
        }
        let parameters = try ModelParameters(json: try member(doc["parameters"], "parameters", parent: doc), path: path)
        guard let strainStep = doc["strain_step"]?.double, strainStep > 0 else {
            throw InputError(path: path, line: doc.line, keyPath: "strain_step", reason: "missing or not a positive number")
        }
        let threshold = doc["event_threshold_GPa"]?.double ?? 0
        let grid = try StateGrid(json: try member(doc["grid"], "grid", parent: doc), path: path)
        let samplesJSON = try member(doc["samples"], "samples", parent: doc)
        guard let sampleElements = samplesJSON.elements else {
            throw InputError(path: path, line: samplesJSON.line, keyPath: "samples", reason: "must be an array")
        }
        var samples: [Sample] = []
        for (k, s) in sampleElements.enumerated() {
            let key = "samples[\(k)]"
            guard let id = s["id"]?.string, let split = s["split"]?.string, split == "train" || split == "test" else {
                throw InputError(path: path, line: s.line, keyPath: key, reason: "needs id and split (\"train\" or \"test\")")
            }
            let initial = try doubles(s["initial_state"], key + ".initial_state", parent: s)
            samples.append(Sample(id: id, directory: s["directory"]?.string ?? "", coolingRate: s["cooling_rate_K_per_s"]?.double,
                                  split: split, initialState: initial))
        }
        let bins = try member(doc["bins"], "bins", parent: doc)
        let events = try member(doc["events"], "events", parent: doc)
        let db = StateSpaceDatabase(
            variables: variables, parameters: parameters, strainStep: strainStep, eventThreshold: threshold, grid: grid,
            samples: samples,
            visits: try ints(bins["visits"], "bins.visits", parent: bins),
            eventCounts: try ints(bins["events"], "bins.events", parent: bins),
            meanDelta: try doubles(bins["mean_delta"], "bins.mean_delta", parent: bins),
            flow: try doubles(bins["flow"], "bins.flow", parent: bins),
            eventBin: try ints(events["bin"], "events.bin", parent: events),
            eventSample: try ints(events["sample"], "events.sample", parent: events),
            eventStep: try ints(events["step"], "events.step", parent: events),
            eventState: try doubles(events["state"], "events.state", parent: events),
            eventDelta: try doubles(events["delta"], "events.delta", parent: events),
            provenance: doc["provenance"] ?? .object([]))
        if let p = db.problem() { throw InputError(path: path, reason: "inconsistent database: " + p) }
        return db
    }
}
