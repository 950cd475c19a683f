/// One word of a command line in a generated sbatch script.
package enum ShellWord: Sendable, Equatable {
    /// Passed as it is (quoted with `shellQuote`).
    case literal(String)
    /// A shell variable expanded when the job runs, e.g. `SLURM_ARRAY_TASK_ID` → `"${SLURM_ARRAY_TASK_ID}"`.
    case variable(String)

    /// The word as it appears in the script.
    var rendered: String {
        switch self {
        case .literal(let s): return shellQuote(s)
        case .variable(let name): return "\"${\(name)}\""
        }
    }
}

/// How `pipeline submit` runs a study on Slurm: three sbatch scripts (four with a large system) and
/// the order to submit them.
///
///  1. `parent`: `pipeline run CONFIG --workdir DIR --only parent`
///  2. `large` (only for a study with a `large_system` section): `pipeline run CONFIG --workdir DIR
///     --only large`; it needs nothing of the parent, so it depends on nothing and runs beside it
///  3. `samples`: an array job `--array=0-(N-1)`, `afterok` on parent; task i runs
///     `pipeline run CONFIG --workdir DIR --only samples --array-task i --array-size N`, which does
///     work units i, i+N, i+2N, … (`unitIndices`)
///  4. `study`: `afterok` on samples (and on large): `pipeline run CONFIG --workdir DIR --only study`
///
/// Every job asks to be signalled shortly before its time limit and then requeues itself, to
/// resume from its checkpoints (`SlurmRequeue`); with `signalMargin: 0` the script `exec`s the command
/// and a job that reaches its limit ends as TIMEOUT.
///
/// Everything here is text and argument vectors; nothing is written or run. The caller creates
/// `directoriesToCreate`, writes each job's `script` to its `scriptPath`, and runs
/// `job.sbatchArguments(after: ids)` in the submit directory (the scripts `cd` to
/// `$SLURM_SUBMIT_DIR`) with the ids of the jobs of `job.dependencies`, reading each job id with
/// `SlurmJobID(parsableOutput:)`.
package struct SlurmPlan: Sendable {
    package enum Stage: String, CaseIterable, Sendable {
        case parent, large, samples, study
    }

    package struct Job: Sendable, Equatable {
        package let stage: Stage
        /// The Slurm job name, `<prefix>-<stage>`.
        let name: String
        /// Where the caller should write `script`: `DIR/slurm/<name>.sbatch`.
        package let scriptPath: String
        /// The full sbatch script.
        package let script: String
        /// The command the script runs.
        let command: [ShellWord]
        /// The jobs that must end well before this one starts (`--dependency=afterok:…`), all
        /// submitted before it.
        package let dependencies: [Stage]

        /// The argument vector to submit this job, program name first:
        /// `sbatch --parsable [--dependency=afterok:ID[:ID]] SCRIPT`. `ids` are the ids of the jobs
        /// of `dependencies`, in that order (none for `parent` and `large`).
        package func sbatchArguments(after ids: [SlurmJobID]) throws(SlurmError) -> [String] {
            var args = ["sbatch", "--parsable"]
            guard ids.count == dependencies.count else {
                throw SlurmError(field: "dependency", reason: dependencies.isEmpty
                    ? "the \(stage.rawValue) job depends on nothing"
                    : "the \(stage.rawValue) job needs the ids of the \(dependencies.map(\.rawValue).joined(separator: " and ")) jobs (got \(ids.count))")
            }
            if !ids.isEmpty { args.append("--dependency=afterok:" + ids.map { String($0.id) }.joined(separator: ":")) }
            args.append(scriptPath)
            return args
        }

        /// `sbatchArguments(after:)` for a job with at most one dependency: `previous` is its id.
        func sbatchArguments(after previous: SlurmJobID?) throws(SlurmError) -> [String] {
            try sbatchArguments(after: previous.map { [$0] } ?? [])
        }
    }

    /// Absolute path of the `pipeline` executable the jobs run.
    let executable: String
    /// Absolute path of the study's configuration file.
    let config: String
    /// Absolute work directory of the study.
    let workdir: String
    /// Number of per-sample work units U.
    let unitCount: Int
    /// Number of array tasks N (1 ≤ N ≤ U).
    package let arraySize: Int
    /// The jobs in submission order: parent, large (with a large system), samples, study.
    package let jobs: [Job]
    /// How the jobs are signalled and requeued at their time limit; nil: they are not.
    package let requeue: SlurmRequeue?

    /// `DIR/logs/slurm`: the jobs' stdout/stderr (`%x-%j.out`, array tasks `%x-%A_%a.out`).
    package var logDirectory: String { joinPath(workdir, "logs/slurm") }
    /// `DIR/slurm`: where the sbatch scripts go.
    var scriptDirectory: String { joinPath(workdir, "logs/slurm/scripts") }
    /// Directories that must exist before submitting (Slurm does not create the log directory; a
    /// job whose output file cannot be opened fails without any log).
    package var directoriesToCreate: [String] { [logDirectory, scriptDirectory] }

    /// The array size when none is given: one task per unit, at most 1000 (Slurm's default
    /// `MaxArraySize` is 1001, i.e. indices 0…1000).
    static let defaultMaxArraySize = 1000
    static func defaultArraySize(unitCount: Int) -> Int { max(1, min(unitCount, defaultMaxArraySize)) }

    /// The work units array task `task` runs: task, task + N, task + 2N, … below `unitCount`.
    static func unitIndices(task: Int, arraySize: Int, unitCount: Int) -> [Int] {
        guard arraySize > 0, task >= 0, task < arraySize else { return [] }
        return Array(stride(from: task, to: unitCount, by: arraySize))
    }

    /// Builds the plan, validating every setting.
    /// - Parameters:
    ///   - executable, config, workdir: absolute paths (no newlines; `workdir` also no `\`, which
    ///     turns off Slurm's `%` patterns in log file names).
    ///   - unitCount: per-sample work units U ≥ 1.
    ///   - arraySize: array tasks N, 1…U; default `defaultArraySize(unitCount:)`.
    ///   - partition: `#SBATCH --partition`, omitted when nil.
    ///   - timeLimit: `#SBATCH --time` for every job.
    ///   - signalMargin: seconds before the time limit at which a job checkpoints and requeues itself
    ///     (`SlurmRequeue`; default `SlurmRequeue.defaultMargin(for:)`); 0: never.
    ///   - maxRequeues: requeues after which a job stopped at its limit fails instead.
    ///   - cpusPerTask: `#SBATCH --cpus-per-task`, ≥ 1.
    ///   - jobNamePrefix: job names are `<prefix>-parent|large|samples|study`; letters, digits, `._-`.
    ///   - largeSystem: whether the study has a large system (adds the `large` job).
    ///   - commandOverride: test only; replaces the command each stage runs.
    package init(executable: String, config: String, workdir: String, unitCount: Int, arraySize: Int? = nil,
         partition: String? = nil, timeLimit: SlurmTimeLimit, signalMargin: Int? = nil,
         maxRequeues: Int = SlurmRequeue.defaultMaxRequeues, cpusPerTask: Int = 1,
         jobNamePrefix: String = "seem", largeSystem: Bool = false,
         commandOverride: (@Sendable (Stage) -> [ShellWord])? = nil) throws(SlurmError) {
        try Self.checkPath(executable, field: "executable")
        try Self.checkPath(config, field: "config")
        try Self.checkPath(workdir, field: "workdir")
        guard !workdir.contains("\\") else {
            throw SlurmError(field: "workdir", reason: "'\(workdir)' contains '\\', which Slurm does not allow in log file names")
        }
        guard unitCount >= 1 else {
            throw SlurmError(field: "unitCount", reason: "there must be at least one work unit, got \(unitCount)")
        }
        let n = arraySize ?? Self.defaultArraySize(unitCount: unitCount)
        guard n >= 1, n <= unitCount else {
            throw SlurmError(field: "arraySize", reason: "the array size must be between 1 and the number of work units (\(unitCount)), got \(n)")
        }
        guard cpusPerTask >= 1, cpusPerTask <= 100_000 else {
            throw SlurmError(field: "cpusPerTask", reason: "must be a positive number of CPUs, got \(cpusPerTask)")
        }
        guard !jobNamePrefix.isEmpty, jobNamePrefix.count <= 100,
              jobNamePrefix.unicodeScalars.allSatisfy(Self.isNameCharacter) else {
            throw SlurmError(field: "jobNamePrefix", reason: "'\(jobNamePrefix)' must be 1–100 letters, digits, '.', '_' or '-'")
        }
        if let partition {
            guard !partition.isEmpty,
                  partition.unicodeScalars.allSatisfy({ Self.isNameCharacter($0) || $0 == "," }) else {
                throw SlurmError(field: "partition", reason: "'\(partition)' is not a partition name (letters, digits, '.', '_', '-'; ',' between several)")
            }
        }

        let requeue = signalMargin == 0
            ? nil : try SlurmRequeue(margin: signalMargin, maxRequeues: maxRequeues, timeLimit: timeLimit)

        self.executable = executable
        self.config = config
        self.workdir = workdir
        self.unitCount = unitCount
        self.arraySize = n

        let logs = joinPath(workdir, "logs/slurm")
        let scripts = joinPath(workdir, "logs/slurm/scripts")
        // '%' is a pattern character in Slurm file names: a literal one is written '%%'.
        let logPrefix = logs.replacingPercent + "/"
        var built: [Job] = []
        for stage in Stage.allCases where stage != .large || largeSystem {
            let dependencies: [Stage]
            switch stage {
            case .parent, .large: dependencies = []
            case .samples: dependencies = [.parent]
            case .study: dependencies = largeSystem ? [.samples, .large] : [.samples]
            }
            let name = "\(jobNamePrefix)-\(stage.rawValue)"
            let command = commandOverride?(stage)
                ?? Self.pipelineCommand(stage, executable: executable, config: config, workdir: workdir, arraySize: n)
            var directives = ["--job-name=\(name)"]
            let logFile = logPrefix + (stage == .samples ? "%x-%A_%a.out" : "%x-%j.out")
            directives.append("--output=" + sbatchDirectiveQuote(logFile))
            directives.append("--error=" + sbatchDirectiveQuote(logFile))
            directives.append("--open-mode=append")
            if stage == .samples { directives.append("--array=0-\(n - 1)") }
            directives.append("--requeue")
            directives.append("--kill-on-invalid-dep=yes")
            directives.append("--cpus-per-task=\(cpusPerTask)")
            directives.append("--time=\(timeLimit.text)")
            if let requeue { directives.append(requeue.directive) }
            if let partition { directives.append("--partition=" + sbatchDirectiveQuote(partition)) }

            var lines = ["#!/bin/bash"]
            lines += directives.map { "#SBATCH " + $0 }
            lines.append("# seem study, stage \(stage.rawValue): generated by `pipeline submit`.")
            if stage == .samples {
                lines.append("# Array task i of \(n) runs work units i, i+\(n), i+\(2 * n), … below \(unitCount).")
            }
            lines.append("set -euo pipefail")
            lines.append("cd -- \"$SLURM_SUBMIT_DIR\"")
            let commandLine = command.map(\.rendered).joined(separator: " ")
            lines += requeue?.scriptLines(running: commandLine, arrayTask: stage == .samples) ?? ["exec " + commandLine]
            built.append(Job(stage: stage, name: name, scriptPath: joinPath(scripts, name + ".sbatch"),
                             script: lines.joined(separator: "\n") + "\n", command: command, dependencies: dependencies))
        }
        self.jobs = built
        self.requeue = requeue
    }

    /// The job for `stage` (`large` only in a plan with a large system).
    func job(_ stage: Stage) -> Job { jobs.first { $0.stage == stage }! }

    /// `pipeline run CONFIG --workdir DIR --only STAGE [--array-task $SLURM_ARRAY_TASK_ID --array-size N]`.
    static func pipelineCommand(_ stage: Stage, executable: String, config: String, workdir: String,
                                arraySize: Int) -> [ShellWord] {
        var words: [ShellWord] = [.literal(executable), .literal("run"), .literal(config),
                                  .literal("--workdir"), .literal(workdir),
                                  .literal("--only"), .literal(stage.rawValue)]
        if stage == .samples {
            words += [.literal("--array-task"), .variable("SLURM_ARRAY_TASK_ID"),
                      .literal("--array-size"), .literal(String(arraySize))]
        }
        return words
    }

    private static func checkPath(_ path: String, field: String) throws(SlurmError) {
        guard path.hasPrefix("/") else {
            throw SlurmError(field: field, reason: "'\(path)' must be an absolute path")
        }
        guard !path.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) else {
            throw SlurmError(field: field, reason: "\(path.debugDescription) contains a line break or NUL")
        }
    }

    private static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": return true
        default: return false
        }
    }
}

/// `dir/name` without doubling a trailing `/` of `dir`.
private func joinPath(_ dir: String, _ name: String) -> String {
    dir.hasSuffix("/") ? dir + name : dir + "/" + name
}

extension String {
    /// `self` with each `%` doubled, as Slurm's file name patterns need for a literal `%`.
    fileprivate var replacingPercent: String {
        var out = ""
        for c in self {
            if c == "%" { out += "%%" } else { out.append(c) }
        }
        return out
    }
}
