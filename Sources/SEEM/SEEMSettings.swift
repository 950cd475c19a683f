import Harvest
import MDCore

/// Everything a SEEM ensemble needs besides the database. Validated by `validate()`; the defaults
/// are the paper's protocol (Bernoulli events at the database's strain step).
public struct SEEMSettings: Sendable, Equatable {
    /// SEEM strain step Δγ; nil = the database's `strainStep` (the paper's choice).
    public var strainStep: Double?
    /// Final shear strain γ_max of every run.
    public var maxStrain: Double
    /// Bernoulli (default) or Poisson event counts per step.
    public var mode: SEEMEventMode
    /// Initial stress: the sample's own (default) or zero (paper).
    public var start: SEEMStart
    /// Runs K per initial state (config `runs_per_sample`).
    public var runsPerSample: Int
    /// Seed of every stream: run r of sample s draws from SeededRandom(seed, stream: [FNV-1a(id of s), r]).
    public var seed: UInt64
    /// Strain between output points; nil = the smallest multiple of the SEEM step that is at least the
    /// database's strain step (so the AQS grid by default). Must be a whole multiple of the SEEM step.
    public var outputStrainStep: Double?
    /// Steady-state window: flow stress and steady-state means are averages over γ ≥ this strain
    /// (NaN when the run ends before it).
    public var steadyStateFrom: Double
    /// Elastic loading between events: G(X1) (linear, the paper's) or Eq. 6's tangent (nonlinear).
    public var elasticity: SEEMElasticity
    /// What a step does in a bin the harvest never visited.
    public var fallback: SEEMFallback
    /// k of the k-fold cross-validation over samples (each sample held out once), 0 = off.
    public var crossValidationFolds: Int

    /// Defaults of the options the config file and `pipeline seem` share.
    public static let defaultFallback = SEEMFallback.nearestVisited
    public static let defaultCrossValidationFolds = 0

    public init(strainStep: Double? = nil, maxStrain: Double, mode: SEEMEventMode = .bernoulli,
                start: SEEMStart = .sample, runsPerSample: Int = 100, seed: UInt64 = 1,
                outputStrainStep: Double? = nil, steadyStateFrom: Double? = nil, elasticity: SEEMElasticity = .standard,
                fallback: SEEMFallback = defaultFallback, crossValidationFolds: Int = defaultCrossValidationFolds) {
        self.elasticity = elasticity; self.fallback = fallback; self.crossValidationFolds = crossValidationFolds
        self.strainStep = strainStep; self.maxStrain = maxStrain; self.mode = mode; self.start = start
        self.runsPerSample = runsPerSample; self.seed = seed; self.outputStrainStep = outputStrainStep
        self.steadyStateFrom = steadyStateFrom ?? HarvestSettings.steadyStateStart(maxStrain: maxStrain)
    }

    /// Relative tolerance for "a whole number of steps".
    static let multipleTolerance = 1e-9

    /// Checks the values on their own (the database-dependent checks are in `SEEMModel.init`).
    public func validate() throws(InputError) {
        if let h = strainStep, !(h.isFinite && h > 0) {
            throw InputError(path: "seem", keyPath: "strain_step", reason: "must be a finite number > 0 (got \(h))")
        }
        guard maxStrain.isFinite, maxStrain > 0 else {
            throw InputError(path: "seem", keyPath: "max_strain", reason: "must be a finite number > 0 (got \(maxStrain))")
        }
        guard runsPerSample >= 1 else {
            throw InputError(path: "seem", keyPath: "runs_per_sample", reason: "must be at least 1 (got \(runsPerSample))")
        }
        if let o = outputStrainStep, !(o.isFinite && o > 0) {
            throw InputError(path: "seem", keyPath: "output_strain_step", reason: "must be a finite number > 0 (got \(o))")
        }
        guard steadyStateFrom.isFinite, steadyStateFrom >= 0 else {
            throw InputError(path: "seem", keyPath: "steady_state_from", reason: "must be a finite number ≥ 0 (got \(steadyStateFrom))")
        }
        guard crossValidationFolds == 0 || crossValidationFolds >= 2 else {
            throw InputError(path: "seem", keyPath: "cross_validation_folds", reason: "must be 0 (off) or at least 2 (got \(crossValidationFolds))")
        }
    }

    /// Settings as JSON (fixed order, units in keys), for metrics.json.
    public var json: JSONValue {
        .object([("strain_step", strainStep.map { .number($0) } ?? .null), ("max_strain", .number(maxStrain)),
                 ("mode", .string(mode.rawValue)), ("start", .string(start.rawValue)),
                 ("runs_per_sample", .number(runsPerSample)), ("seed", .string(String(seed))),
                 ("output_strain_step", outputStrainStep.map { .number($0) } ?? .null),
                 ("steady_state_from_strain", .number(steadyStateFrom)), ("elasticity", .string(elasticity.rawValue)),
                 ("fallback", .string(fallback.rawValue)), ("cross_validation_folds", .number(crossValidationFolds))])
    }
}
