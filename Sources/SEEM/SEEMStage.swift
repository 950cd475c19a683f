import Harvest
import MDCore

/// Runs SEEM ensembles from every sample of the database at `database`, compares them with the samples'
/// AQS histories and writes the outputs into `output` (used by `pipeline seem` and the study's seem stage).
/// `databaseName` is how metrics.json names the database (default: `database` as given), so that a study's
/// outputs name it relative to the study, not by the directory the study happens to be in.
public func runSEEMStage(database: String, output: String, strainStep: Double?, maxStrain: Double?, mode: SEEMEventMode,
                  start: SEEMStart, elasticity: SEEMElasticity, fallback: SEEMFallback, crossValidationFolds: Int,
                  runs: Int, seed: UInt64, outputStrainStep: Double?, steadyStateFrom: Double?, threads: Int, figure4Sample fig4Sample: String?,
                         databaseName: String? = nil) throws(InputError) -> (SEEMEnsembleResult, Double) {
    let db = try StateSpaceDatabase.read(path: database)
    guard !db.samples.isEmpty else { throw InputError(path: database, keyPath: "samples", reason: "no samples to start from") }
    var histories: [ShearHistory] = []
    for (k, s) in db.samples.enumerated() {
        guard !s.directory.isEmpty else {
            throw InputError(path: database, keyPath: "samples[\(k)].directory", reason: "sample \(s.id) has no AQS directory")
        }
        histories.append(try ShearHistory.read(directory: AQSCurve.directory(of: s, databasePath: database), sample: s.id))
    }
    let settings = SEEMSettings(strainStep: strainStep, maxStrain: maxStrain ?? histories.map { $0.strain.last! }.min()!,
                                mode: mode, start: start, runsPerSample: runs, seed: seed,
                                outputStrainStep: outputStrainStep, steadyStateFrom: steadyStateFrom,
                                elasticity: elasticity, fallback: fallback, crossValidationFolds: crossValidationFolds)
    var figure4: Int?
    if let fig4Sample {
        guard let k = db.samples.firstIndex(where: { $0.id == fig4Sample }) else {
            throw InputError(path: "--fig4-sample", reason: "no sample '\(fig4Sample)' in \(database)")
        }
        figure4 = k
    }
    try checkOutputDirectory(output)
    let runner = try SEEMEnsembleRunner(database: db, settings: settings, path: database)
    var crossValidation: SEEMCrossValidation?
    if crossValidationFolds > 0 {
        guard db.variables == ["tau", "X1"] else {
            throw InputError(path: database, keyPath: "state_variables", reason: "cross-validation rebuilds (tau, X1) databases (got \(db.variables))")
        }
        let states = histories.map { StateSpaceDatabase.states(of: $0, parameters: db.parameters) }
        crossValidation = try SEEMCrossValidation(database: db, states: states, settings: settings, path: database)
    }
    let seemStart = MonotonicClock.seconds()
    var result = runner.run(threads: threads)
    // Cross-validation: every sample's held-out ensemble after the full database's ones.
    if let crossValidation { result.samples += crossValidation.run(threads: threads) }
    let seemSeconds = MonotonicClock.seconds() - seemStart
    let curves = result.samples.map { e in
        AQSCurve(history: histories[e.sampleIndex], parameters: db.parameters, outputStrain: result.outputStrain,
                 sampleIndex: e.sampleIndex, stressChanges: AQSCurve.stressChanges(sample: e.sampleIndex, database: db))
    }
    let comparison = SEEMComparison(result: result, curves: curves, steadyStateFrom: settings.steadyStateFrom, seed: seed)
    let files = SEEMOutputFiles(database: db, databasePath: databaseName ?? database, settings: settings, model: runner.model,
                                result: result, comparison: comparison,
                                figure4Sample: figure4.map { k in result.samples.firstIndex { $0.sampleIndex == k && $0.split == "test" } ?? k }
                                    ?? SEEMOutputFiles.defaultFigure4Sample(result),
                                crossValidation: crossValidation)
    try files.write(to: output)
    return (result, seemSeconds)
}
