import Harvest

/// How a SEEM step loads elastically between events.
public enum SEEMElasticity: String, Sendable, CaseIterable {
    /// τ += G(X1)·Δγ with G = G0(1 − X1/u_A): the paper's model (linear in τ).
    case linear
    /// τ += G_t(X1, τ)·Δγ with the tangent modulus of Eq. 6's elastic energy: an elastic step changes
    /// the energy per atom by Ωτ dγ, so dτ/dγ = Ωτ/(du_el/dτ) = G0 / (G0/G(X1) + 2(τ/τ_A)² + 3(τ/τ_B)⁴).
    /// Equal to G(X1) at τ = 0 and softer at high stress, as AQS elastic branches are (beyond the paper).
    case nonlinear

    /// The default: Eq. 6's own tangent modulus, consistent with the τ_A, τ_B the harvest fits. With the
    /// linear law the elastic steps of the flow regime load faster than any AQS branch does, and on the
    /// validation study's 1000-atom database SEEM then climbs out of the harvested grid (about half its
    /// steps) to several times the AQS flow stress.
    public static let standard = SEEMElasticity.nonlinear
}

extension ModelParameters {
    /// dτ/dγ of an elastic step from (X1, τ) under `elasticity`, GPa.
    @inlinable
    public func elasticSlope(x1: Double, tau: Double, elasticity: SEEMElasticity) -> Double {
        switch elasticity {
        case .linear:
            return shearModulus(x1: x1)
        case .nonlinear:
            let a = tau / tauA.value, b = tau / tauB.value
            let b2 = b * b
            return G0.value / (1 / (1 - x1 / uA.value) + 2 * a * a + 3 * b2 * b2)
        }
    }
}
