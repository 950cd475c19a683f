import ArgumentParser
import Foundation
import MDCore
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

    func run() throws {
        try reportingInputErrors {
            let scope = try parseScope()
            if let jobs, jobs < 1 { throw InputError(path: "--jobs", reason: "must be at least 1 (got \(jobs))") }
            let study = try StudyConfig.load(path: config)
            if scope == .large, study.largeSystem == nil {
                throw InputError(path: "--only", reason: "large: the config has no large_system section")
            }
            let root = absolutePath(workdir ?? study.workdir)
            try makeDirectories(root + "/logs")
            let board = ProgressBoard(tty: isatty(2) == 1, logPath: root + "/logs/run.log")
            let runner = try StudyRunner(config: study, configPath: config, workdir: root, jobs: jobs, board: board)
            SignalFlag.install()
            do {
                try runner.run(scope)
                board.finish()
            } catch is StudyRunner.Interrupted {
                board.finish()
                printError("\(root): interrupted; checkpoints written; run the same command again to resume")
                throw ExitCode(128 + max(SignalFlag.received, 2))
            } catch let e as InputError {
                board.finish()
                throw e
            }
            if scope == .all || scope == .study {
                printError("\(root): study complete; report: \(root)/report/index.html")
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

/// `path` made absolute against the current directory.
func absolutePath(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    return FileManager.default.currentDirectoryPath + "/" + path
}
