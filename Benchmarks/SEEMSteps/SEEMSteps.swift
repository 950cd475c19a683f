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
        // One iteration = 10⁶ SEEM strain steps (scaling factor mega): throughput reads as M steps/s.
        // A run of 3000 steps (γ = 0.3 at Δγ = 1e-4) restarts from the initial state, as in an ensemble.
        Benchmark("SEEM steps, \(mode.rawValue), 20×20 bins") { benchmark in
            var rng = SeededRandom(seed: 1)
            let total = benchmark.scaledIterations.count
            var done = 0
            benchmark.startMeasurement()
            while done < total {
                var state = db.samples[0].initialState
                let n = min(3000, total - done)
                blackHole(model.run(state: &state, steps: n, recordEvery: n, rng: &rng))
                blackHole(state)
                done += n
            }
            benchmark.stopMeasurement()
        }
    }
}
