import MDCore

/// A Nosé–Hoover chain thermostat (Martyna, Klein & Tuckerman 1992) integrated as LAMMPS `fix nvt`
/// does it (Trotter half steps around velocity Verlet, as in LAMMPS `fix_nh.cpp`; docs/ARCHITECTURE.md, "Quench"):
/// masses Q₀ = N_f k_B T/ω², Q_k = k_B T/ω² recomputed at every half step, ω = 1/T_damp.
///
/// The state is plain values, so it checkpoints exactly.
public struct NoseHooverChain: Sendable, Equatable {
    /// Chain length M.
    public let length: Int
    /// Damping time, ps.
    public let damping: Double
    /// Sub-steps per half step (LAMMPS `tloop`).
    public let loops: Int
    /// Thermostat positions η₀…η_{M−1}.
    public var eta: [Double]
    /// Velocities η̇₀…η̇_M (η̇_M ≡ 0).
    public var etaDot: [Double]
    /// Accelerations η̈₀…η̈_{M−1}.
    public var etaDotDot: [Double]
    /// Masses Q₀…Q_{M−1}.
    public var mass: [Double]

    public init(length: Int = 3, damping: Double, loops: Int = 1) {
        precondition(length >= 1 && damping > 0 && loops >= 1)
        self.length = length
        self.damping = damping
        self.loops = loops
        eta = [Double](repeating: 0, count: length)
        etaDot = [Double](repeating: 0, count: length + 1)
        etaDotDot = [Double](repeating: 0, count: length)
        mass = [Double](repeating: 0, count: length)
    }

    private mutating func updateMasses(target: Double, dof: Double) {
        let kT = Units.boltzmann * target
        let w2 = 1 / (damping * damping)
        mass[0] = dof * kT / w2
        for k in 1..<length { mass[k] = kT / w2 }
    }

    /// Prepares the chain at the start of a run (LAMMPS `setup`): masses and η̈_{k≥1}.
    public mutating func setup(target: Double, dof: Double) {
        updateMasses(target: target, dof: dof)
        let kT = Units.boltzmann * target
        for k in 1..<length {
            etaDotDot[k] = (mass[k - 1] * etaDot[k - 1] * etaDot[k - 1] - kT) / mass[k]
        }
    }

    /// One thermostat half step of length dt/2. `current` is the temperature the velocities have on
    /// entry; returns the factor s by which every velocity must be scaled (the temperature becomes
    /// current·s²).
    public mutating func halfStep(dt: Double, target: Double, dof: Double, current: Double) -> Double {
        updateMasses(target: target, dof: dof)
        let kT = Units.boltzmann * target
        let keTarget = dof * kT
        let nc = Double(loops)
        let d8 = dt / (8 * nc), d4 = dt / (4 * nc), d2 = dt / (2 * nc)
        var tCurrent = current
        etaDotDot[0] = mass[0] > 0 ? (dof * Units.boltzmann * tCurrent - keTarget) / mass[0] : 0
        var factor = 1.0
        for _ in 0..<loops {
            if length > 1 {
                for k in stride(from: length - 1, through: 1, by: -1) {
                    let e = expm(-d8 * etaDot[k + 1])
                    etaDot[k] = (etaDot[k] * e + etaDotDot[k] * d4) * e
                }
            }
            let e0 = expm(-d8 * etaDot[1])
            etaDot[0] = (etaDot[0] * e0 + etaDotDot[0] * d4) * e0
            let s = expm(-d2 * etaDot[0])
            factor *= s
            tCurrent *= s * s
            etaDotDot[0] = mass[0] > 0 ? (dof * Units.boltzmann * tCurrent - keTarget) / mass[0] : 0
            for k in 0..<length { eta[k] += d2 * etaDot[k] }
            etaDot[0] = (etaDot[0] * e0 + etaDotDot[0] * d4) * e0
            for k in 1..<length {
                let e = expm(-d8 * etaDot[k + 1])
                etaDot[k] *= e
                etaDotDot[k] = (mass[k - 1] * etaDot[k - 1] * etaDot[k - 1] - kT) / mass[k]
                etaDot[k] += etaDotDot[k] * d4
                etaDot[k] *= e
            }
        }
        return factor
    }

    /// Energy of the thermostat (LAMMPS's f_ID scalar), eV: PE + KE + this is conserved.
    public func energy(target: Double, dof: Double) -> Double {
        let kT = Units.boltzmann * target
        var e = dof * kT * eta[0] + 0.5 * mass[0] * etaDot[0] * etaDot[0]
        for k in 1..<length { e += kT * eta[k] + 0.5 * mass[k] * etaDot[k] * etaDot[k] }
        return e
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// e^x (libm). Thermostat arithmetic only: trajectories are reproducible on one platform, and the
/// random streams do not depend on it.
@inline(__always)
func expm(_ x: Double) -> Double { exp(x) }
