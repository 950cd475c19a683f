import ArgumentParser
import EAM
import Harvest
import MDCore
import SEEM

/// `pipeline seem`: SEEM ensembles from a Harvest database, compared with the AQS histories.
struct SEEMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seem",
        abstract: "Stochastic evolution elasto-plastic model (paper Eqs. 3–4): K runs per sample from a state-space database, compared with AQS.",
        discussion: """
        Each strain step Δγ is elastic (τ += G(X1)·Δγ, X unchanged) or, with the probability of the \
        state's bin (events/visits, scaled as λΔγ when Δγ differs from the database's), holds an event \
        drawn uniformly from the bin's harvested events, applied as its plastic jump (the event's total \
        change less the database step's elastic loading) plus the step's loading. Bins never visited \
        borrow from the nearest visited bin, or have no events with --fallback none (counted per run, as \
        are steps begun outside the grid). Run r of sample s uses the random stream (seed, id of s, r): \
        outputs are byte-identical for any --threads. With --cross-validation-folds k (a database built \
        from every sample) each sample is also run from the database of the other folds and counts as \
        held out. Reads each sample's AQS history (directory recorded in the database, else relative to \
        the database file) and writes into OUT: runs.csv, fig4-sample.csv, fig5-mean-trajectories.csv, \
        comparison.csv (per cooling rate and split: train samples built the database, test samples are \
        held out), validation.csv (stress-drop and peak-stress distributions, band coverage, grid \
        exits) and metrics.json.
        """
    )

    @Option(help: "State-space database written by Harvest (seem-database/1 JSON).")
    var database: String

    @Option(help: "Output directory.")
    var output: String

    @Option(help: "Runs K per sample (runs_per_sample).")
    var runs: Int = 100

    @Option(name: .customLong("strain-step"), help: "SEEM strain step Δγ (default: the database's).")
    var strainStep: Double?

    @Option(name: .customLong("max-strain"), help: "Final strain γ_max (default: the shortest AQS history's).")
    var maxStrain: Double?

    @Option(help: "Events per step: bernoulli (paper, at most one) or poisson (n ~ Poisson(λΔγ), for larger Δγ).")
    var mode: String = "bernoulli"

    @Option(help: "Initial stress: sample (the sample's own τ⁰, so SEEM and AQS start from the same state) or zero (the paper's (X1⁰, 0)).")
    var start: String = "sample"

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "Worker threads (default: all cores); results do not depend on it.")
    var threads: Int?

    @Option(name: .customLong("output-strain-step"), help: "Strain between output points (default: the database's step, rounded up to a whole number of SEEM steps).")
    var outputStrainStep: Double?

    @Option(name: .customLong("steady-state-from"), help: "Steady-state window γ ≥ this: flow stress and steady-state means.")
    var steadyStateFrom: Double = 0.2

    @Option(help: "Elastic loading between events: linear (G(X1), the paper's) or nonlinear (tangent modulus of Eq. 6).")
    var elasticity = SEEMElasticity.standard.rawValue

    @Option(help: "Never-visited bins: nearest_visited (borrow the nearest visited bin's rate and events) or none (no events: elastic loading).")
    var fallback = SEEMSettings.defaultFallback.rawValue

    @Option(name: .customLong("cross-validation-folds"), help: "k-fold cross-validation over samples, each held out once (0 = off; needs a database harvested from every sample).")
    var crossValidationFolds = SEEMSettings.defaultCrossValidationFolds

    @Option(name: .customLong("fig4-sample"), help: "Sample id of fig4-sample.csv (default: the first held-out sample, else the first).")
    var fig4Sample: String?

    func run() throws {
        try reportingInputErrors {
            guard let mode = SEEMEventMode(rawValue: mode) else {
                throw InputError(path: "--mode", reason: "use bernoulli or poisson (got '\(mode)')")
            }
            guard let start = SEEMStart(rawValue: start) else {
                throw InputError(path: "--start", reason: "use sample or zero (got '\(start)')")
            }
            if let threads, threads < 1 { throw InputError(path: "--threads", reason: "must be at least 1 (got \(threads))") }
            guard runs >= 1 else { throw InputError(path: "--runs", reason: "must be at least 1 (got \(runs))") }
            guard let elastic = SEEMElasticity(rawValue: elasticity) else {
                throw InputError(path: "--elasticity", reason: "use linear or nonlinear (got '\(elasticity)')")
            }
            guard let fallback = SEEMFallback(rawValue: fallback) else {
                throw InputError(path: "--fallback", reason: "use nearest_visited or none (got '\(fallback)')")
            }
            guard crossValidationFolds == 0 || crossValidationFolds >= 2 else {
                throw InputError(path: "--cross-validation-folds", reason: "must be 0 (off) or at least 2 (got \(crossValidationFolds))")
            }
            let clock = MonotonicClock.seconds()
            let (result, seemSeconds) = try runSEEMStage(
                database: database, output: output, strainStep: strainStep, maxStrain: maxStrain, mode: mode, start: start,
                elasticity: elastic, fallback: fallback, crossValidationFolds: crossValidationFolds,
                runs: runs, seed: seed, outputStrainStep: outputStrainStep, steadyStateFrom: steadyStateFrom,
                threads: threads ?? defaultThreadCount(), figure4Sample: fig4Sample)
            let t = result.totals
            print(JSONText.object([
                ("samples", String(result.samples.count)), ("runs", String(result.runs)), ("steps", String(t.steps)),
                ("events", String(t.events)), ("rate_fallback_steps", String(t.rateFallbackSteps)),
                ("out_of_grid_steps", String(t.outOfGridSteps)),
                ("seem_seconds", JSONText.number(seemSeconds)),
                ("steps_per_second", JSONText.number(Double(t.steps) / seemSeconds)),
                ("seconds", JSONText.number(MonotonicClock.seconds() - clock)),
            ]))
        }
    }
}

/// Runs SEEM ensembles from every sample of the database at `database`, compares them with the samples'
/// AQS histories and writes the outputs into `output` (used by `pipeline seem` and the study's seem stage).
func runSEEMStage(database: String, output: String, strainStep: Double?, maxStrain: Double?, mode: SEEMEventMode,
                  start: SEEMStart, elasticity: SEEMElasticity, fallback: SEEMFallback, crossValidationFolds: Int,
                  runs: Int, seed: UInt64, outputStrainStep: Double?, steadyStateFrom: Double, threads: Int, figure4Sample fig4Sample: String?) throws(InputError) -> (SEEMEnsembleResult, Double) {
    let db = try StateSpaceDatabase.read(path: database)
    guard !db.samples.isEmpty else { throw InputError(path: database, keyPath: "samples", reason: "no samples to start from") }
    var histories: [ShearHistory] = []
    for (k, s) in db.samples.enumerated() {
        guard !s.directory.isEmpty else {
            throw InputError(path: database, keyPath: "samples[\(k)].directory", reason: "sample \(s.id) has no AQS directory")
        }
        histories.append(try ShearHistory.read(directory: AQSCurve.directory(of: s, databasePath: database), sample: s.id))
    }
    let settings = SEEMSettings(strainStep: strainStep, maxStrain: maxStrain ?? histories.map { $0.strain.last! }.min()!,
                                mode: mode, start: start, runsPerSample: runs, seed: seed,
                                outputStrainStep: outputStrainStep, steadyStateFrom: steadyStateFrom,
                                elasticity: elasticity, fallback: fallback, crossValidationFolds: crossValidationFolds)
    var figure4: Int?
    if let fig4Sample {
        guard let k = db.samples.firstIndex(where: { $0.id == fig4Sample }) else {
            throw InputError(path: "--fig4-sample", reason: "no sample '\(fig4Sample)' in \(database)")
        }
        figure4 = k
    }
    try checkOutputDirectory(output)
    let runner = try SEEMEnsembleRunner(database: db, settings: settings, path: database)
    var crossValidation: SEEMCrossValidation?
    if crossValidationFolds > 0 {
        guard db.variables == ["tau", "X1"] else {
            throw InputError(path: database, keyPath: "state_variables", reason: "cross-validation rebuilds (tau, X1) databases (got \(db.variables))")
        }
        let states = histories.map { StateSpaceDatabase.states(of: $0, parameters: db.parameters) }
        crossValidation = try SEEMCrossValidation(database: db, states: states, settings: settings, path: database)
    }
    let seemStart = MonotonicClock.seconds()
    var result = runner.run(threads: threads)
    // Cross-validation: every sample's held-out ensemble after the full database's ones.
    if let crossValidation { result.samples += crossValidation.run(threads: threads) }
    let seemSeconds = MonotonicClock.seconds() - seemStart
    let curves = result.samples.map { e in
        AQSCurve(history: histories[e.sampleIndex], parameters: db.parameters, outputStrain: result.outputStrain,
                 sampleIndex: e.sampleIndex, stressChanges: AQSCurve.stressChanges(sample: e.sampleIndex, database: db))
    }
    let comparison = SEEMComparison(result: result, curves: curves, steadyStateFrom: settings.steadyStateFrom, seed: seed)
    let files = SEEMOutputFiles(database: db, databasePath: database, settings: settings, model: runner.model,
                                result: result, comparison: comparison,
                                figure4Sample: figure4.map { k in result.samples.firstIndex { $0.sampleIndex == k && $0.split == "test" } ?? k }
                                    ?? SEEMOutputFiles.defaultFigure4Sample(result),
                                crossValidation: crossValidation)
    try files.write(to: output)
    return (result, seemSeconds)
}
