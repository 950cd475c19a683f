/// The paper's cooling protocol as data. The parent (melt and cooling to the branch temperature) runs
/// once; every sample branches from it by resampling velocities, relaxes, and is quenched.
public struct QuenchProtocol: Sendable, Equatable, Codable {
    /// Melt temperature (K) and hold time (ps).
    public var meltTemperature = 2500.0
    public var meltPs = 500.0
    /// Branch temperature (K) and cooling rate to it (K/s).
    public var branchTemperature = 1400.0
    public var branchRate = 1e11
    /// Relaxation at the branch temperature after resampling, ps.
    public var relaxPs = 100.0
    /// Final temperature, K.
    public var finalTemperature = 100.0
    /// MD timestep and thermostat damping time, ps; chain length. The default timestep, 1 fs, is the
    /// measured one: in NVE at 2500 K the total energy random-walks, and a 1-ns run of 4000 atoms
    /// drifts by ~5e-5 eV/atom/ns (rms) at 1 fs, ~2e-4 at 2 fs, against the criterion 1e-4 (README,
    /// `pipeline quench`; the slow test `nveDriftLong`).
    public var timestep = 0.001
    public var damping = 0.1
    public var chainLength = 3

    public init() {}

    /// The paper's protocol: the defaults every front end (`pipeline quench`, the config) starts from.
    public static let paper = QuenchProtocol()

    /// One piece of the protocol.
    public enum Segment: Sendable, Equatable, CustomStringConvertible {
        /// Hold at `temperature` for `steps` steps.
        case hold(temperature: Double, steps: Int)
        /// Ramp the thermostat target linearly from `from` to `to` over `steps` steps.
        case ramp(from: Double, to: Double, steps: Int)
        /// Draw new Maxwell–Boltzmann velocities at `temperature` (thermostat reset).
        case resample(temperature: Double)

        public var steps: Int {
            switch self {
            case .hold(_, let n), .ramp(_, _, let n): return n
            case .resample: return 0
            }
        }
        /// Target temperatures at the start and end.
        public var temperatures: (Double, Double) {
            switch self {
            case .hold(let t, _), .resample(let t): return (t, t)
            case .ramp(let a, let b, _): return (a, b)
            }
        }
        public var description: String {
            switch self {
            case .hold(let t, let n): return "hold \(t) K, \(n) steps"
            case .ramp(let a, let b, let n): return "ramp \(a) → \(b) K, \(n) steps"
            case .resample(let t): return "resample velocities at \(t) K"
            }
        }
    }

    /// Steps needed to change the temperature by `delta` K at `rate` K/s.
    public func rampSteps(delta: Double, rate: Double) -> Int {
        Int((abs(delta) / rate * 1e12 / timestep).rounded())
    }

    /// The parent's segments: hold at the melt temperature, cool to the branch temperature.
    public var parentSegments: [Segment] {
        [.hold(temperature: meltTemperature, steps: Int((meltPs / timestep).rounded())),
         .ramp(from: meltTemperature, to: branchTemperature,
               steps: rampSteps(delta: meltTemperature - branchTemperature, rate: branchRate))]
    }

    /// A sample's segments after the branch point, quenched at `rate` K/s.
    public func sampleSegments(rate: Double) -> [Segment] {
        [.resample(temperature: branchTemperature),
         .hold(temperature: branchTemperature, steps: Int((relaxPs / timestep).rounded())),
         .ramp(from: branchTemperature, to: finalTemperature,
               steps: rampSteps(delta: branchTemperature - finalTemperature, rate: rate))]
    }

    /// Problems with the numbers, as (flag name, reason).
    public func problems() -> [(String, String)] {
        var out: [(String, String)] = []
        func positive(_ v: Double, _ name: String) {
            if !(v.isFinite && v > 0) { out.append((name, "must be a positive finite number (got \(v))")) }
        }
        func nonNegative(_ v: Double, _ name: String) {
            if !(v.isFinite && v >= 0) { out.append((name, "must be a finite number ≥ 0 (got \(v))")) }
        }
        positive(meltTemperature, "melt-temperature"); nonNegative(meltPs, "melt-ps")
        positive(branchTemperature, "branch-temperature"); positive(branchRate, "branch-rate")
        nonNegative(relaxPs, "relax-ps"); positive(finalTemperature, "final-temperature")
        positive(timestep, "timestep"); positive(damping, "tdamp")
        if chainLength < 1 { out.append(("chain", "must be at least 1 (got \(chainLength))")) }
        if timestep.isFinite && timestep > 0.01 { out.append(("timestep", "\(timestep) ps is too large for metals (use ≤ 0.005 ps)")) }
        if damping.isFinite && timestep.isFinite && damping > 0 && damping < timestep {
            out.append(("tdamp", "must be at least one timestep (got \(damping) ps < \(timestep) ps)"))
        }
        return out
    }
}
