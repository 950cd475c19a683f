import MDCore
import Testing
@testable import Harvest

@Suite struct BadInputTests {
    static func directory(_ name: String, csv: String) throws -> String {
        let dir = Synthetic.temporaryDirectory(name)
        try AtomicFile.write(csv, to: dir + "/history.csv")
        try AtomicFile.write("{\"atoms\": 4, \"volume_A3\": 64.0, \"settings\": {\"ftol\": 1e-4, \"dmax\": 0.1}}\n", to: dir + "/summary.json")
        return dir
    }

    static let header = "step,strain,pe_eV,stress_xy_GPa\n"

    @Test(arguments: [
        ("missing-column", "step,strain,pe_eV\n0,0.0,-1\n1,0.001,-1\n", 1, "missing column 'stress_xy_GPa'"),
        ("nan", header + "0,0.0,-1,0.1\n1,0.001,nan,0.2\n", 3, "not a finite number"),
        ("non-monotonic", header + "0,0.0,-1,0.1\n1,0.001,-1,0.2\n2,0.0005,-1,0.3\n", 4, "not increasing"),
        ("mixed-steps", header + "0,0.0,-1,0.1\n1,0.001,-1,0.2\n2,0.003,-1,0.3\n", 4, "mixed strain steps"),
        ("short-row", header + "0,0.0,-1,0.1\n1,0.001,-1\n", 3, "expected 4 comma-separated fields"),
    ])
    func historyErrorsNameFileAndLine(name: String, csv: String, line: Int, reason: String) throws {
        let dir = try Self.directory(name, csv: csv)
        do {
            _ = try ShearHistory.read(directory: dir)
            Issue.record("expected an error")
        } catch {
            #expect(error.path == dir + "/history.csv")
            #expect(error.line == line)
            #expect(error.reason.contains(reason), "\(error)")
            #expect(error.description.hasPrefix("\(dir)/history.csv:\(line): error: "))
        }
    }

    @Test func mixedStrainStepsAcrossHistoriesAreRefused() throws {
        let s = Synthetic(parameters: Synthetic.truth)
        var t = s
        t.strainStep = 2e-4
        let hs = [s.history(sample: "a/x", rate: 1, steps: 50, tau0: 0, x10: 0), t.history(sample: "b/y", rate: 1, steps: 50, tau0: 0, x10: 0.01)]
        do {
            _ = try Harvester.run(histories: hs, settings: HarvestSettings())
            Issue.record("expected an error")
        } catch {
            #expect(error.path == "/synthetic/b/y/history.csv" && error.reason.contains("strain step"))
        }
    }

    @Test func fitRefusalNamesParameterAndRemedy() throws {
        // Every sample at one X1: u_A cannot be determined.
        let s = Synthetic(parameters: Synthetic.truth)
        let hs = (0..<4).map { s.history(sample: "r/s\($0)", rate: 1e13, steps: 300, tau0: 0, x10: 0.01) }
        var settings = HarvestSettings()
        settings.heldOutFraction = 0
        settings.referenceEnergy = .given(-4.5)
        settings.fixed = .init(tauA: 8.4, tauB: 2.9)
        do {
            _ = try Harvester.run(histories: hs, settings: settings)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.reason.contains("cannot determine uA"), "\(error)")
            #expect(error.reason.contains("--ua"))
        }
    }

    @Test func negativeInverseTauIsRefusedWithAdvice() throws {
        // Linear elastic data analysed with a G0 below the truth: the energy rises more slowly than the
        // quadratic term predicts, which only a negative 1/τ_A² could fit.
        var gen = Synthetic.truth
        gen.tauA = Estimate(.infinity); gen.tauB = Estimate(.infinity)
        let s = Synthetic(parameters: gen)
        let hs = (0..<3).map { s.history(sample: "r/s\($0)", rate: 1e13, steps: 800, tau0: 0, x10: 0.01 * Double($0)) }
        var settings = HarvestSettings()
        settings.heldOutFraction = 0
        settings.referenceEnergy = .given(gen.u0.value)
        settings.fixed = .init(G0: 29, uA: 0.1, tauB: .infinity)
        settings.elasticFitMaxStrain = 0.08
        do {
            _ = try Harvester.run(histories: hs, settings: settings)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.reason.contains("tauA") && error.reason.contains("≤ 0") && error.reason.contains("--tau-a"), "\(error)")
        }
    }
}

/// Real AQS output: the first 601 states (γ ≤ 0.06) of 6 of the 256-atom Cu64Zr36 glasses of
/// a 12-glass study (2 per cooling rate; columns cut to step, strain, pe_eV, stress_xy_GPa), committed here.
@Suite struct RealDataTests {
    static var fixtures: String {
        let file = #filePath
        return String(file[..<file.lastIndex(of: "/")!]) + "/Fixtures/aqs-256"
    }

    @Test func plausibleParametersAndEventsAgreeWithEnergyDrops() throws {
        var dirs: [String] = []
        for rate in ["1e13", "4e13", "1.6e14"] { for s in ["000", "001"] { dirs.append(Self.fixtures + "/rate-\(rate)/sample-\(s)") } }
        let hs = try Harvester.readHistories(directories: dirs)
        var settings = HarvestSettings()
        settings.heldOutFraction = 0
        settings.fixed = .init(tauA: 8.4, tauB: 2.9)   // γ ≤ 0.06 does not reach the nonlinear regime
        let r = try Harvester.run(histories: hs, settings: settings)
        let p = r.parameters
        #expect(p.G0.value > 20 && p.G0.value < 45, "G0 = \(p.G0)")
        #expect(p.uA.value > 0, "uA = \(p.uA)")
        #expect(p.omega.value > 15 && p.omega.value < 17)
        for m in r.moduli { #expect(m.G.value > 25 && m.G.value < 45) }
        // Event thresholds: measured noise inside the ftol bound; no positive dissipation above the energy
        // threshold; events = energy drops up to the few that raise σ_xy.
        let c = r.thresholdCheck
        #expect(c.measuredStressNoiseMax! < c.stressNoiseBound!)
        #expect(c.positiveDissipationAboveThreshold == 0)
        #expect(c.energyDrops > 10)
        #expect(c.stressDropsWithoutEnergyDrop > c.energyDrops)   // stress alone is not enough
        #expect(Double(c.events) >= 0.9 * Double(c.energyDrops) && c.events <= c.energyDrops)
        #expect(c.energyDropsAtDoubleThreshold >= c.energyDrops - 2 && c.energyDropsAtHalfThreshold <= c.energyDrops + 2)
        #expect(r.database.problem() == nil)
    }
}
