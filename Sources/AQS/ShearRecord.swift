import MDCore
import Minimization

/// One row of `history.csv`: the inherent structure after strain step `step`.
public struct ShearRecord: Sendable, Equatable {
    /// Step number (0 = the minimized starting structure).
    public var step: Int
    /// Shear strain γ = step·Δγ.
    public var strain: Double
    /// Potential energy, eV.
    public var energy: Double
    /// Stress, GPa, tension positive (σ = −LAMMPS pressure; σ_xy > 0 under positive shear).
    public var stress: Stress
    /// Minimization of this step: iterations, force evaluations, final ‖f‖₂ (eV/Å), stop reason.
    public var iterations: Int
    public var forceEvaluations: Int
    public var fnorm: Double
    public var stopReason: StopReason

    public init(step: Int, strain: Double, energy: Double, stress: Stress, iterations: Int,
                forceEvaluations: Int, fnorm: Double, stopReason: StopReason) {
        self.step = step; self.strain = strain; self.energy = energy; self.stress = stress
        self.iterations = iterations; self.forceEvaluations = forceEvaluations
        self.fnorm = fnorm; self.stopReason = stopReason
    }

    /// The header line of `history.csv` (without newline).
    public static let csvHeader = "step,strain,pe_eV,stress_xx_GPa,stress_yy_GPa,stress_zz_GPa,stress_xy_GPa,stress_xz_GPa,stress_yz_GPa,iterations,force_evaluations,fnorm_eV_per_A,stop_reason"

    /// The CSV line (without newline); numbers in shortest round-trip form.
    public var csvLine: String {
        let s = stress
        return "\(step),\(roundTrip(strain)),\(roundTrip(energy)),\(roundTrip(s.xx)),\(roundTrip(s.yy)),\(roundTrip(s.zz)),\(roundTrip(s.xy)),\(roundTrip(s.xz)),\(roundTrip(s.yz)),\(iterations),\(forceEvaluations),\(roundTrip(fnorm)),\(stopReason.token)"
    }

    /// Parses a `csvLine`; nil when malformed.
    public init?(csvLine line: Substring) {
        let t = line.split(separator: ",", omittingEmptySubsequences: false)
        guard t.count == 13, let step = Int(t[0]), let iterations = Int(t[9]), let evaluations = Int(t[10]),
              let reason = StopReason(token: String(t[12])) else { return nil }
        var v: [Double] = []
        for k in [1, 2, 3, 4, 5, 6, 7, 8, 11] {
            guard let x = Double(t[k]) else { return nil }
            v.append(x)
        }
        let stress = Stress(xx: v[2], yy: v[3], zz: v[4], xy: v[5], xz: v[6], yz: v[7])
        self.init(step: step, strain: v[0], energy: v[1], stress: stress, iterations: iterations,
                  forceEvaluations: evaluations, fnorm: v[8], stopReason: reason)
    }

    func encode(into w: inout BinaryWriter) {
        w.write(step); w.write(strain); w.write(energy)
        for c in stress.components { w.write(c) }
        w.write(iterations); w.write(forceEvaluations); w.write(fnorm); w.write(stopReason.token)
    }

    init(decoding r: inout BinaryReader) throws(BinaryReader.Truncated) {
        step = try r.readInt(); strain = try r.readDouble(); energy = try r.readDouble()
        let c = [try r.readDouble(), try r.readDouble(), try r.readDouble(),
                 try r.readDouble(), try r.readDouble(), try r.readDouble()]
        stress = Stress(xx: c[0], yy: c[1], zz: c[2], xy: c[3], xz: c[4], yz: c[5])
        iterations = try r.readInt(); forceEvaluations = try r.readInt(); fnorm = try r.readDouble()
        guard let reason = StopReason(token: try r.readString()) else { throw BinaryReader.Truncated() }
        stopReason = reason
    }
}
