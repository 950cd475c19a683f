import AQS
import Minimization
import Foundation
import MDCore
@testable import Study
import Quench
import Testing

/// The study configuration: the shipped configs load, defaults are the paper's, a normalized config
/// loads back to an equal one, unit keys select what they should, and every bad config of the
/// corpus (Fixtures/bad-configs, expectations in expected.txt) fails with its located message.
@Suite struct ConfigTests {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repoRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let corpusDirectory = testsDirectory.appendingPathComponent("Fixtures/bad-configs")
    static let potential = repoRoot.appendingPathComponent("potentials/CuZr_mm.eam.fs").path

    /// A fresh temporary directory.
    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("seem-config-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` as config.json in a fresh directory and loads it.
    static func load(_ text: String) throws -> (StudyConfig, URL) {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("config.json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return (try StudyConfig.load(path: path), dir)
    }

    /// The smallest valid config: required keys only.
    static let minimal = """
    {
      "study": {"name": "minimal", "workdir": "run", "seed": 3},
      "potential": {"file": "\(potential)", "elements": ["Cu", "Zr"]},
      "system": {"atoms": 500, "box_A": 20.0, "composition": {"Cu": 0.64, "Zr": 0.36}},
      "quench": {"rates_K_per_s": [1e12], "samples_per_rate": 2}
    }
    """

    // MARK: Shipped configs

    @Test func quickConfigLoads() throws {
        let c = try StudyConfig.load(path: Self.repoRoot.appendingPathComponent("configs/quick.json").path)
        #expect(c.system.atoms == 256 && c.system.boxA == 15.952)
        #expect(c.quench.ratesKPerS == [1e13, 4e13, 1.6e14])
        #expect(c.quench.samplesPerRate == 4)
        #expect(c.quench.schedule.meltPs == 20 && c.quench.schedule.relaxPs == 10 && c.quench.schedule.branchRate == 1e14)
        #expect(c.aqs.shear.strainStep == 1e-4 && c.aqs.shear.maxStrain == 0.3 && c.aqs.shear.stepCount == 3000)
        #expect(c.potential.file == Self.repoRoot.appendingPathComponent("potentials/Cu-Zr_2.eam.fs").path)
        #expect(c.workdir == Self.repoRoot.appendingPathComponent("runs/quick").path)
        #expect(c.seem.strainStep == 1e-4 && c.seem.maxStrain == 0.3)
        // Same number density as the paper's 4000 atoms in 39.88 Å (to 0.01 %).
        #expect(abs(c.system.densityAtomsPerA3 / (4000 / (39.88 * 39.88 * 39.88)) - 1) < 1e-4)
    }

    @Test func paperConfigIsThePapersProtocol() throws {
        let c = try StudyConfig.load(path: Self.repoRoot.appendingPathComponent("configs/paper.json").path)
        #expect(c.system.atoms == 4000 && c.system.boxA == 39.88)
        #expect(c.system.composition == [0.64, 0.36] && c.potential.elements == ["Cu", "Zr"])
        #expect(c.quench.ratesKPerS == (1...10).map { Double(1 << $0) * 1e10 })
        #expect(c.quench.samplesPerRate == 50)
        #expect(c.quench.schedule == QuenchProtocol())  // 2500 K 0.5 ns, 1e11 K/s to 1400 K, 100 ps, to 100 K
        #expect(c.inherentStructure.forceTolerance == 2e-4 && c.inherentStructure.norm == .twoNorm)
        #expect(c.aqs.shear.strainStep == 1e-5 && c.aqs.shear.maxStrain == 0.5 && c.aqs.shear.stepCount == 50_000)
        #expect(c.harvest.bins == [20, 20] && c.harvest.modulusMaxStrain == 0.02)
    }

    // MARK: Defaults

    @Test func defaultsAreThePapersAndDocumented() throws {
        let (c, dir) = try Self.load(Self.minimal)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(c.workdir == dir.appendingPathComponent("run").path)
        #expect(c.potential.pairStyle == .fs)  // "auto" resolved from the file
        #expect(c.system.skinA == 1.0)
        #expect(c.quench.schedule == QuenchProtocol())
        #expect(c.quench.thermoEvery == 500 && c.quench.checkpointEvery == 20_000)
        #expect(c.inherentStructure == MinimizerSettings.inherentStructureDefaults)
        #expect(c.inherentStructure.forceTolerance == 2e-4 && c.inherentStructure.maxIterations == 200_000)
        #expect(c.aqs.shear.strainStep == 1e-5 && c.aqs.shear.maxStrain == 0.5)
        #expect(c.aqs.shear.minimizer.forceTolerance == 2e-4 && c.aqs.shear.minimizer.maxIterations == 10_000)
        #expect(c.aqs.predictor && c.aqs.shear.predictor.minimizer?.algorithm == .lbfgs)
        #expect(c.aqs.checkpointEvery == 100)
        #expect(c.harvest.u0 == .slowestRateMean && c.harvest.modulusMaxStrain == 0.02)
        #expect(c.harvest.elasticFitData == .ensembleMean && c.harvest.elasticFitMaxStrain == nil)
        #expect(c.harvest.eventThreshold == .auto)
        #expect(c.harvest.stateVariables == [.tau, .x1] && c.harvest.bins == [20, 20] && c.harvest.ranges == [.auto, .auto])
        #expect(c.seem.runsPerSample == 100 && c.seem.strainStep == 1e-5 && c.seem.maxStrain == 0.5)
        #expect(c.seem.mode == .bernoulli && c.seem.fallback == .nearestVisited && c.seem.heldOutFraction == 0.25)
        #expect(c.seem.seed == SEEMConfig.derivedSeed(3) && c.seem.seed != 3)
        #expect(c.seem.crossValidationFolds == 0)
        #expect(c.execution.jobs == nil && c.execution.threadsPerJob == 1)
        #expect(c.execution.effectiveJobs(cores: 16) == 16)
    }

    /// Cross-validation holds every sample out once, so the harvest takes every sample (held-out
    /// fraction 0); the folds are at most the samples; `fallback: none` is an option of its own.
    @Test func crossValidationAndFallback() throws {
        let cv = Self.minimal.replacingOccurrences(of: "\"samples_per_rate\": 2}",
            with: "\"samples_per_rate\": 2},\n  \"seem\": {\"cross_validation_folds\": 2, \"fallback\": \"none\"}")
        let (c, dir) = try Self.load(cv)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(c.seem.crossValidationFolds == 2 && c.seem.heldOutFraction == 0 && c.seem.fallback == .none)
        try expectRoundTrip(c)
        for (bad, key) in [("3", "cross_validation_folds"), ("-1", "cross_validation_folds"), ("2.5", "cross_validation_folds"),
                           ("\"2\"", "cross_validation_folds")] {
            let text = Self.minimal.replacingOccurrences(of: "\"samples_per_rate\": 2}",
                with: "\"samples_per_rate\": 2},\n  \"seem\": {\"cross_validation_folds\": \(bad)}")
            do {
                _ = try Self.load(text)
                Issue.record("cross_validation_folds \(bad) was accepted")
            } catch {
                #expect("\(error)".contains("key seem.\(key): error:"), "\(error)")
            }
        }
    }

    @Test func alternativeFormsGiveTheSameStudy() throws {
        // rate_exponents and density_atoms_per_A3 against rates_K_per_s and box_A.
        let a = Self.minimal.replacingOccurrences(of: "\"rates_K_per_s\": [1e12]", with: "\"rate_exponents\": [1, 6.5]")
            .replacingOccurrences(of: "\"box_A\": 20.0", with: "\"density_atoms_per_A3\": 0.0625")
        let (c, dir) = try Self.load(a)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(c.quench.ratesKPerS[0] == 2e10)
        #expect(abs(c.quench.ratesKPerS[1] / (2e10 * 32 * 2.0.squareRoot()) - 1) < 1e-15)
        #expect(c.system.boxA == 20.0)  // ∛(500 / 0.0625) = 20 exactly
        #expect(SystemConfig.cubeRoot(27) == 3 && SystemConfig.cubeRoot(4000 / 0.0632) > 39.8)
    }

    // MARK: Normalized config

    /// Normalizes, writes, reloads: an equal config, and the same text again.
    func expectRoundTrip(_ c: StudyConfig, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let text = c.normalized().formatted() + "\n"
        let (again, dir) = try Self.load(text)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(again == c, sourceLocation: sourceLocation)
        #expect(again.normalized().formatted() + "\n" == text, sourceLocation: sourceLocation)
        // Every number reads back to the same bits.
        #expect(again.quench.ratesKPerS.map(\.bitPattern) == c.quench.ratesKPerS.map(\.bitPattern), sourceLocation: sourceLocation)
        #expect(again.system.boxA.bitPattern == c.system.boxA.bitPattern, sourceLocation: sourceLocation)
    }

    @Test func normalizedConfigLoadsBackEqual() throws {
        for name in ["quick", "paper"] {
            try expectRoundTrip(try StudyConfig.load(path: Self.repoRoot.appendingPathComponent("configs/\(name).json").path))
        }
        let (minimal, dir) = try Self.load(Self.minimal)
        defer { try? FileManager.default.removeItem(at: dir) }
        try expectRoundTrip(minimal)
        // Every non-default form.
        let (c, dir2) = try Self.load("""
        {
          "study": {"name": "every form", "workdir": "./a/../b/", "seed": 18446744073709551615},
          "potential": {"file": "\(Self.potential)", "elements": ["Zr", "Cu"], "pair_style": "auto"},
          "system": {"atoms": 333, "density_atoms_per_A3": 0.061, "composition": {"Cu": 0.7, "Zr": 0.3}, "skin_A": 0.5},
          "quench": {"rate_exponents": [3, 0.25, -1], "samples_per_rate": 7, "melt_ps": 1, "relax_ps": 0,
                     "timestep_ps": 0.001, "damping_ps": 0.05, "chain_length": 5, "thermo_every": 2e3, "checkpoint_every": 7},
          "inherent_structure": {"ftol_eV_per_A": 0, "etol": 1e-12, "norm": "inf", "max_iterations": 5, "max_evaluations": 9},
          "aqs": {"strain_step": 3e-5, "max_strain": 0.1, "norm": "max", "predictor": false, "checkpoint_every": 1},
          "harvest": {"u0_eV_per_atom": -4.41, "modulus_max_strain": 0.01,
                      "elastic_fit": {"data": "all_samples", "max_strain": 0.05}, "event_threshold_GPa": 0.05,
                      "state_variables": ["X1", "tau"], "bins": [7, 9], "ranges": {"tau": [-1, 4.5], "X1": "auto"}},
          "seem": {"runs_per_sample": 3, "strain_step": 1e-4, "max_strain": 0.05, "mode": "poisson",
                   "held_out_fraction": 0, "seed": 12345678901234567890},
          "execution": {"jobs": 3, "threads_per_job": 2}
        }
        """)
        defer { try? FileManager.default.removeItem(at: dir2) }
        #expect(c.workdir == dir2.appendingPathComponent("b").path)
        #expect(c.seed == UInt64.max && c.seem.seed == 12_345_678_901_234_567_890)
        #expect(c.system.composition == [0.3, 0.7])  // aligned with potential.elements
        #expect(c.harvest.ranges == [.auto, .fixed(-1, 4.5)])
        #expect(c.quench.thermoEvery == 2000)
        try expectRoundTrip(c)
    }

    @Test func normalizedIsCanonical() throws {
        let c = try StudyConfig.load(path: Self.repoRoot.appendingPathComponent("configs/paper.json").path)
        let n = c.normalized()
        // large_system is optional: present in the normalized config exactly when the config has one.
        let sections = StudyConfig.Section.allCases.filter { $0 != .largeSystem || c.largeSystem != nil }
        #expect(n.members?.map(\.key) == sections.map(\.rawValue))
        for s in sections {
            #expect(n[s.rawValue]?.members?.map(\.key) == s.keys.filter {
                // fixed_from is optional and left out when no parameter is fixed.
                !["density_atoms_per_A3", "rate_exponents", "fixed_from"].contains($0)
            })
        }
        #expect(n["quench"]?["rates_K_per_s"]?.formatted() == "[2e10, 4e10, 8e10, 1.6e11, 3.2e11, 6.4e11, 1.28e12, 2.56e12, 5.12e12, 1.024e13]")
        #expect(n["aqs"]?["strain_step"]?.formatted() == "1e-5")
        #expect(n["execution"]?["jobs"]?.string == "auto")
    }

    @Test(arguments: [0.0, 1, -2500, 1e13, 1.6e14, 1.024e13, 1e-5, 2e-4, 0.3, 1e16, 1e22, 1.7976931348623157e308,
                      .leastNonzeroMagnitude, 123456789, 100000, 0.1 + 0.2, -4.41, 39.88])
    func numbersReadBackToTheSameBits(_ x: Double) throws {
        let text = ConfigNumber.text(x)
        let v = try JSONValue.parse(text, path: "n")
        #expect(v.double?.bitPattern == x.bitPattern, "\(x) written as \(text)")
    }

    // MARK: Unit keys

    @Test func unitKeysSelectWhatDeterminesAResult() throws {
        let base = try StudyConfig.load(path: Self.repoRoot.appendingPathComponent("configs/quick.json").path)
        func keys(_ c: StudyConfig) -> [StudyConfig.Unit: String] {
            Dictionary(uniqueKeysWithValues: StudyConfig.Unit.allCases.map { ($0, c.unitKey($0).formatted()) })
        }
        let k0 = keys(base)
        func changed(_ edit: (inout StudyConfig) -> Void) -> Set<StudyConfig.Unit> {
            var c = base
            edit(&c)
            let k = keys(c)
            return Set(StudyConfig.Unit.allCases.filter { k[$0] != k0[$0] })
        }
        #expect(changed { $0.execution.jobs = 1 }.isEmpty)
        #expect(changed { $0.aqs.checkpointEvery = 7 }.isEmpty)
        #expect(changed { $0.quench.checkpointEvery = 7 }.isEmpty)
        #expect(changed { $0.system.skinA = 0.3 }.isEmpty)
        #expect(changed { $0.workdir = "/elsewhere" }.isEmpty)
        #expect(changed { $0.potential.file = "/elsewhere.eam.fs" }.isEmpty)
        #expect(changed { $0.quench.ratesKPerS.append(1e12) }.isEmpty)  // a sample's key adds its own rate
        // The large system (section large_system) is made with the study's potential, protocol, IS and AQS.
        #expect(changed { $0.seed = 2 } == [.parent, .sample, .harvest, .largeParent, .largeGlass])  // the train/test split is seeded by study.seed
        #expect(changed { $0.quench.schedule.meltPs = 1 } == [.parent, .sample, .largeParent, .largeGlass])
        #expect(changed { $0.quench.schedule.relaxPs = 1 } == [.sample, .largeGlass])
        #expect(changed { $0.inherentStructure.forceTolerance = 1e-3 } == [.sample, .largeGlass])
        #expect(changed { $0.aqs.shear.strainStep = 2e-4 } == [.shear, .largeShear])
        #expect(changed { $0.aqs.shear.maxStrain = 0.2 } == [.shear])
        #expect(changed { $0.harvest.bins = [10, 10] } == [.harvest])
        #expect(changed { $0.seem.heldOutFraction = 0 } == [.harvest, .seem])
        #expect(changed { $0.seem.runsPerSample = 5 } == [.seem])
        #expect(changed { $0.seem.fallback = .none } == [.seem])
        #expect(changed { $0.seem.crossValidationFolds = 2 } == [.seem])
        #expect(changed { $0.name = "x" } == [.report])
        #expect(base.sectionKey(["study.seed", "aqs"], excluding: ["aqs.predictor"]).formatted()
            == JSONValue.object([("study.seed", .number(1)), ("aqs", .object(base.normalized()["aqs"]!.members!
                .filter { $0.key != "predictor" }.map { ($0.key, $0.value) }))]).formatted())
    }

    @Test func laterErrorsAreLocated() throws {
        let (c, dir) = try Self.load(Self.minimal)
        defer { try? FileManager.default.removeItem(at: dir) }
        let e = c.error("system.box_A", "is smaller than twice the cutoff")
        #expect(e.description.hasSuffix("config.json:4: key system.box_A: error: is smaller than twice the cutoff"))
    }

    @Test func suggestions() {
        #expect(EditDistance.distance("samples_per_rte", "samples_per_rate") == 1)
        #expect(EditDistance.suggestion(for: "samples_per_rte", among: QuenchConfig.keys) == "samples_per_rate")
        #expect(EditDistance.suggestion(for: "timestep", among: QuenchConfig.keys) == "timestep_ps")
        #expect(EditDistance.suggestion(for: "u0", among: HarvestConfig.keys) == "u0_eV_per_atom")
        #expect(EditDistance.suggestion(for: "box_a", among: SystemConfig.keys) == "box_A")
        #expect(EditDistance.suggestion(for: "temperature", among: SystemConfig.keys) == nil)
    }

    // MARK: Bad-config corpus

    /// expected.txt: `FILE.json:LINE: key …: error: …` per fixture (the start of its message).
    static let expectations: [String: String] = {
        let text = (try? String(contentsOf: corpusDirectory.appendingPathComponent("expected.txt"), encoding: .utf8)) ?? ""
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            var l = String(line)
            while l.last == " " { l.removeLast() }
            guard let colon = l.firstIndex(of: ":") else { continue }
            out[String(l[..<colon])] = l
        }
        return out
    }()

    static let corpus: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: corpusDirectory.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.sorted()
    }()

    @Test func corpusIsCompleteAndLarge() {
        #expect(Self.corpus.count >= 25)
        #expect(Set(Self.corpus) == Set(Self.expectations.keys), "fixtures and expected.txt disagree")
    }

    @Test(arguments: corpus)
    func badConfigFailsWithItsMessage(_ file: String) throws {
        let expected = try #require(Self.expectations[file], "no line for \(file) in expected.txt")
        let path = Self.corpusDirectory.appendingPathComponent(file).path
        do {
            let c = try StudyConfig.load(path: path)
            Issue.record("\(file) loaded: \(c.normalized().formatted())")
        } catch {
            let message = error.description
            #expect(message.hasPrefix(Self.corpusDirectory.path + "/" + expected),
                    "\(file): got\n  \(message)\nexpected it to start with\n  \(expected)")
            #expect(!message.contains("\n"))
        }
    }

    // MARK: check-config

    @Test func checkConfigPrintsTheNormalizedConfigOrExitsTwo() throws {
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pipeline").path
        let candidates = [(try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            .map { URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("pipeline").path }, exe]
        guard let pipeline = candidates.compactMap({ $0 }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            Issue.record("the pipeline executable was not found next to the test bundle")
            return
        }
        func run(_ config: String) throws -> (Int32, String, String) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: pipeline)
            p.arguments = ["check-config", config]
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            try p.run()
            let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
        }
        let quick = Self.repoRoot.appendingPathComponent("configs/quick.json").path
        let (status, out, err) = try run(quick)
        #expect(status == 0 && err.isEmpty)
        #expect(out == (try StudyConfig.load(path: quick)).normalized().formatted() + "\n")
        let bad = Self.corpusDirectory.appendingPathComponent("typo-key.json").path
        let (status2, out2, err2) = try run(bad)
        #expect(status2 == 2 && out2.isEmpty)
        #expect(err2 == bad + ":32: key quench.samples_per_rte: error: unknown key (did you mean 'samples_per_rate'?)\n")
    }
}
