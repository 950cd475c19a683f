import ArgumentParser
import Foundation
import MDCore
import Study

/// `pipeline submit config.json`: the study as a Slurm job chain — the parent melt, a job array for the
/// samples (quench, inherent structure, shear; `afterok` on the parent), with a `large_system` section a
/// job for the large system (no dependency: it runs beside the parent and the samples), and a job for
/// harvest, SEEM and the report (`afterok` on the array and on the large job). Every job runs `pipeline run` on a part of the study, so tasks
/// are idempotent and requeue-safe: a requeued or resubmitted task resumes from its checkpoints. A job
/// near its time limit checkpoints and requeues itself (`SlurmRequeue`); which binary the jobs run:
/// `JobExecutable`.
struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit a study to Slurm: parent job, [large-system job,] sample job array (afterok), harvest/seem/report job (afterok).",
        discussion: """
        Scripts go to WORKDIR/logs/slurm/scripts/, job output to WORKDIR/logs/slurm/. The jobs run, from the \
        current directory: --executable; else this pipeline when it is self-contained; else the self-contained \
        build of scripts/build-static.sh (.build/static/pipeline) beside this one, when it is not older; else this \
        pipeline, with a warning that the nodes need the Swift toolchain.

        --signal-margin seconds before its time limit (default: a tenth of --time, 30 s to 10 min; Slurm may \
        signal up to 60 s earlier) a job writes its checkpoints, stops and requeues itself, to resume from \
        them; 0 turns this off (a job at its limit ends as TIMEOUT). A job stopped at its limit \
        --max-requeues times fails instead. --dry-run writes the scripts and prints the sbatch commands \
        without submitting.
        """
    )

    @Argument(help: "Study config (JSON).") var config: String
    @Option(help: "Work directory (default: study.workdir of the config).") var workdir: String?
    @Option(help: "Slurm partition (default: the cluster's default).") var partition: String?
    @Option(help: "Time limit of every job (Slurm format: MM, HH:MM:SS, D-HH, D-HH:MM:SS).") var time = "2-00:00:00"
    @Option(name: .customLong("array-size"), help: "Tasks of the sample array (default: one per sample, at most 1000).")
    var arraySize: Int?
    @Option(name: .customLong("cpus-per-task"), help: "CPUs per task (default: execution.threads_per_job).")
    var cpusPerTask: Int?
    @Option(name: .customLong("signal-margin"), help: "Seconds before the time limit at which a job checkpoints and requeues itself; 0: never (default: --time / 10, 30–600 s).")
    var signalMargin: Int?
    @Option(name: .customLong("max-requeues"), help: "Times a job may requeue itself at its time limit before it fails instead.")
    var maxRequeues = SlurmRequeue.defaultMaxRequeues
    @Option(help: "The pipeline binary the jobs run (default: see below).")
    var executable: String?
    @Flag(name: .customLong("dry-run"), help: "Write the scripts and print the sbatch commands; submit nothing.")
    var dryRun = false
    @Flag(help: "Submit even where the work directory holds a study with other atomistic settings: its finished quench and shear units are replaced (as `run --force`).")
    var force = false

    func run() throws {
        try reportingInputErrors {
            let study = try StudyConfig.load(path: config, workdir: workdir)
            let root = study.workdir
            let runner = try StudyRunner(config: study, configPath: config, workdir: root, jobs: 1, board: nil)
            // The jobs run without --force: a study replaced here is replaced before they start.
            try runner.checkOwnership(force: force)
            if force && !dryRun { try runner.writeNormalizedConfig() }
            let jobExecutable = try JobExecutable.choose(requested: executable, running: JobExecutable.running,
                                                         runningIsSelfContained: JobExecutable.runningIsSelfContained)
            if let warning = jobExecutable.warning { printError("warning: " + warning) }
            let plan: SlurmPlan
            do throws(SlurmError) {
                let limit = try SlurmTimeLimit(time)
                plan = try SlurmPlan(executable: jobExecutable.path, config: absolutePath(config), workdir: root,
                                     unitCount: runner.samples.count, arraySize: arraySize, partition: partition,
                                     timeLimit: limit, signalMargin: signalMargin, maxRequeues: maxRequeues,
                                     cpusPerTask: cpusPerTask ?? study.execution.threadsPerJob,
                                     largeSystem: study.largeSystem != nil)
            } catch {
                throw InputError(path: "--" + (Self.optionNames[error.field] ?? error.field), reason: error.reason)
            }
            for d in plan.directoriesToCreate { try makeDirectories(d) }
            var ids: [SlurmPlan.Stage: SlurmJobID] = [:]
            var submitted: [(String, JSONValue)] = []
            for job in plan.jobs {
                try AtomicFile.write(job.script, to: job.scriptPath)
                var args: [String]
                do throws(SlurmError) {
                    args = try job.sbatchArguments(after: job.dependencies.compactMap { ids[$0] })
                } catch {
                    throw InputError(path: job.scriptPath, reason: error.reason)
                }
                if dryRun {
                    print(shellJoin(args))
                    ids[job.stage] = SlurmJobID(id: 0, cluster: nil)
                    continue
                }
                let (status, out, err) = try runCapturing(args)
                guard status == 0 else {
                    throw InputError(path: "sbatch", reason: "submitting the \(job.stage.rawValue) job failed (exit \(status)): \(err.trimmedLine)")
                }
                let id: SlurmJobID
                do throws(SlurmError) {
                    id = try SlurmJobID(parsableOutput: out)
                } catch {
                    throw InputError(path: "sbatch", reason: error.reason)
                }
                ids[job.stage] = id
                submitted.append((job.stage.rawValue, .number(Int(id.id))))
                print("\(job.stage.rawValue): job \(id.id)")
            }
            if !dryRun {
                try AtomicFile.write(JSONValue.object(submitted).formatted() + "\n", to: plan.logDirectory + "/submitted.json")
                printError("submitted \(plan.jobs.count) jobs (\(runner.samples.count) samples in \(plan.arraySize) array tasks); `pipeline status \(config)` shows progress")
            }
        }
    }

    /// The option behind each `SlurmError.field` that is not spelled like it.
    static let optionNames = ["timeLimit": "time", "arraySize": "array-size", "cpusPerTask": "cpus-per-task",
                              "signalMargin": "signal-margin", "maxRequeues": "max-requeues"]

    /// Runs `args` (args[0] looked up on PATH), returning status, stdout, stderr.
    func runCapturing(_ args: [String]) throws(InputError) -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { throw InputError(path: args[0], reason: "cannot run (\(error))") }
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}
