import ArgumentParser
import Foundation
import Harvest
import MDCore
import Study

/// `pipeline harvest`: AQS histories → Table I, events, state-space database and figure tables.
struct HarvestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harvest",
        abstract: "Harvest AQS shear histories: fit Eq. 7–8 parameters (Table I), detect plastic events, build the (τ, X1) state-space database.",
        discussion: """
        Each --histories argument is an AQS output directory (history.csv + summary.json from `pipeline shear`) \
        or a directory searched recursively for them. Samples are identified by the last two path components \
        and processed in sorted order, so the output does not depend on the argument order. Writes \
        OUT/parameters.json, OUT/database.json (seem-database/1), OUT/events.csv and the figure tables \
        OUT/fig1-stress-strain.csv, OUT/figS1-modulus.csv, OUT/fig2-bins.csv, OUT/fig3a-trajectory.csv, \
        OUT/fig3b-histogram.csv. Parameters are fitted to the training samples only; see parameters.json for \
        errors, fit diagnostics and the event-threshold check. Quality gate: where a history's inherent structure \
        can be found (the study layout, checked against the hash in summary.json), samples more crystalline than \
        --max-crystalline-fraction by adaptive common-neighbour analysis are left out (parameters.json `quality`). \
        A harvest whose training samples show no plastic event is refused. With --elastic-fit-data large, τ_A and τ_B are \
        fitted to the loading curve of one large system instead (--loading-curve: an AQS output directory, e.g. \
        a study's large/shear/rate-R), which never enters the database.
        """
    )

    @Option(name: .customLong("histories"), parsing: .upToNextOption, help: "AQS output directories (or parents of them).")
    var histories: [String]

    @Option(help: "Output directory.")
    var output: String

    @Option(help: "Reference energy u0, eV/atom, or 'auto' (mean stress-free IS energy of the slowest-cooled training samples).")
    var u0: String = "auto"

    @Option(help: "Bins per state variable, τ first: e.g. 20,20.")
    var bins: String = "20,20"

    @Option(name: .customLong("tau-range"), help: "Grid range of τ, GPa, as MIN,MAX (default: range of the training states).")
    var tauRange: String?

    @Option(name: .customLong("x1-range"), help: "Grid range of X1, eV/atom, as MIN,MAX (default: range of the training states).")
    var x1Range: String?

    @Option(name: .customLong("held-out-fraction"), help: "Fraction of each cooling rate's samples held out as test samples.")
    var heldOutFraction: Double = 0.25

    @Option(help: "Seed of the train/test shuffle.")
    var seed: UInt64 = 1

    @Option(name: .customLong("event-criterion"), help: "stress-and-energy, stress or energy.")
    var eventCriterion: String = "stress-and-energy"

    @Option(name: .customLong("event-threshold"), help: "Stress-drop threshold, GPa, or 'auto' (10 × ftol·Ω^(1/3)/V).")
    var eventThreshold: String = "auto"

    @Option(name: .customLong("event-energy-threshold"), help: "Energy-drop threshold, eV/atom, or 'auto' (ftol·dmax/N).")
    var eventEnergyThreshold: String = "auto"

    @Option(name: .customLong("modulus-max-strain"), help: "Largest strain of the per-sample modulus fits.")
    var modulusMaxStrain: Double = 0.02

    @Option(name: .customLong("elastic-fit-max-strain"), help: "Largest strain of the τ_A, τ_B fit, or 'auto' (95% of the strain of the mean stress peak).")
    var elasticFitMaxStrain: String = "auto"

    @Option(name: .customLong("elastic-fit-data"), help: "mean (ensemble-mean loading curve), all (every training sample's states), branches (elastic steps' energy increments) or large (--loading-curve).")
    var elasticFitData: String = "mean"

    @Option(name: .customLong("elastic-fit-samples"), help: "slowest_rate (the loading of the slowest-cooled samples) or all.")
    var elasticFitSamples: String = HarvestSettings.ElasticFitSamples.slowestRate.rawValue

    @Option(name: .customLong("steady-state-from"), help: "Steady-state window γ ≥ this for flow stresses and the fixed point (default 2/3 of the last strain).")
    var steadyStateFrom: Double?

    @Option(name: .customLong("x1-inverse"), help: "first_order (Eq. 8, the paper's) or exact (Eq. 7 inverted).")
    var x1Inverse: String = X1Inverse.firstOrder.rawValue

    @Option(name: .customLong("loading-curve"), help: "AQS output directory (history.csv + summary.json) of one large system: the data of the τ_A, τ_B fit with --elastic-fit-data large.")
    var loadingCurve: String?

    @Option(name: .customLong("g0"), help: "Fix G0, GPa, instead of fitting it.")
    var g0: Double?

    @Option(name: .customLong("ua"), help: "Fix u_A, eV/atom, instead of fitting it.")
    var uA: Double?

    @Option(name: .customLong("tau-a"), help: "Fix τ_A, GPa (inf drops the term), instead of fitting it.")
    var tauA: Double?

    @Option(name: .customLong("tau-b"), help: "Fix τ_B, GPa (inf drops the term), instead of fitting it.")
    var tauB: Double?

    @Option(name: .customLong("max-crystalline-fraction"),
            help: "Quality gate: leave out samples whose inherent structure (found as DIR/quench/rate-R/sample-K/inherent.data beside DIR/shear/rate-R/sample-K) is more crystalline than this by a-CNA (fcc + hcp + bcc fraction).")
    var maxCrystallineFraction: Double = CrystallinityGate.maxCrystallineFraction

    func run() throws {
        try reportingInputErrors {
            var s = HarvestSettings()
            s.referenceEnergy = try u0 == "auto" ? .slowestCooled : .given(HarvestArguments.number(u0, "--u0"))
            s.bins = try bins.split(separator: ",").map { t throws(InputError) in
                guard let b = Int(t.trimmingCharacters(in: .whitespaces)) else { throw InputError(path: "--bins", reason: "expected integers like 20,20, got '\(bins)'") }
                return b
            }
            s.ranges = [try tauRange.map { r throws(InputError) in try HarvestArguments.range(r, "--tau-range") },
                        try x1Range.map { r throws(InputError) in try HarvestArguments.range(r, "--x1-range") }]
            s.heldOutFraction = heldOutFraction
            s.seed = seed
            guard let criterion = HarvestSettings.EventCriterion(rawValue: eventCriterion) else {
                throw InputError(path: "--event-criterion", reason: "expected stress-and-energy, stress or energy, got '\(eventCriterion)'")
            }
            s.eventCriterion = criterion
            s.eventStressThreshold = try eventThreshold == "auto" ? nil : HarvestArguments.number(eventThreshold, "--event-threshold")
            s.eventEnergyThreshold = try eventEnergyThreshold == "auto" ? nil : HarvestArguments.number(eventEnergyThreshold, "--event-energy-threshold")
            s.modulusMaxStrain = modulusMaxStrain
            s.elasticFitMaxStrain = try elasticFitMaxStrain == "auto" ? nil : HarvestArguments.number(elasticFitMaxStrain, "--elastic-fit-max-strain")
            guard let data = HarvestSettings.ElasticFitData(rawValue: elasticFitData) else {
                throw InputError(path: "--elastic-fit-data", reason: "expected mean, all, branches or large, got '\(elasticFitData)'")
            }
            if loadingCurve != nil && data != .largeSystem {
                throw InputError(path: "--loading-curve", reason: "is the data of --elastic-fit-data large (got --elastic-fit-data \(elasticFitData))")
            }
            s.elasticFitData = data
            guard let inverse = X1Inverse(rawValue: x1Inverse) else {
                throw InputError(path: "--x1-inverse", reason: "expected first_order or exact, got '\(x1Inverse)'")
            }
            s.x1Inverse = inverse
            guard let samples = HarvestSettings.ElasticFitSamples(rawValue: elasticFitSamples) else {
                throw InputError(path: "--elastic-fit-samples", reason: "expected slowest_rate or all, got '\(elasticFitSamples)'")
            }
            s.elasticFitSamples = samples
            s.steadyStateFrom = steadyStateFrom
            s.fixed = HarvestSettings.FixedParameters(G0: g0, uA: uA, tauA: tauA, tauB: tauB)
            try s.validate()

            guard maxCrystallineFraction >= 0 && maxCrystallineFraction <= 1 else {
                throw InputError(path: "--max-crystalline-fraction", reason: "must lie in [0, 1] (got \(maxCrystallineFraction))")
            }

            let directories = try HarvestArguments.historyDirectories(histories)
            let read = try Harvester.readHistories(directories: directories)
            let gate = try CrystallinityGate.qualityGate(directories, limit: maxCrystallineFraction)
            for line in gate.report { printError("harvest: " + line) }
            let curve = try loadingCurve.map { d throws(InputError) in try ShearHistory.read(directory: HarvestArguments.trimmedDirectory(d)) }
            let result = try Harvester.run(histories: read, settings: s, loadingCurve: curve, quality: gate)
            try result.write(to: output)
            let p = result.parameters
            print("harvested \(read.count) samples (\(result.trainIndices.count) train), \(result.thresholdCheck.events) events; " +
                  "G0 = \(HarvestResultText.entry(p.G0, "GPa")), uA = \(HarvestResultText.entry(p.uA, "eV/atom")), " +
                  "tauA = \(HarvestResultText.entry(p.tauA, "GPa")), tauB = \(HarvestResultText.entry(p.tauB, "GPa")) → \(output)")
        }
    }
}
