import MDCore

/// Kinetic quantities and Maxwell–Boltzmann velocities with LAMMPS's conventions: N_f = 3N − 3
/// degrees of freedom (total momentum removed), T = mvv2e·Σ m v² / (N_f k_B).
public enum Velocities {
    /// Degrees of freedom of `atoms` atoms with zero total momentum.
    public static func degreesOfFreedom(atoms: Int) -> Double { Double(3 * atoms - 3) }

    /// Σ m v² · mvv2e (= 2·KE), eV.
    public static func twiceKineticEnergy(_ v: [SIMD3<Double>], masses m: [Double]) -> Double {
        var s = 0.0
        for i in 0..<v.count { s += m[i] * (v[i] * v[i]).sum() }
        return s * Units.mvv2e
    }

    /// Instantaneous temperature, K.
    public static func temperature(_ v: [SIMD3<Double>], masses m: [Double]) -> Double {
        twiceKineticEnergy(v, masses: m) / (degreesOfFreedom(atoms: v.count) * Units.boltzmann)
    }

    /// Kinetic part of the virial Σ m v_a v_b · mvv2e, eV.
    public static func kineticTensor(_ v: [SIMD3<Double>], masses m: [Double]) -> Virial {
        var k = Virial.zero
        for i in 0..<v.count {
            let mv = m[i] * Units.mvv2e
            k.xx += mv * v[i].x * v[i].x; k.yy += mv * v[i].y * v[i].y; k.zz += mv * v[i].z * v[i].z
            k.xy += mv * v[i].x * v[i].y; k.xz += mv * v[i].x * v[i].z; k.yz += mv * v[i].y * v[i].z
        }
        return k
    }

    /// Gaussian velocities v = n/√m per component, total momentum removed, scaled to exactly
    /// `temperature` (the recipe of LAMMPS `velocity … create T seed dist gaussian mom yes`, with our
    /// platform-stable generator).
    public static func maxwellBoltzmann(masses m: [Double], temperature: Double,
                                        random: inout SeededRandom) -> [SIMD3<Double>] {
        let n = m.count
        var v = [SIMD3<Double>](repeating: .zero, count: n)
        for i in 0..<n {
            let g = SIMD3(random.gaussian(), random.gaussian(), random.gaussian())
            v[i] = g / m[i].squareRoot()
        }
        var p = SIMD3<Double>.zero
        var mass = 0.0
        for i in 0..<n { p += m[i] * v[i]; mass += m[i] }
        let vcm = p / mass
        for i in 0..<n { v[i] -= vcm }
        let t = Self.temperature(v, masses: m)
        if t > 0 {
            let scale = (temperature / t).squareRoot()
            for i in 0..<n { v[i] *= scale }
        }
        return v
    }
}
