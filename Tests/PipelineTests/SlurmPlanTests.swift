import Foundation
import MDCore
import Testing
@testable import Study
#if canImport(Glibc)
import Glibc
#endif

/// All Slurm tests, so that `swift test --filter SlurmPlanTests` runs every one of them.
@Suite struct SlurmPlanTests {}

// MARK: - helpers

private func makeTempDir(_ name: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

private func write(_ text: String, to path: String, executable: Bool = false) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
}

private let hour = try! SlurmTimeLimit("01:00:00")

/// Words that have broken naive quoting somewhere.
private let nastyWords = [
    "", " ", "plain", "with space", "it's", "\"double\"", "'", "''", "a'b'c", "$HOME", "${x}", "`id`",
    "$(id)", "back\\slash", "semi;colon", "amp&er", "pipe|x", "glob*?[a]", "~user", "!bang", "#hash",
    "tab\there", "new\nline", "ünïcødé ✓", "-n", "--", "%x-%A_%a", "a=b", "(paren)", "{brace}", "<>",
]

// MARK: - quoting

extension SlurmPlanTests {
    @Suite struct Quoting {
        @Test func safeWordsStayBare() {
            #expect(shellQuote("/usr/bin/pipeline") == "/usr/bin/pipeline")
            #expect(shellQuote("--array-size=10") == "--array-size=10")
            #expect(shellQuote("a_b@c%d+e:f,g.h") == "a_b@c%d+e:f,g.h")
        }

        @Test func unsafeWordsAreSingleQuoted() {
            #expect(shellQuote("") == "''")
            #expect(shellQuote("a b") == "'a b'")
            #expect(shellQuote("it's") == #"'it'\''s'"#)
            #expect(shellQuote("$HOME") == "'$HOME'")
            #expect(shellQuote("a\nb") == "'a\nb'")
            #expect(shellJoin(["echo", "a b", "c"]) == "echo 'a b' c")
        }

        @Test("bash reads every quoted word back unchanged")
        func bashRoundTrip() throws {
            let script = "printf '%s\\0' " + shellJoin(nastyWords)
            let r = try run(["bash", "-c", script])
            #expect(r.status == 0, "\(r.err)")
            var words = r.out.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
            #expect(words.removeLast() == "")
            #expect(words == nastyWords)
        }

        @Test func sbatchDirectiveQuoting() {
            #expect(sbatchDirectiveQuote("/w/logs/slurm/%x-%j.out") == "/w/logs/slurm/%x-%j.out")
            #expect(sbatchDirectiveQuote("/a b/x") == "\"/a b/x\"")
            #expect(sbatchDirectiveQuote("/it's/\"q\"/h#1") == ##""/it's/\"q\"/h\#1""##)
            #expect(sbatchDirectiveQuote("") == "\"\"")
        }
    }
}

// MARK: - time limits

extension SlurmPlanTests {
    @Suite struct TimeLimit {
        @Test(arguments: [
            ("30", 1800), ("90", 5400), ("05:30", 330), ("1:00:00", 3600), ("36:00:00", 129_600),
            ("1-0", 86400), ("2-12", 216_000), ("1-02:03", 93780), ("0-00:00:01", 1), ("7-23:59:59", 691_199),
        ])
        func accepted(_ text: String, _ seconds: Int) throws {
            let t = try SlurmTimeLimit(text)
            #expect(t.text == text)
            #expect(t.seconds == seconds)
        }

        @Test(arguments: [
            "", "0", "00:00", "0-0", "abc", "1h", "-5", "1-", "-1", "1--2", "1:2:3:4", "1-2:3:4:5", "10:60",
            "1:60:00", "1:00:60", "1-24", "1-23:60", "1-0:0:60", " 10", "10 ", "1:", ":30", "1::2", "+5",
            "1.5", "１２", "UNLIMITED", "1-2-3", "9999999999",
        ])
        func rejected(_ text: String) {
            #expect(throws: SlurmError.self) { try SlurmTimeLimit(text) }
        }

        @Test func errorNamesTheFieldAndTheForms() {
            do {
                _ = try SlurmTimeLimit("1:60")
                Issue.record("no error")
            } catch {
                #expect(error.field == "timeLimit")
                #expect(error.description.contains("'1:60'"))
                #expect(error.description.contains("D-HH:MM:SS"))
            }
        }
    }
}

// MARK: - sbatch --parsable output

extension SlurmPlanTests {
    @Suite struct JobID {
        @Test func parsesPlainAndClusterForms() throws {
            #expect(try SlurmJobID(parsableOutput: "12345") == SlurmJobID(id: 12345))
            #expect(try SlurmJobID(parsableOutput: "12345\n") == SlurmJobID(id: 12345))
            #expect(try SlurmJobID(parsableOutput: "  7\r\n") == SlurmJobID(id: 7))
            let c = try SlurmJobID(parsableOutput: "12345;cluster-a\n")
            #expect(c == SlurmJobID(id: 12345, cluster: "cluster-a"))
            #expect(c.description == "12345")
            #expect(try SlurmJobID(parsableOutput: "4294967295").id == UInt32.max)
        }

        @Test(arguments: [
            "", "\n", "abc", "Submitted batch job 12", "12 34", "0", "4294967296", "99999999999999999999",
            "12;", ";c", "12;a b", "12\n13", "-12", "+12", "12.0", "0x1f", "sbatch: error: Batch job submission failed",
            "12;c;d",
        ])
        func rejectsGarbage(_ output: String) {
            do {
                _ = try SlurmJobID(parsableOutput: output)
                Issue.record("accepted \(output.debugDescription)")
            } catch {
                #expect(error.field == "sbatch")
                #expect(error.reason.contains(output.debugDescription) || output.count > 200)
            }
        }
    }
}

// MARK: - plan

extension SlurmPlanTests {
    @Suite struct Plan {
        static func plan(units: Int = 10, arraySize: Int? = nil, partition: String? = nil, workdir: String = "/w/study",
                         config: String = "/w/config.json", executable: String = "/opt/seem/bin/pipeline",
                         signalMargin: Int? = nil) throws -> SlurmPlan {
            try SlurmPlan(executable: executable, config: config, workdir: workdir, unitCount: units,
                          arraySize: arraySize, partition: partition, timeLimit: try SlurmTimeLimit("2-00:00:00"),
                          signalMargin: signalMargin, cpusPerTask: 2, jobNamePrefix: "cuzr")
        }

        @Test func scriptsAreExactlyAsDocumented() throws {
            let p = try Self.plan(units: 10, arraySize: 4, partition: "debug", signalMargin: 0)
            #expect(p.jobs.map(\.stage) == [.parent, .samples, .study])
            #expect(p.jobs.map(\.name) == ["cuzr-parent", "cuzr-samples", "cuzr-study"])
            #expect(p.jobs.map(\.scriptPath) == ["/w/study/logs/slurm/scripts/cuzr-parent.sbatch", "/w/study/logs/slurm/scripts/cuzr-samples.sbatch",
                                                  "/w/study/logs/slurm/scripts/cuzr-study.sbatch"])
            #expect(p.directoriesToCreate == ["/w/study/logs/slurm", "/w/study/logs/slurm/scripts"])
            #expect(p.job(.parent).script == """
                #!/bin/bash
                #SBATCH --job-name=cuzr-parent
                #SBATCH --output=/w/study/logs/slurm/%x-%j.out
                #SBATCH --error=/w/study/logs/slurm/%x-%j.out
                #SBATCH --open-mode=append
                #SBATCH --requeue
                #SBATCH --kill-on-invalid-dep=yes
                #SBATCH --cpus-per-task=2
                #SBATCH --time=2-00:00:00
                #SBATCH --partition=debug
                # seem study, stage parent: generated by `pipeline submit`.
                set -euo pipefail
                cd -- "$SLURM_SUBMIT_DIR"
                exec /opt/seem/bin/pipeline run /w/config.json --workdir /w/study --only parent

                """)
            #expect(p.requeue == nil)
            #expect(p.job(.samples).script == """
                #!/bin/bash
                #SBATCH --job-name=cuzr-samples
                #SBATCH --output=/w/study/logs/slurm/%x-%A_%a.out
                #SBATCH --error=/w/study/logs/slurm/%x-%A_%a.out
                #SBATCH --open-mode=append
                #SBATCH --array=0-3
                #SBATCH --requeue
                #SBATCH --kill-on-invalid-dep=yes
                #SBATCH --cpus-per-task=2
                #SBATCH --time=2-00:00:00
                #SBATCH --partition=debug
                # seem study, stage samples: generated by `pipeline submit`.
                # Array task i of 4 runs work units i, i+4, i+8, … below 10.
                set -euo pipefail
                cd -- "$SLURM_SUBMIT_DIR"
                exec /opt/seem/bin/pipeline run /w/config.json --workdir /w/study --only samples --array-task "${SLURM_ARRAY_TASK_ID}" --array-size 4

                """)
            let study = p.job(.study).script
            #expect(study.hasSuffix("exec /opt/seem/bin/pipeline run /w/config.json --workdir /w/study --only study\n"))
            #expect(!study.contains("--array"))
        }

        /// By default a job is signalled before its time limit and requeues itself (`SlurmRequeue`).
        @Test func requeueingScriptIsExactlyAsDocumented() throws {
            let p = try Self.plan(units: 10, arraySize: 4)
            #expect(p.requeue?.margin == 600 && p.requeue?.maxRequeues == 50)
            #expect(p.job(.samples).script == #"""
                #!/bin/bash
                #SBATCH --job-name=cuzr-samples
                #SBATCH --output=/w/study/logs/slurm/%x-%A_%a.out
                #SBATCH --error=/w/study/logs/slurm/%x-%A_%a.out
                #SBATCH --open-mode=append
                #SBATCH --array=0-3
                #SBATCH --requeue
                #SBATCH --kill-on-invalid-dep=yes
                #SBATCH --cpus-per-task=2
                #SBATCH --time=2-00:00:00
                #SBATCH --signal=B:USR1@600
                # seem study, stage samples: generated by `pipeline submit`.
                # Array task i of 4 runs work units i, i+4, i+8, … below 10.
                set -euo pipefail
                cd -- "$SLURM_SUBMIT_DIR"
                # Slurm sends SIGUSR1 to this shell 600 s before the time limit (up to 60 s earlier).
                # It goes on to the pipeline, which writes its checkpoints and exits 138; the job then
                # requeues itself and resumes from them. The pipeline runs in the background because bash runs a
                # trap only between commands, and `wait` is one that a trapped signal ends.
                stop_requested=0 child=
                trap 'stop_requested=1; [ -z "$child" ] || kill -USR1 "$child" 2>/dev/null || true' USR1
                /opt/seem/bin/pipeline run /w/config.json --workdir /w/study --only samples --array-task "${SLURM_ARRAY_TASK_ID}" --array-size 4 &
                child=$!
                status=0
                wait "$child" || status=$?
                # `wait` returns early when the trap runs: wait again until the pipeline has ended.
                while kill -0 "$child" 2>/dev/null; do status=0; wait "$child" || status=$?; done
                if [ "$stop_requested" = 1 ] && [ "$status" = 138 ]; then
                  restarts="${SLURM_RESTART_COUNT:-0}"
                  if [ "$restarts" -ge 50 ]; then
                    echo "seem: $(date -u '+%Y-%m-%dT%H:%M:%SZ') job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} stopped at its time limit after $restarts requeues: not requeued again (pipeline submit --max-requeues)" >&2
                    exit "$status"
                  fi
                  echo "seem: $(date -u '+%Y-%m-%dT%H:%M:%SZ') job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} stopped before its time limit, checkpoints written: requeue $((restarts + 1)) of at most 50" >&2
                  # A requeue that fails leaves the job failed (status 138), never completed.
                  scontrol requeue "${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}" || echo "seem: $(date -u '+%Y-%m-%dT%H:%M:%SZ') job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}: scontrol requeue failed" >&2
                fi
                exit "$status"

                """#)
            for job in p.jobs {
                #expect(job.script.contains("#SBATCH --signal=B:USR1@600\n"), "\(job.name)")
                #expect(!job.script.contains("exec "), "\(job.name)")
            }
            #expect(p.job(.parent).script.contains(#"  scontrol requeue "${SLURM_JOB_ID}" || echo"#))
        }

        @Test func everyScriptHasTheCommonParts() throws {
            for job in try Self.plan(units: 3).jobs {
                let lines = job.script.split(separator: "\n").map(String.init)
                #expect(lines.first == "#!/bin/bash")
                for required in ["#SBATCH --job-name=\(job.name)", "#SBATCH --requeue", "#SBATCH --kill-on-invalid-dep=yes",
                                 "#SBATCH --cpus-per-task=2", "#SBATCH --time=2-00:00:00", "set -euo pipefail",
                                 "cd -- \"$SLURM_SUBMIT_DIR\""] {
                    #expect(lines.contains(required), "\(job.name): missing \(required)")
                }
                #expect(lines.last == #"exit "$status""#)
                #expect(lines.contains("#SBATCH --signal=B:USR1@600"))
                #expect(!lines.contains { $0.hasPrefix("#SBATCH --partition") })
                // sbatch stops reading directives at the first command: all #SBATCH lines come first.
                let lastDirective = lines.lastIndex { $0.hasPrefix("#SBATCH") }!
                #expect(lines[1...lastDirective].allSatisfy { $0.hasPrefix("#SBATCH ") })
            }
        }

        @Test func arraySizeDefaultsAndLimits() throws {
            #expect(try Self.plan(units: 7).arraySize == 7)
            #expect(try Self.plan(units: 1).arraySize == 1)
            #expect(try Self.plan(units: 5000).arraySize == 1000)
            #expect(try Self.plan(units: 5000).job(.samples).script.contains("#SBATCH --array=0-999\n"))
            #expect(try Self.plan(units: 5000, arraySize: 1).job(.samples).script.contains("#SBATCH --array=0-0\n"))
            #expect(throws: SlurmError.self) { try Self.plan(units: 5, arraySize: 6) }
            #expect(throws: SlurmError.self) { try Self.plan(units: 5, arraySize: 0) }
            #expect(throws: SlurmError.self) { try Self.plan(units: 0) }
        }

        @Test func unitsAreDealtRoundRobin() {
            #expect(SlurmPlan.unitIndices(task: 0, arraySize: 4, unitCount: 10) == [0, 4, 8])
            #expect(SlurmPlan.unitIndices(task: 1, arraySize: 4, unitCount: 10) == [1, 5, 9])
            #expect(SlurmPlan.unitIndices(task: 3, arraySize: 4, unitCount: 10) == [3, 7])
            #expect(SlurmPlan.unitIndices(task: 4, arraySize: 4, unitCount: 10) == [])
            #expect(SlurmPlan.unitIndices(task: 0, arraySize: 1, unitCount: 3) == [0, 1, 2])
            for (u, n) in [(1, 1), (10, 3), (10, 10), (1001, 1000), (37, 5)] {
                let all = (0..<n).flatMap { SlurmPlan.unitIndices(task: $0, arraySize: n, unitCount: u) }
                #expect(all.sorted() == Array(0..<u), "U=\(u) N=\(n)")
            }
        }

        @Test func sbatchArgumentsChainTheJobs() throws {
            let p = try Self.plan()
            #expect(try p.job(.parent).sbatchArguments(after: nil) == ["sbatch", "--parsable", "/w/study/logs/slurm/scripts/cuzr-parent.sbatch"])
            #expect(try p.job(.samples).sbatchArguments(after: SlurmJobID(id: 41)) ==
                    ["sbatch", "--parsable", "--dependency=afterok:41", "/w/study/logs/slurm/scripts/cuzr-samples.sbatch"])
            #expect(try p.job(.study).sbatchArguments(after: SlurmJobID(parsableOutput: "42;c1\n")) ==
                    ["sbatch", "--parsable", "--dependency=afterok:42", "/w/study/logs/slurm/scripts/cuzr-study.sbatch"])
            #expect(throws: SlurmError.self) { try p.job(.samples).sbatchArguments(after: nil) }
            #expect(throws: SlurmError.self) { try p.job(.parent).sbatchArguments(after: SlurmJobID(id: 1)) }
        }

        @Test func invalidSettingsAreRejected() throws {
            let t = try SlurmTimeLimit("10")
            func make(_ exe: String = "/p", _ cfg: String = "/c.json", _ dir: String = "/w", units: Int = 2, cpus: Int = 1,
                      prefix: String = "seem", partition: String? = nil) throws(SlurmError) {
                _ = try SlurmPlan(executable: exe, config: cfg, workdir: dir, unitCount: units, partition: partition,
                                  timeLimit: t, cpusPerTask: cpus, jobNamePrefix: prefix)
            }
            #expect(throws: Never.self) { try make() }
            let cases: [(String, () throws(SlurmError) -> Void)] = [
                ("executable", { () throws(SlurmError) in try make("pipeline") }),
                ("config", { () throws(SlurmError) in try make("/p", "config.json") }),
                ("workdir", { () throws(SlurmError) in try make("/p", "/c.json", "runs/a") }),
                ("workdir", { () throws(SlurmError) in try make("/p", "/c.json", "/w/a\\b") }),
                ("workdir", { () throws(SlurmError) in try make("/p", "/c.json", "/w/a\nb") }),
                ("config", { () throws(SlurmError) in try make("/p", "/c\r.json") }),
                ("cpusPerTask", { () throws(SlurmError) in try make(cpus: 0) }),
                ("jobNamePrefix", { () throws(SlurmError) in try make(prefix: "") }),
                ("jobNamePrefix", { () throws(SlurmError) in try make(prefix: "a b") }),
                ("jobNamePrefix", { () throws(SlurmError) in try make(prefix: "a/b") }),
                ("partition", { () throws(SlurmError) in try make(partition: "") }),
                ("partition", { () throws(SlurmError) in try make(partition: "x y") }),
                ("unitCount", { () throws(SlurmError) in try make(units: -1) }),
            ]
            for (field, body) in cases {
                do {
                    try body()
                    Issue.record("accepted a bad \(field)")
                } catch {
                    #expect(error.field == field, "\(error)")
                }
            }
            #expect(throws: Never.self) { try make(partition: "gpu,cpu_long") }
        }

        @Test func trailingSlashAndPercentInWorkdir() throws {
            let p = try Self.plan(workdir: "/w/100%/")
            #expect(p.directoriesToCreate == ["/w/100%/logs/slurm", "/w/100%/logs/slurm/scripts"])
            #expect(p.job(.parent).script.contains("#SBATCH --output=/w/100%%/logs/slurm/%x-%j.out\n"))
            #expect(p.job(.parent).script.contains("--workdir /w/100%/ --only parent"))
        }

        /// Runs each generated script with bash (outside Slurm), with a fake `pipeline` that records its
        /// arguments: paths with spaces, quotes, `$`, `#` and `%` must arrive unchanged, and the
        /// `#SBATCH` lines must read back (the way sbatch splits them) to the intended values.
        @Test func scriptsPassAwkwardPathsThroughUnchanged() throws {
            let root = try makeTempDir("slurm plan 'quoted' \"dq\" $x #h 100%")
            defer { try? FileManager.default.removeItem(atPath: root) }
            let exe = root + "/bin dir/pipe'line"
            try FileManager.default.createDirectory(atPath: root + "/bin dir", withIntermediateDirectories: true)
            try write("#!/bin/bash\nprintf '%s\\0' \"$PWD\" \"$@\" > \"$RECORD\"\n", to: exe, executable: true)
            let config = root + "/my config's.json"
            let workdir = root + "/work dir"
            let p = try SlurmPlan(executable: exe, config: config, workdir: workdir, unitCount: 5, arraySize: 2,
                                  timeLimit: hour, jobNamePrefix: "t")
            let submitDir = root + "/submit here"
            try FileManager.default.createDirectory(atPath: submitDir, withIntermediateDirectories: true)
            for job in p.jobs {
                let scriptPath = root + "/\(job.name).sbatch"
                try write(job.script, to: scriptPath)
                #expect(try run(["bash", "-n", scriptPath]).status == 0)
                let record = root + "/\(job.name).args"
                let r = try run(["bash", scriptPath], environment: [
                    "SLURM_SUBMIT_DIR": submitDir, "SLURM_ARRAY_TASK_ID": "1", "RECORD": record])
                #expect(r.status == 0, "\(job.name): \(r.err)")
                var got = try String(contentsOfFile: record, encoding: .utf8)
                    .split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
                got.removeLast()
                var want = [submitDir, "run", config, "--workdir", workdir, "--only", job.stage.rawValue]
                if job.stage == .samples { want += ["--array-task", "1", "--array-size", "2"] }
                #expect(got == want)

                // The log paths, read the way sbatch reads a directive line.
                let output = job.script.split(separator: "\n").first { $0.hasPrefix("#SBATCH --output=") }!
                let value = Self.sbatchDirectiveValue(String(output.dropFirst("#SBATCH --output=".count)))
                let pattern = job.stage == .samples ? "%x-%A_%a.out" : "%x-%j.out"
                #expect(value == workdir.replacingOccurrences(of: "%", with: "%%") + "/logs/slurm/" + pattern)
            }
        }

        /// sbatch's reading of an `#SBATCH` option value: `"` toggles quoting, `\x` is `x`, an unquoted
        /// blank or an unescaped `#` ends it.
        static func sbatchDirectiveValue(_ s: String) -> String {
            var out = "", quoted = false, escaped = false
            for c in s {
                if escaped { out.append(c); escaped = false; continue }
                if c == "\\" { escaped = true; continue }
                if c == "\"" { quoted.toggle(); continue }
                if c == "#" || (!quoted && c == " ") { break }
                out.append(c)
            }
            return out
        }
    }
}

// MARK: - time limits: signal, checkpoint, requeue

extension SlurmPlanTests {
    @Suite struct Requeue {
        @Test(arguments: [("2", 30), ("5", 30), ("10", 60), ("01:00:00", 360), ("2-00:00:00", 600)])
        func defaultMarginIsATenthOfTheLimitWithin30sAnd10min(_ limit: String, _ margin: Int) throws {
            #expect(SlurmRequeue.defaultMargin(for: try SlurmTimeLimit(limit)) == margin)
            #expect(try SlurmRequeue(timeLimit: try SlurmTimeLimit(limit)).margin == margin)
        }

        /// Slurm may signal up to 60 s early: what is left before that must be at least 30 s, or a
        /// run could be stopped before it does anything.
        @Test func aMarginMustLeaveEveryRunTimeToProgress() throws {
            let two = try SlurmTimeLimit("2")
            #expect(try SlurmRequeue(margin: 30, timeLimit: two).margin == 30)
            for (margin, limit) in [(31, "2"), (nil, "1"), (0, "10"), (-5, "10"), (70_000, "3-00:00:00"), (600, "10")] as [(Int?, String)] {
                do {
                    _ = try SlurmRequeue(margin: margin, timeLimit: try SlurmTimeLimit(limit))
                    Issue.record("accepted a margin of \(margin.map(String.init) ?? "default") s for --time \(limit)")
                } catch {
                    #expect(error.field == "signalMargin", "\(error)")
                }
            }
            #expect(throws: SlurmError.self) { try SlurmRequeue(maxRequeues: -1, timeLimit: two) }
            // A margin of 0 is no requeueing at all, on any limit.
            let off = try SlurmPlan(executable: "/p", config: "/c.json", workdir: "/w", unitCount: 1,
                                    timeLimit: try SlurmTimeLimit("1"), signalMargin: 0)
            #expect(off.requeue == nil && off.jobs.allSatisfy { !$0.script.contains("--signal") })
            #expect(throws: SlurmError.self) {
                try SlurmPlan(executable: "/p", config: "/c.json", workdir: "/w", unitCount: 1, timeLimit: try SlurmTimeLimit("1"))
            }
        }

        /// What the script does with each way the pipeline can end, run by bash outside Slurm with a
        /// fake pipeline and a fake `scontrol` that record what happens.
        struct Outcome {
            var status: Int32
            var scontrol: String
            var log: String
        }

        /// Runs the parent job's script of a plan whose command is a fake pipeline in `mode`; with
        /// `signal`, sends SIGUSR1 to the script once the fake pipeline runs.
        static func runScript(mode: String, signal: Bool, restarts: Int? = nil, scontrolStatus: Int = 0,
                              stage: SlurmPlan.Stage = .parent) throws -> Outcome {
            let root = try makeTempDir("seem requeue")
            defer { try? FileManager.default.removeItem(atPath: root) }
            let fake = root + "/pipeline", ready = root + "/ready", record = root + "/scontrol.args"
            try write("""
                #!/bin/bash
                case "$1" in ok) exit 0 ;; fail) exit 3 ;; esac
                # Like the pipeline: SIGUSR1 stops it (exit 138), or it finishes anyway (mode finish).
                trap 'if [ "$1" = finish ]; then exit 0; else exit 138; fi' USR1
                touch "\(ready)"
                while :; do sleep 0.05; done

                """, to: fake, executable: true)
            try FileManager.default.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
            try write("#!/bin/bash\necho \"$*\" >> \(shellQuote(record))\nexit \(scontrolStatus)\n", to: root + "/bin/scontrol", executable: true)
            let plan = try SlurmPlan(executable: "/unused", config: "/c.json", workdir: root, unitCount: 4, arraySize: 4,
                                     timeLimit: try SlurmTimeLimit("5"), maxRequeues: 3,
                                     commandOverride: { _ in [.literal(fake), .literal(mode)] })
            let script = root + "/job.sbatch"
            try write(plan.job(stage).script, to: script)
            var environment = ["SLURM_SUBMIT_DIR": root, "SLURM_JOB_ID": "4242", "SLURM_ARRAY_JOB_ID": "4242", "SLURM_ARRAY_TASK_ID": "3",
                               "PATH": root + "/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
            if let restarts { environment["SLURM_RESTART_COUNT"] = String(restarts) }
            let child = try spawn(["bash", script], environment: environment)
            if signal {
                let deadline = Date().addingTimeInterval(20)
                while !FileManager.default.fileExists(atPath: ready), Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
                kill(child.pid, SIGUSR1)
            }
            let r = child.wait(timeout: 30)
            let calls = (try? String(contentsOfFile: record, encoding: .utf8)) ?? ""
            return Outcome(status: r.status, scontrol: calls, log: r.err)
        }

        @Test func aPipelineThatFinishesEndsTheJobWithStatus0() throws {
            let o = try Self.runScript(mode: "ok", signal: false)
            #expect(o.status == 0 && o.scontrol.isEmpty, "\(o)")
        }

        @Test func aPipelineThatFailsFailsTheJobAndIsNotRequeued() throws {
            let o = try Self.runScript(mode: "fail", signal: false)
            #expect(o.status == 3 && o.scontrol.isEmpty, "\(o)")
        }

        @Test func theSignalStopsThePipelineAndRequeuesTheJob() throws {
            let o = try Self.runScript(mode: "stop", signal: true, restarts: 1)
            #expect(o.scontrol == "requeue 4242\n", "\(o)")
            #expect(o.status == 138, "\(o)")
            #expect(o.log.contains("job 4242 stopped before its time limit, checkpoints written: requeue 2 of at most 3"), "\(o.log)")
        }

        /// One task of an array has the array's id as its SLURM_JOB_ID (here 4242): requeueing by that
        /// id would requeue the whole array, so a task names itself ARRAYID_TASKID.
        @Test func anArrayTaskRequeuesItselfAlone() throws {
            let o = try Self.runScript(mode: "stop", signal: true, stage: .samples)
            #expect(o.scontrol == "requeue 4242_3\n", "\(o)")
            #expect(o.status == 138, "\(o)")
        }

        @Test func aPipelineThatFinishesDespiteTheSignalIsNotRequeued() throws {
            let o = try Self.runScript(mode: "finish", signal: true)
            #expect(o.status == 0 && o.scontrol.isEmpty, "\(o)")
        }

        @Test func afterMaxRequeuesTheJobFailsInstead() throws {
            let o = try Self.runScript(mode: "stop", signal: true, restarts: 3)
            #expect(o.status == 138 && o.scontrol.isEmpty, "\(o)")
            #expect(o.log.contains("stopped at its time limit after 3 requeues: not requeued again"), "\(o.log)")
        }

        @Test func aFailedRequeueLeavesTheJobFailed() throws {
            let o = try Self.runScript(mode: "stop", signal: true, scontrolStatus: 1)
            #expect(o.status == 138 && o.scontrol == "requeue 4242\n", "\(o)")
            #expect(o.log.contains("scontrol requeue failed"), "\(o.log)")
        }
    }
}

// MARK: - the binary the jobs run

extension SlurmPlanTests {
    @Suite struct Executable {
        /// A fake build directory: `.build/x86_64/release/pipeline` and, if asked, `.build/static/pipeline`
        /// written `staticAge` seconds before it.
        static func build(staticAge: Double?) throws -> (root: String, running: String, staticBinary: String) {
            let root = try makeTempDir("seem-exe")
            let running = root + "/.build/x86_64/release/pipeline", staticBinary = root + "/.build/static/pipeline"
            try FileManager.default.createDirectory(atPath: root + "/.build/x86_64/release", withIntermediateDirectories: true)
            try write("#!/bin/sh\n", to: running, executable: true)
            if let staticAge {
                try FileManager.default.createDirectory(atPath: root + "/.build/static", withIntermediateDirectories: true)
                try write("#!/bin/sh\n", to: staticBinary, executable: true)
                let now = Date()
                try FileManager.default.setAttributes([.modificationDate: now], ofItemAtPath: running)
                try FileManager.default.setAttributes([.modificationDate: now.addingTimeInterval(-staticAge)], ofItemAtPath: staticBinary)
            }
            return (root, running, staticBinary)
        }

        @Test func theStaticBuildBesideTheRunningOneIsPreferred() throws {
            let b = try Self.build(staticAge: -5)
            defer { try? FileManager.default.removeItem(atPath: b.root) }
            let e = try JobExecutable.choose(requested: nil, running: b.running, runningIsSelfContained: false)
            #expect(e == JobExecutable(path: b.staticBinary, warning: nil))
        }

        @Test func anOlderStaticBuildIsNotUsed() throws {
            let b = try Self.build(staticAge: 60)
            defer { try? FileManager.default.removeItem(atPath: b.root) }
            let e = try JobExecutable.choose(requested: nil, running: b.running, runningIsSelfContained: false)
            #expect(e.path == b.running)
            #expect(e.warning?.contains("is older than") == true, "\(e)")
        }

        @Test func withoutAStaticBuildTheRunningOneIsUsedWithAWarning() throws {
            let b = try Self.build(staticAge: nil)
            defer { try? FileManager.default.removeItem(atPath: b.root) }
            let e = try JobExecutable.choose(requested: nil, running: b.running, runningIsSelfContained: false)
            #expect(e.path == b.running)
            #expect(e.warning?.contains("the nodes need it") == true, "\(e)")
            #expect(try JobExecutable.choose(requested: nil, running: b.running, runningIsSelfContained: true)
                    == JobExecutable(path: b.running, warning: nil))
        }

        @Test func anExplicitExecutableWinsAndMustBeExecutable() throws {
            let b = try Self.build(staticAge: -5)
            defer { try? FileManager.default.removeItem(atPath: b.root) }
            #expect(try JobExecutable.choose(requested: b.running, running: b.running, runningIsSelfContained: false)
                    == JobExecutable(path: b.running, warning: nil))
            for bad in [b.root + "/nothing", b.root + "/.build"] {
                #expect(throws: InputError.self) {
                    try JobExecutable.choose(requested: bad, running: b.running, runningIsSelfContained: false)
                }
            }
            // These tests load the Swift runtime from the toolchain; /proc/self/maps says so.
            #expect(!JobExecutable.runningIsSelfContained)
            #expect(JobExecutable.enclosingBuildDirectory(of: "/a/.build/x/release/pipeline") == "/a/.build")
            #expect(JobExecutable.enclosingBuildDirectory(of: "/usr/bin/pipeline") == nil)
        }
    }
}

// MARK: - real Slurm (SEEM_SLURM_TESTS=1)

extension SlurmPlanTests {
    @Suite(.serialized) struct LocalCluster {
        static let enabled = ProcessInfo.processInfo.environment["SEEM_SLURM_TESTS"] == "1"

        /// Brings up the local Slurm with scripts/slurm-local.sh, submits a generated parent → samples
        /// (array) → study chain whose commands only write marker files, and checks the markers, their
        /// order and the log files; then `down`.
        @Test(.enabled(if: enabled, "set SEEM_SLURM_TESTS=1 (needs root and apt or installed slurm)"),
              .timeLimit(.minutes(10)))
        func generatedChainRunsInOrder() throws {
            let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().path
            let script = repo + "/scripts/slurm-local.sh"
            let env = ProcessInfo.processInfo.environment
            let localDir = env["SLURM_LOCAL_DIR"] ?? "/tmp/seem-slurm-test"
            let scriptEnv = ["SLURM_LOCAL_DIR": localDir]

            let up = try run(["bash", script, "up"], environment: scriptEnv, timeout: 900)
            #expect(up.status == 0, "slurm-local.sh up failed:\n\(up.err)")
            guard up.status == 0 else { return }
            defer {
                let down = try? run(["bash", script, "down"], environment: scriptEnv, timeout: 120)
                #expect(down?.status == 0, "slurm-local.sh down failed:\n\(down?.err ?? "")")
            }
            let slurmEnv = ["SLURM_CONF": localDir + "/etc/slurm.conf"]

            let root = try makeTempDir("seem slurm 'chain'")
            defer { try? FileManager.default.removeItem(atPath: root) }
            let workdir = root + "/work dir"
            let units = 5, n = 3
            // Each stage checks that the one before it has finished, then writes a marker with a timestamp.
            let stamp = #"date +%s%N"#
            let override: @Sendable (SlurmPlan.Stage) -> [ShellWord] = { stage in
                switch stage {
                case .parent:
                    return [.literal("/bin/bash"), .literal("-c"), .literal(#"\#(stamp) > "$1/parent.marker""#),
                            .literal("parent"), .literal(workdir)]
                case .samples:
                    return [.literal("/bin/bash"), .literal("-c"),
                            .literal(#"test -s "$1/parent.marker"; \#(stamp) > "$1/sample-$2.marker""#),
                            .literal("sample"), .literal(workdir), .variable("SLURM_ARRAY_TASK_ID")]
                case .study:
                    return [.literal("/bin/bash"), .literal("-c"),
                            .literal(#"for i in $(seq 0 $(($2 - 1))); do test -s "$1/sample-$i.marker"; done; \#(stamp) > "$1/study.marker""#),
                            .literal("study"), .literal(workdir), .literal(String(n))]
                case .large:
                    return [.literal("/bin/true")]  // not in this plan (no large system)
                }
            }
            let plan = try SlurmPlan(executable: "/unused/pipeline", config: root + "/config.json", workdir: workdir,
                                     unitCount: units, arraySize: n, timeLimit: try SlurmTimeLimit("5"),
                                     jobNamePrefix: "seemtest", commandOverride: override)
            for dir in plan.directoriesToCreate {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            }
            var ids: [SlurmJobID] = []
            for job in plan.jobs {
                try write(job.script, to: job.scriptPath)
                let r = try run(try job.sbatchArguments(after: ids.last), environment: slurmEnv, in: root, timeout: 60)
                #expect(r.status == 0, "sbatch \(job.name): \(r.err)")
                ids.append(try SlurmJobID(parsableOutput: r.out))
            }
            let wait = try run(["bash", script, "wait"] + ids.map(\.description) + ["--timeout", "180"],
                               environment: scriptEnv.merging(slurmEnv) { $1 }, timeout: 240)
            #expect(wait.status == 0, "jobs did not all complete:\n\(wait.out)\(wait.err)")

            func stampOf(_ name: String) throws -> UInt64 {
                let text = try String(contentsOfFile: workdir + "/" + name, encoding: .utf8)
                return try #require(UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)))
            }
            let parent = try stampOf("parent.marker")
            let samples = try (0..<n).map { try stampOf("sample-\($0).marker") }
            let study = try stampOf("study.marker")
            #expect(samples.allSatisfy { parent < $0 && $0 < study })
            let logs = try FileManager.default.contentsOfDirectory(atPath: plan.logDirectory).filter { $0.hasSuffix(".out") }.sorted()
            let expectedLogs = (["seemtest-parent-\(ids[0].id).out", "seemtest-study-\(ids[2].id).out"]
                + (0..<n).map { "seemtest-samples-\(ids[1].id)_\($0).out" }).sorted()
            #expect(logs == expectedLogs)
        }
    }
}
