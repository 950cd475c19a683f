import MDCore

/// The outcome of one minimization.
public struct MinimizationReport: Sendable, Equatable {
    /// CG iterations (line searches) performed.
    public var iterations: Int
    /// Force evaluations counted as LAMMPS counts them: the setup evaluation is not counted.
    public var forceEvaluations: Int
    /// Energy at the start, eV.
    public var initialEnergy: Double
    /// Energy at the next-to-last iteration, eV.
    public var previousEnergy: Double
    /// Final energy, eV.
    public var energy: Double
    /// Euclidean norm of the force vector at the start, eV/Å.
    public var initialFnorm: Double
    /// Euclidean norm of the final 3N force vector, eV/Å (LAMMPS `fnorm`).
    public var fnorm: Double
    /// Largest final force component, eV/Å (LAMMPS `fmax`).
    public var fmax: Double
    /// Why it stopped.
    public var stopReason: StopReason
    /// Virial at the final positions, eV.
    public var virial: Virial

    public init(iterations: Int, forceEvaluations: Int, initialEnergy: Double, previousEnergy: Double,
                energy: Double, initialFnorm: Double = .nan, fnorm: Double, fmax: Double, stopReason: StopReason, virial: Virial) {
        self.iterations = iterations; self.forceEvaluations = forceEvaluations
        self.initialEnergy = initialEnergy; self.previousEnergy = previousEnergy; self.energy = energy
        self.initialFnorm = initialFnorm
        self.fnorm = fnorm; self.fmax = fmax; self.stopReason = stopReason; self.virial = virial
    }
}
