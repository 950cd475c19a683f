import Foundation
import MDCore
import Testing
@testable import Study
#if canImport(Glibc)
import Glibc
#endif

/// Results one can trust on disk (SEEM_E2E=1, like `StudyRunTests`, whose tiny reference run they share):
/// same-size edits of finished outputs are found by their SHA-256 and recomputed; a finished study on a
/// read-only file system is inspected and `run` says there is nothing to do; a work directory belongs
/// to one study; a waiting process says who holds the lock; every exit code comes from a real failure;
/// and a study killed with SIGKILL many times at random moments, one output tampered with, ends with
/// the bytes of a clean run.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["SEEM_E2E"] == "1"))
struct IntegrityTests {
    static let pipeline = StudyRunTests.pipeline
    static let tiny = StudyRunTests.tiny

    static func copyOfReference(_ tag: String) throws -> String {
        let study = try StudyRunTests.temporaryDirectory(tag) + "/study"
        try FileManager.default.copyItem(atPath: try StudyRunTests.reference.get(), toPath: study)
        return study
    }

    /// Changes one digit of `path` in place (same size): the first digit after byte `from` that is not 9.
    static func editOneDigit(_ path: String, from: Int = 0) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let start = min(from, bytes.count - 1)
        guard let i = bytes[start...].firstIndex(where: { $0 >= UInt8(ascii: "0") && $0 < UInt8(ascii: "9") }) else {
            Issue.record("no digit to edit in \(path)")
            return
        }
        bytes[i] += 1
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// The tiny config with every relative path made absolute (so it can be written anywhere) and `edit` applied.
    static func tinyConfig(beside study: String, name: String, _ edit: (String) -> String = { $0 }) throws -> String {
        var text = try String(contentsOfFile: tiny, encoding: .utf8)
        text = text.replacingOccurrences(of: "../../../../potentials/", with: StudyRunTests.repo + "/potentials/")
        let path = study + "-" + name + ".json"
        try edit(text).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs `argv` with `directory` mounted read-only over itself, in a private mount namespace (root
    /// only); otherwise with the directory's write permission removed for the call.
    static func runReadOnly(_ directory: String, _ argv: [String], timeout: Double = 600) throws -> (status: Int32, out: String, err: String) {
        if getuid() == 0 {
            let script = "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" && shift && exec \"$@\""
            return try run(["unshare", "--mount", "sh", "-c", script, "sh", directory] + argv, timeout: timeout)
        }
        _ = try run(["chmod", "-R", "a-w", directory])
        defer { _ = try? run(["chmod", "-R", "u+w", directory]) }
        return try run(argv, timeout: timeout)
    }

    @Test func sameSizeEditsAreFoundByTheirHashAndRecomputedToTheCleanBytes() throws {
        let reference = try StudyRunTests.reference.get()
        let study = try Self.copyOfReference("tiny-tampered")
        let history = study + "/shear/rate-1e15/sample-001/history.csv"
        let inherent = study + "/quench/rate-2e14/sample-002/inherent.data"
        let database = study + "/harvest/database.json"
        try Self.editOneDigit(history, from: 2000)
        try Self.editOneDigit(inherent, from: 1500)
        try Self.editOneDigit(database, from: 3000)

        // Plain status compares sizes: it cannot see a same-size edit. --verify names every edited file.
        let plain = try run([Self.pipeline, "status", Self.tiny, "--workdir", study])
        #expect(plain.status == 0 && !plain.out.contains("corrupt"), "\(plain.out)")
        let verify = try run([Self.pipeline, "status", Self.tiny, "--workdir", study, "--verify"])
        #expect(verify.status == 0, "\(verify.err)")
        for f in [history, inherent, database] { #expect(verify.out.contains("corrupt: " + f), "status --verify misses \(f): \(verify.out)") }

        let r = try run([Self.pipeline, "run", Self.tiny, "--workdir", study], timeout: 900)
        #expect(r.status == 0, "\(r.err)")
        for f in [history, inherent] { #expect(r.err.contains(f), "run does not name \(f): \(r.err)") }
        // The edited glass's quench and shear, the edited history's shear, and everything downstream
        // (the edited database.json with it).
        let started = Set(StudyRunTests.startedUnits(r.err))
        #expect(started == ["quench/rate-2e14/sample-002", "shear/rate-2e14/sample-002", "shear/rate-1e15/sample-001",
                            "harvest", "seem", "report"], "\(started.sorted())")
        StudyRunTests.expectOnlyResults(study)
        try StudyRunTests.expectSameResults(reference, study)
        let log = try String(contentsOfFile: study + "/logs/run.log", encoding: .utf8)
        #expect(log.contains("is corrupt") && log.contains(history), "the warning is not in logs/run.log")

        // The database alone: the harvest and what reads it.
        try Self.editOneDigit(database, from: 3000)
        let d = try run([Self.pipeline, "run", Self.tiny, "--workdir", study], timeout: 900)
        #expect(d.status == 0 && d.err.contains(database), "\(d.err)")
        #expect(StudyRunTests.startedUnits(d.err) == ["harvest", "seem", "report"], "\(d.err)")
        try StudyRunTests.expectSameResults(reference, study)
        let after = try run([Self.pipeline, "status", Self.tiny, "--workdir", study, "--verify"])
        #expect(after.out.contains("verified: every output"), "\(after.out)")
    }

    @Test func aReadOnlyFinishedStudyIsInspectedAndRunHasNothingToDo() throws {
        let study = try Self.copyOfReference("tiny-readonly")
        let listing = StudyRunTests.resultFiles(study)
        let status = try Self.runReadOnly(study, [Self.pipeline, "status", Self.tiny, "--workdir", study, "--verify"])
        #expect(status.status == 0 && status.out.contains("report   1 units: 1 done"), "\(status.out) \(status.err)")
        let check = try Self.runReadOnly(study, [Self.pipeline, "check-config", Self.tiny, "--workdir", study])
        #expect(check.status == 0, "\(check.err)")
        #expect(check.out.contains("\"workdir\": \"\(study)\""), "check-config does not print the --workdir: \(check.out)")
        let again = try Self.runReadOnly(study, [Self.pipeline, "run", Self.tiny, "--workdir", study])
        #expect(again.status == 0 && again.err.contains("nothing to do"), "\(again.status) \(again.err)")
        #expect(StudyRunTests.resultFiles(study) == listing)

        // With work left (one more sample per rate), run says the directory is read-only: exit 3.
        let more = try Self.tinyConfig(beside: study, name: "more") { $0.replacingOccurrences(of: "\"samples_per_rate\": 3", with: "\"samples_per_rate\": 4") }
        let blocked = try Self.runReadOnly(study, [Self.pipeline, "run", more, "--workdir", study])
        #expect(blocked.status == 3 && blocked.err.contains("not writable") && blocked.err.contains("units remain"), "\(blocked.status) \(blocked.err)")
    }

    @Test func aReadOnlyCheckoutRunsWithWorkdirElsewhere() throws {
        // The checkout holds configs/ and potentials/; its own study.workdir (../runs/…) cannot be made.
        let checkout = try StudyRunTests.temporaryDirectory("checkout")
        for dir in ["configs", "potentials"] {
            try FileManager.default.copyItem(atPath: StudyRunTests.repo + "/" + dir, toPath: checkout + "/" + dir)
        }
        let tinyCopy = checkout + "/configs/tiny.json"
        var text = try String(contentsOfFile: Self.tiny, encoding: .utf8)
        text = text.replacingOccurrences(of: "../../../../potentials/", with: "../potentials/")
            .replacingOccurrences(of: "\"workdir\": \"/tmp/seem-tiny\"", with: "\"workdir\": \"../runs/tiny\"")
        try text.write(toFile: tinyCopy, atomically: true, encoding: .utf8)
        let study = try StudyRunTests.temporaryDirectory("elsewhere") + "/study"
        let r = try Self.runReadOnly(checkout, [Self.pipeline, "run", tinyCopy, "--workdir", study], timeout: 900)
        #expect(r.status == 0, "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: checkout + "/runs"))
        // The same bytes as the reference, but for config.json, which names the checkout's potential file.
        let reference = try StudyRunTests.reference.get()
        #expect(StudyRunTests.resultFiles(reference) == StudyRunTests.resultFiles(study))
        for f in StudyRunTests.resultFiles(reference) where f != "config.json" {
            #expect(FileManager.default.contentsEqual(atPath: reference + "/" + f, andPath: study + "/" + f), "\(f) differs")
        }
    }

    @Test func aWorkdirBelongsToOneStudy() throws {
        let study = try Self.copyOfReference("tiny-owned")
        let before = try String(contentsOfFile: study + "/config.json", encoding: .utf8)
        let other = try Self.tinyConfig(beside: study, name: "other-seed") { $0.replacingOccurrences(of: "\"seed\": 3", with: "\"seed\": 4") }
        let r = try run([Self.pipeline, "run", other, "--workdir", study], timeout: 120)
        #expect(r.status == 2 && r.err.contains("--force") && r.err.contains("study.seed"), "\(r.status) \(r.err)")
        #expect(try String(contentsOfFile: study + "/config.json", encoding: .utf8) == before, "config.json was overwritten")
        // Harvest, SEEM and report settings stay free to change (no refusal; only those units rerun).
        let seem = try Self.tinyConfig(beside: study, name: "seem") { $0.replacingOccurrences(of: "\"runs_per_sample\": 20", with: "\"runs_per_sample\": 25") }
        let s = try run([Self.pipeline, "run", seem, "--workdir", study], timeout: 600)
        #expect(s.status == 0 && StudyRunTests.startedUnits(s.err) == ["seem", "report"], "\(s.err)")
        // --force replaces the study (only its parent melt here, to keep the test short).
        let forced = try run([Self.pipeline, "run", other, "--workdir", study, "--force", "--only", "parent"], timeout: 600)
        #expect(forced.status == 0 && StudyRunTests.startedUnits(forced.err) == ["quench/parent"], "\(forced.err)")
    }

    @Test func aWaitingProcessSaysWhoHoldsTheLock() throws {
        let study = try StudyRunTests.temporaryDirectory("tiny-lock") + "/study"
        let args = [Self.pipeline, "run", Self.tiny, "--workdir", study]
        let holder = try spawn(args, environment: ["SEEM_STALL_AT": "quench/parent"])
        defer { kill(holder.pid, SIGKILL); _ = holder.wait(timeout: 30) }
        #expect(StudyRunTests.waitUntil(timeout: 120) {
            ((try? String(contentsOfFile: study + "/logs/run.log", encoding: .utf8)) ?? "").contains("quench/parent: started")
        })
        let waiter = try spawn(args)
        defer { kill(waiter.pid, SIGKILL) }
        #expect(StudyRunTests.waitUntil(timeout: 60) {
            ((try? String(contentsOfFile: study + "/logs/run.log", encoding: .utf8)) ?? "").contains("waiting for the lock")
        })
        kill(waiter.pid, SIGTERM)
        let w = waiter.wait(timeout: 60)
        #expect(w.err.contains("held by process \(holder.pid) on "), "\(w.err)")
    }

    // MARK: Exit codes

    @Test func exitCodesNameWhoseProblemItIs() throws {
        let dir = try StudyRunTests.temporaryDirectory("exit-codes")
        // 2: bad input.
        let bad = try Self.tinyConfig(beside: dir + "/x", name: "bad") { $0.replacingOccurrences(of: "\"atoms\": 108", with: "\"atoms\": -5") }
        let r2 = try run([Self.pipeline, "run", bad, "--workdir", dir + "/bad"])
        #expect(r2.status == 2 && r2.err.contains("system.atoms"), "\(r2.status) \(r2.err)")
        // 1: the MD blows up (10 fs steps of a 6000 K melt); the message names the unit, the step and a hint, in run.log too.
        let blow = try Self.tinyConfig(beside: dir + "/x", name: "blowup") { $0.replacingOccurrences(of: "\"timestep_ps\": 0.002", with: "\"timestep_ps\": 0.01, \"melt_temperature_K\": 6000") }
        let r1 = try run([Self.pipeline, "run", blow, "--workdir", dir + "/blowup"], timeout: 300)
        #expect(r1.status == 1 && r1.err.contains(dir + "/blowup/quench/parent") && r1.err.contains("MD step") && r1.err.contains("hint"), "\(r1.status) \(r1.err)")
        let log = (try? String(contentsOfFile: dir + "/blowup/logs/run.log", encoding: .utf8)) ?? ""
        #expect(log.contains("blew up"), "the error is not in logs/run.log: \(log)")
        // 143 / 130: stopped by SIGTERM / SIGINT, checkpoints written.
        for (signal, code) in [(SIGTERM, Int32(143)), (SIGINT, Int32(130))] {
            let study = dir + "/signal-\(signal)"
            let child = try spawn([Self.pipeline, "run", Self.tiny, "--workdir", study])
            #expect(StudyRunTests.waitUntil(timeout: 120) { fileExists(study + "/quench/parent/checkpoint.bin") })
            kill(child.pid, signal)
            let r = child.wait(timeout: 120)
            #expect(r.status == code, "signal \(signal): \(r.status) \(r.err)")
        }
        // 3: the disk fills up (a 64 kB tmpfs; root only, in a private mount namespace).
        guard getuid() == 0 else {
            print("IntegrityTests: the disk-full exit code is not tested: it needs root for a private tmpfs")
            return
        }
        let full = dir + "/full"
        try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        let script = "mount -t tmpfs -o size=64k tmpfs \"$1\" && shift && exec \"$@\""
        let r3 = try run(["unshare", "--mount", "sh", "-c", script, "sh", full, Self.pipeline, "run", Self.tiny, "--workdir", full + "/study"], timeout: 300)
        #expect(r3.status == 3 && r3.err.contains("No space left on device"), "\(r3.status) \(r3.err)")
    }

    // MARK: Chaos

    @Test func killedAtRandomManyTimesWithOneOutputTamperedEndsWithTheCleanBytes() throws {
        let reference = try StudyRunTests.reference.get()
        let study = try StudyRunTests.temporaryDirectory("tiny-chaos") + "/study"
        let args = [Self.pipeline, "run", Self.tiny, "--workdir", study]
        var rng = SystemRandomNumberGenerator()
        var kills = 0
        var delays: [Double] = []
        /// Starts the run and kills it at a random moment: from the first milliseconds (config, locks)
        /// to well into a unit (the whole tiny study takes ~6 s on one core). True when it finished first.
        func killedAtRandom() throws -> Bool {
            let child = try spawn(args)
            let delay = Double.random(in: 0.05...0.8, using: &rng)
            delays.append(delay)
            Thread.sleep(forTimeInterval: delay)
            if child.isRunning { kill(child.pid, SIGKILL); kills += 1 }
            let r = child.wait(timeout: 600)
            #expect(r.status == 137 || r.status == 0, "after \(delay) s: \(r.status) \(r.err)")
            return r.status == 0
        }
        var finished = false
        for _ in 0..<8 where !finished { finished = try killedAtRandom() }
        // One finished shear unit's history is tampered with (same size), then more kills.
        let shearDone = { StudyRunTests.resultFiles(study).first { $0.hasPrefix("shear/") && $0.hasSuffix("/" + UnitStore.recordName) } }
        if shearDone() == nil {
            let child = try spawn(args)
            #expect(StudyRunTests.waitUntil(timeout: 600) { shearDone() != nil }, "no shear unit finished")
            kill(child.pid, SIGKILL)
            _ = child.wait(timeout: 60)
        }
        let unit = study + "/" + String(try #require(shearDone()).dropLast(UnitStore.recordName.count))
        try Self.editOneDigit(unit + "history.csv", from: 500)
        finished = false
        for _ in 0..<8 where !finished { finished = try killedAtRandom() }
        #expect(kills >= 8, "only \(kills) kills landed (delays \(delays))")
        let final = try run(args, timeout: 900)
        #expect(final.status == 0, "\(final.err)")
        StudyRunTests.expectOnlyResults(study)
        try StudyRunTests.expectSameResults(reference, study)
        let leftovers = StudyRunTests.resultFiles(study).filter { $0.contains(".tmp.") }
            + ((try? FileManager.default.contentsOfDirectory(atPath: study + "/logs/timings")) ?? []).filter { $0.contains(".tmp.") }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }
}
