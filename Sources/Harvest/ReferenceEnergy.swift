import MDCore

/// The reference energy u0 of Eq. 5 and the volume per atom Ω.
///
/// The paper takes u0 ≈ "the stress-free potential energy per atom of our most deeply quenched glass".
/// An unstrained inherent structure of a small periodic glass carries a residual shear stress τ(0)
/// (up to ±1 GPa for 256 atoms); its stress-free energy is the energy after relaxing that stress along its
/// own elastic branch, u(0) − Ω·τ(0)²/(2G) with the sample's measured modulus G. The default u0 is the
/// mean of this over the training samples with the lowest cooling rate, so that those glasses have
/// X1 ≈ 0. The standard error is s/√n over those samples.
public enum ReferenceEnergy {
    /// u0 with the rule that produced it.
    public struct Result: Sendable, Equatable {
        public var u0: Estimate
        /// Human-readable rule ("mean stress-free IS energy of the 3 samples cooled at 1e13 K/s", "given").
        public var rule: String
        /// Indices (into the histories passed) of the samples averaged; empty when given.
        public var samples: [Int]
    }

    /// Stress-free inherent-structure energy of a history's unstrained state, eV/atom, given the sample's
    /// linear shear modulus `modulus` (GPa).
    public static func stressFreeEnergy(_ h: ShearHistory, modulus: Double) -> Double {
        let tau = h.stress[0]
        return h.energyPerAtom[0] - h.volumePerAtom * tau * tau / (2 * modulus * Units.evPerA3ToGPa)
    }

    /// The default rule over `histories` (the training samples) with their moduli (GPa). Samples without a
    /// recorded cooling rate count as slowest only when no sample has one.
    public static func slowestCooled(histories: [ShearHistory], moduli: [Double]) -> Result {
        precondition(!histories.isEmpty && histories.count == moduli.count)
        let rates = histories.compactMap { $0.coolingRate }
        let slowest = rates.min()
        let chosen = histories.indices.filter { histories[$0].coolingRate == slowest }
        let u0 = Statistics.meanAndStandardError(chosen.map { stressFreeEnergy(histories[$0], modulus: moduli[$0]) })
        let what = slowest.map { "cooled at \(shortScientific($0)) K/s (the slowest)" } ?? "(no cooling rates recorded)"
        return Result(u0: u0, rule: "mean stress-free inherent-structure energy u(0) − Ωτ(0)²/(2G) of the \(chosen.count) training samples \(what)",
                      samples: chosen)
    }

    /// Ω = V/N averaged over `histories`, with its standard error, Å³/atom.
    public static func volumePerAtom(_ histories: [ShearHistory]) -> Estimate {
        Statistics.meanAndStandardError(histories.map { $0.volumePerAtom })
    }
}
