import MDCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension HarvestResult {
    /// `value ± error unit` with the error to two significant digits and the value to the same decimal.
    static func tableEntry(_ e: Estimate, _ unit: String) -> String {
        guard e.standardError.isFinite, e.standardError > 1e-9 * abs(e.value) else {
            return "\(roundTrip(e.value)) \(unit) (\(e.standardError == 0 ? "given or exact" : "error < 1e-9 relative"))"
        }
        let digits = min(12, max(0, 1 - Int(log10(e.standardError).rounded(.down))))
        let scale = pow(10.0, Double(digits))
        func f(_ x: Double) -> String {
            let r = Int((abs(x) * scale).rounded())
            var s = String(r)
            if digits > 0 {
                if s.count <= digits { s = String(repeating: "0", count: digits - s.count + 1) + s }
                s.insert(".", at: s.index(s.endIndex, offsetBy: -digits))
            }
            return (x < 0 && r != 0 ? "-" : "") + s
        }
        return "\(f(e.value)) ± \(f(e.standardError)) \(unit)"
    }

    /// The per-rate summary as JSON.
    var ratesJSON: JSONValue {
        func trend(_ t: RateSummary.Trend?) -> JSONValue {
            t.map { .object([("intercept", $0.intercept.json), ("per_decade", $0.perDecade.json), ("covariance", .number($0.covariance))]) } ?? .null
        }
        return .object([
            ("steady_state_from_strain", .number(rates.steadyStateFrom)),
            ("per_rate", .array(rates.rates.map { r in .object([
                ("cooling_rate_K_per_s", r.coolingRate.map { .number($0) } ?? .null), ("samples", .number(r.samples)),
                ("is_energy_eV_per_atom", r.energy.json), ("stress_free_is_energy_eV_per_atom", r.stressFreeEnergy.json),
                ("X1_0_eV_per_atom", r.x1.json), ("G_GPa", r.modulus.json), ("peak_stress_GPa", r.peakStress.json),
                ("peak_strain", r.peakStrain.json), ("flow_stress_GPa", r.flowStress.json),
            ]) })),
            ("stress_free_is_energy_trend_eV_per_atom", trend(rates.energyTrend)),
            ("X1_0_trend_eV_per_atom", trend(rates.x1Trend)),
        ])
    }

    /// The fit diagnostics of parameters.json.
    var fitsJSON: JSONValue {
        let routes: [JSONValue] = elasticRoutes.map { r in
            var members: [(String, JSONValue)] = [("data", .string(r.data.rawValue)), ("samples", r.samples.map { .string($0.rawValue) } ?? .null),
                                                  ("what", .string(r.data.description + (r.samples.map { ", " + $0.description } ?? "")))]
            if let f = r.result {
                members += [("max_strain", .number(f.maxStrain)), ("points", .number(f.points)),
                            ("inverse_tauA2_per_GPa2", f.inverseTauA2.json), ("inverse_tauB4_per_GPa4", f.inverseTauB4.json),
                            ("tauA_GPa", f.tauA.json), ("tauB_GPa", f.tauB.json),
                            ("residual_deviation_eV_per_atom", .number(f.residualDeviation))]
            }
            if let why = r.refusal { members.append(("refused", .string(why))) }
            return .object(members)
        }
        let curve: JSONValue = loadingCurveModulus.map { m in
            .object([("G_GPa", m.G.json), ("residual_stress_GPa", .number(m.residualStress))])
        } ?? .null
        let elasticEnergy: JSONValue = .object([
            ("data", .string(settings.elasticFitData.description)),
            ("samples", settings.elasticFitData == .largeSystem ? .null : .string(settings.elasticFitSamples.rawValue)),
            ("max_strain", .number(elastic.maxStrain)),
            ("max_strain_rule", .string(settings.elasticFitMaxStrain != nil ? "given"
                : settings.elasticFitData == .largeSystem ? "auto: 95% of the strain of the large system's stress peak"
                : "auto: 95% of the strain of the mean stress peak of the fitted curves")),
            ("points", .number(elastic.points)),
            ("inverse_tauA2_per_GPa2", elastic.inverseTauA2.json),
            ("inverse_tauB4_per_GPa4", elastic.inverseTauB4.json),
            ("residual_deviation_eV_per_atom", .number(elastic.residualDeviation)),
        ])
        let softeningJSON: JSONValue = .object([
            ("law", .string("G = G0·(1 − X1/uA) over the training samples' unstrained states, OLS")),
            ("samples", .number(trainIndices.count)),
            ("covariance_G0_uA", .number(softening.covarianceG0uA)),
            ("residual_deviation_GPa", .number(softening.residualDeviation)),
        ])
        return .object([
            ("self_consistent_iterations", .number(iterations)),
            ("modulus_max_strain", .number(settings.modulusMaxStrain)),
            ("modulus_rule", .string("per sample: slope of τ̃ = τ + (G/G0)(⅔τ³/τA² + ⅗τ⁵/τB⁴) on its elastic branches with γ ≤ modulus_max_strain (the modulus at τ = 0)")),
            ("x1_inverse", .string(settings.x1Inverse.rawValue)),
            ("softening", softeningJSON),
            ("elastic_energy", elasticEnergy),
            ("elastic_energy_routes", .array(routes)),
            ("loading_curve", curve),
        ])
    }

    /// The fixed point of the mean flow in parameters.json.
    var fixedPointJSON: JSONValue {
        guard let f = fixedPoint else { return .null }
        let method = "linear fit of the per-step flow (dτ/dγ, dX1/dγ) of the training samples over γ ≥ \(roundTrip(rates.steadyStateFrom)); errors from a bootstrap over samples"
        return .object([
            ("X1_eV_per_atom", f.x1.json), ("tau_GPa", f.tau.json), ("steps", .number(f.steps)),
            ("samples", .number(f.samples)), ("bootstrap_replicas", .number(f.replicas)),
            ("flow_jacobian", .numbers(f.jacobian)), ("method", .string(method)),
        ])
    }

    /// parameters.json: Table I with errors, the u0 rule, per-sample G and X1⁰, fit diagnostics, the event
    /// thresholds with the numbers that justify them, the settings, and the quality gate when there was one
    /// (last, so that without it the file is what it was).
    public var parametersJSON: JSONValue {
        let p = parameters
        let c = thresholdCheck
        func opt(_ x: Double?) -> JSONValue { x.map { .number($0) } ?? .null }
        let samplesJSON: JSONValue = .array(histories.indices.map { i in
            let h = histories[i]
            return .object([("id", .string(h.sample)), ("directory", .string(h.directory)),
                            ("cooling_rate_K_per_s", opt(h.coolingRate)), ("split", .string(splits[i])),
                            ("G_GPa", moduli[i].G.json), ("residual_stress_GPa", .number(moduli[i].residualStress)),
                            ("modulus_points", .number(moduli[i].points)), ("elastic_branches", .number(moduli[i].segments)),
                            ("X1_0_eV_per_atom", .number(x1[i][0])), ("events", .number(events[i].count))])
        })
        let agreement = c.energyDrops > 0 ? Double(c.both) / Double(c.energyDrops) : .nan
        return .object([
            ("format", .string("seem-harvest-parameters/1")),
            ("parameters", p.json),
            ("table_I", .object([
                ("uA", .string(Self.tableEntry(p.uA, "eV/atom"))), ("G0", .string(Self.tableEntry(p.G0, "GPa"))),
                ("tauA", .string(Self.tableEntry(p.tauA, "GPa"))), ("tauB", .string(Self.tableEntry(p.tauB, "GPa"))),
                ("u0", .string(Self.tableEntry(p.u0, "eV/atom"))), ("Omega", .string(Self.tableEntry(p.omega, "Å³/atom"))),
            ])),
            ("u0_rule", .string(reference.rule)),
            ("u0_samples", .array(reference.samples.map { .string(histories[$0].sample) })),
            ("fits", fitsJSON),
            ("rates", ratesJSON),
            ("fixed_point", fixedPointJSON),
            ("event_threshold", .object([
                ("criterion", .string(settings.eventCriterion.rawValue)),
                ("stress_threshold_GPa", .number(detector.stressThreshold)),
                ("stress_threshold_rule", .string(settings.eventStressThreshold == nil ? "auto: 10 × ftol·Ω^(1/3)/V" : "given")),
                ("energy_threshold_eV_per_atom", .number(detector.energyThreshold)),
                ("energy_threshold_rule", .string(settings.eventEnergyThreshold == nil ? "auto: ftol·dmax/N" : "given")),
                ("stress_noise_bound_GPa", opt(c.stressNoiseBound)),
                ("measured_stress_noise_median_GPa", opt(c.measuredStressNoiseMedian)),
                ("measured_stress_noise_max_GPa", opt(c.measuredStressNoiseMax)),
                ("steps", .number(c.steps)),
                ("energy_drops", .number(c.energyDrops)),
                ("energy_drops_at_half_threshold", .number(c.energyDropsAtHalfThreshold)),
                ("energy_drops_at_double_threshold", .number(c.energyDropsAtDoubleThreshold)),
                ("stress_drops", .number(c.stressDrops)),
                ("stress_and_energy_drops", .number(c.both)),
                ("energy_drops_without_stress_drop", .number(c.energyDropsWithoutStressDrop)),
                ("stress_drops_without_energy_drop", .number(c.stressDropsWithoutEnergyDrop)),
                ("events", .number(c.events)),
                ("fraction_of_energy_drops_that_are_events", .number(agreement)),
                ("largest_positive_dissipation_eV_per_atom", .number(c.largestPositiveDissipation)),
                ("positive_dissipation_above_threshold", .number(c.positiveDissipationAboveThreshold)),
            ])),
            ("samples", samplesJSON),
            ("figures", .object([
                ("fig3a_sample", .string(histories[FigureTables.exampleSample(self)].sample)),
                ("fig3b_bin", FigureTables.mostEventfulBin(database).map { .number($0) } ?? .null),
            ])),
            ("settings", settings.json),
        ] + (quality.map { [("quality", $0.json)] } ?? []))
    }

    /// Writes parameters.json, database.json, events.csv and the figure tables into `directory` (created
    /// when missing), each atomically.
    public func write(to directory: String) throws(InputError) {
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw InputError(path: directory, reason: "cannot create the output directory (\(String(cString: strerror(errno))))")
        }
        try AtomicFile.write(parametersJSON.formatted() + "\n", to: directory + "/parameters.json")
        try database.write(to: directory + "/database.json")
        try AtomicFile.write(FigureTables.events(self), to: directory + "/events.csv")
        try AtomicFile.write(FigureTables.modulus(self), to: directory + "/figS1-modulus.csv")
        try AtomicFile.write(FigureTables.bins(database), to: directory + "/fig2-bins.csv")
        try AtomicFile.write(FigureTables.trajectory(self), to: directory + "/fig3a-trajectory.csv")
        try AtomicFile.write(FigureTables.eventHistogram(database), to: directory + "/fig3b-histogram.csv")
        try AtomicFile.write(FigureTables.stressStrain(self), to: directory + "/fig1-stress-strain.csv")
        try AtomicFile.write(FigureTables.rates(rates), to: directory + "/rates.csv")
    }
}
