import AQS
import Minimization
import Foundation
import MDCore
import Testing

/// `pipeline shear` and `pipeline minimize` as subprocesses: kill-and-resume gives a byte-identical
/// history (at 1 and 2 threads), checkpoints from other settings are refused, damaged ones are
/// recomputed with a warning, and bad input exits 2 with one line.
@Suite("pipeline shear / minimize (executable)", .serialized)
struct ShearCLITests {
    /// 108-atom jittered Cu–Zr fcc written as a data file, and the arguments of a 20-step run.
    struct Workspace {
        let dir: URL
        let pipeline: String
        let structure: String

        init() throws {
            pipeline = try requirePipeline()
            dir = makeTemporaryDirectory("seem-aqs-cli")
            structure = dir.appendingPathComponent("start.data").path
            try LAMMPSDataFile.write(jitteredAlloy(cells: 3), to: structure)
        }

        func shearArguments(_ output: String, threads: Int = 1, extra: [String] = []) -> [String] {
            ["shear", structure, "--potential", cuZrPath, "--elements", "Cu,Zr", "--strain-step", "1e-3",
             "--max-strain", "0.02", "--ftol", "1e-8", "--predictor", "on", "--checkpoint-every", "3",
             "--threads", "\(threads)", "--output", dir.appendingPathComponent(output).path] + extra
        }

        func path(_ output: String, _ file: String) -> String { dir.appendingPathComponent(output).appendingPathComponent(file).path }

        func history(_ output: String) -> Data? { FileManager.default.contents(atPath: path(output, "history.csv")) }

        func rows(_ output: String) -> Int {
            guard let h = history(output) else { return 0 }
            return h.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 } - 1
        }

        /// Starts a run and stops it with `signal` once a checkpoint exists and `rows` rows are written.
        func interruptedRun(_ output: String, threads: Int, rows wanted: Int, signal: Int32) throws -> ProcessOutput {
            let p = try Subprocess(pipeline, shearArguments(output, threads: threads), in: dir)
            let deadline = Date().addingTimeInterval(300)
            while p.process.isRunning && Date() < deadline
                && !(FileManager.default.fileExists(atPath: path(output, "checkpoint.bin")) && rows(output) >= wanted) {
                usleep(5000)
            }
            if p.process.isRunning { kill(p.process.processIdentifier, signal) }
            return try p.wait()
        }

        func cleanup() { try? FileManager.default.removeItem(at: dir) }
    }

    @Test func killedRunResumesToAByteIdenticalHistory() throws {
        let w = try Workspace()
        defer { w.cleanup() }
        // Uninterrupted, 1 thread, with snapshots.
        let straight = try runProcess(w.pipeline, w.shearArguments("straight", extra: ["--snapshot-every", "5"]), in: w.dir)
        #expect(straight.status == 0, "\(straight.stderr)")
        #expect(straight.stderr.isEmpty, "non-TTY runs print only warnings: \(straight.stderr)")
        #expect(straight.stdout.contains("\"settings_key\""))
        let reference = try #require(w.history("straight"))
        #expect(w.rows("straight") == 21)
        #expect(String(decoding: reference, as: UTF8.self).hasPrefix(ShearRecord.csvHeader + "\n0,0.0,"))
        #expect(!FileManager.default.fileExists(atPath: w.path("straight", "checkpoint.bin")))
        #expect(FileManager.default.fileExists(atPath: w.path("straight", "summary.json")))
        for step in ["000000", "000005", "000020"] {
            let s = try LAMMPSDataFile.read(path: w.path("straight", "snapshots/step-\(step).data"))
            #expect(s.count == 108)
        }

        // SIGKILL after a checkpoint and a few more rows, 2 threads; resume.
        let killed = try w.interruptedRun("killed", threads: 2, rows: 8, signal: SIGKILL)
        #expect(killed.status == SIGKILL, "the run should have been killed mid-way (status \(killed.status))")
        #expect(FileManager.default.fileExists(atPath: w.path("killed", "checkpoint.bin")))
        let resumed = try runProcess(w.pipeline, w.shearArguments("killed", threads: 2), in: w.dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.isEmpty, "\(resumed.stderr)")
        #expect(w.history("killed") == reference)
        #expect(!FileManager.default.fileExists(atPath: w.path("killed", "checkpoint.bin")))

        // A finished directory is not recomputed.
        let again = try runProcess(w.pipeline, w.shearArguments("straight"), in: w.dir)
        #expect(again.status == 0)
        #expect(again.stderr.contains("already complete"))
        #expect(w.history("straight") == reference)
    }

    @Test func terminatedRunRefusesOtherSettingsAndRecomputesADamagedCheckpoint() throws {
        let w = try Workspace()
        defer { w.cleanup() }
        let reference = try { () throws -> Data in
            let r = try runProcess(w.pipeline, w.shearArguments("straight"), in: w.dir)
            #expect(r.status == 0, "\(r.stderr)")
            return try #require(w.history("straight"))
        }()

        let terminated = try w.interruptedRun("term", threads: 1, rows: 5, signal: SIGTERM)
        #expect(terminated.status == 128 + SIGTERM, "\(terminated.stderr)")
        #expect(terminated.stderr.contains("interrupted after step"))
        let checkpoint = w.path("term", "checkpoint.bin")
        #expect(FileManager.default.fileExists(atPath: checkpoint))

        // Other settings: refused, one line, nothing changed.
        var other = w.shearArguments("term")
        other[other.firstIndex(of: "1e-3")!] = "2e-3"
        let refused = try runProcess(w.pipeline, other, in: w.dir)
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix(checkpoint + ": error: checkpoint is from a run with different settings"))
        #expect(refused.stderr.contains("strain_step: 0.001 in the checkpoint, 0.002 now"))
        #expect(refused.stderr.dropLast().firstIndex(of: "\n") == nil)
        #expect(FileManager.default.fileExists(atPath: checkpoint))

        // Damaged checkpoint: a warning, then the run starts over and ends identical.
        var bytes = try #require(FileManager.default.contents(atPath: checkpoint))
        bytes[bytes.count / 2] ^= 0xff
        try bytes.write(to: URL(fileURLWithPath: checkpoint))
        let recomputed = try runProcess(w.pipeline, w.shearArguments("term"), in: w.dir)
        #expect(recomputed.status == 0, "\(recomputed.stderr)")
        #expect(recomputed.stderr.contains("checksum does not match"))
        #expect(w.history("term") == reference)
    }

    /// Exit status 2, nothing on stdout, one stderr line starting with `prefix`.
    func expectBadInput(_ out: ProcessOutput, prefix: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(out.status == 2, "exit status \(out.status); stderr: \(out.stderr)", sourceLocation: sourceLocation)
        #expect(out.stdout.isEmpty, "stdout: \(out.stdout)", sourceLocation: sourceLocation)
        #expect(out.stderr.hasSuffix("\n") && out.stderr.dropLast().firstIndex(of: "\n") == nil,
                "stderr is not one line: \(out.stderr.debugDescription)", sourceLocation: sourceLocation)
        #expect(out.stderr.hasPrefix(prefix), "stderr \(out.stderr.debugDescription) should start with \(prefix)",
                sourceLocation: sourceLocation)
    }

    @Test func badInputExitsTwoWithOneLine() throws {
        let w = try Workspace()
        defer { w.cleanup() }
        func shear(_ replacing: [String: String], extra: [String] = []) throws -> ProcessOutput {
            var args = w.shearArguments("bad")
            for (flag, value) in replacing {
                let k = args.firstIndex(of: flag)!
                args.replaceSubrange(k...(k + 1), with: ["\(flag)=\(value)"])
            }
            return try runProcess(w.pipeline, args + extra, in: w.dir)
        }
        for value in ["0", "-1e-5", "nan", "inf"] {
            expectBadInput(try shear(["--strain-step": value]), prefix: "--strain-step: error:")
        }
        expectBadInput(try shear(["--strain-step": "1e-3", "--max-strain": "1e-4"]), prefix: "--max-strain: error: maximum strain 0.0001 is below the strain step 0.001")
        expectBadInput(try shear(["--max-strain": "nan"]), prefix: "--max-strain: error:")
        for value in ["nan", "inf", "-1"] { expectBadInput(try shear(["--ftol": value]), prefix: "--ftol: error:") }
        expectBadInput(try shear(["--ftol": "0"]), prefix: "--ftol: error: give a force tolerance > 0 or an energy tolerance > 0")
        expectBadInput(try shear([:], extra: ["--etol", "nan"]), prefix: "--etol: error:")
        expectBadInput(try shear([:], extra: ["--norm", "euclid"]), prefix: "--norm: error: unknown norm 'euclid'")
        expectBadInput(try shear(["--predictor": "maybe"]), prefix: "--predictor: error:")
        expectBadInput(try shear(["--checkpoint-every": "0"]), prefix: "--checkpoint-every: error:")
        expectBadInput(try shear(["--threads": "0"]), prefix: "--threads: error:")
        expectBadInput(try shear([:], extra: ["--snapshot-every=-1"]), prefix: "--snapshot-every: error:")
        // An output directory that cannot be created (its parent is a file).
        let blocked = w.dir.appendingPathComponent("blocker").path
        _ = FileManager.default.createFile(atPath: blocked, contents: Data("x".utf8))
        expectBadInput(try shear(["--output": blocked + "/out"]), prefix: blocked + "/out: error: cannot create output directory")
        expectBadInput(try shear(["--output": blocked]), prefix: blocked + ": error: output path exists and is not a directory")
        // minimize
        let min = { (extra: [String]) in
            try runProcess(w.pipeline, ["minimize", w.structure, "--potential", cuZrPath, "--elements", "Cu,Zr",
                                        "--output", w.dir.appendingPathComponent("m.data").path] + extra, in: w.dir)
        }
        expectBadInput(try min(["--ftol", "nan"]), prefix: "--ftol: error:")
        expectBadInput(try min(["--ftol", "1e-8", "--max-iterations", "0"]), prefix: "--max-iterations: error:")
        expectBadInput(try min(["--ftol", "1e-8", "--norm", "two"]), prefix: "--norm: error:")
    }

    @Test func minimizePrintsAReportAndWritesTheStructure() throws {
        let w = try Workspace()
        defer { w.cleanup() }
        let out = w.dir.appendingPathComponent("min.data").path
        let r = try runProcess(w.pipeline, ["minimize", w.structure, "--potential", cuZrPath, "--elements", "Cu,Zr",
                                            "--ftol", "1e-8", "--norm", "max", "--output", out], in: w.dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("{\"atoms\": 108, \"iterations\": "))
        #expect(r.stdout.contains("\"stop_reason\": \"ftol\""))
        let s = try LAMMPSDataFile.read(path: out)
        #expect(s.count == 108)
        #expect(s.masses == [63.546, 91.224])

        let l = try runProcess(w.pipeline, ["minimize", w.structure, "--potential", cuZrPath, "--elements", "Cu,Zr",
                                            "--ftol", "1e-8", "--minimizer", "lbfgs", "--output", out], in: w.dir)
        #expect(l.status == 0, "\(l.stderr)")
        #expect(l.stdout.contains("\"stop_reason\": \"ftol\""))
        expectBadInput(try runProcess(w.pipeline, ["minimize", w.structure, "--potential", cuZrPath, "--elements", "Cu,Zr",
                                                   "--ftol", "1e-8", "--minimizer", "fire", "--output", out], in: w.dir),
                       prefix: "--minimizer: error:")
    }
}
