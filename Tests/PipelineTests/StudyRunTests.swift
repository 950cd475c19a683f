import Foundation
import Harvest
import MDCore
import Testing
@testable import Study
#if canImport(Glibc)
import Glibc
#endif

/// End-to-end runs of `pipeline run` (a release build, from SEEM_PIPELINE or the usual build folders),
/// enabled with SEEM_E2E=1 (scripts/test.sh sets it): the tiny study uninterrupted, killed with
/// SIGKILL at points in every stage and resumed (byte-identical results), re-run (no work), with a
/// changed SEEM setting (only seem and report recomputed); the quick config to a rendered report, and
/// submitted to a real single-node Slurm (SEEM_SLURM_TESTS=1): the same bytes as the local run.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["SEEM_E2E"] == "1"))
struct StudyRunTests {
    static let repo: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let tiny = repo + "/Tests/PipelineTests/Fixtures/studies/tiny.json"

    /// The pipeline executable to test: SEEM_PIPELINE, else a release build, else the one beside the tests.
    static let pipeline: String = {
        let env = ProcessInfo.processInfo.environment
        var candidates = [env["SEEM_PIPELINE"]].compactMap { $0 }
        candidates += [repo + "/.build/release/pipeline"]
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("pipeline").path)
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? "pipeline"
    }()

    static func temporaryDirectory(_ tag: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("seem-\(tag)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// An uninterrupted run of the tiny study (made once per test process).
    static let reference: Result<String, Error> = Result {
        let dir = try temporaryDirectory("tiny-reference") + "/study"
        let r = try run([pipeline, "run", tiny, "--workdir", dir], timeout: 900)
        guard r.status == 0 else { throw POSIXError(.EIO, userInfo: ["stderr": r.err]) }
        return dir
    }

    static let quick = repo + "/configs/quick.json"

    /// An uninterrupted local run of the quick study (made once per test process).
    static let quickReference: Result<(dir: String, stderr: String), Error> = Result {
        let dir = try temporaryDirectory("quick") + "/study"
        let r = try run([pipeline, "run", quick, "--workdir", dir], timeout: 1800)
        guard r.status == 0 else { throw POSIXError(.EIO, userInfo: ["stderr": r.err]) }
        return (dir, r.err)
    }

    /// Files below `root` (relative paths), without logs/.
    static func resultFiles(_ root: String) -> [String] {
        let e = FileManager.default.enumerator(atPath: root)
        var out: [String] = []
        while let p = e?.nextObject() as? String {
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: root + "/" + p, isDirectory: &isDir)
            if !isDir.boolValue && !p.hasPrefix("logs/") { out.append(p) }
        }
        return out.sorted()
    }

    /// The two study directories hold the same result files with the same bytes (config.json up to
    /// its workdir line, which names the directory).
    static func expectSameResults(_ a: String, _ b: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let fa = resultFiles(a), fb = resultFiles(b)
        #expect(fa == fb, "file lists differ: \(Set(fa).symmetricDifference(fb).sorted())", sourceLocation: sourceLocation)
        var differing: [String] = []
        for f in fa where fb.contains(f) {
            var x = try Data(contentsOf: URL(fileURLWithPath: a + "/" + f)), y = try Data(contentsOf: URL(fileURLWithPath: b + "/" + f))
            if f == "config.json" {
                x = Data(String(decoding: x, as: UTF8.self).replacingOccurrences(of: a, with: "WORKDIR").utf8)
                y = Data(String(decoding: y, as: UTF8.self).replacingOccurrences(of: b, with: "WORKDIR").utf8)
            }
            if x != y { differing.append(f) }
        }
        #expect(differing.isEmpty, "files differ: \(differing)", sourceLocation: sourceLocation)
    }

    /// No checkpoints, pending markers or temporary files outside logs/.
    static func expectOnlyResults(_ root: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let leftovers = resultFiles(root).filter {
            $0.hasSuffix("checkpoint.bin") || $0.hasSuffix(UnitStore.pendingName) || $0.contains(".tmp.")
        }
        #expect(leftovers.isEmpty, "left over: \(leftovers)", sourceLocation: sourceLocation)
    }

    static func waitUntil(timeout: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return false
    }

    static func lineCount(_ path: String) -> Int {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").filter { $0 == "\n" }.count
    }

    /// "stage: unit: started" lines of a run's stderr.
    static func startedUnits(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").compactMap { line in
            guard line.hasSuffix(": started") else { return nil }
            let parts = line.split(separator: " ").map(String.init)
            return parts.count >= 2 ? parts[parts.count - 2].trimmingCharacters(in: CharacterSet(charactersIn: ":")) : nil
        }
    }

    @Test func killedAnywhereAndResumedGivesByteIdenticalResults() throws {
        let reference = try Self.reference.get()
        Self.expectOnlyResults(reference)
        let study = try Self.temporaryDirectory("tiny-killed") + "/study"
        let args = [Self.pipeline, "run", Self.tiny, "--workdir", study]
        // Kill points: in the middle of units (a checkpoint or a partial history exists) and at the
        // start of every stage (SEEM_STALL_AT holds the run there).
        let midway: [(String, () -> Bool)] = [
            ("parent melt", { fileExists(study + "/quench/parent/checkpoint.bin") }),
            ("sample quench", { fileExists(study + "/quench/rate-2e14/sample-000/checkpoint.bin") }),
            ("shear history", { Self.lineCount(study + "/shear/rate-2e14/sample-001/history.csv") > 60 }),
        ]
        var hits = 0
        for (what, condition) in midway {
            let child = try spawn(args)
            if Self.waitUntil(timeout: 300, condition) {
                kill(child.pid, SIGKILL)
                hits += 1
            }
            let r = child.wait(timeout: 600)
            #expect(r.status == 137 || r.status == 0, "\(what): \(r.err)")
            if what == "shear history" {
                // A damaged checkpoint (cut in half) must be detected by its checksum and recomputed.
                for f in Self.resultFiles(study) where f.hasSuffix("checkpoint.bin") {
                    let path = study + "/" + f
                    let data = try Data(contentsOf: URL(fileURLWithPath: path))
                    try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
                }
            }
        }
        for unit in ["shear/rate-1e15/sample-002", "harvest", "seem", "report"] {
            let child = try spawn(args, environment: ["SEEM_STALL_AT": unit])
            let started = Self.waitUntil(timeout: 600) {
                ((try? String(contentsOfFile: study + "/logs/run.log", encoding: .utf8)) ?? "").contains(" \(unit): started")
            }
            #expect(started, "the run never started \(unit)")
            kill(child.pid, SIGKILL)
            _ = child.wait(timeout: 60)
            hits += 1
        }
        #expect(hits >= 6, "only \(hits) of 7 kill points were reached")
        // The rest with one job (the reference ran two at a time): results do not depend on it.
        let final = try run(args + ["--jobs", "1"], timeout: 900)
        #expect(final.status == 0, "\(final.err)")
        Self.expectOnlyResults(study)
        try Self.expectSameResults(reference, study)
    }

    @Test func secondRunDoesNoWorkAndASEEMSettingRecomputesOnlySEEMAndReport() throws {
        let reference = try Self.reference.get()
        let study = try Self.temporaryDirectory("tiny-rerun") + "/study"
        try FileManager.default.copyItem(atPath: reference, toPath: study)
        let again = try run([Self.pipeline, "run", Self.tiny, "--workdir", study], timeout: 600)
        #expect(again.status == 0, "\(again.err)")
        #expect(Self.startedUnits(again.err).isEmpty, "a finished study did work again: \(Self.startedUnits(again.err))")

        var text = try String(contentsOfFile: Self.tiny, encoding: .utf8)
        text = text.replacingOccurrences(of: "../../../../potentials/", with: Self.repo + "/potentials/")
        text = text.replacingOccurrences(of: "\"runs_per_sample\": 20", with: "\"runs_per_sample\": 30")
        let changed = study + "-changed.json"
        try text.write(toFile: changed, atomically: true, encoding: .utf8)
        let r = try run([Self.pipeline, "run", changed, "--workdir", study], timeout: 600)
        #expect(r.status == 0, "\(r.err)")
        #expect(Self.startedUnits(r.err) == ["seem", "report"], "\(r.err)")
        let status = try run([Self.pipeline, "status", changed, "--workdir", study])
        #expect(status.status == 0 && !status.out.contains("pending") && !status.out.contains("invalidated"), "\(status.out)")
    }

    /// The tiny study with a 216-atom large system (twice the samples' size) whose loading curve
    /// carries the fit of τ_A (τ_B stays fixed: a curve this small cannot resolve both), written
    /// beside `study`.
    static func tinyWithLargeSystem(beside study: String) throws -> String {
        var text = try String(contentsOfFile: tiny, encoding: .utf8)
        text = text.replacingOccurrences(of: "../../../../potentials/", with: repo + "/potentials/")
        let harvest = #""harvest": {"bins": [8, 8], "elastic_fit": {"max_strain": 0.05}, "fixed_parameters": {"uA_eV_per_atom": 0.101, "tauA_GPa": 8.4, "tauB_GPa": 2.9}},"#
        precondition(text.contains(harvest), "tiny.json changed: update this test")
        text = text.replacingOccurrences(of: harvest, with: """
            "large_system": {"atoms": 216, "rate_K_per_s": 1e15, "max_strain": 0.1},
              "harvest": {"bins": [8, 8], "elastic_fit": {"data": "large_system", "max_strain": 0.05}, "fixed_parameters": {"uA_eV_per_atom": 0.101, "tauB_GPa": 2.9}},
            """)
        let path = study + "-large.json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let largeUnits = ["large/quench/parent", "large/quench/rate-1e15", "large/shear/rate-1e15"]

    @Test func aLargeSystemAddsItsUnitsLeavesTheSamplesAloneAndResumesByteIdentical() throws {
        let reference = try Self.reference.get()
        // Added to a finished study: only the large units and what reads the curve run.
        let study = try Self.temporaryDirectory("tiny-large") + "/study"
        try FileManager.default.copyItem(atPath: reference, toPath: study)
        let config = try Self.tinyWithLargeSystem(beside: study)
        let r = try run([Self.pipeline, "run", config, "--workdir", study], timeout: 900)
        #expect(r.status == 0, "\(r.err)")
        #expect(Self.startedUnits(r.err) == Self.largeUnits + ["harvest", "seem", "report"], "\(r.err)")
        Self.expectOnlyResults(study)
        for f in Self.resultFiles(reference) where f.hasPrefix("quench/") || f.hasPrefix("shear/") {
            #expect(FileManager.default.contentsEqual(atPath: reference + "/" + f, andPath: study + "/" + f), "\(f) changed")
        }
        for unit in Self.largeUnits { #expect(fileExists(study + "/" + unit + "/" + UnitStore.recordName), "\(unit) not done") }
        let parameters = try JSONValue.read(path: study + "/harvest/parameters.json")
        #expect(parameters["fits"]?["elastic_energy"]?["data"]?.string == HarvestSettings.ElasticFitData.largeSystem.description)
        let tauA = try #require(parameters["parameters"]?["tauA_GPa"])
        #expect((tauA["standard_error"]?.double ?? 0) > 0, "tau_A was not fitted: \(tauA.formatted())")
        let status = try run([Self.pipeline, "status", config, "--workdir", study])
        #expect(status.status == 0 && status.out.contains("large    3 units: 3 done"), "\(status.out)")

        // The same curve through `pipeline harvest --loading-curve` gives the same τ_A.
        let cli = study + "-harvest"
        let h = try run([Self.pipeline, "harvest", "--histories", study + "/shear", "--output", cli, "--bins", "8,8",
                         "--held-out-fraction", "0.34", "--seed", "3", "--elastic-fit-max-strain", "0.05", "--ua", "0.101",
                         "--tau-b", "2.9", "--elastic-fit-data", "large", "--loading-curve", study + "/large/shear/rate-1e15"])
        #expect(h.status == 0, "\(h.err)")
        let cliTauA = try JSONValue.read(path: cli + "/parameters.json")["parameters"]?["tauA_GPa"]
        #expect(cliTauA?.formatted() == tauA.formatted())

        // Killed in the large melt and in the large shear, then resumed: the same bytes.
        let resumed = try Self.temporaryDirectory("tiny-large-killed") + "/study"
        try FileManager.default.copyItem(atPath: reference, toPath: resumed)
        let args = [Self.pipeline, "run", config, "--workdir", resumed]
        let midway: [(String, () -> Bool)] = [
            ("large melt", { fileExists(resumed + "/large/quench/parent/checkpoint.bin") }),
            ("large shear", { Self.lineCount(resumed + "/large/shear/rate-1e15/history.csv") > 40 }),
        ]
        for (what, condition) in midway {
            let child = try spawn(args)
            let hit = Self.waitUntil(timeout: 300, condition)
            #expect(hit, "\(what) was never reached")
            if hit { kill(child.pid, SIGKILL) }
            let k = child.wait(timeout: 600)
            #expect(k.status == 137 || k.status == 0, "\(what): \(k.err)")
        }
        let final = try run(args, timeout: 900)
        #expect(final.status == 0, "\(final.err)")
        Self.expectOnlyResults(resumed)
        try Self.expectSameResults(study, resumed)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["SEEM_SLURM_TESTS"] == "1"))
    func slurmGivesTheSameResultsAsALocalRun() throws {
        let reference = try Self.quickReference.get().dir
        let script = Self.repo + "/scripts/slurm-local.sh"
        let up = try run(["bash", script, "up"], timeout: 300)
        #expect(up.status == 0, "slurm-local.sh up failed: \(up.err)")
        defer { _ = try? run(["bash", script, "down"], timeout: 120) }
        let env = try run(["bash", script, "env"])
        var environment: [String: String] = [:]
        for line in env.out.split(separator: "\n") where line.hasPrefix("export ") {
            let kv = line.dropFirst(7).split(separator: "=", maxSplits: 1).map(String.init)
            if kv.count == 2 { environment[kv[0]] = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) }
        }
        let study = try Self.temporaryDirectory("quick-slurm") + "/study"
        let submit = try run([Self.pipeline, "submit", Self.quick, "--workdir", study, "--time", "60"],
                             environment: environment, in: Self.repo, timeout: 120)
        #expect(submit.status == 0, "\(submit.err)")
        let ids = submit.out.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
        #expect(ids.count == 3, "\(submit.out)")
        let wait = try run(["bash", script, "wait"] + ids + ["--timeout", "1800"], environment: environment, timeout: 1860)
        #expect(wait.status == 0, "jobs did not all complete: \(wait.out) \(wait.err)")
        try Self.expectSameResults(reference, study)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["SEEM_E2E_QUICK"] != "0"))
    func quickConfigRunsToARenderedReport() throws {
        let study = try Self.quickReference.get().dir
        Self.expectOnlyResults(study)
        let manifest = try JSONValue.read(path: study + "/manifest.json")
        let states = manifest["units"]?.elements?.compactMap { $0["state"]?.string } ?? []
        #expect(!states.isEmpty && states.allSatisfy { $0 == "done" })
        let index = study + "/report/index.html"
        #expect(fileExists(index))
        for name in ["fig1", "fig1c", "fig2", "fig3", "fig4", "fig5", "figS1"] {
            #expect(fileExists(study + "/report/\(name).svg"), "missing \(name).svg")
        }
        // Physics, not only files: the quick study runs Mendelev 2009 (the paper's potential). Ranges from the
        // validation study and the paper: G0 ≈ 26 GPa at τ = 0, flow stress ≈ 1.2 GPa for small glasses, tens
        // of plastic events per 256-atom sample sheared to γ = 0.3, SEEM's flow stress near AQS's.
        let parameters = try JSONValue.read(path: study + "/harvest/parameters.json")
        let g0 = parameters["parameters"]?["G0_GPa"]?["value"]?.double ?? .nan
        #expect(g0 > 22 && g0 < 30, "G0 = \(g0) GPa")
        #expect((parameters["parameters"]?["G0_GPa"]?["standard_error"]?.double ?? .infinity) < 0.5 * g0)
        let tauB = parameters["parameters"]?["tauB_GPa"]
        #expect((tauB?["standard_error"]?.double ?? 0) > 0, "tau_B must be fitted, not fixed")
        let events = parameters["event_threshold"]?["events"]?.double ?? 0
        #expect(events > 100 && events < 1000, "\(events) events")
        for rate in parameters["rates"]?["per_rate"]?.elements ?? [] {
            let flow = rate["flow_stress_GPa"]?["value"]?.double ?? .nan, peak = rate["peak_stress_GPa"]?["value"]?.double ?? .nan
            #expect(flow > 0.8 && flow < 1.8, "flow stress \(flow) GPa")
            #expect(peak > flow && peak < 3.5, "peak stress \(peak) GPa")
        }
        let metrics = try JSONValue.read(path: study + "/seem/metrics.json")
        // Training samples (a held-out group is one 256-atom sample here, whose flow stress alone
        // scatters by ±0.3 GPa): SEEM flows at the stress of the samples whose events it draws.
        for g in metrics["groups"]?.elements ?? [] where g["split"]?.string != "test" {
            let aqs = g["metrics"]?["flow_stress_aqs_GPa"]?.double ?? .nan, seem = g["metrics"]?["flow_stress_seem_GPa"]?.double ?? .nan
            #expect(abs(seem - aqs) < 0.3 * aqs, "SEEM flow stress \(seem) vs AQS \(aqs) GPa")
        }
        // Render it headless and look at the size of the picture: a blank page is a few kB.
        if let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            let png = study + "-report.png"
            let profile = try Self.temporaryDirectory("chromium")
            let shot = try run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                "--hide-scrollbars", "--user-data-dir=" + profile, "--screenshot=" + png,
                                "--window-size=1200,4000", "file://" + index], timeout: 120)
            #expect(shot.status == 0, "\(shot.err)")
            let size = (try? FileManager.default.attributesOfItem(atPath: png)[.size] as? Int) ?? 0
            #expect(size > 100_000, "report screenshot is \(size) bytes")
        }
    }
}
