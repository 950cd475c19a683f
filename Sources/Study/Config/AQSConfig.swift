import AQS
import Minimization
import MDCore

/// Section `aqs`: athermal quasistatic simple shear of every inherent structure.
package struct AQSConfig: Sendable, Equatable {
    /// Strain step, last strain, minimizer and predictor (`pipeline shear`'s settings).
    var shear: ShearSettings
    /// Checkpoint every this many strain steps (results do not depend on it).
    var checkpointEvery: Int

    static let keys = ["strain_step", "max_strain"] + MinimizerSettings.configKeys + ["predictor", "checkpoint_every"]
    static let defaultCheckpointEvery = 100
    /// Each AQS step relaxes to an inherent structure (`ShearSettings.paper`, as `pipeline shear`).
    static let minimizerDefaults = ShearSettings.paper.minimizer

    /// Whether the non-affine predictor is on.
    var predictor: Bool { shear.predictor.enabled }

    /// The predictor of `pipeline shear --predictor on`: order 1, L-BFGS (memory 30) with the run's
    /// tolerances on predicted steps.
    static func predictorSettings(enabled: Bool, minimizer: MinimizerSettings) -> PredictorSettings {
        guard enabled else { return PredictorSettings(enabled: false) }
        var fast = minimizer
        fast.algorithm = .lbfgs
        fast.memory = PredictorSettings.defaultMemory
        return PredictorSettings(enabled: true, order: 1, minimizer: fast)
    }

    static func read(_ node: ConfigNode) throws(InputError) -> AQSConfig {
        let step = try node.member("strain_step")?.positive() ?? ShearSettings.paper.strainStep
        let maxStrain = try node.member("max_strain")?.positive() ?? ShearSettings.paper.maxStrain
        var settings = ShearSettings(strainStep: step, maxStrain: maxStrain)
        guard settings.stepCount >= 1 else {
            throw node.error(key: "max_strain", "must be at least the strain step \(ConfigNumber.text(step)) (got \(ConfigNumber.text(maxStrain)))")
        }
        guard settings.stepCount < Int(Int32.max) else {
            throw node.error(key: "max_strain", "max_strain / strain_step gives too many steps (\(ConfigNumber.text((maxStrain / step).rounded())); at most 2147483646)")
        }
        settings.minimizer = try MinimizerSettings.read(node, defaults: minimizerDefaults)
        let predictor = try node.member("predictor")?.bool() ?? true
        settings.predictor = predictorSettings(enabled: predictor, minimizer: settings.minimizer)
        let checkpoint = try node.member("checkpoint_every")?.int(in: 1...Int.max) ?? defaultCheckpointEvery
        return AQSConfig(shear: settings, checkpointEvery: checkpoint)
    }

    var json: JSONValue {
        .object([("strain_step", .number(shear.strainStep)), ("max_strain", .number(shear.maxStrain))]
                + shear.minimizer.configMembers
                + [("predictor", .bool(predictor)), ("checkpoint_every", .number(checkpointEvery))])
    }
}
