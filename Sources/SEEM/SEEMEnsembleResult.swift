/// The ensembles of one `SEEMEnsembleRunner.run`.
public struct SEEMEnsembleResult: Sendable, Equatable {
    /// Names of the state variables (τ first) and the output strain grid.
    public var variables: [String]
    public var outputStrain: [Double]
    /// One ensemble per sample run, in database sample order.
    public var samples: [SEEMSampleEnsemble]

    public init(variables: [String], outputStrain: [Double], samples: [SEEMSampleEnsemble]) {
        self.variables = variables; self.outputStrain = outputStrain; self.samples = samples
    }

    /// Totals over all runs: runs, steps, events, fallbacks, steps outside the grid.
    public var totals: SEEMRunCounters {
        var t = SEEMRunCounters()
        for s in samples {
            for c in s.counters {
                t.steps += c.steps; t.events += c.events; t.eventSteps += c.eventSteps
                t.rateFallbackSteps += c.rateFallbackSteps; t.eventFallbackDraws += c.eventFallbackDraws
                t.outOfGridSteps += c.outOfGridSteps
                t.peakStress = max(t.peakStress, c.peakStress)
            }
        }
        return t
    }
    public var runs: Int { samples.reduce(0) { $0 + $1.runs } }
}
