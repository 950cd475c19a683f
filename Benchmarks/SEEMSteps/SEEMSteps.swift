import Benchmark
import Harvest
import MDCore
import SEEM

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal],
                                           scalingFactor: .mega, maxDuration: .seconds(5), maxIterations: 20)
    let db = SyntheticDatabase.make()
    for mode in SEEMEventMode.allCases {
        let settings = SEEMSettings(maxStrain: 0.3, mode: mode)
        let model = try! SEEMModel(database: db, settings: settings)
        // One million SEEM strain steps per iteration (one run of 10⁶ steps, no recording).
        Benchmark("SEEM steps, \(mode.rawValue), 20×20 bins (1M steps)") { benchmark in
            var rng = SeededRandom(seed: 1)
            for _ in benchmark.scaledIterations {
                var state = db.samples[0].initialState
                blackHole(model.run(state: &state, steps: 1_000_000, recordEvery: 1_000_000, rng: &rng))
                blackHole(state)
            }
        }
    }
}
