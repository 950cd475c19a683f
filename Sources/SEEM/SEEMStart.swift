/// Where a SEEM run starts.
public enum SEEMStart: String, Sendable, CaseIterable {
    /// (τ = 0, X⁰): the paper's initial state (X1⁰, 0) — the sample's structural state, stress set to 0.
    case zero
    /// The sample's own initial state (τ⁰, X⁰) as recorded in the database, so that SEEM and AQS start
    /// from exactly the same point (Fig. 4's "starting from the same initial state"). The default:
    /// small AQS cells carry residual shear stresses of order 1 GPa at γ = 0, which `.zero` would turn
    /// into a constant offset of the whole elastic branch.
    case sample
}
