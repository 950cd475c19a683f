import MDCore

/// The large system's three units of work (section `large_system`): its own melt at its size, its
/// glass (quench at its own rate + inherent structure) and its AQS loading run. They are made by the
/// same code as a sample's units (`runParentUnit`, `runQuenchUnit`, `runShearUnit`), keyed the same
/// way from their own config paths (`StudyConfig.Unit.largeParent`, `.largeGlass`, `.largeShear`),
/// so they resume from checkpoints and skip when done exactly like the samples.
package struct LargeUnits: Sendable {
    let system: LargeSystemConfig
    let parentKey: String
    let glassKey: String
    let shearKey: String

    var parentUnit: String { StudyLayout.largeParentUnit }
    var glassUnit: String { StudyLayout.largeQuenchUnit(rate: system.rateKPerS) }
    var shearUnit: String { StudyLayout.largeShearUnit(rate: system.rateKPerS) }

    /// The units in dependency order.
    var units: [(unit: String, key: String)] {
        [(parentUnit, parentKey), (glassUnit, glassKey), (shearUnit, shearKey)]
    }

    /// Keys like the samples': the parent's from the potential and its config paths, each later
    /// unit's from its upstream key and its config paths.
    init(config: StudyConfig, potentialSHA: String, system: LargeSystemConfig) {
        self.system = system
        parentKey = UnitKey.hex(kind: "quench.parent", upstream: [("potential_sha256", potentialSHA)], config: config.unitKey(.largeParent))
        glassKey = UnitKey.hex(kind: "quench.sample", upstream: [("parent", parentKey)], config: config.unitKey(.largeGlass))
        shearKey = UnitKey.hex(kind: "shear", upstream: [("quench", glassKey)], config: config.unitKey(.largeShear))
    }
}

extension StudyRunner {
    /// Melt, quench, minimize and shear the large system, one unit after another. It runs alone, so
    /// its force evaluations take every thread of the run (`jobs × threads_per_job`; the results do
    /// not depend on the thread count).
    func runLargeSystem() throws {
        guard let large else { return }
        let threads = jobs * config.execution.threadsPerJob
        let job = quenchJob(rate: large.system.rateKPerS, atoms: large.system.atoms, boxA: large.system.boxA,
                            seed: LargeSystemConfig.derivedSeed(config.seed), threads: threads)
        let branch = try runParentUnit(large.parentUnit, key: large.parentKey, stage: "large", job: job, countsOnBoard: true)
        try runQuenchUnit(large.glassUnit, key: large.glassKey, stage: "large", job: job, sample: 0, branch: branch,
                          stream: "large system, rate \(roundTrip(large.system.rateKPerS))")
        try runShearUnit(large.shearUnit, key: large.shearKey, stage: "large", glass: large.glassUnit,
                         rate: large.system.rateKPerS, settings: large.system.shear, threads: threads)
    }
}
