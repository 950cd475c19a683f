import AQS
import Minimization
import Dispatch
import EAM
import Foundation
import MDCore
import Quench

/// Runs a study from its config, unit by unit: the parent melt, then every sample (quench + inherent
/// structure, then AQS), then the large system if the config has one, then harvest, SEEM and the report. Finished units (same key) are skipped,
/// partial ones resume from their checkpoints, invalidated ones are recomputed (see `UnitStore`).
/// Samples run `jobs` at a time in this process; results do not depend on `jobs` or threads.
package final class StudyRunner: @unchecked Sendable {
    /// What part of the study this process does (Slurm splits it into three jobs).
    package enum Scope: Equatable {
        case all
        case parent
        /// Sample units i with i % count == task.
        case samples(task: Int, count: Int)
        /// The large system's melt, quench and AQS (section `large_system`).
        case large
        /// Harvest, SEEM, report (all samples must be done, and the large system when the study has one).
        case study
    }

    /// A sample of the study: its cooling rate and index.
    package struct Sample: Sendable {
        var rate: Double
        var index: Int
        var quenchUnit: String { StudyLayout.quenchUnit(rate: rate, sample: index) }
        var shearUnit: String { StudyLayout.shearUnit(rate: rate, sample: index) }
    }

    /// The run stopped on a signal; checkpoints are written.
    package typealias Interrupted = UnitStore.Interrupted

    let config: StudyConfig
    let configPath: String
    let layout: StudyLayout
    package let store: UnitStore
    let board: ProgressBoard
    let jobs: Int
    let potentialSHA: String
    let configSHA: String
    package let samples: [Sample]
    /// Keys of every unit, computed once.
    let parentKey: String
    let quenchKeys: [String]
    let shearKeys: [String]
    /// The large system's units (nil without a `large_system` section).
    let large: LargeUnits?
    let harvestKey: String
    let seemKey: String
    let reportKey: String
    /// Units whose outputs this process has hashed and found as recorded.
    let verified = VerifiedUnits()

    package init(config: StudyConfig, configPath: String, workdir: String, jobs: Int?, board: ProgressBoard?) throws(InputError) {
        self.config = config
        self.configPath = configPath
        layout = StudyLayout(root: workdir)
        store = UnitStore(layout: layout)
        self.jobs = max(1, jobs ?? config.execution.effectiveJobs(cores: ProcessInfo.processInfo.activeProcessorCount))
        potentialSHA = SHA256.hex(try readBinaryFile(config.potential.file))
        // What determines the results: everything but where they go and how fast they are made.
        configSHA = SHA256.hex(config.sectionKey(
            ["study.name", "study.seed", "potential", "system", "quench", "inherent_structure", "aqs", "harvest", "seem"],
            excluding: ["potential.file"]).formatted())
        var list: [Sample] = []
        for r in config.quench.ratesKPerS {
            for k in 0..<config.quench.samplesPerRate { list.append(Sample(rate: r, index: k)) }
        }
        samples = list
        self.board = board ?? ProgressBoard(tty: false, logPath: nil)

        // Keys: each names exactly what determines the unit's result, upstream keys included.
        parentKey = UnitKey.hex(kind: "quench.parent", upstream: [("potential_sha256", potentialSHA)], config: config.unitKey(.parent))
        var qk: [String] = [], sk: [String] = []
        for sample in list {
            let q = UnitKey.hex(kind: "quench.sample", upstream: [("parent", parentKey)], config: config.unitKey(.sample),
                                extra: [("rate_K_per_s", roundTrip(sample.rate)), ("sample", String(sample.index))])
            qk.append(q)
            sk.append(UnitKey.hex(kind: "shear", upstream: [("quench", q)], config: config.unitKey(.shear)))
        }
        quenchKeys = qk
        shearKeys = sk
        let sha = potentialSHA
        let largeUnits = config.largeSystem.map { LargeUnits(config: config, potentialSHA: sha, system: $0) }
        large = largeUnits
        // The large curve enters the harvest whenever the study has one: as the data of the elastic fit
        // with `elastic_fit.data: large_system`, and otherwise as one of the routes parameters.json compares.
        harvestKey = UnitKey.hex(kind: "harvest", upstream: sk.map { ("shear", $0) } + (largeUnits.map { [("loading_curve", $0.shearKey)] } ?? []),
                                 config: config.unitKey(.harvest))
        seemKey = UnitKey.hex(kind: "seem", upstream: [("harvest", harvestKey)], config: config.unitKey(.seem))
        reportKey = UnitKey.hex(kind: "report", upstream: [("harvest", harvestKey), ("seem", seemKey)], config: config.unitKey(.report))
    }

    // MARK: Units

    /// Every unit in dependency order with its stage name and key.
    package var units: [(stage: String, unit: String, key: String)] {
        var out: [(String, String, String)] = [("quench", StudyLayout.parentUnit, parentKey)]
        for (i, s) in samples.enumerated() { out.append(("quench", s.quenchUnit, quenchKeys[i])) }
        for (i, s) in samples.enumerated() { out.append(("shear", s.shearUnit, shearKeys[i])) }
        if let large { out += large.units.map { ("large", $0.unit, $0.key) } }
        out.append(("harvest", StudyLayout.harvestUnit, harvestKey))
        out.append(("seem", StudyLayout.seemUnit, seemKey))
        out.append(("report", StudyLayout.reportUnit, reportKey))
        return out
    }

    /// Provenance recorded with every unit's outputs.
    func provenance(_ key: String, seeds: [(String, JSONValue)] = []) -> JSONValue {
        .object([("unit_key", .string(key)), ("config_sha256", .string(configSHA)),
                 ("potential_sha256", .string(potentialSHA)),
                 ("seed", .string("\(config.seed)")), ("version", .string(SeemVersion.current))] + seeds)
    }

    // MARK: Running

    package func run(_ scope: Scope) throws {
        try makeDirectories(layout.root)
        try makeDirectories(layout.timings)
        sweepStaleTemporaryFiles()
        try writeNormalizedConfig()
        let mine = samples.indices.filter { i in
            if case .samples(let task, let count) = scope { return i % count == task }
            return true
        }
        let largeStage = large.map { [("large", $0.units.count)] } ?? []
        switch scope {
        case .all:
            board.setStages([("quench", 1 + samples.count), ("shear", samples.count)] + largeStage
                            + [("harvest", 1), ("seem", 1), ("report", 1)])
        case .parent:
            board.setStages([("quench", 1)])
        case .samples:
            board.setStages([("quench", mine.count), ("shear", mine.count)])
        case .large:
            board.setStages(largeStage)
        case .study:
            board.setStages([("harvest", 1), ("seem", 1), ("report", 1)])
        }
        if scope == .all || scope == .parent || isSamples(scope) {
            let branch = try runParent(countsOnBoard: scope != .study && !isSamples(scope))
            if scope == .parent { return }
            try runSamples(mine, branch: branch)
            if isSamples(scope) { return }
        }
        if scope == .all || scope == .large {
            try runLargeSystem()
            if scope == .large { return }
        }
        try runStudyStages()
    }

    private func isSamples(_ scope: Scope) -> Bool {
        if case .samples = scope { return true }
        return false
    }

    package func writeNormalizedConfig() throws(InputError) {
        try makeDirectories(layout.root)
        let text = config.normalized().formatted() + "\n"
        if (try? readWholeFile(layout.configPath)) != text { try AtomicFile.write(text, to: layout.configPath) }
    }

    /// The study's quench protocol for a glass quenched at `rate`: a sample's by default, or one of
    /// another size (`atoms` in a cube of edge `boxA`) with its own `seed` and `threads`.
    func quenchJob(rate: Double, atoms: Int? = nil, boxA: Double? = nil, seed: UInt64? = nil, threads: Int? = nil) -> QuenchJob {
        let c = config
        let s = c.quench.schedule
        let composition = zip(c.potential.elements, c.system.composition).map { "\($0):\(roundTrip($1))" }.joined(separator: ",")
        var job = QuenchJob(atoms: atoms ?? c.system.atoms, box: boxA ?? c.system.boxA, composition: composition, potential: c.potential.file,
                            elements: c.potential.elements.joined(separator: ","), structure: nil,
                            meltTemperature: s.meltTemperature, meltPs: s.meltPs, branchTemperature: s.branchTemperature,
                            branchRate: s.branchRate, relaxPs: s.relaxPs, finalTemperature: s.finalTemperature, rate: rate,
                            timestep: s.timestep, tdamp: s.damping, chain: s.chainLength,
                            ftol: c.inherentStructure.forceTolerance, norm: c.inherentStructure.norm.rawValue,
                            samples: c.quench.samplesPerRate, seed: seed ?? c.seed, thermoEvery: c.quench.thermoEvery,
                            checkpointEvery: c.quench.checkpointEvery, threads: threads ?? c.execution.threadsPerJob,
                            skin: c.system.skinA, output: layout.root)
        job.minimizer = c.inherentStructure
        job.pairStyle = c.potential.pairStyle.rawValue
        let board = self.board
        job.warn = { board.log($0) }
        return job
    }

    /// The parent melt (once); returns the branch positions every sample starts from.
    func runParent(countsOnBoard: Bool) throws -> [SIMD3<Double>] {
        try runParentUnit(StudyLayout.parentUnit, key: parentKey, stage: "quench",
                          job: quenchJob(rate: config.quench.ratesKPerS[0]), countsOnBoard: countsOnBoard)
    }

    /// A parent unit: `job`'s melt, cooled to the branch temperature; returns its branch positions.
    func runParentUnit(_ unit: String, key parentKey: String, stage: String, job: QuenchJob,
                       countsOnBoard: Bool) throws -> [SIMD3<Double>] {
        let plan = try job.makePlan()
        if !isDone(unit, key: parentKey) {
            if let lock = try store.begin(unit, key: parentKey, waiting: board.log) {
                board.started(stage, unit)
                let sink = BoardSegmentSink(board: board, unit: unit)
                do {
                    _ = try job.runParent(plan, dir: layout.path(unit), timingsPath: timingsPath(unit), progress: sink)
                } catch {
                    board.stopped(unit)
                    throw translate(error, unit: unit)
                }
                try store.complete(unit, key: parentKey, kind: "quench.parent",
                                   outputs: ["branch.data", "thermo.csv", "summary.json"],
                                   provenance: provenance(parentKey), lock: lock)
                board.finished(stage, unit)
            } else if countsOnBoard { board.skipped(stage) }
        } else if countsOnBoard { board.skipped(stage) }
        let branchPath = layout.path(unit) + "/branch.data"
        return job.unwrapped(try LAMMPSDataFile.read(path: branchPath))
    }

    func timingsPath(_ unit: String) -> String { layout.timings + "/" + StudyLayout.flatName(unit) + ".json" }

    /// Runs the given samples (quench + IS, then shear) on `jobs` workers.
    private func runSamples(_ indices: [Int], branch: [SIMD3<Double>]) throws {
        let queue = WorkQueue(indices)
        let failures = FailureBox()
        let workers = min(jobs, max(1, indices.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while failures.first == nil, let i = queue.next() {
                do {
                    try runSample(i, branch: branch)
                } catch {
                    failures.record(error)
                }
            }
        }
        if let error = failures.first { throw error }
    }

    func runSample(_ i: Int, branch: [SIMD3<Double>]) throws {
        let sample = samples[i]
        try runQuenchUnit(sample.quenchUnit, key: quenchKeys[i], stage: "quench", job: quenchJob(rate: sample.rate),
                          sample: sample.index, branch: branch, stream: "rate \(roundTrip(sample.rate)), sample \(sample.index)")
        try runShearUnit(sample.shearUnit, key: shearKeys[i], stage: "shear", glass: sample.quenchUnit, rate: sample.rate,
                         settings: config.aqs.shear, threads: config.execution.threadsPerJob)
    }

    /// A quench unit: sample `index` of `job` from the branch positions, quenched and minimized to its
    /// inherent structure. `stream` names its random stream in the provenance.
    func runQuenchUnit(_ qUnit: String, key qKey: String, stage: String, job: QuenchJob, sample index: Int,
                       branch: [SIMD3<Double>], stream: String) throws {
        if SignalFlag.received != 0 { throw Interrupted() }
        if isDone(qUnit, key: qKey) {
            board.skipped(stage)
        } else if let lock = try store.begin(qUnit, key: qKey, waiting: board.log) {
            board.started(stage, qUnit)
            stallForTests(qUnit)
            do {
                let plan = try job.makePlan()
                try job.runSample(index, plan: plan, branch: branch, dir: layout.path(qUnit),
                                  timingsPath: timingsPath(qUnit), progress: BoardSegmentSink(board: board, unit: qUnit))
            } catch {
                board.stopped(qUnit)
                throw translate(error, unit: qUnit)
            }
            try store.complete(qUnit, key: qKey, kind: "quench.sample",
                               outputs: ["glass.data", "inherent.data", "thermo.csv", "summary.json"],
                               provenance: provenance(qKey, seeds: [("sample_stream", .string(stream))]),
                               lock: lock)
            board.finished(stage, qUnit)
        } else {
            board.skipped(stage)
        }
    }

    /// A shear unit: AQS of the inherent structure of quench unit `glass` with `settings`.
    func runShearUnit(_ sUnit: String, key sKey: String, stage: String, glass qUnit: String, rate: Double,
                      settings: ShearSettings, threads: Int) throws {
        if SignalFlag.received != 0 { throw Interrupted() }
        if isDone(sUnit, key: sKey) { board.skipped(stage); return }
        guard let lock = try store.begin(sUnit, key: sKey, waiting: board.log) else { board.skipped(stage); return }
        board.started(stage, sUnit)
        stallForTests(sUnit)
        let quenchSummary = try JSONValue.read(path: layout.path(qUnit) + "/summary.json")
        let run = try SystemSetup.shearRun(
            structure: layout.path(qUnit) + "/inherent.data", potential: config.potential.file,
            elements: config.potential.elements.joined(separator: ","), pairStyle: config.potential.pairStyle.rawValue,
            settings: settings, coolingRate: rate, isEnergy: quenchSummary["is_energy_per_atom_eV"]?.double,
            skin: config.system.skinA,
            threads: threads, directory: layout.path(sUnit),
            options: .init(checkpointEvery: config.aqs.checkpointEvery, timingsPath: timingsPath(sUnit)))
        let outcome: ShearRun<EAMForceField>.Outcome
        do {
            outcome = try run.run(observer: { p in
                let rate = p.secondsThisSession > 0 ? Double(p.stepsThisSession) / p.secondsThisSession : 0
                let eta = rate > 0 ? Double(p.stepCount - p.record.step) / rate : .nan
                self.board.update(sUnit, "step \(p.record.step)/\(p.stepCount), γ \(shortNumber(p.record.strain)), τ \(shortNumber(p.record.stress.xy)) GPa, \(Int(rate)) steps/s, ETA \(ProgressBoard.duration(eta))")
                return SignalFlag.received == 0
            }, warning: { self.board.log($0) })
        } catch {
            board.stopped(sUnit)
            throw translate(error, unit: sUnit)
        }
        if case .interrupted = outcome { board.stopped(sUnit); throw Interrupted() }
        try store.complete(sUnit, key: sKey, kind: "shear", outputs: ["history.csv", "summary.json"],
                           provenance: provenance(sKey), lock: lock)
        board.finished(stage, sUnit)
    }

    /// Maps a stage's stop reasons onto the run's errors: a signal stops the run; an MD blow-up or a
    /// non-finite shear state is a computation failure of `unit` (exit 1), named with its step and a hint.
    func translate(_ error: Error, unit: String) -> Error {
        if case SegmentRunStop.interrupted = error { return Interrupted() }
        if case SegmentRunStop.blowUp(let step, let reason) = error {
            return InputError.computation(path: layout.path(unit),
                reason: "MD step \(step): the integration blew up (\(reason)); hint: lower quench.timestep_ps in \(configPath) (the last good checkpoint is kept)")
        }
        if let failure = error as? ShearRunFailure {
            return InputError.computation(path: layout.path(unit),
                reason: "\(failure.description); hint: check the potential and the quench's inherent structure, or lower aqs.strain_step")
        }
        return error
    }

    // MARK: Harvest, SEEM, report

    private func runStudyStages() throws {
        // The harvest reads every sample's history (and the large system's curve): verified first. A
        // corrupt one is recomputed here, from its glass (itself verified first).
        var missing: [String] = []
        var corrupt: [Int] = []
        for (i, s) in samples.enumerated() {
            let glass = isDone(s.quenchUnit, key: quenchKeys[i])  // its inherent structure enters the quality gate
            if glass && isDone(s.shearUnit, key: shearKeys[i]) { continue }
            if verified.wasForgotten(s.quenchUnit) || verified.wasForgotten(s.shearUnit) {
                corrupt.append(i)
            } else {
                missing.append(glass ? s.shearUnit : s.quenchUnit)
            }
        }
        guard missing.isEmpty else {
            throw InputError(path: layout.root, reason: "\(missing.count) of \(samples.count) samples are not finished (first: \(layout.path(missing[0]))); run the sample stages first")
        }
        if !corrupt.isEmpty {
            let branch = try runParent(countsOnBoard: false)
            for i in corrupt { try runSample(i, branch: branch) }
        }
        if let large, !isDone(large.shearUnit, key: large.shearKey) {
            if verified.wasForgotten(large.shearUnit) {
                try runLargeSystem()
            } else {
                throw InputError(path: layout.root, reason: "the large system is not finished (\(layout.path(large.shearUnit))); run `--only large` first")
            }
        }
        try runStage("harvest", StudyLayout.harvestUnit, harvestKey) { dir in try self.harvest(into: dir) }
        if SignalFlag.received != 0 { throw Interrupted() }
        try runStage("seem", StudyLayout.seemUnit, seemKey) { dir in try self.seem(into: dir) }
        if SignalFlag.received != 0 { throw Interrupted() }
        try runStage("report", StudyLayout.reportUnit, reportKey) { dir in try self.report(into: dir) }
        try writeManifest()
    }

    /// Runs a single-unit stage whose outputs are every file it writes into its directory.
    private func runStage(_ stage: String, _ unit: String, _ key: String, body: (String) throws -> Void) throws {
        if isDone(unit, key: key) { board.skipped(stage); return }
        guard let lock = try store.begin(unit, key: key, waiting: board.log) else { board.skipped(stage); return }
        board.started(stage, unit)
        stallForTests(unit)
        let dir = layout.path(unit)
        let t0 = MonotonicClock.seconds()
        do {
            try body(dir)
        } catch {
            board.stopped(unit)
            throw error
        }
        try AtomicFile.write(JSONText.object([("wall_seconds", JSONText.number(MonotonicClock.seconds() - t0))]) + "\n",
                             to: timingsPath(unit))
        store.sweepTemporaryFiles(dir)
        let files = filesBelow(dir).filter { $0 != UnitStore.recordName && $0 != UnitStore.pendingName }
        try store.complete(unit, key: key, kind: stage, outputs: files, provenance: provenance(key), lock: lock)
        board.finished(stage, unit)
    }

    /// Relative paths of the regular files below `dir`, sorted.
    private func filesBelow(_ dir: String, prefix: String = "") -> [String] {
        var out: [String] = []
        for name in directoryEntries(dir) {
            let path = dir + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFDIR { out += filesBelow(path, prefix: prefix + name + "/") } else { out.append(prefix + name) }
        }
        return out
    }

    /// manifest.json: every unit with its key, state and outputs (deterministic).
    func writeManifest() throws(InputError) {
        var list: [JSONValue] = []
        for u in units {
            let state = store.state(u.unit, key: u.key)
            list.append(.object([
                ("unit", .string(u.unit)), ("stage", .string(u.stage)), ("key", .string(u.key)),
                ("state", .string(state.rawValue)),
                ("outputs", .array(store.outputs(u.unit).map {
                    .object([("file", .string($0.file)), ("bytes", .number($0.bytes)), ("sha256", .string($0.sha256))])
                })),
            ]))
        }
        let manifest: JSONValue = .object([
            ("format", .string("seem-manifest/1")), ("study", .string(config.name)),
            ("config_sha256", .string(configSHA)), ("potential_sha256", .string(potentialSHA)),
            ("version", .string(SeemVersion.current)), ("units", .array(list)),
        ])
        let text = manifest.formatted() + "\n"
        if (try? readWholeFile(layout.manifestPath)) != text { try AtomicFile.write(text, to: layout.manifestPath) }
    }
}

/// Test hook: when the environment variable SEEM_STALL_AT names `unit`, waits 60 s after the unit
/// started, so that an interruption test can kill the process at a known point.
func stallForTests(_ unit: String) {
    guard let v = getenv("SEEM_STALL_AT"), String(cString: v) == unit else { return }
    sleep(60)
}

/// A fixed list of work handed out one item at a time to concurrent workers.
package final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Int]
    private var next_ = 0
    init(_ items: [Int]) { self.items = items }
    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next_ < items.count else { return nil }
        next_ += 1
        return items[next_ - 1]
    }
}

/// The first error of concurrent workers.
package final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: Error?
    var first: Error? { lock.lock(); defer { lock.unlock() }; return error }
    func record(_ e: Error) { lock.lock(); defer { lock.unlock() }; if error == nil { error = e } }
}

/// A number with 4 significant digits for progress lines.
func shortNumber(_ x: Double) -> String {
    guard x.isFinite else { return "–" }
    var buf = [CChar](repeating: 0, count: 32)
    _ = withVaList([x]) { vsnprintf(&buf, 32, "%.4g", $0) }
    return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
