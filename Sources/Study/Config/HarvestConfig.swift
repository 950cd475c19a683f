import AQS
import Minimization
import Harvest
import MDCore

/// Section `harvest`: fits of the elastic parameters (Table I) and the state-space database.
package struct HarvestConfig: Sendable, Equatable {
    /// The reference energy u₀ of X₁ = u − u₀ − u_el(τ) (Eq. 5).
    package enum ReferenceEnergy: Sendable, Equatable {
        /// Mean stress-free inherent-structure energy per atom of the slowest rate's samples
        /// (the paper: "approximately the stress-free potential energy per atom of our most deeply
        /// quenched glass").
        case slowestRateMean
        /// A fixed value, eV/atom.
        case eVPerAtom(Double)
    }

    /// Which stress–strain data the elastic fit (τ_A, τ_B of Eq. 7) uses.
    package enum ElasticFitData: String, Sendable, Equatable, CaseIterable {
        /// The mean over all samples of each rate at each strain (smooth, like the paper's
        /// 400 000-atom loading curve).
        case ensembleMean = "ensemble_mean"
        /// Every sample's points.
        case allSamples = "all_samples"
        /// The loading curve of the study's one large system (section `large_system`; the paper's route).
        case largeSystem = "large_system"
        /// The energy increments of every sample's elastic steps (plastic events left out).
        case elasticBranches = "elastic_branches"
    }

    /// The stress drop that counts as a plastic event.
    package enum EventThreshold: Sendable, Equatable {
        /// Chosen from the data (see the harvest stage).
        case auto
        /// Drops larger than this, GPa.
        case gpa(Double)
    }

    /// A state variable of the SEEM (the paper's two; the list form leaves room for more).
    package enum StateVariable: String, Sendable, Equatable, CaseIterable {
        /// Shear stress τ = σ_xy, GPa.
        case tau
        /// Inelastic potential energy per atom X₁, eV/atom (Eq. 5).
        case x1 = "X1"

        /// Unit of the variable's values (and of its range).
        var unit: String { self == .tau ? "GPa" : "eV/atom" }
    }

    /// Which test flags a strain step as a plastic event (see Harvest's `EventDetector`).
    package enum EventCriterion: String, Sendable, Equatable, CaseIterable {
        /// The stress falls below the elastic prediction *and* the energy below the elastic work.
        case stressAndEnergy = "stress_and_energy"
        /// The stress test alone (the paper's wording; flags reversible softening too).
        case stress
        /// The energy test alone.
        case energy
    }

    /// Parameters given instead of fitted (nil: fitted).
    package struct FixedParameters: Sendable, Equatable {
        var G0: Double?
        var uA: Double?
        var tauA: Double?
        var tauB: Double?
        static let keys = ["G0_GPa", "uA_eV_per_atom", "tauA_GPa", "tauB_GPa"]
    }

    /// Range of one state variable's histogram axis.
    package enum StateRange: Sendable, Equatable {
        /// From the visited states.
        case auto
        /// [min, max] in the variable's unit.
        case fixed(Double, Double)
    }

    var u0: ReferenceEnergy
    /// Shear modulus G of each sample: slope of τ(γ) fitted over γ ≤ this (the paper: 2 %).
    var modulusMaxStrain: Double
    var elasticFitData: ElasticFitData
    /// Whose loading curves: "slowest_rate" (default) or "all".
    var elasticFitSamples: HarvestSettings.ElasticFitSamples = .slowestRate
    /// The elastic fit uses the loading curve up to this strain (nil, "auto": 95 % of the strain of
    /// the ensemble-mean stress peak).
    var elasticFitMaxStrain: Double?
    /// The map (u, τ) → X1: "first_order" (Eq. 8, the paper's) or "exact" (Eq. 7 inverted).
    var x1Inverse: X1Inverse = .firstOrder
    var eventThreshold: EventThreshold
    var eventCriterion: EventCriterion = .stressAndEnergy
    /// Energy threshold of the event test, eV/atom (nil, "auto": from the AQS force tolerance).
    var eventEnergyThreshold: Double? = nil
    var fixed = FixedParameters()
    /// Where the fixed parameters come from (a citation the report shows: "fixed: from …"); nil: given.
    var fixedFrom: String? = nil
    var stateVariables: [StateVariable]
    /// Histogram bins per state variable (aligned with `stateVariables`).
    var bins: [Int]
    /// Axis range per state variable (aligned with `stateVariables`).
    var ranges: [StateRange]

    static let keys = ["u0_eV_per_atom", "modulus_max_strain", "elastic_fit", "x1_inverse", "event_criterion", "event_threshold_GPa",
                       "event_energy_threshold_eV_per_atom", "fixed_parameters", "fixed_from", "state_variables", "bins", "ranges"]
    static let elasticFitKeys = ["data", "samples", "max_strain"]
    static let defaultModulusMaxStrain = 0.02
    static let defaultBins = 20
    static let maxBins = 10_000

    /// Reads the section; `largeSystem` is the study's `large_system` section (nil when absent).
    static func read(_ node: ConfigNode, aqs: ShearSettings, largeSystem: LargeSystemConfig?) throws(InputError) -> HarvestConfig {
        var u0 = ReferenceEnergy.slowestRateMean
        if let u = node.member("u0_eV_per_atom") {
            if let s = u.value.string {
                guard s == "slowest_rate_mean" else {
                    throw u.error("use \"slowest_rate_mean\" or a number in eV/atom (got \(JSONText.string(s)))")
                }
            } else {
                guard u.value.double != nil else { throw u.typeError("\"slowest_rate_mean\" or a number in eV/atom") }
                u0 = .eVPerAtom(try u.double())
            }
        }
        let modulus = try node.member("modulus_max_strain")?.positive() ?? defaultModulusMaxStrain
        try checkStrainWindow(modulus, node: node, key: "modulus_max_strain", aqs: aqs)

        let fit = try node.section("elastic_fit", allowed: elasticFitKeys)
        let fitData = try fit.member("data")?.choice(ElasticFitData.self, what: "elastic fit data") ?? .ensembleMean
        let fitSamples = try fit.member("samples")?.choice(HarvestSettings.ElasticFitSamples.self, what: "elastic fit samples") ?? .slowestRate
        var fitMax: Double?
        if let m = fit.member("max_strain") {
            if let s = m.value.string {
                guard s == "auto" else { throw m.error("use \"auto\" or a strain (got \(JSONText.string(s)))") }
            } else {
                guard m.value.double != nil else { throw m.typeError("\"auto\" or a strain") }
                let x = try m.positive()
                try checkStrainWindow(x, node: fit, key: "max_strain", aqs: aqs)
                fitMax = x
            }
        }
        if fitData == .largeSystem {
            // The large glass's curve carries the fit: it must exist and reach the fit windows (its
            // own modulus is fitted over γ ≤ modulus_max_strain).
            guard let large = largeSystem else {
                throw fit.error(key: "data", "\"large_system\" needs the section large_system (the large glass whose loading curve is fitted)")
            }
            let windows: [(Double?, ConfigNode, String)] = [(fitMax, fit, "max_strain"), (modulus, node, "modulus_max_strain")]
            for (window, owner, key) in windows {
                if let x = window, x > large.shear.maxStrain * (1 + 1e-12) {
                    throw owner.error(key: key, "must not exceed large_system.max_strain \(ConfigNumber.text(large.shear.maxStrain)) when the elastic fit uses the large system's curve (got \(ConfigNumber.text(x)))")
                }
            }
        }
        let inverse = try node.member("x1_inverse")?.choice(X1Inverse.self, what: "X1 inverse") ?? .firstOrder
        let criterion = try node.member("event_criterion")?.choice(EventCriterion.self, what: "event criterion") ?? .stressAndEnergy
        var energyThreshold: Double?
        if let t = node.member("event_energy_threshold_eV_per_atom") {
            if let s = t.value.string {
                guard s == "auto" else { throw t.error("use \"auto\" or a positive number in eV/atom (got \(JSONText.string(s)))") }
            } else {
                guard t.value.double != nil else { throw t.typeError("\"auto\" or a positive number in eV/atom") }
                energyThreshold = try t.positive()
            }
        }
        var fixed = FixedParameters()
        if node.member("fixed_parameters") != nil {
            let f = try node.section("fixed_parameters", allowed: FixedParameters.keys)
            fixed.G0 = try f.member("G0_GPa")?.positive()
            fixed.uA = try f.member("uA_eV_per_atom")?.positive()
            fixed.tauA = try f.member("tauA_GPa")?.positive()
            fixed.tauB = try f.member("tauB_GPa")?.positive()
        }

        var fixedFrom: String?
        if let f = node.member("fixed_from") {
            guard let text = f.value.string, !text.isEmpty else { throw f.typeError("a non-empty string naming the source of the fixed parameters") }
            guard node.member("fixed_parameters") != nil else { throw f.error("names the source of fixed_parameters, but none are fixed") }
            fixedFrom = text
        }
        var threshold = EventThreshold.auto
        if let t = node.member("event_threshold_GPa") {
            if let s = t.value.string {
                guard s == "auto" else { throw t.error("use \"auto\" or a positive number in GPa (got \(JSONText.string(s)))") }
            } else {
                guard t.value.double != nil else { throw t.typeError("\"auto\" or a positive number in GPa") }
                threshold = .gpa(try t.positive())
            }
        }

        var variables: [StateVariable] = [.tau, .x1]
        var variableNodes: [ConfigNode] = []
        if let v = node.member("state_variables") {
            variables = []
            variableNodes = try v.nonEmptyArray()
            for n in variableNodes {
                let sv = try n.choice(StateVariable.self, what: "state variable")
                guard !variables.contains(sv) else { throw n.error("state variable '\(sv.rawValue)' is listed twice") }
                variables.append(sv)
            }
        }

        // The harvest's state space is the paper's (τ, X1); the list may name them in either order
        // (bins and ranges follow the list), anything else is refused here, before any work.
        guard Set(variables) == Set(StateVariable.allCases) else {
            let missing = StateVariable.allCases.filter { !variables.contains($0) }.map(\.rawValue)
            throw node.error(key: "state_variables", "must list both tau and X1 (the state space (τ, X1) of the paper; missing: \(missing.joined(separator: ", ")))")
        }

        var bins = [Int](repeating: defaultBins, count: variables.count)
        if let b = node.member("bins") {
            let nodes = try b.nonEmptyArray()
            bins = []
            for n in nodes { bins.append(try n.int(in: 1...maxBins)) }
            guard bins.count == variables.count else {
                throw b.error("needs one bin count per state variable (\(variables.map(\.rawValue).joined(separator: ", "))), got \(bins.count)")
            }
        }

        var ranges = [StateRange](repeating: .auto, count: variables.count)
        if let r = node.member("ranges") {
            if let s = r.value.string {
                guard s == "auto" else { throw r.error("use \"auto\" or an object such as {\"tau\": [-1, 4], \"X1\": [0, 0.1]} (got \(JSONText.string(s)))") }
            } else {
                guard let members = r.value.members else { throw r.typeError("\"auto\" or an object of [min, max] per state variable") }
                let names = variables.map(\.rawValue)
                for (key, _) in members where !names.contains(key) {
                    var reason = "'\(key)' is not a state variable (state_variables: \(names.joined(separator: ", ")))"
                    if let near = EditDistance.suggestion(for: key, among: names) { reason += "; did you mean '\(near)'?" }
                    throw r.member(key)!.error(reason)
                }
                for (k, v) in variables.enumerated() {
                    guard let m = r.member(v.rawValue) else {
                        throw InputError(path: r.file, line: r.value.line, keyPath: r.path(v.rawValue),
                                         reason: "missing range of state variable \(v.rawValue) (give [min, max] in \(v.unit) or \"auto\")")
                    }
                    if let s = m.value.string {
                        guard s == "auto" else { throw m.error("use \"auto\" or [min, max] in \(v.unit) (got \(JSONText.string(s)))") }
                        continue
                    }
                    guard m.value.elements != nil else { throw m.typeError("[min, max] in \(v.unit) or \"auto\"") }
                    let pair = try m.array()
                    guard pair.count == 2 else { throw m.error("must be [min, max] (got \(pair.count) numbers)") }
                    let lo = try pair[0].double(), hi = try pair[1].double()
                    guard lo < hi else { throw m.error("min must be below max (got [\(pair[0].text), \(pair[1].text)])") }
                    ranges[k] = .fixed(lo, hi)
                }
            }
        }
        return HarvestConfig(u0: u0, modulusMaxStrain: modulus, elasticFitData: fitData, elasticFitSamples: fitSamples, elasticFitMaxStrain: fitMax,
                             x1Inverse: inverse, eventThreshold: threshold, eventCriterion: criterion, eventEnergyThreshold: energyThreshold,
                             fixed: fixed, fixedFrom: fixedFrom, stateVariables: variables, bins: bins, ranges: ranges)
    }

    /// `bins` and `ranges` in the harvest database's order of variables, (τ, X1).
    var databaseBins: [Int] { Self.databaseOrder.map { v in bins[stateVariables.firstIndex(of: v)!] } }
    var databaseRanges: [StateRange] { Self.databaseOrder.map { v in ranges[stateVariables.firstIndex(of: v)!] } }
    static let databaseOrder: [StateVariable] = [.tau, .x1]

    /// A fit window must hold at least two AQS strain steps and lie within the sheared range.
    static func checkStrainWindow(_ x: Double, node: ConfigNode, key: String, aqs: ShearSettings) throws(InputError) {
        if x > aqs.maxStrain * (1 + 1e-12) {
            throw node.error(key: key, "must not exceed aqs.max_strain \(ConfigNumber.text(aqs.maxStrain)) (got \(ConfigNumber.text(x)))")
        }
        if x < 2 * aqs.strainStep * (1 - 1e-12) {
            throw node.error(key: key, "must span at least two AQS strain steps (≥ \(ConfigNumber.text(2 * aqs.strainStep)), got \(ConfigNumber.text(x)))")
        }
    }

    var json: JSONValue {
        let u: JSONValue
        switch u0 {
        case .slowestRateMean: u = .string("slowest_rate_mean")
        case .eVPerAtom(let x): u = .number(x)
        }
        let t: JSONValue
        switch eventThreshold {
        case .auto: t = .string("auto")
        case .gpa(let x): t = .number(x)
        }
        let r: JSONValue = ranges.allSatisfy({ $0 == .auto }) ? .string("auto") : .object(zip(stateVariables, ranges).map { v, range in
            switch range {
            case .auto: return (v.rawValue, .string("auto"))
            case .fixed(let lo, let hi): return (v.rawValue, .array(([lo, hi]).map(ConfigNumber.json)))
            }
        })
        return .object([
            ("u0_eV_per_atom", u), ("modulus_max_strain", .number(modulusMaxStrain)),
            ("elastic_fit", .object([("data", .string(elasticFitData.rawValue)), ("samples", .string(elasticFitSamples.rawValue)),
                                     ("max_strain", elasticFitMaxStrain.map { .number($0) } ?? .string("auto"))])),
            ("x1_inverse", .string(x1Inverse.rawValue)),
            ("event_criterion", .string(eventCriterion.rawValue)),
            ("event_threshold_GPa", t),
            ("event_energy_threshold_eV_per_atom", eventEnergyThreshold.map { .number($0) } ?? .string("auto")),
            ("fixed_parameters", .object(zip(FixedParameters.keys, [fixed.G0, fixed.uA, fixed.tauA, fixed.tauB])
                .compactMap { k, v in v.map { (k, .number($0)) } })),
        ] + (fixedFrom.map { [("fixed_from", JSONValue.string($0))] } ?? []) + [
            ("state_variables", .array(stateVariables.map { .string($0.rawValue) })),
            ("bins", .array(bins.map { .number($0) })), ("ranges", r),
        ])
    }
}
