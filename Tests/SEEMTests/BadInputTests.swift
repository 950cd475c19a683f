import Foundation
import Harvest
import MDCore
import Testing
@testable import SEEM

/// Bad databases and settings are `InputError`s naming the problem.
@Suite("SEEM bad input")
struct BadInputTests {
    static func good() -> StateSpaceDatabase {
        handDatabase(grid: tauGrid(min: 0, max: 1, bins: 2)) { _ in (1, [HandEvent(state: [0.2, 0], delta: [-0.1, 0])]) }
    }

    /// The error's text, or nil when `body` succeeds (any error other than InputError fails the test).
    static func reason(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let e as InputError { return e.description } catch {
            Issue.record("not an InputError: \(error)"); return "\(error)"
        }
    }

    @Test func missingAndMalformedDatabaseFiles() throws {
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = Self.reason { _ = try StateSpaceDatabase.read(path: dir.path + "/none.json") }
        #expect(missing?.contains("none.json") == true)
        let bad = dir.appendingPathComponent("bad.json")
        try "{\"format\": \"seem-database/1\", \"strain_step\": ".write(to: bad, atomically: true, encoding: .utf8)
        #expect(Self.reason { _ = try StateSpaceDatabase.read(path: bad.path) } != nil)
        // A good one round-trips through JSON and builds a model.
        let ok = dir.appendingPathComponent("ok.json")
        try Self.good().write(to: ok.path)
        let db = try StateSpaceDatabase.read(path: ok.path)
        _ = try SEEMModel(database: db, settings: SEEMSettings(maxStrain: 0.01))
    }

    @Test func inconsistentDatabases() {
        var db = Self.good()
        db.eventCounts[0] = 3
        #expect(Self.reason { _ = try SEEMModel(database: db, settings: SEEMSettings(maxStrain: 0.01)) }?.contains("inconsistent") == true)
        db = Self.good()
        db.grid.axes[0].max = db.grid.axes[0].min
        #expect(Self.reason { _ = try SEEMModel(database: db, settings: SEEMSettings(maxStrain: 0.01)) }?.contains("empty range") == true)
        db = Self.good()
        db.visits = [0, 0]; db.eventCounts = [0, 0]; db.eventBin = []; db.eventSample = []; db.eventStep = []
        db.eventState = []; db.eventDelta = []
        #expect(Self.reason { _ = try SEEMModel(database: db, settings: SEEMSettings(maxStrain: 0.01)) }?.contains("no bin was ever visited") == true)
        db = Self.good()
        db.eventDelta[0] = .nan
        #expect(Self.reason { _ = try SEEMModel(database: db, settings: SEEMSettings(maxStrain: 0.01)) }?.contains("non-finite") == true)
        db = Self.good()
        db.samples[0].initialState = [0]
        #expect(Self.reason { _ = try SEEMModel(database: db, settings: SEEMSettings(maxStrain: 0.01)) }?.contains("initial_state") == true)
        db = Self.good()
        db.variables = ["tau", "X2"]
        #expect(Self.reason { _ = try SEEMModel(database: db, settings: SEEMSettings(maxStrain: 0.01)) }?.contains("X1") == true)
        db = Self.good()
        db.parameters.uA = Estimate(0)
        #expect(Self.reason { _ = try SEEMModel(database: db, settings: SEEMSettings(maxStrain: 0.01)) }?.contains("uA") == true)
    }

    @Test func settingsThatDoNotFit() {
        let db = Self.good()
        func fails(_ s: SEEMSettings, _ word: String) -> Bool {
            Self.reason { _ = try SEEMModel(database: db, settings: s) }?.contains(word) == true
        }
        #expect(fails(SEEMSettings(maxStrain: 0.01005), "max_strain"))
        #expect(fails(SEEMSettings(maxStrain: -1), "max_strain"))
        #expect(fails(SEEMSettings(strainStep: 0, maxStrain: 0.01), "strain_step"))
        #expect(fails(SEEMSettings(maxStrain: 0.01, runsPerSample: 0), "runs_per_sample"))
        #expect(fails(SEEMSettings(maxStrain: 0.01, outputStrainStep: 1.5e-4), "output_strain_step"))
        #expect(fails(SEEMSettings(maxStrain: 0.01, outputStrainStep: 0.02), "output_strain_step"))
        #expect(fails(SEEMSettings(maxStrain: 0.01, steadyStateFrom: -1), "steady_state_from"))
        // p = 1 per database step; Δγ = 100·Δγ_db makes λΔγ = 100 > 50 in Poisson mode.
        #expect(fails(SEEMSettings(strainStep: 1e-2, maxStrain: 1, mode: .poisson), "Poisson"))
    }
}
