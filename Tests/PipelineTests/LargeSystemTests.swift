import AQS
import Minimization
import Foundation
import MDCore
@testable import Study
import Testing

/// The optional `large_system` section: its defaults (box at the study's density, the AQS force
/// tolerance scaled by √N), its errors, the keys of its units (the samples' keys never see it), and
/// the Slurm job that makes it.
@Suite struct LargeSystemTests {
    /// `ConfigTests.minimal` with extra sections (JSON members, without braces).
    static func config(_ extra: String) -> String {
        var text = ConfigTests.minimal
        text.removeLast()  // the closing brace
        while text.last == "\n" || text.last == " " { text.removeLast() }
        return text + ",\n" + extra + "\n}\n"
    }

    @Test func defaultsKeepTheDensityAndThePerAtomForceResidual() throws {
        let (c, dir) = try ConfigTests.load(Self.config(#""large_system": {"atoms": 4000, "rate_K_per_s": 1e12}"#))
        defer { try? FileManager.default.removeItem(at: dir) }
        let large = try #require(c.largeSystem)
        #expect(large.atoms == 4000 && large.rateKPerS == 1e12)
        #expect(large.boxA == 40)  // 20 Å · (4000/500)^(1/3), the same 0.0625 atoms/Å³
        #expect(large.shear.maxStrain == 0.1)
        #expect(large.shear.minimizer.forceTolerance == 2e-4 * 8.0.squareRoot())
        // Everything else is the study's AQS; the predictor works to the large run's tolerance.
        var expected = c.aqs.shear
        expected.maxStrain = 0.1
        expected.minimizer.forceTolerance = 2e-4 * 8.0.squareRoot()
        expected.predictor = AQSConfig.predictorSettings(enabled: true, minimizer: expected.minimizer)
        #expect(large.shear == expected)
        #expect(c.normalized()["large_system"]?.formatted() == ConfigNumber.tidy(JSONValue.object([
            ("atoms", .number(4000)), ("rate_K_per_s", .number(1e12)), ("max_strain", .number(0.1)),
            ("ftol_eV_per_A", .number(2e-4 * 8.0.squareRoot()))])).formatted())
    }

    @Test func explicitValuesAndPerAtomNorms() throws {
        let (c, dir) = try ConfigTests.load(Self.config(#"""
            "aqs": {"strain_step": 1e-4, "norm": "max"},
            "large_system": {"atoms": 108, "rate_K_per_s": 4e12, "max_strain": 0.12}
            """#))
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(c.largeSystem?.shear.minimizer.forceTolerance == 2e-4)  // the max norm is per atom already
        #expect(c.largeSystem?.shear.stepCount == 1200)
        let (d, dir2) = try ConfigTests.load(Self.config(#""large_system": {"atoms": 4000, "rate_K_per_s": 1e12, "ftol_eV_per_A": 1e-3}"#))
        defer { try? FileManager.default.removeItem(at: dir2) }
        #expect(d.largeSystem?.shear.minimizer.forceTolerance == 1e-3)
    }

    @Test func normalizedConfigLoadsBackEqualAndHasNoSectionWhenAbsent() throws {
        let (c, dir) = try ConfigTests.load(Self.config(#""large_system": {"atoms": 1372, "rate_K_per_s": 1e13, "max_strain": 0.09}"#))
        defer { try? FileManager.default.removeItem(at: dir) }
        let (again, dir2) = try ConfigTests.load(c.normalized().formatted())
        defer { try? FileManager.default.removeItem(at: dir2) }
        #expect(again == c)
        let (plain, dir3) = try ConfigTests.load(ConfigTests.minimal)
        defer { try? FileManager.default.removeItem(at: dir3) }
        #expect(plain.largeSystem == nil && plain.normalized()["large_system"] == nil)
    }

    @Test(arguments: [
        (#""large_system": {"rate_K_per_s": 1e12}"#, "key large_system.atoms: error: required key is missing"),
        (#""large_system": {"atoms": 4000}"#, "key large_system.rate_K_per_s: error: required key is missing"),
        (#""large_system": {"atoms": 4000, "rate_K_per_s": -1}"#, "key large_system.rate_K_per_s: error: must be a positive finite number (got -1)"),
        (#""large_system": {"atoms": 4000, "rate_K_per_s": 1e12, "max_strain": 1e-6}"#,
         "key large_system.max_strain: error: must be at least aqs.strain_step 1e-5 (got 1e-6)"),
        (#""large_system": {"atoms": 4000, "rate_K_per_s": 1e12, "max_strian": 0.1}"#,
         "key large_system.max_strian: error: unknown key (did you mean 'max_strain'?)"),
        (#""large_system": {"atoms": 4000, "rate_K_per_s": 1e12, "max_strain": 0.03}, "harvest": {"elastic_fit": {"data": "large_system", "max_strain": 0.05}}"#,
         "key harvest.elastic_fit.max_strain: error: must not exceed large_system.max_strain 0.03"),
        (#""harvest": {"elastic_fit": {"data": "large_system"}}"#,
         #"key harvest.elastic_fit.data: error: "large_system" needs the section large_system"#),
    ])
    func badSectionsNameTheirKey(_ members: String, _ message: String) throws {
        #expect {
            _ = try ConfigTests.load(Self.config(members))
        } throws: { error in
            "\(error)".contains(message) && !"\(error)".contains("\n")
        }
    }

    // MARK: Unit keys

    static func runner(_ text: String) throws -> (StudyRunner, URL) {
        let (c, dir) = try ConfigTests.load(text)
        return (try StudyRunner(config: c, configPath: dir.path + "/config.json", workdir: dir.path + "/run", jobs: 1, board: nil), dir)
    }

    @Test func theSamplesKeysNeverSeeTheSection() throws {
        let (plain, d1) = try Self.runner(ConfigTests.minimal)
        let (with, d2) = try Self.runner(Self.config(#""large_system": {"atoms": 4000, "rate_K_per_s": 1e12}"#))
        defer { for d in [d1, d2] { try? FileManager.default.removeItem(at: d) } }
        #expect(plain.large == nil)
        #expect(with.parentKey == plain.parentKey && with.quenchKeys == plain.quenchKeys && with.shearKeys == plain.shearKeys)
        // The harvest reads the curve whenever there is one (a route compared in parameters.json).
        #expect(with.harvestKey != plain.harvestKey)
        #expect(with.units.map(\.unit) == plain.units.map(\.unit).filter { !["harvest", "seem", "report"].contains($0) }
            + ["large/quench/parent", "large/quench/rate-1e12", "large/shear/rate-1e12", "harvest", "seem", "report"])
        let large = try #require(with.large)
        #expect(Set([large.parentKey, large.glassKey, large.shearKey]).isDisjoint(with: Set(plain.units.map(\.key))))

        let (fit, d3) = try Self.runner(Self.config(#""large_system": {"atoms": 4000, "rate_K_per_s": 1e12}, "harvest": {"elastic_fit": {"data": "large_system"}}"#))
        defer { try? FileManager.default.removeItem(at: d3) }
        #expect(fit.shearKeys == plain.shearKeys && fit.large?.shearKey == large.shearKey)
        #expect(fit.harvestKey != with.harvestKey)
    }

    @Test func theLargeKeysFollowTheirInputs() throws {
        let base = #""large_system": {"atoms": 4000, "rate_K_per_s": 1e12}"#
        let (r0, d0) = try Self.runner(Self.config(base))
        defer { try? FileManager.default.removeItem(at: d0) }
        let k0 = try #require(r0.large)
        func changed(_ members: String, edit: (String) -> String = { $0 }) throws -> [Bool] {
            let (r, d) = try Self.runner(edit(Self.config(members)))
            defer { try? FileManager.default.removeItem(at: d) }
            let k = try #require(r.large)
            return [k.parentKey != k0.parentKey, k.glassKey != k0.glassKey, k.shearKey != k0.shearKey]
        }
        #expect(try changed(#""large_system": {"atoms": 4001, "rate_K_per_s": 1e12}"#) == [true, true, true])
        #expect(try changed(#""large_system": {"atoms": 4000, "rate_K_per_s": 2e12}"#) == [false, true, true])
        #expect(try changed(#""large_system": {"atoms": 4000, "rate_K_per_s": 1e12, "max_strain": 0.09}"#) == [false, false, true])
        #expect(try changed(#""large_system": {"atoms": 4000, "rate_K_per_s": 1e12, "ftol_eV_per_A": 1e-4}"#) == [false, false, true])
        #expect(try changed(#""inherent_structure": {"ftol_eV_per_A": 1e-4}, "#+base) == [false, true, true])
        #expect(try changed(#""aqs": {"strain_step": 2e-5}, "#+base) == [false, false, true])
        // The large run has its own strain range and tolerance: the study's do not reach it...
        #expect(try changed(#""aqs": {"max_strain": 0.4, "ftol_eV_per_A": 2e-4}, "#+base) == [false, false, false])
        // ...unless the tolerance is the default, scaled from the study's.
        #expect(try changed(#""aqs": {"ftol_eV_per_A": 1e-4}, "#+base) == [false, false, true])
        #expect(try changed(#""aqs": {"checkpoint_every": 3}, "#+base) {
            $0.replacingOccurrences(of: #""samples_per_rate": 2}"#, with: #""samples_per_rate": 2, "checkpoint_every": 9}"#)
        } == [false, false, false])
    }

    // MARK: Slurm

    @Test func slurmRunsTheLargeSystemBesideTheSamplesAndBeforeTheStudy() throws {
        let p = try SlurmPlan(executable: "/opt/seem/bin/pipeline", config: "/w/config.json", workdir: "/w/study", unitCount: 4,
                              timeLimit: try SlurmTimeLimit("10"), jobNamePrefix: "cuzr", largeSystem: true)
        #expect(p.jobs.map(\.stage) == [.parent, .large, .samples, .study])
        #expect(p.job(.large).script.contains("\n/opt/seem/bin/pipeline run /w/config.json --workdir /w/study --only large &\n"))
        #expect(p.job(.large).script.contains(#"scontrol requeue "${SLURM_JOB_ID}""#))
        #expect(!p.job(.large).script.contains("--array"))
        #expect(try p.job(.large).sbatchArguments(after: []) == ["sbatch", "--parsable", "/w/study/logs/slurm/scripts/cuzr-large.sbatch"])
        #expect(try p.job(.study).sbatchArguments(after: [SlurmJobID(id: 42), SlurmJobID(id: 41)]) ==
                ["sbatch", "--parsable", "--dependency=afterok:42:41", "/w/study/logs/slurm/scripts/cuzr-study.sbatch"])
        #expect(throws: SlurmError.self) { try p.job(.study).sbatchArguments(after: SlurmJobID(id: 42)) }
        #expect(p.job(.study).dependencies == [.samples, .large] && p.job(.samples).dependencies == [.parent])
        let plain = try SlurmPlan(executable: "/opt/seem/bin/pipeline", config: "/w/config.json", workdir: "/w/study", unitCount: 4,
                                  timeLimit: try SlurmTimeLimit("10"), jobNamePrefix: "cuzr")
        #expect(plain.jobs.map(\.stage) == [.parent, .samples, .study] && plain.job(.study).dependencies == [.samples])
    }
}
