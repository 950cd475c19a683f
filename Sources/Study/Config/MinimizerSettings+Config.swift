import AQS
import Minimization
import MDCore

extension MinimizerSettings {
    /// Keys of a minimizer in a study config (`inherent_structure`, and the same names in `aqs`).
    static let configKeys = ["ftol_eV_per_A", "etol", "norm", "max_iterations", "max_evaluations"]

    /// The inherent-structure minimizer's defaults: the paper's ftol 2e-4 eV/Å on the 2-norm, and
    /// limits generous enough for a glass straight from the quench (as `pipeline quench`).
    static let inherentStructureDefaults = MinimizerSettings(
        energyTolerance: 0, forceTolerance: 2e-4, norm: .twoNorm, maxIterations: 200_000, maxEvaluations: 2_000_000)

    /// Reads the minimizer keys of `node` over `defaults`; `dmax`, the line search and the
    /// algorithm keep their LAMMPS defaults (CG, quadratic, 0.1 Å).
    static func read(_ node: ConfigNode, defaults: MinimizerSettings) throws(InputError) -> MinimizerSettings {
        var m = defaults
        if let f = node.member("ftol_eV_per_A") { m.forceTolerance = try f.nonNegative() }
        if let e = node.member("etol") { m.energyTolerance = try e.nonNegative() }
        if let n = node.member("norm") { m.norm = try n.choice(ForceNorm.self, what: "norm") }
        if let i = node.member("max_iterations") { m.maxIterations = try i.int(in: 1...Int(Int32.max)) }
        if let i = node.member("max_evaluations") { m.maxEvaluations = try i.int(in: 1...Int(Int32.max)) }
        guard m.forceTolerance > 0 || m.energyTolerance > 0 else {
            throw node.error(key: "ftol_eV_per_A", "give a force tolerance > 0 or an energy tolerance etol > 0")
        }
        guard m.energyTolerance < 1 else { throw node.error(key: "etol", "must be below 1 (got \(ConfigNumber.text(m.energyTolerance)))") }
        return m
    }

    /// The config keys with their values.
    var configMembers: [(String, JSONValue)] {
        [("ftol_eV_per_A", .number(forceTolerance)), ("etol", .number(energyTolerance)), ("norm", .string(norm.rawValue)),
         ("max_iterations", .number(maxIterations)), ("max_evaluations", .number(maxEvaluations))]
    }
}
