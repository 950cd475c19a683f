/// The symmetric virial W_ab = Σ_pairs d_a d_b f_pair (eV), with d = x_i − x_j and
/// f_pair = −(dE/dr)/r. Positive diagonal = repulsion. Pressure P = (K + W)/V; stress σ = −P.
public struct Virial: Sendable, Equatable, Codable {
    public var xx: Double, yy: Double, zz: Double, xy: Double, xz: Double, yz: Double
    public init(xx: Double = 0, yy: Double = 0, zz: Double = 0, xy: Double = 0, xz: Double = 0, yz: Double = 0) {
        self.xx = xx; self.yy = yy; self.zz = zz; self.xy = xy; self.xz = xz; self.yz = yz
    }
    public static let zero = Virial()
    public static func + (l: Virial, r: Virial) -> Virial {
        Virial(xx: l.xx + r.xx, yy: l.yy + r.yy, zz: l.zz + r.zz, xy: l.xy + r.xy, xz: l.xz + r.xz, yz: l.yz + r.yz)
    }
    /// Components in LAMMPS's pressure-vector order: xx, yy, zz, xy, xz, yz.
    public var components: [Double] { [xx, yy, zz, xy, xz, yz] }
}

/// Stress tensor in GPa, tension positive (σ = −P, LAMMPS pressure tensor with the sign flipped).
public struct Stress: Sendable, Equatable, Codable {
    public var xx: Double, yy: Double, zz: Double, xy: Double, xz: Double, yz: Double

    /// σ = −(W + K)/V converted to GPa; `kinetic` is Σ m v_a v_b · mvv2e (eV), zero for static structures.
    public init(virial w: Virial, kinetic k: Virial = .zero, volume: Double) {
        let s = -Units.evPerA3ToGPa / volume
        xx = s * (w.xx + k.xx); yy = s * (w.yy + k.yy); zz = s * (w.zz + k.zz)
        xy = s * (w.xy + k.xy); xz = s * (w.xz + k.xz); yz = s * (w.yz + k.yz)
    }
    /// Components in the order xx, yy, zz, xy, xz, yz.
    public var components: [Double] { [xx, yy, zz, xy, xz, yz] }
}

/// What one force evaluation returns besides the forces.
public struct EnergyAndVirial: Sendable, Equatable {
    /// Total potential energy, eV.
    public var energy: Double
    /// Configurational virial, eV.
    public var virial: Virial
    public init(energy: Double, virial: Virial) { self.energy = energy; self.virial = virial }
}

/// A potential-energy surface over a fixed set of atoms: positions (Å) and a periodic box in, energy,
/// virial and forces (eV/Å) out. Steppers (MD, minimizers) are generic over it, so the hot path
/// specialises; implementations are final classes that own their scratch buffers.
public protocol ForceField: AnyObject {
    /// Number of atoms the force field was built for.
    var atomCount: Int { get }
    /// Evaluates energy, virial and forces at `positions` in `box`. `positions` and `forces` must hold
    /// `atomCount` entries; every force is overwritten.
    func evaluate(positions: Span<SIMD3<Double>>, box: Box,
                  forces: inout MutableSpan<SIMD3<Double>>) -> EnergyAndVirial
}

extension ForceField {
    /// Array convenience for `evaluate(positions:box:forces:)`.
    public func evaluate(_ positions: [SIMD3<Double>], box: Box, forces: inout [SIMD3<Double>]) -> EnergyAndVirial {
        precondition(positions.count == atomCount, "positions has \(positions.count) atoms, force field \(atomCount)")
        if forces.count != atomCount { forces = [SIMD3<Double>](repeating: .zero, count: atomCount) }
        var f = forces.mutableSpan
        return evaluate(positions: positions.span, box: box, forces: &f)
    }

    /// Buffer convenience for `evaluate(positions:box:forces:)` (the minimizers' scratch storage).
    @inlinable
    public func evaluate(positions: Buffer<SIMD3<Double>>, box: Box, forces: Buffer<SIMD3<Double>>) -> EnergyAndVirial {
        positions.withSpan { x in forces.withMutableSpan { f in evaluate(positions: x, box: box, forces: &f) } }
    }
}
