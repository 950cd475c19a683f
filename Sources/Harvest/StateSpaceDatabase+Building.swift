import MDCore

extension StateSpaceDatabase {
    /// A grid over the state variables: `bins[a]` bins per axis, over `ranges[a]` when given and otherwise
    /// over the range of `states` (flat, `variables.count` values per state). Throws when a range is empty
    /// (all states share one value of a variable, or a given range has min ≥ max), naming the option.
    public static func grid(variables: [String], bins: [Int], ranges: [ClosedRange<Double>?],
                            states: [[Double]]) throws(InputError) -> StateGrid {
        let nv = variables.count
        guard bins.count == nv else {
            throw InputError(path: "--bins", reason: "needs one bin count per state variable (\(variables.joined(separator: ","))), got \(bins.count)")
        }
        var axes: [StateGrid.Axis] = []
        for a in 0..<nv {
            let option = a == 0 ? "--tau-range" : "--x\(a)-range"
            var lo: Double, hi: Double
            if a < ranges.count, let r = ranges[a] {
                lo = r.lowerBound; hi = r.upperBound
            } else {
                lo = .infinity; hi = -.infinity
                for s in states {
                    var k = a
                    while k < s.count { lo = min(lo, s[k]); hi = max(hi, s[k]); k += nv }
                }
            }
            guard lo.isFinite, hi.isFinite, hi > lo else {
                throw InputError(path: option, reason: lo.isFinite
                    ? "empty bin range for \(variables[a]): every training state has \(variables[a]) = \(roundTrip(lo)); give the range explicitly"
                    : "no training states to take the \(variables[a]) range from")
            }
            axes.append(StateGrid.Axis(variable: variables[a], min: lo, max: hi, bins: bins[a]))
        }
        return StateGrid(axes: axes)
    }

    /// Accumulates the statistics of Figs. 2–3 on `grid` from the training samples.
    ///
    /// - Parameters:
    ///   - states: per sample, the state vectors of its recorded states, flat (`variables.count` per state).
    ///   - events: per sample, its event steps k (event over k → k+1), ascending.
    ///   - samples: per sample its record; only those with split "train" contribute.
    /// Every step k → k+1 of a training sample is one visit to the bin of s_k; it adds s_{k+1} − s_k to the
    /// bin's flow sum, and when it is an event, to its event-delta sum and its event list. Complexity
    /// O(states·variables + events·log events).
    public static func build(variables: [String], parameters: ModelParameters, strainStep: Double,
                             eventThreshold: Double, grid: StateGrid, samples: [Sample], states: [[Double]],
                             events: [[Int]], provenance: JSONValue = .object([])) -> StateSpaceDatabase {
        let nv = variables.count, nb = grid.count
        precondition(states.count == samples.count && events.count == samples.count)
        var visits = [Int](repeating: 0, count: nb), counts = [Int](repeating: 0, count: nb)
        var deltaSum = [Double](repeating: 0, count: nb * nv), flowSum = [Double](repeating: 0, count: nb * nv)
        var records: [(bin: Int, sample: Int, step: Int)] = []
        for (i, s) in samples.enumerated() where s.split == "train" {
            let x = states[i]
            let n = x.count / nv
            var nextEvent = 0
            let ev = events[i]
            do {
                let p = x.span
                for k in 0..<(n - 1) {
                    let b = grid.bin(p.extracting((k * nv)..<(k * nv + nv)))
                    visits[b] += 1
                    let isEvent = nextEvent < ev.count && ev[nextEvent] == k
                    if isEvent { nextEvent += 1; counts[b] += 1; records.append((b, i, k)) }
                    for v in 0..<nv {
                        let d = p[(k + 1) * nv + v] - p[k * nv + v]
                        flowSum[b * nv + v] += d
                        if isEvent { deltaSum[b * nv + v] += d }
                    }
                }
            }
        }
        records.sort { ($0.bin, $0.sample, $0.step) < ($1.bin, $1.sample, $1.step) }
        var meanDelta = [Double](repeating: .nan, count: nb * nv), flow = [Double](repeating: .nan, count: nb * nv)
        for b in 0..<nb {
            for v in 0..<nv {
                if counts[b] > 0 { meanDelta[b * nv + v] = deltaSum[b * nv + v] / Double(counts[b]) }
                if visits[b] > 0 { flow[b * nv + v] = flowSum[b * nv + v] / Double(visits[b]) / strainStep }
            }
        }
        var eventState: [Double] = [], eventDelta: [Double] = []
        eventState.reserveCapacity(records.count * nv); eventDelta.reserveCapacity(records.count * nv)
        for r in records {
            let x = states[r.sample]
            for v in 0..<nv {
                eventState.append(x[r.step * nv + v])
                eventDelta.append(x[(r.step + 1) * nv + v] - x[r.step * nv + v])
            }
        }
        return StateSpaceDatabase(variables: variables, parameters: parameters, strainStep: strainStep,
                                  eventThreshold: eventThreshold, grid: grid, samples: samples, visits: visits,
                                  eventCounts: counts, meanDelta: meanDelta, flow: flow,
                                  eventBin: records.map { $0.bin }, eventSample: records.map { $0.sample },
                                  eventStep: records.map { $0.step }, eventState: eventState, eventDelta: eventDelta,
                                  provenance: provenance)
    }
}
