import Harvest
import MDCore

/// k-fold cross-validation of the SEEM over samples: the samples are dealt to k folds per cooling rate
/// (`CrossValidationFolds`, seeded by the SEEM seed), and each sample is run from its own initial state
/// with the database of the *other* folds, so every sample is held out exactly once.
///
/// A fold's database is the full database refilled from the other folds' samples
/// (`StateSpaceDatabase.refilled`): the same grid and the same Table I parameters, fitted once on all
/// samples by the harvest — the folds only change which samples' visits and events fill the bins. The
/// runs use the same streams as any SEEM run of the sample (seed, sample id, run), so the results do not
/// depend on the thread count.
public struct SEEMCrossValidation: Sendable {
    public let folds: Int
    /// The fold of each database sample.
    public let fold: [Int]
    /// Per fold: the runner over its database (nil for a fold without samples, when k exceeds a count).
    public let runners: [SEEMEnsembleRunner?]

    /// Builds the fold databases from `database` (every sample a training sample: it must hold all
    /// samples' events) and `states`, each sample's recorded states (`StateSpaceDatabase.states`).
    /// Throws when a sample was held out of the database, when the states do not give back the
    /// database's own bins (the histories changed since the harvest), or when a fold would leave no
    /// sample to build its database from.
    public init(database: StateSpaceDatabase, states: [[Double]], settings: SEEMSettings,
                path: String = "database") throws(InputError) {
        precondition(states.count == database.samples.count)
        let k = settings.crossValidationFolds
        guard k >= 2 else {
            throw InputError(path: "seem", keyPath: "cross_validation_folds", reason: "must be at least 2 for cross-validation (got \(k))")
        }
        for (i, s) in database.samples.enumerated() where s.split != "train" {
            throw InputError(path: path, keyPath: "samples[\(i)].split",
                             reason: "cross-validation needs every sample's events, but sample \(s.id) was held out of the database (harvest with held_out_fraction 0)")
        }
        let own = database.refilled(training: [Bool](repeating: true, count: states.count), states: states)
        guard own.visits == database.visits, own.eventCounts == database.eventCounts else {
            throw InputError(path: path, keyPath: "bins.visits",
                             reason: "the samples' AQS histories do not give this database's visits and events (did they change after the harvest?)")
        }
        folds = k
        fold = CrossValidationFolds.assign(ids: database.samples.map(\.id), coolingRates: database.samples.map(\.coolingRate),
                                           folds: k, seed: settings.seed)
        var runners: [SEEMEnsembleRunner?] = []
        for f in 0..<k {
            let held = fold.filter { $0 == f }.count
            guard held > 0 else { runners.append(nil); continue }
            guard held < fold.count else {
                throw InputError(path: "seem", keyPath: "cross_validation_folds",
                                 reason: "fold \(f) holds all \(fold.count) samples, leaving none to build its database from: use at most \(fold.count) folds")
            }
            let db = database.refilled(training: fold.map { $0 != f }, states: states)
            runners.append(try SEEMEnsembleRunner(database: db, settings: settings, path: "\(path), cross-validation fold \(f)"))
        }
        self.runners = runners
    }

    /// Runs every sample from its fold's database on `threads` threads: one "test" ensemble per sample,
    /// in database order.
    public func run(threads: Int) -> [SEEMSampleEnsemble] {
        var out = [SEEMSampleEnsemble?](repeating: nil, count: fold.count)
        for (f, runner) in runners.enumerated() {
            guard let runner else { continue }
            let held = fold.indices.filter { fold[$0] == f }
            for e in runner.run(samples: held, threads: threads).samples { out[e.sampleIndex] = e }
        }
        return out.map { $0! }
    }

    /// The folds for metrics.json: each sample's fold, and per fold its database's size.
    public var json: JSONValue {
        let samples = runners.compactMap { $0 }.first?.database.samples ?? []
        return .object([
            ("folds", .number(folds)),
            ("sample_folds", .array(samples.indices.map { i in
                .object([("id", .string(samples[i].id)), ("fold", .number(fold[i]))])
            })),
            ("fold_databases", .array(runners.enumerated().map { f, r in
                guard let r else { return .object([("fold", .number(f)), ("held_out_samples", .number(0))]) }
                return .object([("fold", .number(f)), ("held_out_samples", .number(fold.filter { $0 == f }.count)),
                                ("training_samples", .number(fold.filter { $0 != f }.count)),
                                ("events", .number(r.database.eventCount)), ("unvisited_bins", .number(r.model.unvisitedBins))])
            })),
        ])
    }
}
