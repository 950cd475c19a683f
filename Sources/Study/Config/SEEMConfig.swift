import AQS
import Minimization
import Harvest
import MDCore
import SEEM

/// Section `seem`: integration of the stochastic model from the harvested database.
package struct SEEMConfig: Sendable, Equatable {
    /// SEEM runs started from each sample's initial state.
    var runsPerSample: Int
    /// Strain step Δγ of the integration.
    var strainStep: Double
    /// Last strain.
    var maxStrain: Double
    /// Events per strain step (`SEEMEventMode`: the paper's Bernoulli, or Poisson).
    var mode: SEEMEventMode
    /// What a run does in a never-visited bin (`SEEMFallback`).
    var fallback: SEEMFallback
    /// Fraction of the samples of each rate kept out of the database and used to validate (0: none;
    /// always 0 under cross-validation, whose database is built from every sample).
    var heldOutFraction: Double
    /// k of the k-fold cross-validation over samples (0: off).
    var crossValidationFolds: Int = SEEMSettings.defaultCrossValidationFolds
    /// Seed of the SEEM runs' random streams.
    var seed: UInt64
    /// Where each run starts (`SEEMStart`) and how it loads between events (`SEEMElasticity`).
    var start: SEEMStart = .sample
    var elasticity: SEEMElasticity = .standard
    /// Flow stress and steady-state means are averaged over γ ≥ this (default: 2/3 of max_strain).
    var steadyStateFrom: Double
    /// Points written per trajectory in the figure tables (results are integrated at every step).
    var outputPoints: Int = 500

    static let keys = ["runs_per_sample", "strain_step", "max_strain", "mode", "fallback", "held_out_fraction",
                       "cross_validation_folds", "seed", "start", "elasticity", "steady_state_from", "output_points"]
    static let defaultRunsPerSample = 100
    static let defaultHeldOutFraction = 0.25

    /// The default seed: a stream of the study seed tagged "seem", independent of the MD streams.
    static func derivedSeed(_ studySeed: UInt64) -> UInt64 {
        var random = SeededRandom(seed: studySeed, stream: [0x7365_656d])  // "seem"
        return random.next()
    }

    /// Reads the section; `samples` is the study's sample count (rates × samples per rate), the most folds.
    static func read(_ node: ConfigNode, aqs: AQSConfig, studySeed: UInt64, samples: Int) throws(InputError) -> SEEMConfig {
        let runs = try node.member("runs_per_sample")?.int(in: 1...10_000_000) ?? defaultRunsPerSample
        let step = try node.member("strain_step")?.positive() ?? aqs.shear.strainStep
        let maxStrain = try node.member("max_strain")?.positive() ?? aqs.shear.maxStrain
        let steps = ShearSettings(strainStep: step, maxStrain: maxStrain).stepCount
        guard steps >= 1 else {
            throw node.error(key: "max_strain", "must be at least the strain step \(ConfigNumber.text(step)) (got \(ConfigNumber.text(maxStrain)))")
        }
        guard steps < Int(Int32.max) else {
            throw node.error(key: "max_strain", "max_strain / strain_step gives too many steps (\(ConfigNumber.text((maxStrain / step).rounded())); at most 2147483646)")
        }
        let mode = try node.member("mode")?.choice(SEEMEventMode.self, what: "mode") ?? .bernoulli
        let fallback = try node.member("fallback")?.choice(SEEMFallback.self, what: "fallback") ?? SEEMSettings.defaultFallback
        var heldOut = defaultHeldOutFraction
        if let h = node.member("held_out_fraction") {
            heldOut = try h.nonNegative()
            guard heldOut < 1 else { throw h.error("must be at least 0 and below 1 (got \(h.text)); 0 means no held-out validation") }
        }
        var folds = SEEMSettings.defaultCrossValidationFolds
        if let f = node.member("cross_validation_folds") {
            folds = try f.int(in: 0...Int(Int32.max))
            guard folds != 1 else { throw f.error("must be 0 (off) or at least 2 (got 1)") }
            guard folds <= samples else {
                throw f.error("must not exceed the \(samples) samples of the study (got \(folds)): a fold needs samples left to build its database")
            }
            if folds > 0 {
                // Every sample is held out once, from a database of the others: the harvest takes them all.
                if let h = node.member("held_out_fraction"), heldOut > 0 {
                    throw h.error("must be 0 or left out under cross_validation_folds, which holds every sample out once (got \(h.text))")
                }
                heldOut = 0
            }
        }
        let seed = try node.member("seed")?.uint64() ?? derivedSeed(studySeed)
        let start = try node.member("start")?.choice(SEEMStart.self, what: "start") ?? .sample
        let elasticity = try node.member("elasticity")?.choice(SEEMElasticity.self, what: "elasticity") ?? .standard
        var steady = HarvestSettings.steadyStateStart(maxStrain: maxStrain)
        if let f = node.member("steady_state_from") {
            steady = try f.nonNegative()
            guard steady < maxStrain else {
                throw f.error("must be below seem.max_strain \(ConfigNumber.text(maxStrain)) (got \(f.text))")
            }
        }
        let points = try node.member("output_points")?.int(in: 2...10_000_000) ?? 500
        return SEEMConfig(runsPerSample: runs, strainStep: step, maxStrain: maxStrain, mode: mode, fallback: fallback,
                          heldOutFraction: heldOut, crossValidationFolds: folds, seed: seed, start: start, elasticity: elasticity,
                          steadyStateFrom: steady, outputPoints: points)
    }

    var json: JSONValue {
        .object([("runs_per_sample", .number(runsPerSample)), ("strain_step", .number(strainStep)),
                 ("max_strain", .number(maxStrain)), ("mode", .string(mode.rawValue)),
                 ("fallback", .string(fallback.rawValue)), ("held_out_fraction", .number(heldOutFraction)),
                 ("cross_validation_folds", .number(crossValidationFolds)),
                 ("seed", StudyConfig.json(seed)), ("start", .string(start.rawValue)),
                 ("elasticity", .string(elasticity.rawValue)),
                 ("steady_state_from", .number(steadyStateFrom)), ("output_points", .number(outputPoints))])
    }
}
