import ArgumentParser
import Minimization
import MDCore
import Neighbors
import Study

/// A structure and its potential: `evaluate`, `minimize` and `shear` spell these the same way.
struct SystemOptions: ParsableArguments {
    @Argument(help: "LAMMPS data file (atom_style atomic).") var structure: String
    @Option(help: "EAM setfl potential file (eam/fs or eam/alloy).") var potential: String
    @Option(help: "Element of each atom type, comma separated (type 1 first), e.g. Cu,Zr.") var elements: String
    @Option(name: .customLong("pair-style"), help: "eam/fs or eam/alloy (default: inferred from the file).") var pairStyle: String?
    @Option(help: "Worker threads (default: all cores); results do not depend on it.") var threads: Int?
    @Option(help: "Verlet skin, Å (results do not depend on it).") var skin = NeighborList.defaultSkin

    /// The structure with its potential, checked (`SystemSetup`).
    func load() throws(InputError) -> SystemSetup {
        try checkThreadsAndSkin(threads: threads, skin: skin)
        return try SystemSetup.load(structure: structure, potential: potential, elements: elements, pairStyle: pairStyle)
    }
}

/// The minimizer's stop criteria and line search (LAMMPS `minimize` and `min_modify`), defaults from
/// `ShearSettings.paper`'s minimizer; the force tolerance is each command's own.
struct MinimizerOptions: ParsableArguments {
    @Option(help: "Relative energy tolerance (0 = off).") var etol = MinimizerSettings.standard.energyTolerance
    @Option(help: "Norm of the force tolerance: 2norm (whole 3N vector, LAMMPS default), max (largest atom force), inf (largest component).")
    var norm = MinimizerSettings.standard.norm.rawValue
    @Option(name: .customLong("max-iterations"), help: "Maximum iterations (per strain step for shear).") var maxIterations = MinimizerSettings.standard.maxIterations
    @Option(name: .customLong("max-evaluations"), help: "Maximum force evaluations (per strain step for shear).") var maxEvaluations = MinimizerSettings.standard.maxEvaluations
    @Option(help: "Largest coordinate change of a line search's first trial, Å (LAMMPS dmax).") var dmax = MinimizerSettings.standard.maxDisplacement
    @Option(name: .customLong("line-search"), help: "quadratic (LAMMPS default) or backtrack.") var lineSearch = MinimizerSettings.standard.lineSearch.rawValue

    /// The settings with force tolerance `ftol`; errors name the flag.
    func settings(ftol: Double) throws(InputError) -> MinimizerSettings {
        try minimizerSettings(ftol: ftol, etol: etol, norm: norm, maxIterations: maxIterations,
                              maxEvaluations: maxEvaluations, dmax: dmax, lineSearch: lineSearch)
    }
}
