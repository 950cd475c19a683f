#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MDCore
import Minimization

/// A simple-shear run in an output directory, resumable bit for bit:
///
///     DIR/history.csv      one `ShearRecord` row per step (row 0 = minimized start), appended as it goes
///     DIR/summary.json     atoms, volume, settings, inputs, totals, wall time (written at the end)
///     DIR/checkpoint.bin   `CheckpointFile` of kind "aqs.shear" while the run is unfinished
///     DIR/snapshots/       optional LAMMPS data files of every K-th inherent structure
///
/// A checkpoint holds the `ShearState`, the length and FNV-1a hash of `history.csv` at that step and
/// the wall time so far. Running again with the same settings and inputs resumes from it: the
/// history is cut back to that length and continued, so it ends byte-identical to an uninterrupted
/// run (for any thread count, since the force field's results do not depend on it). A checkpoint
/// from different settings or inputs is refused (`InputError`); a damaged one (bad checksum,
/// truncated) or one whose history no longer matches is reported through `warning` and the run
/// starts again from the input structure. A finished run (summary with the same key, intact
/// history) is not recomputed.
public final class ShearRun<F: ForceField> {
    /// What the run depends on besides the settings.
    public struct Inputs: Sendable {
        /// Starting structure (ids, types and masses are used for snapshots).
        public var structure: Structure
        /// FNV-1a 64 of the structure file and of the potential file.
        public var structureHash: UInt64
        public var potentialHash: UInt64
        /// Further `name=value` pairs that determine the result (e.g. the element mapping) or label
        /// it (e.g. the cooling rate); they enter the key and the summary's `inputs`.
        public var labels: [(String, String)]

        public init(structure: Structure, structureHash: UInt64, potentialHash: UInt64, labels: [(String, String)] = []) {
            self.structure = structure; self.structureHash = structureHash
            self.potentialHash = potentialHash; self.labels = labels
        }
    }

    /// Output options that do not change the result.
    public struct Options: Sendable {
        /// Write a checkpoint every this many steps (≥ 1).
        public var checkpointEvery: Int
        /// Write a snapshot every this many steps (0 = none).
        public var snapshotEvery: Int
        /// When set, wall time and speed go to this JSON file instead of summary.json, so that the
        /// result files of a study are byte-identical however the run was interrupted and resumed.
        public var timingsPath: String?
        public init(checkpointEvery: Int = 100, snapshotEvery: Int = 0, timingsPath: String? = nil) {
            self.checkpointEvery = checkpointEvery; self.snapshotEvery = snapshotEvery; self.timingsPath = timingsPath
        }
    }

    /// Reported after every step.
    public struct Progress: Sendable {
        public var record: ShearRecord
        public var stepCount: Int
        public var totals: ShearTotals
        public var kind: SimpleShear<F>.StepKind
        /// The minimizations of this step (a rejected prediction first).
        public var reports: [MinimizationReport]
        /// Steps computed and wall seconds spent in this process (not counting resumed ones).
        public var stepsThisSession: Int
        public var secondsThisSession: Double
    }

    /// How `run` ended.
    public enum Outcome: Sendable {
        /// All steps done; the summary's JSON text.
        case completed(summary: String)
        /// Stopped by the observer after `step`; a checkpoint was written.
        case interrupted(step: Int)
        /// The directory already held this run, finished.
        case alreadyComplete
    }

    /// Numerical trouble during the run (not bad input).
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public let directory: String
    public let settings: ShearSettings
    public let inputs: Inputs
    public let options: Options
    public let field: F
    /// Hash of `settingsText`: what a checkpoint must match.
    public let key: UInt64
    /// `name=value` lines of everything that determines the result.
    public let settingsText: String

    public var historyPath: String { directory + "/history.csv" }
    public var summaryPath: String { directory + "/summary.json" }
    public var checkpointPath: String { directory + "/checkpoint.bin" }
    public var snapshotDirectory: String { directory + "/snapshots" }

    public static var checkpointKind: String { "aqs.shear" }

    public init(directory: String, field: F, settings: ShearSettings, inputs: Inputs, options: Options = Options()) {
        self.directory = directory
        self.field = field
        self.settings = settings
        self.inputs = inputs
        self.options = options
        let lines = ["format=seem-aqs-shear-1"] + settings.settingsLines
            + ["atoms=\(inputs.structure.count)",
               "structure_fnv1a64=\(FNV1a64.hex(inputs.structureHash))",
               "potential_fnv1a64=\(FNV1a64.hex(inputs.potentialHash))"]
            + inputs.labels.map { "\($0.0)=\($0.1)" }
        settingsText = lines.joined(separator: "\n")
        key = FNV1a64.hash(settingsText.utf8)
    }

    /// Runs (or resumes) to the last step. `observer` sees every step and returns false to stop
    /// (a checkpoint is written first); `warning` receives one-line messages about damaged
    /// checkpoints and minimizations that stopped for a reason other than a tolerance.
    public func run(observer: (Progress) -> Bool, warning: (String) -> Void) throws -> Outcome {
        try prepareDirectory()
        var resumed: (shear: SimpleShear<F>, history: AppendingFile, wall: Double)?
        switch try CheckpointFile.read(path: checkpointPath) {
        case .missing:
            if try finishedRunIsPresent() { return .alreadyComplete }
        case .damaged(let damage):
            warning("\(checkpointPath): warning: \(damage); starting again from the input structure")
        case .valid(let checkpoint):
            resumed = try resume(from: checkpoint, warning: warning)
        }

        let sessionStart = MonotonicClock.seconds()
        var wallBefore = 0.0
        let shear: SimpleShear<F>
        let history: AppendingFile
        if let r = resumed {
            (shear, history, wallBefore) = (r.shear, r.history, r.wall)
        } else {
            unlink(summaryPath)
            shear = SimpleShear(field: field, box: inputs.structure.box, positions: inputs.structure.positions,
                                settings: settings)
            history = try AppendingFile(creating: historyPath)
            try history.append(ShearRecord.csvHeader + "\n")
            let record = shear.start()
            try check(record, warning: warning)
            try history.append(record.csvLine + "\n")
            try history.flush()
            if options.snapshotEvery > 0 { try writeSnapshot(shear, step: 0) }
            if !observer(progress(shear, record, sessionStart, steps: 0)) {
                try writeCheckpoint(shear, history, wall: wallBefore + MonotonicClock.seconds() - sessionStart)
                return .interrupted(step: 0)
            }
        }

        var stepsThisSession = 0
        while !shear.isFinished {
            let record = shear.advance()
            stepsThisSession += 1
            try check(record, warning: warning)
            try history.append(record.csvLine + "\n")
            try history.flush()
            let n = record.step
            if options.snapshotEvery > 0 && n % options.snapshotEvery == 0 { try writeSnapshot(shear, step: n) }
            let wall = wallBefore + MonotonicClock.seconds() - sessionStart
            if !shear.isFinished && n % options.checkpointEvery == 0 {
                try writeCheckpoint(shear, history, wall: wall)
            }
            if !observer(progress(shear, record, sessionStart, steps: stepsThisSession)) && !shear.isFinished {
                try writeCheckpoint(shear, history, wall: wall)
                return .interrupted(step: n)
            }
        }
        try history.flush(durable: true)
        let wall = wallBefore + MonotonicClock.seconds() - sessionStart
        let summary = summaryJSON(shear, historyHash: history.hash.value, wall: wall)
        if let timingsPath = options.timingsPath {
            let steps = shear.state!.step
            try AtomicFile.write(JSONText.object([
                ("wall_seconds", JSONText.number(wall)),
                ("steps_per_second", JSONText.number(wall > 0 ? Double(steps) / wall : 0)),
            ]) + "\n", to: timingsPath)
        }
        try AtomicFile.write(summary + "\n", to: summaryPath)
        unlink(checkpointPath)
        return .completed(summary: summary)
    }

    // MARK: - Pieces

    private func progress(_ shear: SimpleShear<F>, _ record: ShearRecord, _ start: Double, steps: Int) -> Progress {
        Progress(record: record, stepCount: settings.stepCount, totals: shear.state!.totals, kind: shear.lastStepKind, reports: shear.lastReports,
                 stepsThisSession: steps, secondsThisSession: MonotonicClock.seconds() - start)
    }

    private func check(_ record: ShearRecord, warning: (String) -> Void) throws {
        guard record.energy.isFinite, record.stress.components.allSatisfy(\.isFinite) else {
            throw Failure(description: "\(directory): step \(record.step): energy or stress is not finite; stopped (the last checkpoint is kept)")
        }
        if !record.stopReason.isConverged {
            warning("\(historyPath): step \(record.step): warning: minimization stopped on '\(record.stopReason.lammpsText)' (fnorm \(roundTrip(record.fnorm)) eV/Å, \(record.iterations) iterations, \(record.forceEvaluations) force evaluations)")
        }
    }

    /// Creates the directory and checks that it is writable.
    private func prepareDirectory() throws(InputError) {
        var st = stat()
        if stat(directory, &st) != 0 {
            guard mkdir(directory, 0o755) == 0 else {
                throw InputError(path: directory, reason: "cannot create output directory (\(String(cString: strerror(errno))))")
            }
        } else if (st.st_mode & S_IFMT) != S_IFDIR {
            throw InputError(path: directory, reason: "output path exists and is not a directory")
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            throw InputError(path: directory, reason: "output directory is not writable")
        }
    }

    /// True when `summary.json` records this key and `history.csv` still has the recorded hash;
    /// throws when it records a different key.
    private func finishedRunIsPresent() throws -> Bool {
        guard access(summaryPath, F_OK) == 0, let text = try? readWholeFile(summaryPath) else { return false }
        guard let storedKey = Self.jsonStringValue(text, "settings_key") else { return false }
        guard storedKey == FNV1a64.hex(key) else {
            throw InputError(path: summaryPath, reason: "the output directory holds a finished run with different settings or inputs (key \(storedKey), now \(FNV1a64.hex(key))); use another output directory or remove it")
        }
        guard let storedHash = Self.jsonStringValue(text, "history_fnv1a64"),
              let bytes = try? readBinaryFile(historyPath) else { return false }
        return FNV1a64.hex(FNV1a64.hash(bytes)) == storedHash
    }

    private func resume(from c: CheckpointFile, warning: (String) -> Void) throws -> (shear: SimpleShear<F>, history: AppendingFile, wall: Double)? {
        guard c.kind == Self.checkpointKind else {
            throw InputError(path: checkpointPath, reason: "holds a '\(c.kind)' checkpoint, not a shear run; use another output directory")
        }
        guard c.key == key else {
            let diff = CheckpointFile.settingsDifferences(checkpoint: c.settings, now: settingsText)
            throw InputError(path: checkpointPath, reason: "checkpoint is from a run with different settings or inputs (\(diff.isEmpty ? "key differs" : diff.joined(separator: "; "))); use another output directory or remove the checkpoint")
        }
        var r = BinaryReader(c.payload)
        let state: ShearState
        let length: Int, hash: UInt64, wall: Double
        do {
            length = try r.readInt()
            hash = try r.readUInt64()
            wall = try r.readDouble()
            state = try ShearState(decoding: try r.readBytes())
            guard r.isAtEnd, state.positions.count == inputs.structure.count, state.step <= settings.stepCount,
                  !state.recentRecords.isEmpty, length > 0 else { throw BinaryReader.Truncated() }
        } catch {
            warning("\(checkpointPath): warning: checkpoint contents are malformed; starting again from the input structure")
            return nil
        }
        guard let history = try AppendingFile.resuming(historyPath, length: length, expectedHash: hash) else {
            warning("\(historyPath): warning: history does not match the checkpoint; starting again from the input structure")
            return nil
        }
        let shear = SimpleShear(field: field, box: inputs.structure.box, settings: settings, resuming: state)
        return (shear, history, wall)
    }

    private func writeCheckpoint(_ shear: SimpleShear<F>, _ history: AppendingFile, wall: Double) throws {
        try history.flush(durable: true)
        var w = BinaryWriter()
        w.write(history.length)
        w.write(history.hash.value)
        w.write(wall)
        w.write(bytes: shear.exportState()!.encoded())
        try CheckpointFile(kind: Self.checkpointKind, key: key, settings: settingsText, payload: w.bytes)
            .write(to: checkpointPath)
    }

    private func writeSnapshot(_ shear: SimpleShear<F>, step: Int) throws {
        if access(snapshotDirectory, F_OK) != 0 && mkdir(snapshotDirectory, 0o755) != 0 {
            throw InputError(path: snapshotDirectory, reason: "cannot create (\(String(cString: strerror(errno))))")
        }
        var s = inputs.structure
        s.box = shear.box(at: step)
        s.positions = shear.state!.positions
        s.velocities = nil
        s.images = nil
        let width = max(6, String(settings.stepCount).count)
        let digits = String(step)
        let name = "step-" + String(repeating: "0", count: max(0, width - digits.count)) + digits + ".data"
        try LAMMPSDataFile.write(s, to: snapshotDirectory + "/" + name,
                                 title: "AQS inherent structure, step \(step), strain \(roundTrip(Double(step) * settings.strainStep))")
    }

    private func summaryJSON(_ shear: SimpleShear<F>, historyHash: UInt64, wall: Double) -> String {
        let state = shear.state!
        let t = state.totals
        let steps = state.step
        let last = state.recentRecords[0]
        var settingsMembers: [(String, String)] = [("steps", "\(settings.stepCount)")]
        for line in settings.settingsLines {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            settingsMembers.append((parts[0], JSONText.scalar(parts.count > 1 ? parts[1] : "")))
        }
        let inputMembers: [(String, String)] =
            [("structure_fnv1a64", JSONText.string(FNV1a64.hex(inputs.structureHash))),
             ("potential_fnv1a64", JSONText.string(FNV1a64.hex(inputs.potentialHash)))]
            + inputs.labels.map { ($0.0, JSONText.scalar($0.1)) }
        let stops = zip(StopReason.all, t.stopReasons).map { ($0.0.token, "\($0.1)") }
        let unconverged = zip(StopReason.all, t.stopReasons).filter { !$0.0.isConverged }.reduce(0) { $0 + $1.1 }
        let totals: [(String, String)] = [
            ("steps", "\(steps)"), ("iterations", "\(t.iterations)"), ("force_evaluations", "\(t.forceEvaluations)"),
            ("force_evaluations_start", "\(t.startEvaluations)"),
            ("force_evaluations_per_step", JSONText.number(t.evaluationsPerStep(steps: steps))),
            ("force_evaluations_discarded", "\(t.discardedEvaluations)"),
            ("predicted_steps", "\(t.predictedSteps)"), ("predictor_fallbacks", "\(t.predictorFallbacks)"),
            ("stress_drops", "\(t.stressDrops)"), ("unconverged_minimizations", "\(unconverged)"),
            ("stop_reasons", JSONText.object(stops)),
        ]
        let final: [(String, String)] = [
            ("strain", JSONText.number(last.strain)), ("pe_eV", JSONText.number(last.energy)),
            ("stress_xy_GPa", JSONText.number(last.stress.xy)),
        ]
        return JSONText.object([
            ("atoms", "\(inputs.structure.count)"),
            ("volume_A3", JSONText.number(inputs.structure.box.volume)),
            ("settings", JSONText.object(settingsMembers)),
            ("inputs", JSONText.object(inputMembers)),
            ("totals", JSONText.object(totals)),
            ("final", JSONText.object(final)),
        ] + (options.timingsPath == nil ? [
            ("wall_seconds", JSONText.number(wall)),
            ("steps_per_second", JSONText.number(wall > 0 ? Double(steps) / wall : 0)),
        ] : []) + [
            ("settings_key", JSONText.string(FNV1a64.hex(key))),
            ("history_fnv1a64", JSONText.string(FNV1a64.hex(historyHash))),
        ])
    }

    /// The string value of `"name": "…"` in flat JSON text written by `summaryJSON`.
    static func jsonStringValue(_ text: String, _ name: String) -> String? {
        let needle = Array("\"\(name)\": \"".utf8), bytes = Array(text.utf8)
        guard bytes.count >= needle.count else { return nil }
        for i in 0...(bytes.count - needle.count) where bytes[i..<(i + needle.count)].elementsEqual(needle) {
            let start = i + needle.count
            guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
        return nil
    }
}
