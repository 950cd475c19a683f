/// SEEM vs AQS over a group of samples (one cooling rate and split, or one sample): mean ± standard
/// deviation curves on the output grid and the metrics. SEEM statistics pool all runs of the group's
/// samples; AQS statistics are over the samples (std NaN for a single sample).
public struct SEEMGroupComparison: Sendable, Equatable {
    public var coolingRate: Double?
    /// "train", "test" or "all".
    public var split: String
    public var sampleIDs: [String]
    public var runs: Int
    public var strain: [Double]
    /// τ (GPa) and X1 (eV/atom) curves; X1 NaN without X1.
    public var seemTau: [Double], seemTauStd: [Double], seemX1: [Double], seemX1Std: [Double]
    public var aqsTau: [Double], aqsTauStd: [Double], aqsX1: [Double], aqsX1Std: [Double]
    public var metrics: SEEMMetrics
    /// Distribution checks (groups only; nil for a single sample's comparison).
    public var validation: SEEMValidation?

    public init(coolingRate: Double?, split: String, sampleIDs: [String], runs: Int, strain: [Double],
                seemTau: [Double], seemTauStd: [Double], seemX1: [Double], seemX1Std: [Double],
                aqsTau: [Double], aqsTauStd: [Double], aqsX1: [Double], aqsX1Std: [Double], metrics: SEEMMetrics,
                validation: SEEMValidation? = nil) {
        self.coolingRate = coolingRate; self.split = split; self.sampleIDs = sampleIDs; self.runs = runs
        self.strain = strain; self.seemTau = seemTau; self.seemTauStd = seemTauStd; self.seemX1 = seemX1
        self.seemX1Std = seemX1Std; self.aqsTau = aqsTau; self.aqsTauStd = aqsTauStd; self.aqsX1 = aqsX1
        self.aqsX1Std = aqsX1Std; self.metrics = metrics; self.validation = validation
    }
}
