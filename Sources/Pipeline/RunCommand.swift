import ArgumentParser
import Foundation
import MDCore
import Study
#if canImport(Glibc)
import Glibc
#endif

/// `pipeline run config.json`: the whole study, resumable at any point.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a study from its config: quench → inherent structure → shear → harvest → seem → report.",
        discussion: """
        Every unit of work (the parent melt, each sample's quench and shear, the large system's melt, quench
        and shear when the config has a large_system section, harvest, seem, report) is keyed
        by a hash of exactly the inputs that determine it. Running again skips finished units, resumes
        partial ones from their checkpoints (after Ctrl-C, kill -9 or a crash) and recomputes only what a
        config change invalidates. Results are byte-identical to an uninterrupted run at any --jobs and
        thread count; logs and timings go to WORKDIR/logs/.
        """
    )

    @Argument(help: "Study config (JSON; see configs/README.md).") var config: String
    @Option(help: "Work directory (default: study.workdir of the config).") var workdir: String?
    @Option(help: "Samples run at once (default: execution.jobs of the config).") var jobs: Int?
    @Option(help: "Do only part of the study: parent, samples, large (the large_system section's melt, quench and AQS) or study (harvest, seem, report). Used by Slurm jobs.")
    var only: String?
    @Option(name: .customLong("array-task"), help: "With --only samples: this task's index (sample units i with i % size == task).")
    var arrayTask: Int?
    @Option(name: .customLong("array-size"), help: "With --only samples: number of tasks.")
    var arraySize: Int?

    @Flag(help: "Run even where the work directory holds a study with other atomistic settings (potential, system, quench, inherent structure, AQS): its finished quench and shear units are replaced.")
    var force = false

    func run() throws {
        let board = ProgressBoard(tty: isatty(2) == 1, logPath: nil)
        try reportingInputErrors(log: board.log) {
            let scope = try parseScope()
            if let jobs, jobs < 1 { throw InputError(path: "--jobs", reason: "must be at least 1 (got \(jobs))") }
            let study = try StudyConfig.load(path: config, workdir: workdir)
            if scope == .large, study.largeSystem == nil {
                throw InputError(path: "--only", reason: "large: the config has no large_system section")
            }
            let root = study.workdir
            let runner = try StudyRunner(config: study, configPath: absolutePath(config), workdir: root, jobs: jobs, board: board)
            // Nothing is written before we know there is something to write.
            if !runner.workdirIsWritable {
                let remaining = runner.remainingUnits(in: scope)
                if remaining.isEmpty {
                    printError("\(root): nothing to do: all \(runner.units(in: scope).count) units are finished and verified (the directory is read-only)")
                    return
                }
                throw InputError.environment(path: root, reason: "the directory is not writable and \(remaining.count) units remain (first: \(remaining[0])); run with a writable --workdir")
            }
            try runner.checkOwnership(force: force)
            try makeDirectories(root + "/logs")
            board.openLog(root + "/logs/run.log")
            SignalFlag.install()
            do {
                try runner.run(scope)
                board.finish()
            } catch is StudyRunner.Interrupted {
                board.finish()
                board.log("\(root): interrupted by signal \(SignalFlag.received); checkpoints written; run the same command again to resume")
                throw ExitCode(128 + max(SignalFlag.received, 2))
            } catch {
                board.finish()
                throw error
            }
            if scope == .all || scope == .study {
                board.log("\(root): study complete; report: \(root)/report/index.html")
            }
        }
    }

    func parseScope() throws(InputError) -> StudyRunner.Scope {
        switch only {
        case nil:
            guard arrayTask == nil, arraySize == nil else {
                throw InputError(path: "--array-task", reason: "only with --only samples")
            }
            return .all
        case "parent": return .parent
        case "large": return .large
        case "study": return .study
        case "samples":
            let size = arraySize ?? 1, task = arrayTask ?? 0
            guard size >= 1 else { throw InputError(path: "--array-size", reason: "must be at least 1 (got \(size))") }
            guard task >= 0, task < size else {
                throw InputError(path: "--array-task", reason: "must be in 0..<\(size) (got \(task))")
            }
            return .samples(task: task, count: size)
        case let other?:
            throw InputError(path: "--only", reason: "use parent, samples, large or study (got '\(other)')")
        }
    }
}
