import ArgumentParser
import EAM
import Harvest
import MDCore
import Study
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

    @Option(name: .customLong("steady-state-from"), help: "Steady-state window γ ≥ this: flow stress and steady-state means (default: ⅔ of the final strain).")
    var steadyStateFrom: Double?

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

