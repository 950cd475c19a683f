import MDCore

/// Which norm of the force vector the force tolerance applies to (LAMMPS `min_modify norm`).
public enum ForceNorm: String, Sendable, CaseIterable, Codable {
    /// Euclidean norm of the whole 3N force vector (LAMMPS default, `norm two`): √Σ_k f_k².
    case twoNorm = "2norm"
    /// Largest per-atom force magnitude: max_i |f_i|.
    case max = "max"
    /// Largest force component: max_k |f_k|.
    case inf = "inf"
}

/// The line search of the conjugate-gradient minimizer.
public enum LineSearchStyle: String, Sendable, CaseIterable, Codable {
    /// LAMMPS `min_modify line quadratic` (the LAMMPS default), reproduced step for step.
    case quadratic
    /// LAMMPS `min_modify line backtrack`.
    case backtrack
}

/// Minimization algorithm.
public enum MinimizerAlgorithm: String, Sendable, CaseIterable, Codable {
    /// `ConjugateGradient`: LAMMPS `min_style cg`, step for step.
    case cg
    /// `LBFGS`: limited-memory BFGS, about one force evaluation per iteration.
    case lbfgs
}

/// Settings of one minimization, with LAMMPS's meaning and defaults where LAMMPS has them
/// (`minimize etol ftol maxiter maxeval`, `min_modify dmax 0.1 line quadratic norm two`).
public struct MinimizerSettings: Sendable, Equatable, Codable {
    /// Relative energy tolerance (dimensionless): stop when |E − E_prev| < etol·½(|E| + |E_prev| + 1e-8).
    /// 0 disables the test.
    public var energyTolerance: Double
    /// Force tolerance, eV/Å, on the norm `norm`. 0 disables the test.
    public var forceTolerance: Double
    /// Norm the force tolerance applies to.
    public var norm: ForceNorm
    /// Maximum CG iterations (line searches).
    public var maxIterations: Int
    /// Maximum force evaluations (checked after each line search, so it may be exceeded by the
    /// evaluations of the last line search, as in LAMMPS).
    public var maxEvaluations: Int
    /// Largest displacement of any coordinate in the first trial step of a line search, Å (`dmax`).
    public var maxDisplacement: Double
    /// Line search (conjugate gradient only).
    public var lineSearch: LineSearchStyle
    /// Algorithm.
    public var algorithm: MinimizerAlgorithm
    /// Number of (s, y) pairs kept by L-BFGS.
    public var memory: Int

    /// LAMMPS's defaults (`minimize 0 1e-8 10000 100000`, `min_modify dmax 0.1 line quadratic norm two`):
    /// the defaults of `pipeline minimize` and of every setting a command or config does not give.
    public static let standard = MinimizerSettings()

    public init(energyTolerance: Double = 0, forceTolerance: Double = 1e-8, norm: ForceNorm = .twoNorm,
                maxIterations: Int = 10_000, maxEvaluations: Int = 100_000, maxDisplacement: Double = 0.1,
                lineSearch: LineSearchStyle = .quadratic, algorithm: MinimizerAlgorithm = .cg, memory: Int = 10) {
        self.energyTolerance = energyTolerance
        self.forceTolerance = forceTolerance
        self.norm = norm
        self.maxIterations = maxIterations
        self.maxEvaluations = maxEvaluations
        self.maxDisplacement = maxDisplacement
        self.lineSearch = lineSearch
        self.algorithm = algorithm
        self.memory = memory
    }

    /// Checks every value; errors name the command-line flag.
    public func validate() throws(InputError) {
        guard energyTolerance.isFinite, energyTolerance >= 0 else {
            throw InputError(path: "--etol", reason: "energy tolerance must be a finite number ≥ 0 (got \(energyTolerance))")
        }
        guard forceTolerance.isFinite, forceTolerance >= 0 else {
            throw InputError(path: "--ftol", reason: "force tolerance must be a finite number ≥ 0 (got \(forceTolerance))")
        }
        guard energyTolerance > 0 || forceTolerance > 0 else {
            throw InputError(path: "--ftol", reason: "give a force tolerance > 0 or an energy tolerance > 0")
        }
        guard maxIterations >= 1 else {
            throw InputError(path: "--max-iterations", reason: "must be at least 1 (got \(maxIterations))")
        }
        guard maxEvaluations >= 1 else {
            throw InputError(path: "--max-evaluations", reason: "must be at least 1 (got \(maxEvaluations))")
        }
        guard memory >= 1 else {
            throw InputError(path: "--lbfgs-memory", reason: "must be at least 1 (got \(memory))")
        }
        guard maxDisplacement.isFinite, maxDisplacement > 0 else {
            throw InputError(path: "--dmax", reason: "maximum displacement must be a finite number > 0 (got \(maxDisplacement))")
        }
    }

    /// `name=value` lines (shortest round-trip numbers) for checkpoint keys and summaries.
    public var settingsLines: [String] {
        ["etol=\(roundTrip(energyTolerance))", "ftol=\(roundTrip(forceTolerance))", "norm=\(norm.rawValue)",
         "max_iterations=\(maxIterations)", "max_evaluations=\(maxEvaluations)",
         "dmax=\(roundTrip(maxDisplacement))"]
            + (algorithm == .cg ? ["line_search=\(lineSearch.rawValue)"] : ["algorithm=lbfgs", "lbfgs_memory=\(memory)"])
    }
}
