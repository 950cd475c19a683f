import Foundation
import Harvest
import MDCore
import Testing
@testable import SEEM

/// SEEM on a real harvest of real AQS histories: the committed fixture `Fixtures/aqs-256-mendelev2009`
/// (the 12 samples, 4 per cooling rate, of the quick study on Mendelev 2009, 256 atoms, γ ≤ 0.3). Harvested with
/// the project's own harvest (u_A and τ_A given: nine 256-atom glasses do not determine them), then
/// integrated and compared with AQS: a model built from these events must load, yield and flow like the
/// samples it was built from.
@Suite("SEEM on real AQS data")
struct RealDataTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/aqs-256-mendelev2009").path

    static func directories() -> [String] {
        let fm = FileManager.default
        let rates = ((try? fm.contentsOfDirectory(atPath: fixture)) ?? []).filter { $0.hasPrefix("rate-") }.sorted()
        return rates.flatMap { r in
            (((try? fm.contentsOfDirectory(atPath: fixture + "/" + r)) ?? []).filter { $0.hasPrefix("sample-") }.sorted())
                .map { "\(fixture)/\(r)/\($0)" }
        }
    }

    @Test func harvestedDatabaseRunsAndFollowsAQS() throws {
        let dirs = Self.directories()
        #expect(dirs.count == 12, "fixture missing under \(Self.fixture)")
        let histories = try Harvester.readHistories(directories: dirs)
        var settings = HarvestSettings()
        settings.heldOutFraction = 0
        settings.fixed.uA = 0.1
        settings.fixed.tauA = 3
        let harvest = try Harvester.run(histories: histories, settings: settings)
        let db = harvest.database
        #expect(db.problem() == nil)
        #expect(harvest.thresholdCheck.events > 60, "\(harvest.thresholdCheck.events) events")
        #expect(harvest.parameters.G0.value > 22 && harvest.parameters.G0.value < 30, "G0 = \(harvest.parameters.G0)")

        var seem = SEEMSettings(maxStrain: 0.3, runsPerSample: 16)
        seem.elasticity = .nonlinear
        let runner = try SEEMEnsembleRunner(database: db, settings: seem)
        let result = runner.run(threads: 2)
        let curves = try db.samples.indices.map { try AQSCurve.read(sample: $0, database: db, outputStrain: result.outputStrain) }
        #expect(abs(curves[0].tau[0] - db.samples[0].initialState[0]) < 1e-12)
        #expect(abs(curves[0].x1[0] - db.samples[0].initialState[1]) < 1e-12)
        let c = SEEMComparison(result: result, curves: curves, steadyStateFrom: 0.2)
        #expect(c.groups.count == 3)
        for g in c.groups {
            let m = g.metrics
            // Training samples: SEEM flows at the stress of the samples whose events it draws.
            #expect(abs(m.flowStressSEEM - m.flowStressAQS) < 0.3 * m.flowStressAQS,
                    "\(g.coolingRate!): flow stress SEEM \(m.flowStressSEEM) vs AQS \(m.flowStressAQS) GPa")
            #expect(m.rmsTauRelative < 0.35, "\(g.coolingRate!): RMS τ / flow \(m.rmsTauRelative)")
            #expect(m.flowStressAQS > 0.8 && m.flowStressAQS < 1.8)
        }
    }
}
