import Foundation
import Harvest
import MDCore
import Report
import SEEM

extension StudyRunner {
    /// Harvest: fits, X1, events and the state-space database from every sample's AQS history.
    func harvest(into dir: String) throws {
        let h = config.harvest
        var s = HarvestSettings()
        switch h.u0 {
        case .slowestRateMean: s.referenceEnergy = .slowestCooled
        case .eVPerAtom(let u): s.referenceEnergy = .given(u)
        }
        s.fixed = HarvestSettings.FixedParameters(G0: h.fixed.G0, uA: h.fixed.uA, tauA: h.fixed.tauA, tauB: h.fixed.tauB)
        s.modulusMaxStrain = h.modulusMaxStrain
        s.x1Inverse = h.x1Inverse
        s.elasticFitSamples = h.elasticFitSamples
        s.steadyStateFrom = config.seem.steadyStateFrom
        s.elasticFitMaxStrain = h.elasticFitMaxStrain
        switch h.elasticFitData {
        case .ensembleMean: s.elasticFitData = .ensembleMean
        case .allSamples: s.elasticFitData = .allSamples
        case .largeSystem: s.elasticFitData = .largeSystem
        case .elasticBranches: s.elasticFitData = .elasticBranches
        }
        switch h.eventCriterion {
        case .stressAndEnergy: s.eventCriterion = .stressAndEnergy
        case .stress: s.eventCriterion = .stress
        case .energy: s.eventCriterion = .energy
        }
        if case .gpa(let t) = h.eventThreshold { s.eventStressThreshold = t }
        s.eventEnergyThreshold = h.eventEnergyThreshold
        s.bins = h.databaseBins
        s.ranges = h.databaseRanges.map { r in
            if case .fixed(let lo, let hi) = r { return lo...hi }
            return nil
        }
        s.heldOutFraction = config.seem.heldOutFraction
        s.seed = config.seed
        // The database names each history by its path relative to the database's own directory
        // (../shear/rate-R/sample-K), so a study directory can be moved or copied whole.
        let relative = samples.map { "../" + $0.shearUnit }
        // The large system's loading curve: the elastic fit's data with `large_system`, else one route compared.
        let curve = large.map { "../" + $0.shearUnit }
        do {
            // Quality gate: every sample's inherent structure by a-CNA; crystallized samples are left out.
            let gate = try CrystallinityGate.check(samples.map { sample in
                CrystallinityGate.Sample(id: Harvester.sampleID(directory: sample.shearUnit),
                                         path: layout.path(sample.quenchUnit) + "/inherent.data",
                                         name: "../" + sample.quenchUnit + "/inherent.data")
            })
            for line in gate.report { board.log("harvest: " + line) }
            // Read from where they are; named in the database relative to it (../shear/rate-R/sample-K).
            var histories = try Harvester.readHistories(directories: samples.map { layout.path($0.shearUnit) })
            for k in histories.indices { histories[k].directory = relative[k] }
            var loadingCurve = try large.map { l throws(InputError) in try ShearHistory.read(directory: layout.path(l.shearUnit), sample: "large-system") }
            if let curve { loadingCurve?.directory = curve }
            var result = try Harvester.run(histories: histories, settings: s, loadingCurve: loadingCurve, quality: gate)
            result.database.provenance = provenance(harvestKey)
            try result.write(to: dir)
        } catch {
            // Paths relative to the harvest directory (../quench/…, ../shear/…) are named from the study root.
            if error.path.hasPrefix("../") || error.path.hasPrefix("./") { throw absolute(error, in: dir) }
            // A refusal about a setting names a command-line option: name the config section instead; a
            // fit the data cannot determine is the harvest unit's computation failing, not bad input.
            guard error.path.hasPrefix("--") else { throw error }
            if error.kind == .computation { throw InputError.computation(path: dir, reason: Self.configWording(error.reason)) }
            throw InputError(path: configPath, keyPath: "harvest", reason: Self.configWording(error.reason), kind: error.kind)
        }
    }

    /// `error` with a path relative to `dir` (`./x`, `../shear/…`) made absolute, so that a message
    /// names the file from wherever the user ran the command.
    func absolute(_ error: InputError, in dir: String) -> InputError {
        guard !error.path.hasPrefix("/"), !error.path.hasPrefix("--"), error.path != "seem" else { return error }
        var e = error
        e.path = ConfigPaths.absolute(error.path, relativeTo: dir)
        return e
    }

    /// A harvest message in config terms: command-line options become config keys.
    static func configWording(_ text: String) -> String {
        var t = text
        for (option, key) in [("--tau-a/--tau-b", "harvest.fixed_parameters.tauA_GPa / tauB_GPa"),
                              ("--tau-a", "harvest.fixed_parameters.tauA_GPa"), ("--tau-b", "harvest.fixed_parameters.tauB_GPa"),
                              ("--g0", "harvest.fixed_parameters.G0_GPa"), ("--ua", "harvest.fixed_parameters.uA_eV_per_atom"),
                              ("--elastic-fit-max-strain", "harvest.elastic_fit.max_strain"),
                              ("--elastic-fit-data", "harvest.elastic_fit.data"),
                              ("--modulus-max-strain", "harvest.modulus_max_strain"), ("--u0", "harvest.u0_eV_per_atom"),
                              ("--held-out-fraction", "seem.held_out_fraction"), ("--bins", "harvest.bins"),
                              ("--event-threshold", "harvest.event_threshold_GPa"),
                              ("--event-energy-threshold", "harvest.event_energy_threshold_eV_per_atom")] {
            t = t.replacingOccurrences(of: option, with: key)
        }
        return t
    }

    /// SEEM: ensembles from every sample's initial state, compared with AQS.
    func seem(into dir: String) throws {
        let c = config.seem
        let steps = Int((c.maxStrain / c.strainStep).rounded())
        let every = max(1, (steps + c.outputPoints - 1) / c.outputPoints)
        // Outputs name the database relative to the seem directory, so that they do not name the work directory.
        let threads = jobs * config.execution.threadsPerJob
        do {
            _ = try runSEEMStage(
                database: layout.path(StudyLayout.harvestUnit) + "/database.json", output: dir, strainStep: c.strainStep,
                maxStrain: c.maxStrain, mode: c.mode, start: c.start, elasticity: c.elasticity, fallback: c.fallback,
                crossValidationFolds: c.crossValidationFolds,
                runs: c.runsPerSample, seed: c.seed, outputStrainStep: Double(every) * c.strainStep,
                steadyStateFrom: c.steadyStateFrom, threads: threads, figure4Sample: nil,
                databaseName: "../" + StudyLayout.harvestUnit + "/database.json")
        } catch {
            throw absolute(error, in: dir)
        }
    }

    /// The report: index.html with the paper's figures, Table I, metrics and provenance.
    func report(into dir: String) throws {
        let potentialName = config.potential.file.split(separator: "/").last.map(String.init) ?? config.potential.file
        let report = StudyReport(
            title: "SEEM study: \(config.name)",
            harvestDirectory: layout.path(StudyLayout.harvestUnit), seemDirectory: layout.path(StudyLayout.seemUnit),
            provenance: [
                ("Study", config.name), ("Config SHA-256 (results-determining keys)", configSHA),
                ("Potential", "\(potentialName) (\(config.potential.pairStyle.rawValue), elements \(config.potential.elements.joined(separator: ", ")))"),
                ("Potential SHA-256", potentialSHA), ("Master seed", "\(config.seed)"), ("SEEM seed", "\(config.seem.seed)"),
                ("Samples", "\(samples.count) (\(config.quench.ratesKPerS.count) cooling rates × \(config.quench.samplesPerRate))"),
                ("Harvest unit key", harvestKey), ("SEEM unit key", seemKey), ("seem version", SeemVersion.current),
            ],
            paperPotential: potentialSHA == StudyReport.paperPotentialSHA256, fixedFrom: config.harvest.fixedFrom)
        try report.write(to: dir)
    }
}
