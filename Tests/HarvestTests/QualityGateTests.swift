import MDCore
import Testing
@testable import Harvest

/// The quality gate leaves crystallized samples out and records itself in parameters.json without
/// touching the other outputs; a harvest with no plastic event, or with every sample left out, refuses.
@Suite struct QualityGateTests {
    /// The six real 256-atom histories (see `RealDataTests`) with the settings their test uses.
    static func realHistories() throws -> (histories: [ShearHistory], settings: HarvestSettings) {
        var dirs: [String] = []
        for rate in ["1e13", "4e13", "1.6e14"] { for s in ["000", "001"] { dirs.append(RealDataTests.fixtures + "/rate-\(rate)/sample-\(s)") } }
        var settings = HarvestSettings()
        settings.heldOutFraction = 0
        settings.fixed = .init(tauA: 8.4, tauB: 2.9)
        return (try Harvester.readHistories(directories: dirs), settings)
    }

    /// A gate over `ids` with the given crystalline fractions (counts: 256 atoms split crystalline/other).
    static func gate(_ ids: [String], fractions: [Double]) -> QualityGate {
        QualityGate(method: "test", classes: ["fcc", "other"], maxCrystallineFraction: 0.1, rule: "test",
                    samples: zip(ids, fractions).map { id, f in
                        let crystalline = Int((256 * f).rounded())
                        return QualityGate.Sample(id: id, structure: "/quench/\(id)/inherent.data", counts: [crystalline, 256 - crystalline],
                                                  crystallineFraction: f)
                    })
    }

    @Test func passingGateAddsOnlyItsSection() throws {
        let (hs, settings) = try Self.realHistories()
        let plain = try Harvester.run(histories: hs, settings: settings)
        let gated = try Harvester.run(histories: hs, settings: settings,
                                      quality: Self.gate(hs.map { $0.sample }, fractions: [0, 0.001, 0.004, 0, 0.02, 0.1]))
        #expect(gated.histories.count == hs.count)
        let members = try #require(gated.parametersJSON.members)
        #expect(members.last?.key == "quality")
        #expect(JSONValue.object(members.dropLast().map { ($0.key, $0.value) }).formatted() == plain.parametersJSON.formatted())
        #expect(gated.database.json.formatted() == plain.database.json.formatted())
        #expect(gated.events == plain.events)
        let quality = try #require(gated.parametersJSON["quality"])
        #expect(quality["excluded"]?.elements?.isEmpty == true)
        #expect(quality["samples"]?.elements?.count == hs.count)
        #expect(quality["samples"]?.elements?[5]["excluded"]?.bool == false)   // at the limit: kept
    }

    @Test func crystallineSampleIsLeftOut() throws {
        let (hs, settings) = try Self.realHistories()
        let ids = hs.map { $0.sample }
        let gate = Self.gate(ids, fractions: [0, 0.45, 0, 0, 0, 0])
        let gated = try Harvester.run(histories: hs, settings: settings, quality: gate)
        #expect(gated.histories.map { $0.sample } == ids.filter { $0 != ids[1] }.sorted())   // the harvest sorts by id
        #expect(gated.parametersJSON["quality"]?["excluded"]?.elements?.map { $0.string } == [ids[1]])
        #expect(gate.report.first?.contains("\(ids[1]) left out: 45.0 % crystalline") == true, "\(gate.report)")
        // The same as harvesting the others alone, apart from the quality section.
        let without = try Harvester.run(histories: hs.filter { $0.sample != ids[1] }, settings: settings)
        #expect(gated.database.json.formatted() == without.database.json.formatted())
    }

    @Test func everySampleLeftOutIsRefused() throws {
        let (hs, settings) = try Self.realHistories()
        let gate = Self.gate(hs.map { $0.sample }, fractions: [Double](repeating: 0.9, count: hs.count))
        do {
            _ = try Harvester.run(histories: hs, settings: settings, quality: gate)
            Issue.record("a harvest of crystals only was accepted")
        } catch {
            #expect(error.path == "/quench/\(hs[0].sample)/inherent.data")
            #expect(error.reason.contains("every sample is crystalline") && error.reason.contains("90.0 %")
                    && error.reason.contains(hs[0].sample), "\(error)")
        }
    }

    /// Purely elastic histories (what a crystal that does not yield records): the harvest proper fits
    /// them, `run` refuses, naming the samples and what to change.
    @Test func harvestWithoutPlasticEventsIsRefused() throws {
        var truth = Synthetic.truth
        truth.tauA = Estimate(.infinity); truth.tauB = Estimate(.infinity)
        let hs = SyntheticFitTests.ensemble(Synthetic(parameters: truth), steps: 200, tauNoise: 2e-4, energyNoise: 1e-9)
        var settings = HarvestSettings()
        settings.heldOutFraction = 0
        settings.referenceEnergy = .given(truth.u0.value)
        settings.fixed.tauA = .infinity; settings.fixed.tauB = .infinity
        settings.elasticFitMaxStrain = 0.02
        #expect(try Harvester.harvest(histories: hs, settings: settings).thresholdCheck.events == 0)
        do {
            _ = try Harvester.run(histories: hs, settings: settings)
            Issue.record("a harvest without plastic events was accepted")
        } catch {
            #expect(error.reason.contains("no plastic event in any of the 12 training samples"), "\(error)")
            #expect(error.reason.contains(hs.map { $0.sample }.sorted()[0]) && error.reason.contains("and 6 more"), "\(error)")
            #expect(error.reason.contains("crystallized") && error.reason.contains("--event-energy-threshold"), "\(error)")
        }
    }
}
