import MDCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Flags the strain steps k → k+1 of an AQS history that contain a plastic event.
///
/// Two measurements say a step was plastic (paper Eqs. 1–2):
/// - **stress**: Δτ = τ_{k+1} − τ_k falls below the elastic prediction G(X1_k)·Δγ by more than
///   `stressThreshold` (GPa);
/// - **energy**: the dissipation D_k = u_{k+1} − u_k − Ω·½(τ_k + τ_{k+1})·Δγ (Eq. 1's ΔU_pl per atom,
///   the elastic work by the trapezoid rule) is below −`energyThreshold` (eV/atom).
/// The default criterion requires both.
///
/// **Why both, and the automatic thresholds (checked on twelve 256-atom Cu64Zr36 glasses, six of which are Tests/HarvestTests/Fixtures/aqs-256,
/// Δγ = 1e-4 to γ = 0.3, AQS ftol = 1e-4 eV/Å on the 2-norm, dmax = 0.1 Å; 36 000 steps).**
/// A state minimized to ‖F‖₂ ≤ ftol sits a displacement δx = H⁻¹F from its true inherent structure; the
/// stress error is the virial of that residual force field, i.e. forces of total size ftol acting over an
/// interatomic distance Ω^{1/3}: |δτ| ≲ ftol·Ω^{1/3}/V (`stressNoiseBound`; 9.9e-6 GPa for N = 256). The
/// measured per-state noise (robust σ of third differences of τ away from events) is 2–4e-6 GPa on every
/// sample, inside the bound. The auto stress threshold is 10× the bound (≈ 1e-4 GPa, ≳ 20σ of a Δτ).
/// The energy of such a state is off by ½F·δx ≤ ½ftol·dmax (the minimizer never leaves a state further than
/// one line-search step dmax from where the forces vanish), so the energy balance of a step is good to
/// ftol·dmax (1e-5 eV per cell): the auto energy threshold is ftol·dmax/N. On the data, D_k has no value above
/// +9e-6 eV (a positive D is pure noise: an elastic branch cannot gain energy beyond the work done), so
/// the energy threshold sits just outside the noise envelope; 244 steps dissipate more than it, and the
/// count is flat (249 → 244 → 241) for thresholds 2e-6 → 1e-5 → 2e-5 eV: those are the plastic events.
///
/// The stress criterion alone cannot reproduce them at any ftol-tied threshold: along an elastic branch the
/// tangent modulus is not G(X1) — it softens at high stress (the τ_A, τ_B terms of Eq. 7) and dives to −∞
/// at the fold that ends the branch (the stress falls reversibly just before an instability), so tens of
/// thousands of elastic steps have Δτ − G·Δγ < −1e-4 GPa (26 857 of 36 000 at 1e-4 GPa; still 260 at
/// 0.01 GPa, of which 32 without any energy drop). Requiring the energy drop removes exactly these
/// reversible steps; requiring the stress drop keeps the paper's notion of a stress-drop event. With the
/// auto thresholds 238 of the 244 energy drops are events; the other 6 dissipate energy while σ_xy rises
/// (the other stress components relax). `Harvester` recomputes these counts on every run and writes them to
/// parameters.json (`event_threshold`).
public struct EventDetector: Sendable, Equatable {
    public var criterion: HarvestSettings.EventCriterion
    /// GPa.
    public var stressThreshold: Double
    /// eV/atom.
    public var energyThreshold: Double

    public init(criterion: HarvestSettings.EventCriterion = .stressAndEnergy, stressThreshold: Double, energyThreshold: Double) {
        self.criterion = criterion; self.stressThreshold = stressThreshold; self.energyThreshold = energyThreshold
    }

    /// Factor between the auto stress threshold and `stressNoiseBound`.
    public static let stressThresholdFactor = 10.0

    /// Upper estimate of the stress error of a state minimized to ‖F‖₂ ≤ `forceTolerance` (eV/Å):
    /// ftol·Ω^{1/3}/V, in GPa.
    public static func stressNoiseBound(forceTolerance: Double, atoms: Int, volume: Double) -> Double {
        let omega = volume / Double(atoms)
        return forceTolerance * cbrt(omega) / volume * Units.evPerA3ToGPa
    }

    /// Auto stress threshold, GPa: `stressThresholdFactor` × `stressNoiseBound`.
    public static func autoStressThreshold(forceTolerance: Double, atoms: Int, volume: Double) -> Double {
        stressThresholdFactor * stressNoiseBound(forceTolerance: forceTolerance, atoms: atoms, volume: volume)
    }

    /// Auto energy threshold, eV/atom: ftol·dmax/N.
    public static func autoEnergyThreshold(forceTolerance: Double, maxDisplacement: Double, atoms: Int) -> Double {
        EnergyBalance.noiseBound(forceTolerance: forceTolerance, maxDisplacement: maxDisplacement) / Double(atoms)
    }

    /// Dissipation of step k → k+1, eV/atom: u_{k+1} − u_k − Ω·½(τ_k + τ_{k+1})·Δγ (≤ 0 up to noise).
    @inlinable
    public static func dissipation(_ h: ShearHistory, step k: Int) -> Double {
        let omega = h.volumePerAtom / Units.evPerA3ToGPa
        return h.energyPerAtom[k + 1] - h.energyPerAtom[k]
            - omega * 0.5 * (h.stress[k] + h.stress[k + 1]) * (h.strain[k + 1] - h.strain[k])
    }

    /// Stress change of step k → k+1 minus the elastic prediction G(X1_k)·Δγ, GPa.
    @inlinable
    public static func stressDeficit(_ h: ShearHistory, step k: Int, x1: Double, parameters: ModelParameters) -> Double {
        (h.stress[k + 1] - h.stress[k]) - parameters.shearModulus(x1: x1) * (h.strain[k + 1] - h.strain[k])
    }

    /// True when the step's energy balance shows a drop (criterion-independent).
    @inlinable
    public func isEnergyDrop(_ h: ShearHistory, step k: Int) -> Bool {
        Self.dissipation(h, step: k) < -energyThreshold
    }

    /// True when the step's stress falls below the elastic prediction by more than the threshold.
    @inlinable
    public func isStressDrop(_ h: ShearHistory, step k: Int, x1: Double, parameters: ModelParameters) -> Bool {
        Self.stressDeficit(h, step: k, x1: x1, parameters: parameters) < -stressThreshold
    }

    /// True when step k → k+1 is a plastic event under `criterion`; `x1` is X1 of state k.
    @inlinable
    public func isEvent(_ h: ShearHistory, step k: Int, x1: Double, parameters: ModelParameters) -> Bool {
        switch criterion {
        case .stressAndEnergy: return isEnergyDrop(h, step: k) && isStressDrop(h, step: k, x1: x1, parameters: parameters)
        case .stress: return isStressDrop(h, step: k, x1: x1, parameters: parameters)
        case .energy: return isEnergyDrop(h, step: k)
        }
    }

    /// The event steps k (the event happens over k → k+1) of a history whose states have inelastic
    /// energies `x1` (one per state). O(n).
    public func events(in h: ShearHistory, x1: [Double], parameters: ModelParameters) -> [Int] {
        precondition(x1.count == h.count)
        var out: [Int] = []
        for k in 0..<(h.count - 1) where isEvent(h, step: k, x1: x1[k], parameters: parameters) { out.append(k) }
        return out
    }

    /// Robust estimate of the per-state stress noise, GPa: 1.4826·MAD of the third differences of τ,
    /// divided by √20 (a third difference of independent noise has variance 20σ²). Steps within 5 of an
    /// energy drop are left out. nil when fewer than 10 differences remain.
    public func measuredStressNoise(_ h: ShearHistory) -> Double? {
        let n = h.count
        guard n >= 4 else { return nil }
        var near = [Bool](repeating: false, count: n)
        for k in 0..<(n - 1) where isEnergyDrop(h, step: k) {
            for j in max(0, k - 5)...min(n - 1, k + 6) { near[j] = true }
        }
        var d: [Double] = []
        for k in 0..<(n - 3) where !(near[k] || near[k + 1] || near[k + 2] || near[k + 3]) {
            d.append(h.stress[k + 3] - 3 * h.stress[k + 2] + 3 * h.stress[k + 1] - h.stress[k])
        }
        guard d.count >= 10 else { return nil }
        let med = Self.median(d)
        let mad = Self.median(d.map { abs($0 - med) })
        return 1.4826 * mad / 20.0.squareRoot()
    }

    /// Median (mean of the middle two for an even count). `xs` must not be empty.
    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        let m = s.count / 2
        return s.count % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m])
    }
}
