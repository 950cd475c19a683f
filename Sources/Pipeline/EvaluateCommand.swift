import ArgumentParser
import EAM
import Foundation
import MDCore
import Neighbors
import Study

/// `pipeline evaluate`: energy, stress and forces of one structure, as a JSON line.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate energy, stress (and forces) of a LAMMPS data file with an EAM potential.",
        discussion: """
        Prints {"atoms", "energy_eV", "volume_A3", "stress_GPa": {xx,yy,zz,xy,xz,yz}, "seconds_per_evaluation"}.
        Stress is minus LAMMPS's pressure tensor in GPa (tension positive); the kinetic term is included
        when the file has velocities. Masses come from the potential file, as with LAMMPS pair_coeff.
        """
    )

    @OptionGroup var system: SystemOptions

    @Option(help: "Write forces as CSV id,fx,fy,fz (eV/Å, sorted by id).")
    var forces: String?

    @Option(help: "Evaluations to time after one warm-up (median reported).")
    var `repeat`: Int = 1

    @Flag(help: "Print the mean time of each evaluation pass to standard error.")
    var profile = false

    func run() throws {
        try reportingInputErrors {
            guard `repeat` >= 1 else { throw InputError(path: "--repeat", reason: "must be at least 1 (got \(`repeat`))") }
            let setup = try system.load()
            print(try evaluateStructure(setup, skin: system.skin, threads: system.threads ?? defaultThreadCount(),
                                        repeat: `repeat`, profile: profile, forcesPath: forces))
        }
    }
}
