extension StateSpaceDatabase {
    /// The state vectors (τ, X1) of every recorded state of `history`, flat (two values per state): τ from
    /// the history, X1 by Eq. 8 with `parameters` — the states `Harvester.run` bins, bit for bit.
    public static func states(of history: ShearHistory, parameters: ModelParameters) -> [Double] {
        var s = [Double](repeating: 0, count: history.count * 2)
        for k in 0..<history.count {
            s[2 * k] = history.stress[k]
            s[2 * k + 1] = parameters.x1(u: history.energyPerAtom[k], tau: history.stress[k])
        }
        return s
    }

    /// Indices of sample `k`'s events in the event arrays, in step order (empty for a held-out sample:
    /// only training samples' events are stored).
    public func events(ofSample k: Int) -> [Int] {
        eventSample.indices.filter { eventSample[$0] == k }.sorted { eventStep[$0] < eventStep[$1] }
    }

    /// The same database — grid, Table I parameters, strain step, event threshold, samples, provenance —
    /// filled from the samples with `training[k]` true only (the others become "test"): how the folds of
    /// a cross-validation are built without refitting anything.
    ///
    /// - Parameters:
    ///   - training: one flag per sample; a training sample must be a training sample of this database
    ///     (its events are needed, and only those are stored).
    ///   - states: per sample, its recorded states, flat (`variables.count` per state), as `states(of:parameters:)`.
    /// Refilling with the database's own split gives back the same bins and events.
    public func refilled(training: [Bool], states: [[Double]]) -> StateSpaceDatabase {
        precondition(training.count == samples.count && states.count == samples.count)
        var split = samples
        var steps = [[Int]](repeating: [], count: samples.count)
        for k in samples.indices {
            precondition(!training[k] || samples[k].split == "train", "sample \(samples[k].id) has no events in this database")
            split[k].split = training[k] ? "train" : "test"
        }
        for e in eventSample.indices { steps[eventSample[e]].append(eventStep[e]) }
        for k in steps.indices { steps[k].sort() }
        return Self.build(variables: variables, parameters: parameters, strainStep: strainStep, eventThreshold: eventThreshold,
                          grid: grid, samples: split, states: states, events: steps, provenance: provenance)
    }
}
