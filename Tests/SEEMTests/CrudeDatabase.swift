import Foundation
import Harvest
import MDCore

/// A crude state-space database from real AQS histories, for tests only, until Harvest writes real
/// ones: X1 from Eq. 8 with rough parameters (G0 = 30 GPa, u_A = 0.1 eV/atom, τ_A = 8, τ_B = 3 GPa,
/// u0 = mean initial energy, Ω = mean V/N), a 20×20 grid over the train states, and events = steps with
/// Δτ < G(X1)·Δγ − 0.05 GPa, delta = total change over the step. Split: the last sample of each rate is
/// held out ("test").
enum CrudeDatabase {
    static let root = "/work/data/small/shear"

    static func directories() -> [(rate: String, dir: String)] {
        let fm = FileManager.default
        guard let rates = try? fm.contentsOfDirectory(atPath: root) else { return [] }
        var out: [(String, String)] = []
        for r in rates.sorted() where r.hasPrefix("rate-") {
            let samples = ((try? fm.contentsOfDirectory(atPath: root + "/" + r)) ?? []).filter {
                $0.hasPrefix("sample-") && !$0.hasSuffix(".log") && fm.fileExists(atPath: "\(root)/\(r)/\($0)/history.csv")
            }.sorted()
            for s in samples { out.append((r, "\(root)/\(r)/\(s)")) }
        }
        return out
    }

    static func build(threshold: Double = 0.05, bins: Int = 20) throws -> StateSpaceDatabase? {
        let dirs = directories()
        guard !dirs.isEmpty else { return nil }
        let histories = try dirs.map { try ShearHistory.read(directory: $0.dir, sample: $0.rate + "/" + ($0.dir as NSString).lastPathComponent) }
        let lastOfRate = Set(Dictionary(grouping: dirs.indices, by: { dirs[$0].rate }).values.map { $0.max()! })
        let split = dirs.indices.map { lastOfRate.contains($0) ? "test" : "train" }
        let u0 = histories.map(\.initialEnergyPerAtom).reduce(0, +) / Double(histories.count)
        let omega = histories.map(\.volumePerAtom).reduce(0, +) / Double(histories.count)
        let p = ModelParameters(u0: Estimate(u0), omega: Estimate(omega), G0: Estimate(30), uA: Estimate(0.1),
                                tauA: Estimate(8), tauB: Estimate(3))
        let states = histories.map { h in (0..<h.count).map { [h.stress[$0], p.x1(u: h.energyPerAtom[$0], tau: h.stress[$0])] } }
        let train = states.indices.filter { split[$0] == "train" }
        let all = train.flatMap { states[$0] }
        func axis(_ a: Int, _ name: String) -> StateGrid.Axis {
            let lo = all.map { $0[a] }.min()!, hi = all.map { $0[a] }.max()!
            let pad = 1e-6 * (hi - lo)
            return .init(variable: name, min: lo - pad, max: hi + pad, bins: bins)
        }
        let grid = StateGrid(axes: [axis(0, "tau"), axis(1, "X1")])
        let nb = grid.count, dg = histories[0].strainStep
        var visits = [Int](repeating: 0, count: nb)
        var events: [(bin: Int, sample: Int, step: Int, state: [Double], delta: [Double])] = []
        var sums = [Double](repeating: 0, count: nb * 2), flowSums = sums
        for s in train {
            let st = states[s]
            for k in 0..<(st.count - 1) {
                let b = grid.bin(st[k])
                visits[b] += 1
                let d = [st[k + 1][0] - st[k][0], st[k + 1][1] - st[k][1]]
                flowSums[2 * b] += d[0] / dg; flowSums[2 * b + 1] += d[1] / dg
                if d[0] < p.shearModulus(x1: st[k][1]) * dg - threshold {
                    events.append((b, s, k, st[k], d))
                    sums[2 * b] += d[0]; sums[2 * b + 1] += d[1]
                }
            }
        }
        events.sort { ($0.bin, $0.sample, $0.step) < ($1.bin, $1.sample, $1.step) }
        var counts = [Int](repeating: 0, count: nb)
        for e in events { counts[e.bin] += 1 }
        let meanDelta = (0..<(2 * nb)).map { counts[$0 / 2] > 0 ? sums[$0] / Double(counts[$0 / 2]) : .nan }
        let flow = (0..<(2 * nb)).map { visits[$0 / 2] > 0 ? flowSums[$0] / Double(visits[$0 / 2]) : .nan }
        let samples = dirs.indices.map { k in
            StateSpaceDatabase.Sample(id: histories[k].sample, directory: dirs[k].dir, coolingRate: histories[k].coolingRate,
                                      split: split[k], initialState: states[k][0])
        }
        return StateSpaceDatabase(
            variables: ["tau", "X1"], parameters: p, strainStep: dg, eventThreshold: threshold, grid: grid, samples: samples,
            visits: visits, eventCounts: counts, meanDelta: meanDelta, flow: flow, eventBin: events.map(\.bin),
            eventSample: events.map(\.sample), eventStep: events.map(\.step), eventState: events.flatMap(\.state),
            eventDelta: events.flatMap(\.delta),
            provenance: .object([("builder", .string("SEEMTests CrudeDatabase (test-only, rough Eq. 8 parameters)"))]))
    }
}
