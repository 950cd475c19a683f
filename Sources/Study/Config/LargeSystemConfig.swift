import AQS
import Minimization
import MDCore

/// Section `large_system` (optional): one large glass whose AQS loading curve gives τ_A and τ_B of
/// Eq. 7, the paper's route ("a large 400 000-atom AQS simulation to avoid the stochastic variations
/// present in the smaller atomistic models"). It is made exactly like a sample of the study — same
/// potential, composition, number density, melt/branch/relax protocol, inherent-structure minimizer
/// and AQS settings — except for its size, its cooling rate, how far it is sheared and the force
/// tolerance of the shear, which tightens with √N (below).
package struct LargeSystemConfig: Sendable, Equatable {
    /// Atoms of the large glass.
    var atoms: Int
    /// Edge of its cubic cell, Å: `system.box_A` scaled by (atoms / system.atoms)^(1/3), so the number
    /// density is the study's.
    var boxA: Double
    /// Cooling rate of its final quench, K/s.
    var rateKPerS: Double
    /// Its AQS: the study's `aqs` settings with this section's `max_strain` and `ftol_eV_per_A`.
    var shear: ShearSettings

    static let keys = ["atoms", "rate_K_per_s", "max_strain", "ftol_eV_per_A"]
    /// The loading part only, up to a little past the stress peak, short of steady flow (the auto
    /// window of the elastic fit needs the peak inside the run).
    static let defaultMaxStrain = 0.1

    /// The default force tolerance of the large run. On the 2-norm of the whole 3N force vector a
    /// tolerance ftol allows a residual of ftol/√(3N) per component, so the same per-atom residual
    /// in a system of N_large atoms is ftol·√(N_large/N). The max and inf norms are per atom already.
    static func defaultForceTolerance(aqs: MinimizerSettings, atoms: Int, systemAtoms: Int) -> Double {
        guard aqs.norm == .twoNorm else { return aqs.forceTolerance }
        return aqs.forceTolerance * (Double(atoms) / Double(systemAtoms)).squareRoot()
    }

    /// The random streams of the large glass (lattice, species, velocities) derive from this seed: a
    /// stream of the study seed tagged "large", independent of the samples' streams.
    static func derivedSeed(_ studySeed: UInt64) -> UInt64 {
        var random = SeededRandom(seed: studySeed, stream: [0x6c61_7267_65])  // "large"
        return random.next()
    }

    /// Reads the section; `quench` supplies the protocol its rate is checked against (1 … 1e10 MD steps).
    static func read(_ node: ConfigNode, system: SystemConfig, quench: QuenchConfig, aqs: AQSConfig) throws(InputError) -> LargeSystemConfig {
        let atoms = try node.required("atoms").int(in: 2...SystemConfig.maxAtoms)
        let box = system.boxA * SystemConfig.cubeRoot(Double(atoms) / Double(system.atoms))

        let rateNode = try node.required("rate_K_per_s")
        let rate = try rateNode.positive()
        let p = quench.schedule
        let steps = (p.branchTemperature - p.finalTemperature) / rate * 1e12 / p.timestep
        guard steps <= QuenchConfig.maxSegmentSteps else {
            throw rateNode.error("rate \(ConfigNumber.text(rate)) K/s takes \(ConfigNumber.text(steps.rounded())) MD steps to quench (at most 1e10)")
        }
        guard steps >= 1 else {
            throw rateNode.error("rate \(ConfigNumber.text(rate)) K/s quenches in less than one MD step of \(ConfigNumber.text(p.timestep)) ps")
        }

        var shear = aqs.shear
        shear.maxStrain = try node.member("max_strain")?.positive() ?? defaultMaxStrain
        guard shear.stepCount >= 1 else {
            throw node.error(key: "max_strain", "must be at least aqs.strain_step \(ConfigNumber.text(shear.strainStep)) (got \(ConfigNumber.text(shear.maxStrain)))")
        }
        guard shear.stepCount < Int(Int32.max) else {
            throw node.error(key: "max_strain", "max_strain / aqs.strain_step gives too many steps (\(ConfigNumber.text((shear.maxStrain / shear.strainStep).rounded())); at most 2147483646)")
        }
        shear.minimizer.forceTolerance = try node.member("ftol_eV_per_A")?.nonNegative()
            ?? defaultForceTolerance(aqs: aqs.shear.minimizer, atoms: atoms, systemAtoms: system.atoms)
        guard shear.minimizer.forceTolerance > 0 || shear.minimizer.energyTolerance > 0 else {
            throw node.error(key: "ftol_eV_per_A", "give a force tolerance > 0 (aqs.etol is 0)")
        }
        // The predictor's L-BFGS works to the run's tolerances.
        shear.predictor = AQSConfig.predictorSettings(enabled: aqs.predictor, minimizer: shear.minimizer)
        return LargeSystemConfig(atoms: atoms, boxA: box, rateKPerS: rate, shear: shear)
    }

    var json: JSONValue {
        .object([("atoms", .number(atoms)), ("rate_K_per_s", .number(rateKPerS)),
                 ("max_strain", .number(shear.maxStrain)), ("ftol_eV_per_A", .number(shear.minimizer.forceTolerance))])
    }
}
