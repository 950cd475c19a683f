import MDCore

/// Everything `Harvester.run` needs besides the histories. Defaults reproduce the paper's choices
/// where it states them (20×20 grid, moduli from γ < 2 %) and the reasoned choices documented on
/// each field otherwise.
public struct HarvestSettings: Sendable, Equatable {
    /// How u0 (Eq. 5) is chosen.
    public enum ReferenceEnergyRule: Sendable, Equatable {
        /// Mean stress-free inherent-structure energy per atom of the most slowly cooled training samples
        /// (the paper's "stress-free potential energy per atom of our most deeply quenched glass").
        case slowestCooled
        /// A given value, eV/atom.
        case given(Double)
    }

    /// Which loading data the τ_A, τ_B fit (Eq. 7) uses.
    public enum ElasticFitData: String, Sendable, Equatable {
        /// The ensemble-mean loading curve: at each strain step the fit rows of the training samples are
        /// averaged (see `ElasticEnergyFit`; the paper fits one large, smooth loading curve).
        case ensembleMean = "mean"
        /// Every training sample's own loading states, each with its own X1 of the unstrained state.
        case allSamples = "all"
        /// One large system's loading curve (the paper's route: one 400 000-atom AQS run "to avoid the
        /// stochastic variations present in the smaller atomistic models"), with its own measured modulus.
        /// Needs `Harvester.run(…, loadingCurve:)`.
        case largeSystem = "large"
        /// The energy increments of the training samples' elastic steps alone (steps without an energy drop):
        /// Eq. 7 as the elastic energy of each branch, plastic events left out.
        case elasticBranches = "branches"

        /// What the data are, in words.
        public var description: String {
            switch self {
            case .ensembleMean: return "ensemble-mean loading curve of the training samples"
            case .allSamples: return "all training samples' loading states"
            case .largeSystem: return "loading curve of one large system"
            case .elasticBranches: return "energy increments of the training samples' elastic steps"
            }
        }
    }

    /// Which training samples' loading the τ_A, τ_B fit reads.
    public enum ElasticFitSamples: String, Sendable, Equatable, CaseIterable {
        /// Those of the slowest cooling rate (default): the best-annealed glasses, whose loading holds the
        /// least plasticity before the stress peak, like the paper's large, smooth loading curve; u0 is
        /// defined on the same glasses.
        case slowestRate = "slowest_rate"
        /// Every training sample.
        case all

        public var description: String { self == .slowestRate ? "samples of the slowest cooling rate" : "all cooling rates" }
    }

    /// Which steps count as plastic events (see `EventDetector`).
    public enum EventCriterion: String, Sendable, Equatable {
        /// Stress below the elastic prediction by more than `eventStressThreshold` AND energy below the
        /// elastic work by more than `eventEnergyThreshold` (default).
        case stressAndEnergy = "stress-and-energy"
        /// Stress criterion only.
        case stress
        /// Energy criterion only.
        case energy
    }

    /// Parameters given rather than fitted (nil = fit). Ω is always measured.
    public struct FixedParameters: Sendable, Equatable {
        public var G0: Double?
        public var uA: Double?
        public var tauA: Double?
        public var tauB: Double?
        public init(G0: Double? = nil, uA: Double? = nil, tauA: Double? = nil, tauB: Double? = nil) {
            self.G0 = G0; self.uA = uA; self.tauA = tauA; self.tauB = tauB
        }
    }

    public var referenceEnergy: ReferenceEnergyRule = .slowestCooled
    public var fixed = FixedParameters()
    /// Per-sample moduli are fitted to the states with γ ≤ this strain (paper: 2 %).
    public var modulusMaxStrain: Double = 0.02
    /// The τ_A, τ_B fit uses loading states with γ ≤ this strain; nil = auto: 95 % of the strain at which
    /// the ensemble-mean stress of the training samples peaks (see `ElasticEnergyFit`).
    public var elasticFitMaxStrain: Double? = nil
    public var elasticFitData: ElasticFitData = .ensembleMean
    public var elasticFitSamples: ElasticFitSamples = .slowestRate
    public var eventCriterion: EventCriterion = .stressAndEnergy
    /// Stress-drop threshold, GPa; nil = auto from the AQS force tolerance (see `EventDetector`).
    public var eventStressThreshold: Double? = nil
    /// Energy-drop threshold, eV/atom; nil = auto from the AQS force tolerance and dmax.
    public var eventEnergyThreshold: Double? = nil
    /// Bins per state variable (τ first, then X1, …).
    public var bins: [Int] = [20, 20]
    /// Grid range per state variable; nil entries (or a shorter array) = the range of the training states.
    public var ranges: [ClosedRange<Double>?] = []
    /// Fraction of the samples of each cooling rate held out as test samples.
    public var heldOutFraction: Double = 0.25
    /// Seed of the train/test shuffle.
    public var seed: UInt64 = 1
    /// Steady-state window γ ≥ this for the flow stress of each sample and the fixed point of the mean
    /// flow; nil = `steadyStateStart(maxStrain:)` of the shortest history's last strain.
    public var steadyStateFrom: Double? = nil

    /// Where the steady state begins when not told: the last third of the loading (γ ≥ ⅔ γ_max), past
    /// the overshoot of every cooling rate (the paper's Fig. 1). The one default of the harvest, SEEM
    /// (`pipeline harvest`, `pipeline seem`) and the config's `seem.steady_state_from`.
    public static func steadyStateStart(maxStrain: Double) -> Double { maxStrain * 2 / 3 }
    /// The map (u, τ) → X1: Eq. 8 (the paper's, default) or the exact inverse of Eq. 7.
    public var x1Inverse: X1Inverse = .firstOrder
    /// Iteration limit of the self-consistent fit (X1 depends on the fitted parameters through Eq. 8).
    public var maxIterations: Int = 200

    public init() {}

    /// The first problem with the settings, as an `InputError` naming the option.
    public func validate() throws(InputError) {
        func bad(_ option: String, _ reason: String) -> InputError { InputError(path: option, reason: reason) }
        if case .given(let u) = referenceEnergy, !u.isFinite { throw bad("--u0", "must be a finite number") }
        if let g = fixed.G0, !(g > 0 && g.isFinite) { throw bad("--g0", "must be > 0 GPa (got \(roundTrip(g)))") }
        if let u = fixed.uA, !(u.isFinite && u != 0) { throw bad("--ua", "must be a non-zero number of eV/atom") }
        if let t = fixed.tauA, !(t > 0) { throw bad("--tau-a", "must be > 0 GPa (or inf) (got \(roundTrip(t)))") }
        if let t = fixed.tauB, !(t > 0) { throw bad("--tau-b", "must be > 0 GPa (or inf) (got \(roundTrip(t)))") }
        if !(modulusMaxStrain > 0 && modulusMaxStrain.isFinite) {
            throw bad("--modulus-max-strain", "must be > 0 (got \(roundTrip(modulusMaxStrain)))")
        }
        if let g = elasticFitMaxStrain, !(g > 0 && g.isFinite) {
            throw bad("--elastic-fit-max-strain", "must be > 0 (got \(roundTrip(g)))")
        }
        if let t = eventStressThreshold, !(t >= 0 && t.isFinite) {
            throw bad("--event-threshold", "must be ≥ 0 GPa (got \(roundTrip(t)))")
        }
        if let t = eventEnergyThreshold, !(t >= 0 && t.isFinite) {
            throw bad("--event-energy-threshold", "must be ≥ 0 eV/atom (got \(roundTrip(t)))")
        }
        if bins.isEmpty || bins.contains(where: { $0 < 1 }) {
            throw bad("--bins", "needs a positive number of bins per state variable (got \(bins))")
        }
        for (k, r) in ranges.enumerated() {
            guard let r else { continue }
            if !(r.lowerBound.isFinite && r.upperBound.isFinite) || !(r.upperBound > r.lowerBound) {
                throw bad(k == 0 ? "--tau-range" : "--x\(k)-range",
                          "empty bin range [\(roundTrip(r.lowerBound)), \(roundTrip(r.upperBound))]: needs min < max")
            }
        }
        if !(heldOutFraction >= 0 && heldOutFraction < 1) {
            throw bad("--held-out-fraction", "must be in [0, 1) (got \(roundTrip(heldOutFraction)))")
        }
        if let g = steadyStateFrom, !(g >= 0 && g.isFinite) {
            throw bad("--steady-state-from", "must be ≥ 0 (got \(roundTrip(g)))")
        }
        if maxIterations < 1 { throw bad("maxIterations", "must be ≥ 1") }
    }

    /// The settings as JSON (for provenance in parameters.json).
    public var json: JSONValue {
        func opt(_ x: Double?) -> JSONValue { x.map { .number($0) } ?? .string("auto") }
        let u0: JSONValue
        switch referenceEnergy {
        case .slowestCooled: u0 = .string("slowest-cooled")
        case .given(let x): u0 = .number(x)
        }
        return .object([
            ("u0", u0),
            ("fixed", .object([("G0_GPa", fixed.G0.map { .number($0) } ?? .null),
                               ("uA_eV_per_atom", fixed.uA.map { .number($0) } ?? .null),
                               ("tauA_GPa", fixed.tauA.map { .number($0) } ?? .null),
                               ("tauB_GPa", fixed.tauB.map { .number($0) } ?? .null)])),
            ("modulus_max_strain", .number(modulusMaxStrain)),
            ("elastic_fit_max_strain", opt(elasticFitMaxStrain)),
            ("elastic_fit_data", .string(elasticFitData.rawValue)),
            ("elastic_fit_samples", .string(elasticFitSamples.rawValue)),
            ("x1_inverse", .string(x1Inverse.rawValue)),
            ("event_criterion", .string(eventCriterion.rawValue)),
            ("event_stress_threshold_GPa", opt(eventStressThreshold)),
            ("event_energy_threshold_eV_per_atom", opt(eventEnergyThreshold)),
            ("bins", .array(bins.map { .number($0) })),
            ("ranges", .array(ranges.map { r in r.map { .numbers([$0.lowerBound, $0.upperBound]) } ?? .string("auto") })),
            ("held_out_fraction", .number(heldOutFraction)),
            ("seed", .string(String(seed))),
        ])
    }
}
