import AQS
import Minimization
import ArgumentParser
import EAM
import MDCore
import Neighbors
import Study

/// `pipeline minimize`: relaxes a structure to the nearest inherent structure with the LAMMPS-exact
/// conjugate-gradient minimizer and prints a JSON report line.
struct MinimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minimize",
        abstract: "Minimize the energy of a LAMMPS data file at fixed box (LAMMPS min_style cg).",
        discussion: """
        By default the same algorithm, defaults and stop criteria as LAMMPS `minimize ETOL FTOL MAXITER \
        MAXEVAL` with min_style cg, line quadratic and dmax 0.1 (same iterations and force evaluations from \
        the same start); --minimizer lbfgs uses L-BFGS with the same stop criteria. Prints {"atoms", "iterations", "force_evaluations", \
        "stop_reason", "energy_initial_eV", "energy_eV", "fnorm_eV_per_A", "fmax_eV_per_A", "stress_GPa", \
        "seconds"} and writes the minimized structure (masses from the potential; velocities kept).
        """
    )

    @OptionGroup var system: SystemOptions

    @Option(help: "Force tolerance, eV/Å, on the norm given by --norm (0 = off).")
    var ftol: Double

    @OptionGroup var limits: MinimizerOptions

    @Option(help: "Algorithm: cg (LAMMPS min_style cg, step for step) or lbfgs (about one force evaluation per iteration).")
    var minimizer: String = "cg"

    @Option(name: .customLong("lbfgs-memory"), help: "Pairs kept by L-BFGS.")
    var lbfgsMemory = MinimizerSettings.standard.memory

    @Option(help: "Minimized structure (LAMMPS data file).")
    var output: String

    func run() throws {
        try reportingInputErrors {
            var settings = try limits.settings(ftol: ftol)
            guard let algorithm = MinimizerAlgorithm(rawValue: minimizer) else {
                throw InputError(path: "--minimizer", reason: "use cg or lbfgs (got '\(minimizer)')")
            }
            settings.algorithm = algorithm
            settings.memory = lbfgsMemory
            try settings.validate()
            let setup = try system.load()
            print(try minimizeStructure(setup, settings: settings, skin: system.skin,
                                        threads: system.threads ?? defaultThreadCount(), output: output))
        }
    }
}
