/// The energy balance of one athermal strain step (paper Eq. 1): ΔU = V·∫τ dγ + ΔU_pl.
///
/// Both AQS (which keeps a predicted step only when it looks elastic) and the harvest (which calls a
/// step a plastic event when it dissipates energy) judge a step by its dissipation
/// D = ΔU − V·½(τ_k + τ_{k+1})·Δγ, the elastic work by the trapezoid rule. They share one noise bound,
/// defined here, so that no step the harvest calls an event can come from the predicted path.
///
/// A state minimized to ‖F‖₂ ≤ ftol sits within one line-search step dmax of where the forces vanish,
/// so its energy is off by at most ½·ftol·dmax and a step's balance by ftol·dmax (eV per cell).
public enum EnergyBalance {
    /// ftol·dmax, eV per cell: the largest |D| an elastic step can show from minimization error alone.
    public static func noiseBound(forceTolerance: Double, maxDisplacement: Double) -> Double {
        forceTolerance * maxDisplacement
    }

    /// D = ΔU − V·½(τ_k + τ_{k+1})·Δγ in eV per cell; stresses in GPa, volume in Å³.
    public static func dissipation(energyChange: Double, stressBefore: Double, stressAfter: Double,
                                   strainStep: Double, volume: Double) -> Double {
        energyChange - volume * 0.5 * (stressBefore + stressAfter) * strainStep / Units.evPerA3ToGPa
    }
}
