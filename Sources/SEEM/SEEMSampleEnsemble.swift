/// K SEEM runs from one sample's initial state.
public struct SEEMSampleEnsemble: Sendable, Equatable {
    /// Index of the sample in the database's `samples`, and its id, cooling rate and split.
    public var sampleIndex: Int
    public var id: String
    public var coolingRate: Double?
    public var split: String
    /// The state the runs started from (one value per state variable, τ first).
    public var initialState: [Double]
    /// Mean and spread over the runs, per output point × variable (variable fastest).
    public var moments: TrajectoryMoments
    /// Run 0's trajectory on the output grid (a single SEEM curve, as drawn in the paper's Fig. 4).
    public var firstRun: [Double]
    /// Per run, in run order.
    public var counters: [SEEMRunCounters]
    /// τ (GPa) on the output grid of the first min(K, `SEEMEnsembleRunner.distributionRuns`) runs, run
    /// after run (`distributionRuns` × output points): the spread a coverage band is taken from.
    public var tauRuns: [Double]
    /// The τ change (GPa) of every event step of the same runs, in run and step order: SEEM's stress drops.
    public var stressChanges: [Double]

    public init(sampleIndex: Int, id: String, coolingRate: Double?, split: String, initialState: [Double],
                moments: TrajectoryMoments, firstRun: [Double], counters: [SEEMRunCounters],
                tauRuns: [Double] = [], stressChanges: [Double] = []) {
        self.sampleIndex = sampleIndex; self.id = id; self.coolingRate = coolingRate; self.split = split
        self.initialState = initialState; self.moments = moments; self.firstRun = firstRun; self.counters = counters
        self.tauRuns = tauRuns; self.stressChanges = stressChanges
    }

    /// Runs.
    public var runs: Int { counters.count }
    /// Mean and sample standard deviation of the events per run.
    public var eventsPerRun: (mean: Double, std: Double) {
        let xs = counters.map { Double($0.events) }
        let m = xs.reduce(0, +) / Double(xs.count)
        let v = xs.count < 2 ? 0 : xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)
        return (m, v.squareRoot())
    }
    /// Fallback totals over the runs, and the runs that used any fallback.
    public var rateFallbackSteps: Int { counters.reduce(0) { $0 + $1.rateFallbackSteps } }
    public var eventFallbackDraws: Int { counters.reduce(0) { $0 + $1.eventFallbackDraws } }
    public var runsWithFallback: Int { counters.reduce(0) { $0 + ($1.usedFallback ? 1 : 0) } }
    /// Steps begun outside the harvested grid, over the runs.
    public var outOfGridSteps: Int { counters.reduce(0) { $0 + $1.outOfGridSteps } }
    /// Steps over the runs.
    public var steps: Int { counters.reduce(0) { $0 + $1.steps } }
    /// Mean over runs of each run's peak stress, GPa.
    public var meanPeakStress: Double { counters.reduce(0) { $0 + $1.peakStress } / Double(counters.count) }
}
