import MDCore

/// Checks of the event thresholds on the harvested data (the numbers behind `EventDetector`'s doc).
public struct EventThresholdCheck: Sendable, Equatable {
    /// Per-state stress error bound ftol·Ω^{1/3}/V (GPa; nil when ftol is not recorded).
    public var stressNoiseBound: Double?
    /// Median and largest measured per-state stress noise over the samples, GPa.
    public var measuredStressNoiseMedian: Double?
    public var measuredStressNoiseMax: Double?
    /// Steps over all samples, and how many are energy drops, stress drops, both, and only one of them.
    public var steps: Int
    public var energyDrops: Int
    public var stressDrops: Int
    public var both: Int
    public var energyDropsWithoutStressDrop: Int
    public var stressDropsWithoutEnergyDrop: Int
    /// Events under the chosen criterion.
    public var events: Int
    /// Largest positive dissipation (energy gained beyond the elastic work: noise), eV/atom, and the number
    /// of steps whose positive dissipation exceeds the energy threshold (should be 0).
    public var largestPositiveDissipation: Double
    public var positiveDissipationAboveThreshold: Int
    /// Energy drops counted at ½× and 2× the energy threshold (flat counts = a clean gap).
    public var energyDropsAtHalfThreshold: Int
    public var energyDropsAtDoubleThreshold: Int
}

/// The result of a harvest: fitted parameters (Table I), per-sample quantities, events and the state-space
/// database. All arrays indexed by sample follow `histories`, which is sorted by sample id.
public struct HarvestResult: Sendable {
    public var settings: HarvestSettings
    public var histories: [ShearHistory]
    /// "train" or "test" per sample.
    public var splits: [String]
    public var moduli: [ModulusFit.SampleModulus]
    public var reference: ReferenceEnergy.Result
    public var parameters: ModelParameters
    public var softening: ModulusFit.Softening
    public var elastic: ElasticEnergyFit.Result
    /// Every route to τ_A, τ_B the data allow, fitted freely at the final G0, u_A (for comparison).
    public var elasticRoutes: [ElasticEnergyFit.Route]
    /// The large system's own modulus (when a loading curve was given).
    public var loadingCurveModulus: ModulusFit.SampleModulus?
    /// Fig. 1's findings per cooling rate, and the fixed point of the mean flow (Fig. 2d).
    public var rates: RateSummary
    public var fixedPoint: FixedPoint?
    /// Iterations of the self-consistent fit until the parameters stopped changing.
    public var iterations: Int
    /// X1 (eV/atom) of every recorded state, per sample.
    public var x1: [[Double]]
    /// Event steps k (event over k → k+1), per sample, for train and test samples.
    public var events: [[Int]]
    public var detector: EventDetector
    public var thresholdCheck: EventThresholdCheck
    public var database: StateSpaceDatabase
    /// The structural check the samples passed before the harvest (nil: none was made).
    public var quality: QualityGate?

    /// Indices of the training samples.
    public var trainIndices: [Int] { splits.indices.filter { splits[$0] == "train" } }
}

/// The Harvest stage: from AQS histories to Table I, events and the state-space database (paper Eqs. 5–8,
/// Figs. 2–3, S1). Never prints; every refusal is an `InputError` saying what to change.
public enum Harvester {
    /// Reads every AQS output directory (see `ShearHistory.read`); the sample id is the last two path
    /// components (e.g. `rate-1e13/sample-000`), so ids do not depend on how the paths were spelled.
    public static func readHistories(directories: [String]) throws(InputError) -> [ShearHistory] {
        var out: [ShearHistory] = []
        for d in directories { out.append(try ShearHistory.read(directory: d, sample: sampleID(directory: d))) }
        return out
    }

    /// The sample id of an AQS output directory: its last two path components (`rate-1e13/sample-000`).
    public static func sampleID(directory: String) -> String {
        directory.split(separator: "/").suffix(2).joined(separator: "/")
    }

    /// Runs the harvest. `histories` may come in any order; the result is the same.
    ///
    /// With a `quality` gate, the samples it excludes (crystalline above its threshold) are left out first,
    /// and the gate is written to parameters.json; when it excludes none, every other output has the same
    /// bits as without it. Refuses when the gate excludes every sample, and when the training samples show
    /// no plastic event (see `requirePlasticEvents`).
    public static func run(histories input: [ShearHistory], settings: HarvestSettings,
                           loadingCurve: ShearHistory? = nil, quality: QualityGate? = nil) throws(InputError) -> HarvestResult {
        var kept = input
        if let quality, !input.isEmpty {
            kept = input.filter { !quality.excludes($0.sample) }
            if kept.isEmpty { throw allExcluded(quality) }
        }
        var result = try harvest(histories: kept, settings: settings, loadingCurve: loadingCurve)
        try requirePlasticEvents(result)
        result.quality = quality
        return result
    }

    /// The harvest proper: fits, X1, events and database, without the checks of `run` (the fit tests use it
    /// on purely elastic histories).
    ///
    /// Order of work: split → event thresholds → per-sample moduli (branches split at energy drops) →
    /// u0, Ω → self-consistent fit of (G0, u_A) and (τ_A, τ_B) with X1⁰ of every training sample recomputed
    /// by Eq. 8 from the current parameters until nothing changes (relative 1e-12) → X1 of every state →
    /// events → grid and database from the training samples.
    ///
    /// `loadingCurve`: one large system's AQS loading run, for the paper's route to τ_A and τ_B
    /// (`HarvestSettings.ElasticFitData.largeSystem`); it never enters the database.
    static func harvest(histories input: [ShearHistory], settings: HarvestSettings,
                        loadingCurve: ShearHistory? = nil) throws(InputError) -> HarvestResult {
        try settings.validate()
        if settings.elasticFitData == .largeSystem && loadingCurve == nil && (settings.fixed.tauA == nil || settings.fixed.tauB == nil) {
            throw InputError(path: "--elastic-fit-data", reason: "'large' needs the loading curve of a large system (--loading-curve DIR)")
        }
        guard !input.isEmpty else { throw InputError(path: "--histories", reason: "no AQS histories given") }
        let histories = input.sorted { ($0.sample, $0.directory) < ($1.sample, $1.directory) }
        for k in 1..<histories.count where histories[k].sample == histories[k - 1].sample {
            throw InputError(path: histories[k].directory, reason: "sample id '\(histories[k].sample)' is also used by \(histories[k - 1].directory)")
        }
        let step = histories[0].strainStep
        for h in histories where abs(h.strainStep - step) > 1e-6 * step {
            throw InputError(path: h.directory + "/history.csv", line: 3,
                             reason: "strain step \(roundTrip(h.strainStep)) differs from \(roundTrip(step)) of \(histories[0].directory): event statistics are per step, so all histories need one step")
        }

        // Split.
        let splits = TrainTestSplit.assign(ids: histories.map { $0.sample }, coolingRates: histories.map { $0.coolingRate },
                                           heldOutFraction: settings.heldOutFraction, seed: settings.seed)
        let train = splits.indices.filter { splits[$0] == "train" }
        let trainHistories = train.map { histories[$0] }

        // Event thresholds.
        func needSetting(_ h: ShearHistory, _ key: String, _ option: String) -> InputError {
            InputError(path: h.directory + "/summary.json", keyPath: key,
                       reason: "missing; it is needed for the automatic event threshold (give \(option) explicitly)")
        }
        var stressThreshold = settings.eventStressThreshold ?? 0, energyThreshold = settings.eventEnergyThreshold ?? 0
        var noiseBound: Double?
        for h in histories {
            if let f = h.forceTolerance {
                noiseBound = max(noiseBound ?? 0, EventDetector.stressNoiseBound(forceTolerance: f, atoms: h.atoms, volume: h.volume))
            }
            if settings.eventStressThreshold == nil && settings.eventCriterion != .energy {
                guard let f = h.forceTolerance else { throw needSetting(h, "settings.ftol", "--event-threshold GPa") }
                stressThreshold = max(stressThreshold, EventDetector.autoStressThreshold(forceTolerance: f, atoms: h.atoms, volume: h.volume))
            }
            if settings.eventEnergyThreshold == nil {
                guard let f = h.forceTolerance else { throw needSetting(h, "settings.ftol", "--event-energy-threshold eV/atom") }
                guard let d = h.maxDisplacement else { throw needSetting(h, "settings.dmax", "--event-energy-threshold eV/atom") }
                energyThreshold = max(energyThreshold, EventDetector.autoEnergyThreshold(forceTolerance: f, maxDisplacement: d, atoms: h.atoms))
            }
        }
        let detector = EventDetector(criterion: settings.eventCriterion, stressThreshold: stressThreshold, energyThreshold: energyThreshold)

        // Per-sample moduli (refitted in every pass of the self-consistent fit, as Eq. 6's nonlinear terms
        // are taken out of each branch's stress) and u0 from them.
        func sampleModuli(_ p: ModelParameters?, previous: [ModulusFit.SampleModulus],
                          of histories: [ShearHistory]) throws(InputError) -> [ModulusFit.SampleModulus] {
            var out: [ModulusFit.SampleModulus] = []
            for (i, h) in histories.enumerated() {
                var nonlinear = ModulusFit.Nonlinearity.none
                if let p {
                    let a = p.tauA.value, b = p.tauB.value
                    nonlinear = ModulusFit.Nonlinearity(inverseTauA2: 1 / (a * a), inverseTauB4: 1 / (b * b * b * b),
                                                        relativeModulus: previous[i].G.value / p.G0.value)
                }
                do {
                    out.append(try ModulusFit.sample(h, maxStrain: settings.modulusMaxStrain, detector: detector, nonlinear: nonlinear))
                } catch {
                    throw InputError(path: h.directory + "/history.csv",
                                     reason: "\(error) (states with γ ≤ \(roundTrip(settings.modulusMaxStrain))); raise --modulus-max-strain")
                }
            }
            return out
        }
        func referenceEnergy(_ moduli: [ModulusFit.SampleModulus]) -> ReferenceEnergy.Result {
            switch settings.referenceEnergy {
            case .given(let u): return ReferenceEnergy.Result(u0: Estimate(u), rule: "given", samples: [])
            case .slowestCooled:
                let r = ReferenceEnergy.slowestCooled(histories: trainHistories, moduli: train.map { moduli[$0].G.value })
                return ReferenceEnergy.Result(u0: r.u0, rule: r.rule, samples: r.samples.map { train[$0] })
            }
        }
        var moduli = try sampleModuli(nil, previous: [], of: histories)
        var trainModuli = train.map { moduli[$0].G.value }
        var reference = referenceEnergy(moduli)
        let omega = ReferenceEnergy.volumePerAtom(trainHistories)

        // Self-consistent fit.
        let fixed = settings.fixed
        var params = ModelParameters(u0: reference.u0, omega: omega,
                                     G0: Estimate(fixed.G0 ?? Statistics.meanAndStandardError(trainModuli).value),
                                     uA: Estimate(fixed.uA ?? .infinity), tauA: Estimate(fixed.tauA ?? .infinity),
                                     tauB: Estimate(fixed.tauB ?? .infinity), inverse: settings.x1Inverse)
        // The training samples whose loading curves the τ_A, τ_B fit reads (`elasticFitSamples`).
        func subset(_ which: HarvestSettings.ElasticFitSamples) -> [Int] {
            guard which == .slowestRate, let slowest = trainHistories.compactMap(\.coolingRate).min() else { return Array(trainHistories.indices) }
            return trainHistories.indices.filter { trainHistories[$0].coolingRate == slowest }
        }
        let fitSubset = subset(settings.elasticFitSamples)
        let maxStrain: Double
        if let g = settings.elasticFitMaxStrain {
            maxStrain = g
        } else if fixed.tauA != nil && fixed.tauB != nil {
            maxStrain = settings.modulusMaxStrain
        } else {
            guard let g = ElasticEnergyFit.autoMaxStrain(histories: settings.elasticFitData == .largeSystem ? loadingCurve.map { [$0] } ?? [] : fitSubset.map { trainHistories[$0] }) else {
                throw InputError(path: "--elastic-fit-max-strain",
                                 reason: "the ensemble-mean stress of the training samples peaks at the start of loading, so there is no loading curve to fit; give the strain explicitly or fix --tau-a/--tau-b", kind: .computation)
            }
            maxStrain = g
        }
        // The large system's own modulus (it is not one of the ensemble the softening law was fitted to),
        // from its branches as they are: a large glass carries little residual stress (it falls as N^−½),
        // and refitting it with Eq. 6's terms taken out would couple it to the τ_A, τ_B fitted to the same
        // curve, a loop that need not converge.
        let loadingCurveModulus = try loadingCurve.map { c throws(InputError) in try sampleModuli(nil, previous: [], of: [c])[0] }
        // Elastic steps (no energy drop) of the training samples, for the `.elasticBranches` route.
        let elasticSteps: [[Bool]] = trainHistories.map { h in (0..<max(h.count - 1, 0)).map { !detector.isEnergyDrop(h, step: $0) } }
        var softening = ModulusFit.Softening(G0: params.G0, uA: params.uA, covarianceG0uA: 0, residualDeviation: 0)
        var elastic: ElasticEnergyFit.Result?
        var iterations = 0
        var converged = false
        while iterations < settings.maxIterations && !converged {
            iterations += 1
            if iterations > 1 {
                moduli = try sampleModuli(params, previous: moduli, of: histories)
                trainModuli = train.map { moduli[$0].G.value }
                reference = referenceEnergy(moduli)
                params.u0 = reference.u0
            }
            let x10 = trainHistories.map { params.x1(u: $0.energyPerAtom[0], tau: $0.stress[0]) }
            do {
                softening = try ModulusFit.softening(x1: x10, moduli: trainModuli, fixedG0: fixed.G0, fixedUA: fixed.uA)
            } catch {
                throw InputError(path: "--histories",
                                 reason: "Fig. S1 fit G = G0·(1 − X1/uA) over \(train.count) training samples: \(error); fix the value with --g0/--ua, or harvest more samples spread over cooling rates", kind: .computation)
            }
            var next = params
            next.G0 = softening.G0; next.uA = softening.uA
            do {
                let large = settings.elasticFitData == .largeSystem ? loadingCurve.flatMap { c in loadingCurveModulus.map { (c, $0) } } : nil
                elastic = try ElasticEnergyFit.fit(histories: large.map { [$0.0] } ?? fitSubset.map { trainHistories[$0] },
                                                   moduli: large.map { [.measured($0.1.G.value)] } ?? fitSubset.map { .law(x1: x10[$0]) },
                                                   parameters: next, covarianceG0uA: softening.covarianceG0uA, data: settings.elasticFitData,
                                                   maxStrain: maxStrain, fixedTauA: fixed.tauA, fixedTauB: fixed.tauB,
                                                   elastic: fitSubset.map { elasticSteps[$0] })
            } catch {
                let which = settings.elasticFitData == .largeSystem ? "" : ", \(settings.elasticFitSamples.description)"
                throw InputError(path: "--elastic-fit-max-strain",
                                 reason: "Eq. 7 fit of the elastic energy (\(settings.elasticFitData.description)\(which), γ ≤ \(roundTrip(maxStrain))): \(error); fix it with --tau-a/--tau-b GPa, or change --elastic-fit-max-strain, --elastic-fit-data or --elastic-fit-samples", kind: .computation)
            }
            next.tauA = elastic!.tauA; next.tauB = elastic!.tauB
            func same(_ a: Estimate, _ b: Estimate) -> Bool {
                a.value == b.value || abs(a.value - b.value) <= 1e-12 * max(abs(a.value), abs(b.value))
            }
            converged = same(next.G0, params.G0) && same(next.uA, params.uA) && same(next.tauA, params.tauA) && same(next.tauB, params.tauB)
            params = next
        }
        guard converged, let elasticFit = elastic else {
            throw InputError(path: "--histories", reason: "the self-consistent fit of X1 and the parameters did not converge in \(settings.maxIterations) iterations", kind: .computation)
        }

        // Every route to τ_A, τ_B the data allow, at the final G0, u_A, u0 (for comparison; the chosen one is
        // `elasticFit`). A route's refusal is recorded, not thrown.
        var routes: [ElasticEnergyFit.Route] = []
        let x10 = trainHistories.map { params.x1(u: $0.energyPerAtom[0], tau: $0.stress[0]) }
        let variants: [(HarvestSettings.ElasticFitData, HarvestSettings.ElasticFitSamples?)] =
            [(.ensembleMean, .slowestRate), (.ensembleMean, .all), (.allSamples, .slowestRate), (.allSamples, .all),
             (.elasticBranches, .slowestRate), (.elasticBranches, .all), (.largeSystem, nil)]
        for (data, which) in variants {
            let large = data == .largeSystem ? loadingCurve.flatMap { c in loadingCurveModulus.map { (c, $0) } } : nil
            if data == .largeSystem && large == nil { continue }
            let chosen = which.map(subset) ?? []
            let curves = large.map { [$0.0] } ?? chosen.map { trainHistories[$0] }
            let limit = settings.elasticFitMaxStrain ?? ElasticEnergyFit.autoMaxStrain(histories: curves) ?? maxStrain
            do {
                let r = try ElasticEnergyFit.fit(histories: curves, moduli: large.map { [.measured($0.1.G.value)] } ?? chosen.map { .law(x1: x10[$0]) },
                                                 parameters: params, covarianceG0uA: softening.covarianceG0uA, data: data,
                                                 maxStrain: limit, fixedTauA: nil, fixedTauB: nil, elastic: chosen.map { elasticSteps[$0] })
                routes.append(ElasticEnergyFit.Route(data: data, samples: which, result: r, refusal: nil))
            } catch {
                routes.append(ElasticEnergyFit.Route(data: data, samples: which, result: nil, refusal: "\(error)"))
            }
        }

        // X1 of every state, events.
        var x1: [[Double]] = [], events: [[Int]] = []
        for h in histories {
            var xs = [Double](repeating: 0, count: h.count)
            for k in 0..<h.count { xs[k] = params.x1(u: h.energyPerAtom[k], tau: h.stress[k]) }
            events.append(detector.events(in: h, x1: xs, parameters: params))
            x1.append(xs)
        }
        let steadyFrom = settings.steadyStateFrom ?? HarvestSettings.steadyStateStart(maxStrain: histories.map { $0.strain[$0.count - 1] }.min() ?? 0)
        let rates = RateSummary(histories: histories, x1: x1, moduli: moduli.map(\.G.value), steadyStateFrom: steadyFrom)
        let fixedPoint = FixedPoint.estimate(histories: train.map { histories[$0] }, x1: train.map { x1[$0] },
                                             steadyStateFrom: steadyFrom, seed: settings.seed)
        let check = thresholdCheck(histories: histories, x1: x1, events: events, detector: detector,
                                   parameters: params, noiseBound: noiseBound)

        // Database.
        let variables = ["tau", "X1"]
        let nv = variables.count
        let states: [[Double]] = histories.indices.map { i in
            var s = [Double](repeating: 0, count: histories[i].count * nv)
            for k in 0..<histories[i].count { s[k * nv] = histories[i].stress[k]; s[k * nv + 1] = x1[i][k] }
            return s
        }
        let grid = try StateSpaceDatabase.grid(variables: variables, bins: settings.bins, ranges: settings.ranges,
                                               states: train.map { states[$0] })
        let samples = histories.indices.map { i in
            StateSpaceDatabase.Sample(id: histories[i].sample, directory: histories[i].directory,
                                      coolingRate: histories[i].coolingRate, split: splits[i],
                                      initialState: Array(states[i][0..<nv]))
        }
        let provenance: JSONValue = .object([
            ("stage", .string("pipeline harvest")),
            ("event_criterion", .string(settings.eventCriterion.rawValue)),
            ("event_energy_threshold_eV_per_atom", .number(energyThreshold)),
            ("train_samples", .number(train.count)), ("test_samples", .number(histories.count - train.count)),
            ("held_out_fraction", .number(settings.heldOutFraction)), ("seed", .string(String(settings.seed))),
        ])
        let database = StateSpaceDatabase.build(variables: variables, parameters: params, strainStep: step,
                                                eventThreshold: stressThreshold, grid: grid, samples: samples,
                                                states: states, events: events, provenance: provenance)
        return HarvestResult(settings: settings, histories: histories, splits: splits, moduli: moduli, reference: reference,
                             parameters: params, softening: softening, elastic: elasticFit, elasticRoutes: routes,
                             loadingCurveModulus: loadingCurveModulus, rates: rates, fixedPoint: fixedPoint, iterations: iterations,
                             x1: x1, events: events, detector: detector, thresholdCheck: check, database: database,
                             quality: nil)
    }

    /// Refuses a harvest whose training samples show no plastic event. Their database would hold no event,
    /// SEEM would load every sample elastically, and next to AQS histories that never yield either, that
    /// looks like agreement (it happened: a Ni–Al "glass" that had crystallized, 0 events, "study complete").
    static func requirePlasticEvents(_ r: HarvestResult) throws(InputError) {
        let train = r.trainIndices
        guard train.allSatisfy({ r.events[$0].isEmpty }) else { return }
        let strain = train.map { r.histories[$0].strain.last! }.max()!
        let c = r.thresholdCheck
        throw InputError(path: "--histories", reason: "no plastic event in any of the \(train.count) training samples (\(names(train.map { r.histories[$0].sample }))) up to γ = \(roundTrip(strain)) (\(c.energyDrops) energy drops, \(c.stressDrops) stress drops in \(c.steps) steps of all samples), so SEEM would have no events to draw. A glass sheared this far yields, so these samples most likely crystallized in their quench (check their structure: cool faster, or change the composition or potential) or were not sheared far enough (raise the AQS max strain); otherwise lower --event-threshold or --event-energy-threshold", kind: .computation)
    }

    /// Refusal when the quality gate leaves no sample.
    static func allExcluded(_ q: QualityGate) -> InputError {
        let e = q.excluded
        let list = names(e.map { "\($0.id) \(QualityGate.percent($0.crystallineFraction))" })
        return InputError(path: e[0].structure, reason: "every sample is crystalline beyond the quality gate's \(QualityGate.percent(q.maxCrystallineFraction)) (\(list)), so there is no glass to harvest; the quench crystallized them: cool faster, or change the composition or potential", kind: .computation)
    }

    /// Up to six names, then how many more.
    static func names(_ list: [String]) -> String {
        list.count <= 6 ? list.joined(separator: ", ") : list.prefix(6).joined(separator: ", ") + " and \(list.count - 6) more"
    }


    static func thresholdCheck(histories: [ShearHistory], x1: [[Double]], events: [[Int]], detector: EventDetector,
                               parameters: ModelParameters, noiseBound: Double?) -> EventThresholdCheck {
        var steps = 0, energy = 0, stress = 0, both = 0, nEvents = 0, positiveAbove = 0, half = 0, double = 0
        var largest = -Double.infinity
        var noise: [Double] = []
        for (i, h) in histories.enumerated() {
            nEvents += events[i].count
            for k in 0..<(h.count - 1) {
                steps += 1
                let d = EventDetector.dissipation(h, step: k)
                let e = d < -detector.energyThreshold
                let s = detector.isStressDrop(h, step: k, x1: x1[i][k], parameters: parameters)
                if e { energy += 1 }
                if s { stress += 1 }
                if e && s { both += 1 }
                if d < -0.5 * detector.energyThreshold { half += 1 }
                if d < -2 * detector.energyThreshold { double += 1 }
                largest = max(largest, d)
                if d > detector.energyThreshold { positiveAbove += 1 }
            }
            if let n = detector.measuredStressNoise(h) { noise.append(n) }
        }
        return EventThresholdCheck(
            stressNoiseBound: noiseBound,
            measuredStressNoiseMedian: noise.isEmpty ? nil : EventDetector.median(noise),
            measuredStressNoiseMax: noise.max(), steps: steps, energyDrops: energy, stressDrops: stress, both: both,
            energyDropsWithoutStressDrop: energy - both, stressDropsWithoutEnergyDrop: stress - both, events: nEvents,
            largestPositiveDissipation: max(largest, 0), positiveDissipationAboveThreshold: positiveAbove,
            energyDropsAtHalfThreshold: half, energyDropsAtDoubleThreshold: double)
    }
}
