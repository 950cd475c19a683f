import Foundation
import Testing
@testable import Study

/// A study whose jobs outlive their Slurm time limit: `tiny-long.json` (the tiny study with a
/// 2500-ps melt, ~2.5 min, and 300-ps relaxations, ~30 s per sample, one process at a time) submitted
/// with `--time 2` and one array task, so that the parent job and the array task each need about
/// three minutes, where a run gets at most 90 s before its signal. Each must be
/// signalled before its limit, write its checkpoints and requeue itself, the dependent jobs must
/// wait for the requeued ones to end, and the results must be the bytes of a local run (made
/// at the same time, on the other core). About 8 minutes on 2 idle cores; under load the runs are
/// slower and need more requeues (20 minutes seen with builds beside it), hence the generous wait.
extension StudyRunTests {
    static let tinyLong = repo + "/Tests/PipelineTests/Fixtures/studies/tiny-long.json"

    /// The local Slurm of this test: its own directory and ports, and no munge, so that no other
    /// Slurm test's `down` (which stops the daemons and the munged it started) ends its jobs; the
    /// environment's SLURM_LOCAL_DIR and SLURM_LOCAL_PORT are for those.
    static let requeueCluster = ["SLURM_LOCAL_DIR": "/tmp/seem-slurm-requeue", "SLURM_LOCAL_PORT": "6837",
                                 "SLURM_LOCAL_AUTH": "none"]

    @Test(.enabled(if: ProcessInfo.processInfo.environment["SEEM_SLURM_TESTS"] == "1"))
    func slurmJobsRequeuedAtTheirTimeLimitGiveTheSameResultsAsALocalRun() throws {
        let started = Date()
        let script = Self.repo + "/scripts/slurm-local.sh"
        let up = try run(["bash", script, "up"], environment: Self.requeueCluster, timeout: 300)
        #expect(up.status == 0, "slurm-local.sh up failed: \(up.err)")
        guard up.status == 0 else { return }
        defer { _ = try? run(["bash", script, "down"], environment: Self.requeueCluster, timeout: 120) }
        let environment = Self.requeueCluster.merging(["SLURM_CONF": Self.requeueCluster["SLURM_LOCAL_DIR"]! + "/etc/slurm.conf"]) { $1 }

        let root = try Self.temporaryDirectory("tiny-long")
        let local = try spawn([Self.pipeline, "run", Self.tinyLong, "--workdir", root + "/local"])
        let study = root + "/slurm"
        let submit = try run([Self.pipeline, "submit", Self.tinyLong, "--workdir", study, "--time", "2", "--array-size", "1",
                              "--executable", Self.pipeline], environment: environment, in: Self.repo, timeout: 120)
        #expect(submit.status == 0, "\(submit.err)")
        #expect(submit.out.contains("samples: job"), "\(submit.out)")
        let ids = submit.out.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
        #expect(ids.count == 3, "\(submit.out)")
        let wait = try run(["bash", script, "wait"] + ids + ["--timeout", "2400"], environment: environment, timeout: 2460)
        #expect(wait.status == 0, "jobs did not all complete: \(wait.out) \(wait.err)")
        let reference = local.wait(timeout: 900)
        #expect(reference.status == 0, "local run: \(reference.err)")

        // Each job's log (appended to across requeues): its requeues, and no run that hit the limit.
        func log(_ prefix: String) throws -> String {
            let logs = study + "/logs/slurm"
            let name = try #require(try FileManager.default.contentsOfDirectory(atPath: logs).first { $0.hasPrefix(prefix) })
            return try String(contentsOfFile: logs + "/" + name, encoding: .utf8)
        }
        let parent = try log("seem-parent-"), samples = try log("seem-samples-"), harvest = try log("seem-study-")
        func requeues(_ text: String) -> Int { text.components(separatedBy: "checkpoints written: requeue").count - 1 }
        #expect(requeues(parent) >= 1, "the parent job was never requeued:\n\(parent)")
        #expect(requeues(samples) >= 1, "the array task was never requeued:\n\(samples)")
        for text in [parent, samples, harvest] {
            #expect(!text.contains("DUE TO TIME LIMIT") && !text.contains("not requeued again"), "\(text)")
        }
        // A dependent job starts after the last line of the job it depends on, requeues included.
        func stamps(_ text: String) -> [String] {
            text.matches(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/).map { String($0.output) }
        }
        #expect((stamps(parent).max() ?? "~") <= (stamps(samples).min() ?? ""), "samples started before the parent ended")
        #expect((stamps(samples).max() ?? "~") <= (stamps(harvest).min() ?? ""), "study started before the samples ended")

        try Self.expectSameResults(root + "/local", study)
        Self.expectOnlyResults(study)
        print("slurm requeue test: \(requeues(parent)) parent and \(requeues(samples)) array-task requeues, "
              + "\(Int(Date().timeIntervalSince(started))) s")
    }
}
