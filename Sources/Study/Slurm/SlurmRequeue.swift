/// How a job outlives its time limit: Slurm signals the job's batch shell `margin` seconds before the
/// limit (`#SBATCH --signal=B:USR1@margin`); the script passes SIGUSR1 on to the pipeline, which
/// writes its checkpoints and exits 138 (128 + SIGUSR1), and then requeues the job
/// (`scontrol requeue $SLURM_JOB_ID`). The job goes back to PENDING, so the jobs that depend on it
/// (`afterok`) keep waiting, and its next run resumes from the checkpoints. An array task requeues
/// itself as `ARRAYID_TASKID`: one of the tasks has the array's own id as its SLURM_JOB_ID, and
/// `scontrol requeue` with that id requeues every task of the array (seen on Slurm 22.05).
///
/// Slurm checks for due signals about once a minute, so the signal may come up to `signalSlack`
/// seconds earlier than asked: between `limit − margin − 60 s` and `limit − margin` into a run. The
/// margin must cover the pipeline's last step and its checkpoint writes; what is left before the
/// earliest signal must be at least `minimumRun`, so that every run makes progress. A run that gets
/// no further than its setup would still requeue forever: after `maxRequeues` requeues a job that
/// stops at its limit again fails instead.
package struct SlurmRequeue: Sendable, Equatable {
    /// Seconds before the time limit that Slurm is asked to send SIGUSR1.
    let margin: Int
    /// Requeues after which a job stopped at its time limit ends as failed.
    let maxRequeues: Int

    /// How much earlier than asked Slurm may send the signal.
    static let signalSlack = 60
    /// The least time a run is guaranteed before the signal.
    static let minimumRun = 30
    /// Slurm's largest `--signal` time.
    static let largestMargin = 65535
    package static let defaultMaxRequeues = 50

    /// A tenth of the limit, at least 30 s and at most 10 minutes: time for a step of the largest
    /// systems and their checkpoint writes, little lost of a long limit. A 2-minute limit gets 30 s.
    static func defaultMargin(for limit: SlurmTimeLimit) -> Int {
        min(max(limit.seconds / 10, 30), 600)
    }

    /// - Parameters:
    ///   - margin: seconds, 1…65535, leaving at least `minimumRun` before the earliest signal
    ///     (default: `defaultMargin(for:)`).
    ///   - maxRequeues: 0 or more.
    init(margin: Int? = nil, maxRequeues: Int = defaultMaxRequeues, timeLimit: SlurmTimeLimit) throws(SlurmError) {
        let m = margin ?? Self.defaultMargin(for: timeLimit)
        guard m >= 1, m <= Self.largestMargin else {
            throw SlurmError(field: "signalMargin", reason: "must be 1–\(Self.largestMargin) seconds (0 turns requeueing off), got \(m)")
        }
        guard timeLimit.seconds - m - Self.signalSlack >= Self.minimumRun else {
            throw SlurmError(field: "signalMargin", reason: "a signal \(m) s before a time limit of \(timeLimit.seconds) s may come "
                + "\(max(0, timeLimit.seconds - m - Self.signalSlack)) s into a run (Slurm sends it up to \(Self.signalSlack) s early), "
                + "less than the \(Self.minimumRun) s a run needs to make progress; use a longer time limit, a smaller margin, "
                + "or 0 to turn requeueing off")
        }
        guard maxRequeues >= 0, maxRequeues <= 1_000_000 else {
            throw SlurmError(field: "maxRequeues", reason: "must be 0 or more, got \(maxRequeues)")
        }
        self.margin = m
        self.maxRequeues = maxRequeues
    }

    /// The exit status of a pipeline stopped by SIGUSR1 (`SignalFlag`), and bash's status for a
    /// process killed by that signal before it could set up its handler.
    static let stoppedStatus = 128 + 10

    /// The `#SBATCH` option that asks for the signal.
    var directive: String { "--signal=B:USR1@\(margin)" }

    /// Script lines that run `command` in the background, pass SIGUSR1 on to it, wait for it, and
    /// requeue the job (`arrayTask`: the array task) when it stopped because of that signal; the
    /// script exits with its status.
    func scriptLines(running command: String, arrayTask: Bool) -> [String] {
        let job = arrayTask ? "${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}" : "${SLURM_JOB_ID}"
        let stamp = #"$(date -u '+%Y-%m-%dT%H:%M:%SZ') job \#(job)"#
        return [
            "# Slurm sends SIGUSR1 to this shell \(margin) s before the time limit (up to \(Self.signalSlack) s earlier).",
            "# It goes on to the pipeline, which writes its checkpoints and exits \(Self.stoppedStatus); the job then",
            "# requeues itself and resumes from them. The pipeline runs in the background because bash runs a",
            "# trap only between commands, and `wait` is one that a trapped signal ends.",
            "stop_requested=0 child=",
            #"trap 'stop_requested=1; [ -z "$child" ] || kill -USR1 "$child" 2>/dev/null || true' USR1"#,
            command + " &",
            "child=$!",
            "status=0",
            #"wait "$child" || status=$?"#,
            "# `wait` returns early when the trap runs: wait again until the pipeline has ended.",
            #"while kill -0 "$child" 2>/dev/null; do status=0; wait "$child" || status=$?; done"#,
            #"if [ "$stop_requested" = 1 ] && [ "$status" = \#(Self.stoppedStatus) ]; then"#,
            #"  restarts="${SLURM_RESTART_COUNT:-0}""#,
            #"  if [ "$restarts" -ge \#(maxRequeues) ]; then"#,
            #"    echo "seem: \#(stamp) stopped at its time limit after $restarts requeues: not requeued again (pipeline submit --max-requeues)" >&2"#,
            #"    exit "$status""#,
            "  fi",
            #"  echo "seem: \#(stamp) stopped before its time limit, checkpoints written: requeue $((restarts + 1)) of at most \#(maxRequeues)" >&2"#,
            "  # A requeue that fails leaves the job failed (status \(Self.stoppedStatus)), never completed.",
            #"  scontrol requeue "\#(job)" || echo "seem: \#(stamp): scontrol requeue failed" >&2"#,
            "fi",
            #"exit "$status""#,
        ]
    }
}
