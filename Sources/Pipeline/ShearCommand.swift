import AQS
import Minimization
import ArgumentParser
import EAM
import Foundation
import MDCore
import Neighbors
import Study
#if canImport(Glibc)
import Glibc
#endif

/// `pipeline shear`: athermal quasistatic simple shear to γ_max, resumable.
struct ShearCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shear",
        abstract: "Athermal quasistatic simple shear (xy) of a LAMMPS data file: affine step + CG minimization.",
        discussion: """
        Step n sets the tilt xy = xy0 + n·Δγ·ly, remaps atoms affinely (LAMMPS change_box … remap) and \
        minimizes (LAMMPS min_style cg). With --predictor on (the default) an elastic step starts from the \
        affine map plus the extrapolated non-affine displacement and is minimized with L-BFGS; a step that \
        looks plastic is recomputed from the affine start with the LAMMPS CG, so events follow the plain path. \
        Writes OUT/history.csv (row 0 = minimized start), OUT/summary.json, \
        OUT/checkpoint.bin while running (every --checkpoint-every steps and on SIGINT/SIGTERM) and, with \
        --snapshot-every K, OUT/snapshots/step-N.data. Running the same command again resumes from the \
        checkpoint; the finished history.csv is byte-identical to an uninterrupted run at any thread count. \
        Stress columns are −(LAMMPS pressure) in GPa (σ_xy > 0 under positive shear); fnorm is the 2-norm.
        """
    )

    @OptionGroup var system: SystemOptions

    @Option(name: .customLong("strain-step"), help: "Shear strain increment Δγ per step.")
    var strainStep: Double = ShearSettings.paper.strainStep

    @Option(name: .customLong("max-strain"), help: "Final shear strain.")
    var maxStrain: Double = ShearSettings.paper.maxStrain

    @Option(help: "Force tolerance, eV/Å, on the norm given by --norm (0 = off); the paper's inherent-structure tolerance by default.")
    var ftol: Double = ShearSettings.paper.minimizer.forceTolerance

    @OptionGroup var limits: MinimizerOptions

    @Option(help: "Non-affine predictor with L-BFGS on elastic steps: on, or off for the plain LAMMPS loop (change_box remap + minimize, step for step).")
    var predictor: String = "on"

    @Option(name: .customLong("predictor-order"), help: "Predictor extrapolation order, 1 or 2.")
    var predictorOrder: Int = 1

    @Option(name: .customLong("predictor-minimizer"), help: "Minimizer of predicted steps: cg (LAMMPS CG) or lbfgs.")
    var predictorMinimizer: String = "lbfgs"

    @Option(name: .customLong("lbfgs-memory"), help: "Pairs kept by the predictor's L-BFGS.")
    var lbfgsMemory: Int = PredictorSettings.defaultMemory

    @Option(name: .customLong("checkpoint-every"), help: "Write a checkpoint every K steps.")
    var checkpointEvery: Int = 100

    @Option(name: .customLong("snapshot-every"), help: "Write the inherent structure every K steps (0 = never).")
    var snapshotEvery: Int = 0

    @Option(name: .customLong("cooling-rate"), help: "Cooling rate of the glass, K/s (recorded in summary.json).")
    var coolingRate: Double?

    @Option(name: .customLong("is-energy"), help: "Inherent-structure energy of the glass from its quench, eV/atom (recorded in summary.json).")
    var isEnergy: Double?

    @Option(help: "Output directory.")
    var output: String

    func run() throws {
        try reportingInputErrors {
            let minimizer = try limits.settings(ftol: ftol)
            try checkThreadsAndSkin(threads: system.threads, skin: system.skin)
            guard predictor == "on" || predictor == "off" else {
                throw InputError(path: "--predictor", reason: "use on or off (got '\(predictor)')")
            }
            guard let algorithm = MinimizerAlgorithm(rawValue: predictorMinimizer) else {
                throw InputError(path: "--predictor-minimizer", reason: "use cg or lbfgs (got '\(predictorMinimizer)')")
            }
            var fast = minimizer
            fast.algorithm = algorithm
            fast.memory = lbfgsMemory
            let settings = ShearSettings(
                strainStep: strainStep, maxStrain: maxStrain, minimizer: minimizer,
                predictor: PredictorSettings(enabled: predictor == "on", order: predictorOrder,
                                             minimizer: algorithm == .cg ? nil : fast))
            try settings.validate()
            guard checkpointEvery >= 1 else {
                throw InputError(path: "--checkpoint-every", reason: "must be at least 1 (got \(checkpointEvery))")
            }
            guard snapshotEvery >= 0 else {
                throw InputError(path: "--snapshot-every", reason: "must be ≥ 0 (got \(snapshotEvery))")
            }
            if let coolingRate, !(coolingRate.isFinite && coolingRate > 0) {
                throw InputError(path: "--cooling-rate", reason: "must be a finite number > 0 (got \(coolingRate))")
            }
            if let isEnergy, !isEnergy.isFinite {
                throw InputError(path: "--is-energy", reason: "must be a finite number (got \(isEnergy))")
            }
            try checkOutputDirectory(output)

            let run = try SystemSetup.shearRun(
                structure: system.structure, potential: system.potential, elements: system.elements, pairStyle: system.pairStyle,
                settings: settings, coolingRate: coolingRate, isEnergy: isEnergy, skin: system.skin, threads: system.threads ?? defaultThreadCount(),
                directory: output, options: .init(checkpointEvery: checkpointEvery, snapshotEvery: snapshotEvery))

            let summary = try shearStructure(run, output: output)
            if let summary { print(summary) }
        }
    }
}
