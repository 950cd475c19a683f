import MDCore

/// The figure tables and the event list of a harvest, as CSV text (header row with units; numbers in
/// shortest round-trip form, NaN as empty). Deterministic.
public enum FigureTables {
    static func n(_ x: Double) -> String { x.isFinite ? roundTrip(x) : "" }
    static func rate(_ r: Double?) -> String { r.map { roundTrip($0) } ?? "" }
    static func unit(_ variable: String) -> String { variable == "tau" ? "GPa" : "eV_per_atom" }

    /// Fig. 1: per cooling rate and strain, the mean and sample standard deviation over all samples (train
    /// and test) of τ and u, up to the shortest history of the rate.
    public static func stressStrain(_ r: HarvestResult) -> String {
        var out = "cooling_rate_K_per_s,strain,samples,tau_mean_GPa,tau_std_GPa,u_mean_eV_per_atom,u_std_eV_per_atom\n"
        for group in rateGroups(r) {
            let steps = group.map { r.histories[$0].count }.min()!
            for k in 0..<steps {
                let t = Statistics.meanAndDeviation(group.map { r.histories[$0].stress[k] })
                let u = Statistics.meanAndDeviation(group.map { r.histories[$0].energyPerAtom[k] })
                out += "\(rate(r.histories[group[0]].coolingRate)),\(n(r.histories[group[0]].strain[k])),\(group.count),"
                out += "\(n(t.mean)),\(n(t.deviation)),\(n(u.mean)),\(n(u.deviation))\n"
            }
        }
        return out
    }

    /// Fig. 1's findings per cooling rate (mean and standard error over its samples): inherent-structure
    /// energy, X1⁰, modulus, peak (overshoot) stress and its strain, steady flow stress.
    public static func rates(_ s: RateSummary) -> String {
        var out = "cooling_rate_K_per_s,samples,is_energy_eV_per_atom,is_energy_se_eV_per_atom,stress_free_is_energy_eV_per_atom,"
        out += "stress_free_is_energy_se_eV_per_atom,X1_0_eV_per_atom,X1_0_se_eV_per_atom,G_GPa,G_se_GPa,peak_stress_GPa,"
        out += "peak_stress_se_GPa,peak_strain,peak_strain_se,flow_stress_GPa,flow_stress_se_GPa\n"
        for r in s.rates {
            let cells = [r.energy, r.stressFreeEnergy, r.x1, r.modulus, r.peakStress, r.peakStrain, r.flowStress]
                .flatMap { [n($0.value), n($0.standardError)] }
            out += "\(rate(r.coolingRate)),\(r.samples)," + cells.joined(separator: ",") + "\n"
        }
        return out
    }

    /// Fig. S1: per sample X1 of the unstrained state, the fitted modulus and the law G0·(1 − X1/u_A).
    public static func modulus(_ r: HarvestResult) -> String {
        var out = "sample,cooling_rate_K_per_s,split,X1_0_eV_per_atom,G_GPa,G_standard_error_GPa,G_law_GPa,residual_stress_GPa,branches\n"
        for (i, h) in r.histories.enumerated() {
            let m = r.moduli[i], x = r.x1[i][0]
            out += "\(h.sample),\(rate(h.coolingRate)),\(r.splits[i]),\(n(x)),\(n(m.G.value)),\(n(m.G.standardError)),"
            out += "\(n(r.parameters.shearModulus(x1: x))),\(n(m.residualStress)),\(m.segments)\n"
        }
        return out
    }

    /// Fig. 2: per bin its centre, visits, events, event probability per strain step, mean change per event
    /// and mean flow per unit strain, one column per state variable.
    public static func bins(_ db: StateSpaceDatabase) -> String {
        let vars = db.variables, nv = vars.count
        var head = ["bin"] + vars.map { "\($0)_center_\(unit($0))" } + ["visits", "events", "probability_per_step"]
        head += vars.map { "mean_d\($0)_per_event_\(unit($0))" }
        head += vars.map { "flow_d\($0)_dgamma_\(unit($0))" }
        var out = head.joined(separator: ",") + "\n"
        for b in 0..<db.grid.count {
            let idx = db.grid.indices(b)
            var row = [String(b)] + (0..<nv).map { n(db.grid.axes[$0].center(idx[$0])) }
            row += [String(db.visits[b]), String(db.eventCounts[b]), n(db.eventProbability(bin: b))]
            row += (0..<nv).map { n(db.meanDelta[b * nv + $0]) }
            row += (0..<nv).map { n(db.flow[b * nv + $0]) }
            out += row.joined(separator: ",") + "\n"
        }
        return out
    }

    /// The sample shown in Fig. 3a: the first training sample (by id) of the slowest cooling rate.
    public static func exampleSample(_ r: HarvestResult) -> Int {
        let train = r.trainIndices
        let slowest = train.compactMap { r.histories[$0].coolingRate }.min()
        return train.first { r.histories[$0].coolingRate == slowest } ?? train[0]
    }

    /// Fig. 3a: the example sample's trajectory (γ, τ, X1) with its events (event = 1 on step k when the
    /// step k → k+1 is an event).
    public static func trajectory(_ r: HarvestResult) -> String {
        let i = exampleSample(r)
        let h = r.histories[i]
        var isEvent = [Bool](repeating: false, count: h.count)
        for k in r.events[i] { isEvent[k] = true }
        var out = "sample,step,strain,tau_GPa,X1_eV_per_atom,event\n"
        for k in 0..<h.count {
            out += "\(h.sample),\(k),\(n(h.strain[k])),\(n(h.stress[k])),\(n(r.x1[i][k])),\(isEvent[k] ? 1 : 0)\n"
        }
        return out
    }

    /// The bin with the most events (lowest index on ties); nil without events.
    public static func mostEventfulBin(_ db: StateSpaceDatabase) -> Int? {
        var best: Int?
        for b in 0..<db.grid.count where db.eventCounts[b] > 0 {
            if best == nil || db.eventCounts[b] > db.eventCounts[best!] { best = b }
        }
        return best
    }

    /// Fig. 3b: 2-D histogram (`bins`×`bins`) of (ΔX1, Δτ) over the events of the most eventful bin, over
    /// the range of those events. Header only when there are no events.
    public static func eventHistogram(_ db: StateSpaceDatabase, bins: Int = 20) -> String {
        var out = "bin,dX1_low_eV_per_atom,dX1_high_eV_per_atom,dtau_low_GPa,dtau_high_GPa,events\n"
        guard let b = mostEventfulBin(db), let x = db.variables.firstIndex(of: "X1"), let t = db.variables.firstIndex(of: "tau") else { return out }
        let nv = db.variables.count
        let range = db.eventOffsets[b]..<db.eventOffsets[b + 1]
        let dx = range.map { db.eventDelta[$0 * nv + x] }, dt = range.map { db.eventDelta[$0 * nv + t] }
        func axis(_ v: [Double]) -> StateGrid.Axis {
            var lo = v.min()!, hi = v.max()!
            if !(hi > lo) { let w = max(abs(lo), 1e-12) * 0.5; lo -= w; hi += w }
            return StateGrid.Axis(variable: "", min: lo, max: hi, bins: bins)
        }
        let ax = axis(dx), at = axis(dt)
        var counts = [Int](repeating: 0, count: bins * bins)
        for e in 0..<dx.count { counts[ax.bin(dx[e]) * bins + at.bin(dt[e])] += 1 }
        for i in 0..<bins {
            for j in 0..<bins {
                out += "\(b),\(n(ax.min + Double(i) * ax.width)),\(n(ax.min + Double(i + 1) * ax.width)),"
                out += "\(n(at.min + Double(j) * at.width)),\(n(at.min + Double(j + 1) * at.width)),\(counts[i * bins + j])\n"
            }
        }
        return out
    }

    /// Every event of every sample (train and test): state before, total change over the step, dissipation.
    public static func events(_ r: HarvestResult) -> String {
        var out = "sample,cooling_rate_K_per_s,split,step,strain,tau_GPa,X1_eV_per_atom,dtau_GPa,dX1_eV_per_atom,dissipation_eV_per_atom,bin\n"
        let nv = r.database.variables.count
        for (i, h) in r.histories.enumerated() {
            for k in r.events[i] {
                var s = [Double](repeating: 0, count: nv)
                s[0] = h.stress[k]; s[1] = r.x1[i][k]
                let b = r.database.grid.bin(s)
                out += "\(h.sample),\(rate(h.coolingRate)),\(r.splits[i]),\(k),\(n(h.strain[k])),\(n(h.stress[k])),\(n(r.x1[i][k])),"
                out += "\(n(h.stress[k + 1] - h.stress[k])),\(n(r.x1[i][k + 1] - r.x1[i][k])),"
                out += "\(n(EventDetector.dissipation(h, step: k))),\(b)\n"
            }
        }
        return out
    }

    /// Sample indices grouped by cooling rate (ascending; samples without a rate last), ids ascending.
    static func rateGroups(_ r: HarvestResult) -> [[Int]] {
        var keys: [Double?] = []
        for h in r.histories where !keys.contains(where: { $0 == h.coolingRate }) { keys.append(h.coolingRate) }
        keys.sort { a, b in
            switch (a, b) {
            case let (x?, y?): return x < y
            case (_?, nil): return true
            default: return false
            }
        }
        return keys.map { key in r.histories.indices.filter { r.histories[$0].coolingRate == key } }
    }
}
