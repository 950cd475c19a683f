import MDCore
import Minimization

/// Settings of an athermal quasistatic simple-shear run (`SimpleShear`).
public struct ShearSettings: Sendable, Equatable {
    /// Shear strain increment Δγ per step (dimensionless, > 0).
    public var strainStep: Double
    /// Last strain γ_max: the run makes the largest number of steps n with n·Δγ ≤ γ_max
    /// (within 1e-9 relative, so that 0.5/1e-5 gives 50000 steps).
    public var maxStrain: Double
    /// Minimizer of every step (and of the starting structure).
    public var minimizer: MinimizerSettings
    /// Non-affine predictor (off by default).
    public var predictor: PredictorSettings

    public init(strainStep: Double = 1e-5, maxStrain: Double = 0.5, minimizer: MinimizerSettings = MinimizerSettings(),
                predictor: PredictorSettings = PredictorSettings()) {
        self.strainStep = strainStep
        self.maxStrain = maxStrain
        self.minimizer = minimizer
        self.predictor = predictor
    }

    /// The paper's AQS (Materials and Methods): Δγ = 1e-5 to γ = 0.5, every step minimized to the
    /// inherent structure, which the paper defines by ftol 2e-4 eV/Å (2-norm), within the minimizer's
    /// usual limits. The one default of `pipeline shear` and of a config's `aqs` section.
    public static let paper = ShearSettings(
        strainStep: 1e-5, maxStrain: 0.5,
        minimizer: MinimizerSettings(energyTolerance: 0, forceTolerance: 2e-4, norm: .twoNorm, maxIterations: 10_000, maxEvaluations: 100_000))

    /// Number of strain steps after the starting structure.
    public var stepCount: Int {
        let r = maxStrain / strainStep
        return Int((r * (1 + 1e-9)).rounded(.down))
    }

    /// Checks every value; errors name the command-line flag.
    public func validate() throws(InputError) {
        guard strainStep.isFinite, strainStep > 0 else {
            throw InputError(path: "--strain-step", reason: "strain step must be a finite number > 0 (got \(strainStep))")
        }
        guard maxStrain.isFinite, maxStrain > 0 else {
            throw InputError(path: "--max-strain", reason: "maximum strain must be a finite number > 0 (got \(maxStrain))")
        }
        guard stepCount >= 1 else {
            throw InputError(path: "--max-strain", reason: "maximum strain \(maxStrain) is below the strain step \(strainStep)")
        }
        guard stepCount < Int(Int32.max) else {
            throw InputError(path: "--max-strain", reason: "maximum strain / strain step gives too many steps (\(stepCount))")
        }
        try minimizer.validate()
        if let m = predictor.minimizer { try m.validate() }
        guard predictor.order == 1 || predictor.order == 2 else {
            throw InputError(path: "--predictor-order", reason: "must be 1 or 2 (got \(predictor.order))")
        }
    }

    /// `name=value` lines of everything that determines the result, for checkpoint keys and summaries.
    public var settingsLines: [String] {
        ["strain_step=\(roundTrip(strainStep))", "max_strain=\(roundTrip(maxStrain))"]
            + minimizer.settingsLines + predictor.settingsLines
    }
}
