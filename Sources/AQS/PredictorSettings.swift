import MDCore
import Minimization

/// The non-affine predictor of `SimpleShear`: on an elastic branch the non-affine displacement
/// changes smoothly with strain, so the minimizer starts from the affine remap of the last inherent
/// structure *plus* the extrapolated non-affine increment d (d_n = x_n − A_n(x_{n−1}), with A_n the
/// affine remap of step n): linear, x_start = A(x_n) + d_n, or quadratic, + 2d_n − d_{n−1}.
///
/// A predicted step is kept only when it looks elastic; otherwise it is recomputed from the plain
/// affine start, so plastic events follow the path of the plain method. It is rejected when
/// * its minimization did not converge;
/// * σ_xy fell (σ_xy,n < σ_xy,n−1): a stress drop, the signature of a plastic event;
/// * the energy change departs from the elastic work V·½(σ_xy,n−1 + σ_xy,n)·Δγ by more than
///   `energyBoundFraction` × `EnergyBalance.noiseBound` (ftol·dmax of the run's own minimizer), plus
///   1e-12·|E| for rounding (an event releases energy). The harvest's automatic event threshold is the
///   whole bound, so with a fraction below 1 no step the harvest calls an event comes from this path;
/// * the minimizer moved the atoms far from the prediction: ‖x_n − x_start‖₂ > `correctionLimit`·‖d‖₂;
/// * the non-affine increment grew or shrank abruptly: ‖d_n‖₂/‖d_{n−1}‖₂ outside
///   [1/`growthLimit`, `growthLimit`] (the increment diverges as (γ_c − γ)^−½ before a saddle-node
///   instability, where the affine start and the prediction may fall into different basins).
///
/// With no increment to extrapolate (the first step, or the step after a stress drop) an L-BFGS
/// predictor starts from the affine map itself, the plain method's start, and is kept when it passes
/// the first three tests (the last two compare with an increment there is not).
public struct PredictorSettings: Sendable, Equatable {
    /// (s, y) pairs kept by the predictor's L-BFGS. Measured on a 4000-atom Cu64Zr36 glass at
    /// Δγ = 1e-5, ftol 1e-8: 10 pairs take 98 evaluations per step, 20 take 95, 30 and 40 take 91;
    /// 30 costs ~5 % more time per step than 20 in the two-loop recursion, 40 ~20 %.
    public static let defaultMemory = 30

    /// Off: every step starts from the affine remap (the LAMMPS `change_box … remap` + `minimize` loop).
    public var enabled: Bool
    /// Extrapolation order: 1 (linear in the last increment) or 2 (from the last two).
    public var order: Int
    /// Largest accepted ‖x_n − x_start‖₂ / ‖d‖₂.
    public var correctionLimit: Double
    /// Largest accepted growth factor of ‖d‖₂ from one step to the next.
    public var growthLimit: Double
    /// Accepted |ΔU − work| as a fraction of `EnergyBalance.noiseBound` (the harvest's event threshold).
    public var energyBoundFraction: Double
    /// Half the harvest's event threshold: a margin of 2 between the two judgements of one step.
    public static let defaultEnergyBoundFraction = 0.5
    /// Minimizer for predicted steps (the plain recomputation always uses the run's own settings).
    public var minimizer: MinimizerSettings?

    public init(enabled: Bool = false, order: Int = 1, correctionLimit: Double = 0.5, growthLimit: Double = 1.5,
                energyBoundFraction: Double = PredictorSettings.defaultEnergyBoundFraction, minimizer: MinimizerSettings? = nil) {
        self.enabled = enabled
        self.order = order
        self.correctionLimit = correctionLimit
        self.growthLimit = growthLimit
        self.energyBoundFraction = energyBoundFraction
        self.minimizer = minimizer
    }

    /// `name=value` lines for checkpoint keys and summaries.
    public var settingsLines: [String] {
        guard enabled else { return ["predictor=off"] }
        var lines = ["predictor=on", "predictor_order=\(order)", "predictor_correction_limit=\(roundTrip(correctionLimit))",
                     "predictor_growth_limit=\(roundTrip(growthLimit))",
                     "predictor_energy_bound_fraction=\(roundTrip(energyBoundFraction))"]
        if let m = minimizer { lines += m.settingsLines.map { "predictor_" + $0 } }
        return lines
    }
}
