import MDCore

/// The parameters that map a state (u, τ) to the inelastic energy X1 (paper Eqs. 5–8, Table I).
///
/// Units: energies per atom in eV, stresses and moduli in GPa, Ω in Å³/atom. The elastic energy
/// Ωτ²/(2G0) is in GPa·Å³ and is converted to eV with 1 eV/Å³ = 160.21765 GPa (LAMMPS metal units).
public struct ModelParameters: Sendable, Equatable {
    /// Reference energy u0 (Eq. 5), eV/atom.
    public var u0: Estimate
    /// Volume per atom Ω = V/N, Å³.
    public var omega: Estimate
    /// Shear modulus of the reference structure G0 (GPa) and its softening scale u_A (eV/atom):
    /// G(X1) = G0·(1 − X1/u_A).
    public var G0: Estimate
    public var uA: Estimate
    /// Nonlinear elastic stresses τ_A, τ_B (GPa) of Eq. 6.
    public var tauA: Estimate
    public var tauB: Estimate

    /// How X1 is obtained from (u, τ): the paper's first-order closed form (Eq. 8, default) or the exact
    /// inverse of Eq. 7.
    public var inverse: X1Inverse

    public init(u0: Estimate, omega: Estimate, G0: Estimate, uA: Estimate, tauA: Estimate, tauB: Estimate,
                inverse: X1Inverse = .firstOrder) {
        self.u0 = u0; self.omega = omega; self.G0 = G0; self.uA = uA; self.tauA = tauA; self.tauB = tauB
        self.inverse = inverse
    }

    /// GPa·Å³ per eV.
    public static let gpaA3PerEV = Units.evPerA3ToGPa

    /// Linear shear modulus of a structure with inelastic energy `x1`: G0·(1 − X1/u_A), GPa.
    @inlinable
    public func shearModulus(x1: Double) -> Double { G0.value * (1 - x1 / uA.value) }

    /// Elastic energy per atom at stress `tau` for a structure with inelastic energy `x1` (Eq. 7), eV/atom.
    @inlinable
    public func elasticEnergy(tau: Double, x1: Double) -> Double {
        let a = tau / tauA.value, b = tau / tauB.value
        let a2 = a * a, b2 = b * b
        return omega.value * tau * tau / (2 * G0.value * Self.gpaA3PerEV) * (1 / (1 - x1 / uA.value) + a2 + b2 * b2)
    }

    /// X1 of a state with energy `u` (eV/atom) at stress `tau` (GPa), by `inverse`.
    @inlinable
    public func x1(u: Double, tau: Double) -> Double {
        let c = omega.value * tau * tau / (2 * G0.value * Self.gpaA3PerEV)
        let a = tau / tauA.value, b = tau / tauB.value
        let a2 = a * a, b2 = b * b
        switch inverse {
        case .firstOrder:
            // Eq. 8: 1/(1 − X1/u_A) ≈ 1 + X1/u_A.
            return (u - u0.value - c * (1 + a2 + b2 * b2)) / (1 + c / uA.value)
        case .exact:
            // Eq. 7 solved for X1: with A = u − u0 − c(a² + b⁴), X1 + c/(1 − X1/u_A) = A is the quadratic
            // X1² − (u_A + A)·X1 + u_A(A − c) = 0; the root that tends to A − c as c → 0, in the form
            // that does not cancel.
            let A = u - u0.value - c * (a2 + b2 * b2)
            let ua = uA.value
            guard ua.isFinite else { return A - c }
            let d = ((ua - A) * (ua - A) + 4 * ua * c).squareRoot()
            return 2 * ua * (A - c) / ((ua + A) + (ua < 0 ? -d : d))
        }
    }

    /// As JSON, in a fixed order with units in the keys.
    public var json: JSONValue {
        .object([("u0_eV_per_atom", u0.json), ("omega_A3_per_atom", omega.json), ("G0_GPa", G0.json),
                 ("uA_eV_per_atom", uA.json), ("tauA_GPa", tauA.json), ("tauB_GPa", tauB.json)]
                + (inverse == .firstOrder ? [] : [("x1_inverse", .string(inverse.rawValue))]))
    }

    /// Reads the `json` form.
    public init(json: JSONValue, path: String, key: String = "parameters") throws(InputError) {
        func get(_ k: String) throws(InputError) -> Estimate {
            guard let v = json[k] else {
                throw InputError(path: path, line: json.line, keyPath: key + "." + k, reason: "missing")
            }
            return try Estimate(json: v, path: path, key: key + "." + k)
        }
        var inverse = X1Inverse.firstOrder
        if let v = json["x1_inverse"] {
            guard let s = v.string, let i = X1Inverse(rawValue: s) else {
                throw InputError(path: path, line: v.line, keyPath: key + ".x1_inverse",
                                 reason: "use \(X1Inverse.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or "))")
            }
            inverse = i
        }
        self.init(u0: try get("u0_eV_per_atom"), omega: try get("omega_A3_per_atom"), G0: try get("G0_GPa"),
                  uA: try get("uA_eV_per_atom"), tauA: try get("tauA_GPa"), tauB: try get("tauB_GPa"), inverse: inverse)
    }
}

/// The map from (u, τ) to X1.
public enum X1Inverse: String, Sendable, Equatable, CaseIterable {
    /// The paper's Eq. 8, first order in X1/u_A (error ~(X1/u_A)²·Ωτ²/2G0).
    case firstOrder = "first_order"
    /// The exact inverse of Eq. 7.
    case exact
}
