import Harvest
import MDCore

/// A 20×20 (τ, X1) database shaped like the paper's Fig. 2: event probability rising with τ and X1,
/// stress drops ~0.1–0.3 GPa, X1 changes of either sign, 8–40 events per visited bin; the corner at high
/// X1 and |τ| left unvisited (fallbacks). Deterministic.
enum SyntheticDatabase {
    static func make() -> StateSpaceDatabase {
        let nt = 20, nx = 20, dg = 1e-4
        let grid = StateGrid(axes: [.init(variable: "tau", min: -1, max: 3, bins: nt),
                                    .init(variable: "X1", min: 0, max: 0.06, bins: nx)])
        let params = ModelParameters(u0: Estimate(-4.4), omega: Estimate(15.9), G0: Estimate(25.9), uA: Estimate(0.101),
                                     tauA: Estimate(8.4), tauB: Estimate(2.9))
        var rng = SeededRandom(seed: 99)
        var visits = [Int](repeating: 0, count: nt * nx), counts = visits
        var eBin: [Int] = [], eState: [Double] = [], eDelta: [Double] = []
        for it in 0..<nt {
            for ix in 0..<nx {
                let b = it * nx + ix
                if ix > 15 && (it < 3 || it > 17) { continue }  // unvisited corner
                let tau = grid.axes[0].center(it), x1 = grid.axes[1].center(ix)
                let p = min(0.9, 0.002 + 0.03 * max(0, tau) * (1 + 10 * x1))
                visits[b] = 1000
                counts[b] = Int((p * 1000).rounded())
                for _ in 0..<counts[b] {
                    eBin.append(b); eState += [tau, x1]
                    let drop = 0.1 + 0.2 * rng.uniform()
                    eDelta += [params.shearModulus(x1: x1) * dg - drop, 0.004 * (rng.uniform() - 0.6 + 0.3 * (0.03 - x1) / 0.03)]
                }
            }
        }
        let ne = eBin.count
        return StateSpaceDatabase(
            variables: ["tau", "X1"], parameters: params, strainStep: dg, eventThreshold: 0.05, grid: grid,
            samples: [.init(id: "s0", directory: "", coolingRate: 1e13, split: "train", initialState: [0, 0.01])],
            visits: visits, eventCounts: counts, meanDelta: [Double](repeating: .nan, count: nt * nx * 2),
            flow: [Double](repeating: .nan, count: nt * nx * 2), eventBin: eBin, eventSample: [Int](repeating: 0, count: ne),
            eventStep: Array(0..<ne), eventState: eState, eventDelta: eDelta)
    }
}
