#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MDCore
import Report

/// A demo report with synthetic data that looks like the paper's Figs. 1–5, Table I, a
/// validation table and a provenance block. Uses every layer kind: lines (solid, dashed,
/// dotted, with NaN gaps), bands, scatter, 1-D histogram, heatmaps (sequential, diverging, log,
/// with NaN cells), quiver, reference lines.
enum DemoReport {
    /// Strain step of the synthetic runs.
    static let strainStep = 2e-4
    static let strainMax = 0.5
    /// Shear modulus G₀ (GPa), inverse density Ω (Å³/atom), GPa → eV/Å³.
    static let shearModulus = 30.0, volumePerAtom = 15.86, gpaToEVPerA3 = 0.006_241_509

    /// One synthetic SEEM-like run from (X₁⁰, 0): elastic loading interrupted by plastic events
    /// whose rate grows with τ and whose ΔX₁ pulls X₁ towards the steady state.
    static func run(seed: UInt64, x1Start: Double) -> (strain: [Double], x1: [Double], tau: [Double], energy: [Double]) {
        var rng = SeededRandom(seed: seed)
        var x1 = x1Start, tau = 0.0
        var strain: [Double] = [], xs: [Double] = [], taus: [Double] = [], energy: [Double] = []
        let steps = Int(strainMax / strainStep)
        for k in 0...steps {
            strain.append(Double(k) * strainStep)
            xs.append(x1)
            taus.append(tau)
            let g = shearModulus * (1 - x1 / 0.101)
            energy.append(-5.64 + x1 + volumePerAtom * tau * tau / (2 * g) * gpaToEVPerA3)
            tau += g * strainStep
            let yield = 1.25 + 30 * (0.02 - x1)                  // deeper glasses yield at higher stress
            let p = min(0.9, 0.01 * exp((tau - yield) / 0.1))
            if rng.uniform() < p {
                let drop = -0.09 * portableLog(1 - rng.uniform())
                tau -= drop
                x1 += 0.012 * drop * (0.032 - x1) / 0.032 + 0.0004 * rng.gaussian()
            }
        }
        return (strain, xs, taus, energy)
    }

    /// Mean and standard deviation over runs, per strain point.
    static func meanStd(_ series: [[Double]]) -> (mean: [Double], std: [Double]) {
        let n = Double(series.count)
        let mean = series[0].indices.map { k in series.reduce(0) { $0 + $1[k] } / n }
        let std = series[0].indices.map { k in (series.reduce(0) { $0 + ($1[k] - mean[k]) * ($1[k] - mean[k]) } / max(n - 1, 1)).squareRoot() }
        return (mean, std)
    }

    static let strainAxis = Axis("Shear strain γ", csvName: "strain")
    static let tauAxis = Axis("τ", unit: "GPa", csvName: "tau")
    static let x1Axis = Axis("X₁", unit: "eV/atom", csvName: "X1")

    static func figure1() -> Figure {
        let r = run(seed: 1, x1Start: 0.008)
        return Figure(panels: [
            Panel(x: strainAxis, y: tauAxis, legend: .hidden, layers: [.line(LineSeries(x: r.strain, y: r.tau, width: 1.1))]),
            Panel(x: strainAxis, y: Axis("U/N", unit: "eV/atom", csvName: "energy"), legend: .hidden,
                  layers: [.line(LineSeries(x: r.strain, y: r.energy, width: 1.1))]),
        ])
    }

    /// Grid of the (X₁, τ) state space: 20 × 20 bins.
    static let x1Edges = Heatmap.edges(from: 0, to: 0.05, count: 20)
    static let tauEdges = Heatmap.edges(from: -0.5, to: 2.5, count: 20)

    /// Whether the synthetic training data visit cell (i, j): not at high X₁ with very high or low τ.
    static func visited(_ i: Int, _ j: Int) -> Bool {
        !(i >= 14 && (j >= 15 || j <= 3)) && !(i >= 17 && j >= 12) && !(i <= 1 && j <= 1)
    }

    static func centre(_ i: Int, _ j: Int) -> (x1: Double, tau: Double) {
        (0.5 * (x1Edges[i] + x1Edges[i + 1]), 0.5 * (tauEdges[j] + tauEdges[j + 1]))
    }

    static func eventRate(_ x1: Double, _ tau: Double) -> Double {
        min(1, 0.02 * exp((tau - 1.25 - 30 * (0.02 - x1)) / 0.25) + 0.2 * x1 / 0.05)
    }

    static func figure2() -> Figure {
        func map(_ scale: ColorScale, _ f: @escaping (Double, Double) -> Double) -> Heatmap {
            Heatmap(xEdges: x1Edges, yEdges: tauEdges, scale: scale) { i, j in
                guard visited(i, j) else { return .nan }
                let c = centre(i, j)
                return f(c.x1, c.tau)
            }
        }
        let rate = map(ColorScale("Events per 0.1% strain", csvName: "events_per_0.1pct")) { eventRate($0, $1) }
        let dx1 = map(ColorScale("⟨ΔX₁⟩", unit: "eV/atom", colormap: .blueWhiteRed, csvName: "mean_dX1")) { x1, tau in
            0.0015 * (0.032 - x1) / 0.032 * min(1, max(0.2, tau / 1.5))
        }
        let dtau = map(ColorScale("⟨Δτ⟩", unit: "GPa", colormap: .blueWhiteRed, csvName: "mean_dtau")) { x1, tau in
            -0.05 - 0.1 * max(0, tau) / 2.5 + 0.02 * x1 / 0.05
        }
        var u: [Double] = [], v: [Double] = []
        for j in 0..<20 {
            for i in 0..<20 {
                let c = centre(i, j)
                let ok = visited(i, j)
                // Mean flow towards the steady state near (0.03 eV/atom, 1.1 GPa).
                let loading = min(1, max(0.1, c.tau / 1.2))
                u.append(ok ? 0.4 * (0.031 - c.x1) / 0.031 * loading : .nan)
                v.append(ok ? 30 * tanh((1.1 + 25 * (0.03 - c.x1) - c.tau) / 0.6) : .nan)
            }
        }
        let flow = Quiver(xEdges: x1Edges, yEdges: tauEdges, u: u, v: v,
                          componentNames: ("dX1/dgamma [eV/atom]", "dtau/dgamma [GPa]"))
        return Figure(panels: [
            Panel(x: x1Axis, y: tauAxis, layers: [.heatmap(rate)]),
            Panel(x: x1Axis, y: tauAxis, layers: [.heatmap(dx1)]),
            Panel(x: x1Axis, y: tauAxis, layers: [.heatmap(dtau)]),
            Panel(x: x1Axis, y: tauAxis, layers: [.quiver(flow)]),
        ])
    }

    static func figure3() -> Figure {
        let counts = Heatmap(xEdges: x1Edges, yEdges: tauEdges,
                             scale: ColorScale("Plastic events", logarithmic: true, csvName: "events")) { i, j in
            guard visited(i, j) else { return .nan }
            let c = centre(i, j)
            let d = ((c.x1 - 0.03) / 0.008) * ((c.x1 - 0.03) / 0.008) + ((c.tau - 1.1) / 0.35) * ((c.tau - 1.1) / 0.35)
            return (20000 * exp(-0.5 * d)).rounded(.down)
        }
        let r = run(seed: 7, x1Start: 0.006)
        let trajectory = LineSeries(x: r.x1, y: r.tau, label: "SEEM run", color: .black, width: 1.3, dash: .dotted)
        // 2-D histogram of (ΔX₁, Δτ) in the most populated state.
        var rng = SeededRandom(seed: 3)
        let dxEdges = Heatmap.edges(from: -0.004, to: 0.004, count: 24)
        let dtEdges = Heatmap.edges(from: -0.6, to: 0, count: 20)
        var hist = [Double](repeating: 0, count: 24 * 20)
        for _ in 0..<4000 {
            let dt = -0.09 * portableLog(1 - rng.uniform())
            let dx = 0.0004 * rng.gaussian() + 0.002 * dt
            let i = Int((dx + 0.004) / 0.008 * 24), j = Int((-dt + 0.6) / 0.6 * 20)
            if (0..<24).contains(i), (0..<20).contains(j) { hist[j * 24 + i] += 1 }
        }
        let histMap = Heatmap(xEdges: dxEdges, yEdges: dtEdges, values: hist.map { $0 == 0 ? .nan : $0 },
                              scale: ColorScale("Plastic events", logarithmic: true, csvName: "events"), missingColor: nil)
        return Figure(panels: [
            Panel(x: x1Axis, y: tauAxis, legend: .lowerRight, layers: [.heatmap(counts), .line(trajectory)]),
            Panel(x: Axis("ΔX₁", unit: "eV/atom", csvName: "dX1"), y: Axis("Δτ", unit: "GPa", csvName: "dtau"),
                  layers: [.heatmap(histMap), .reference(.vertical(0, label: "ΔX₁ = 0", color: .orange))]),
        ])
    }

    static func figure4() -> Figure {
        let model = (0..<8).map { run(seed: 100 + UInt64($0), x1Start: 0.008) }
        let atomistic = (0..<8).map { run(seed: 200 + UInt64($0), x1Start: 0.009) }
        let strain = model[0].strain
        func panel(_ y: Axis, _ pick: ((strain: [Double], x1: [Double], tau: [Double], energy: [Double])) -> [Double]) -> Panel {
            let m = meanStd(model.map(pick)), a = meanStd(atomistic.map(pick))
            return Panel(x: strainAxis, y: y, layers: [
                .band(Band(x: strain, mean: m.mean, std: m.std, color: .blue)),
                .band(Band(x: strain, mean: a.mean, std: a.std, color: .orange)),
                .line(LineSeries(x: strain, y: m.mean, label: "SEEM", color: .blue)),
                .line(LineSeries(x: strain, y: a.mean, label: "Atomistic (AQS)", color: .orange, dash: .dashed)),
            ])
        }
        return Figure(panels: [panel(x1Axis) { $0.x1 }, panel(tauAxis) { $0.tau }])
    }

    static func figure5() -> Figure {
        var panel = Panel(x: x1Axis, y: tauAxis, legend: .lowerRight)
        for (k, x1Start) in [0.0, 0.004, 0.008, 0.012, 0.016].enumerated() {
            let m = meanStd((0..<4).map { run(seed: 300 + UInt64(10 * k + $0), x1Start: x1Start).x1 })
            let mt = meanStd((0..<4).map { run(seed: 300 + UInt64(10 * k + $0), x1Start: x1Start).tau })
            let a = meanStd((0..<4).map { run(seed: 500 + UInt64(10 * k + $0), x1Start: x1Start + 0.001).x1 })
            let at = meanStd((0..<4).map { run(seed: 500 + UInt64(10 * k + $0), x1Start: x1Start + 0.001).tau })
            panel.add(.line(LineSeries(x: m.mean, y: mt.mean, label: k == 0 ? "SEEM" : nil, color: .blue, width: 1.3)))
            panel.add(.line(LineSeries(x: a.mean, y: at.mean, label: k == 0 ? "Atomistic (AQS)" : nil, color: .orange,
                                       width: 1.3, dash: .dashed)))
        }
        return Figure(panel)
    }

    /// Stress-drop sizes: a 1-D histogram with points (bin counts) and a gap (NaN) in a fit line.
    static func figureDrops() -> Figure {
        var rng = SeededRandom(seed: 11)
        let edges = Heatmap.edges(from: 0, to: 0.5, count: 25)
        var counts = [Double](repeating: 0, count: 25)
        for _ in 0..<3000 {
            let d = -0.09 * portableLog(1 - rng.uniform())
            if d < 0.5 { counts[Int(d / 0.02)] += 1 }
        }
        let centres = (0..<25).map { 0.5 * (edges[$0] + edges[$0 + 1]) }
        var fit = centres.map { 3000 * 0.02 / 0.09 * exp(-$0 / 0.09) }
        fit[12] = .nan                                             // a gap, to show NaN handling
        return Figure(Panel(x: Axis("Stress drop |Δτ|", unit: "GPa", csvName: "drop"), y: Axis("Events", grid: true),
                            layers: [
                                .histogram(Histogram(edges: edges, counts: counts, label: "Harvested drops")),
                                .scatter(Scatter(x: centres, y: counts, label: "Bin counts", color: .black, radius: 2)),
                                .line(LineSeries(x: centres, y: fit, label: "Exponential fit", color: .red)),
                            ]), width: 560, height: 340)
    }

    static func page() -> ReportPage {
        var page = ReportPage(title: "SEEM for a Cu₆₄Zr₃₆ metallic glass — demo report (synthetic data)")
        page.paragraph("Every number on this page is synthetic: this page shows what the pipeline's report looks like. Figures mirror Figs. 1–5 of the paper; each links to CSV files with the plotted data.")
        page.heading("Atomistic response")
        page.figure(figure1(), name: "fig1", caption: "(a) Athermal quasistatic shear stress vs. strain; (b) potential energy per atom vs. strain, for one sample.", label: "Fig. 1.")
        var table = ReportTable(caption: "Parameters used to calculate X₁ and their fitted values.",
                                columns: ["Parameter", "Fitted value", "Unit"], label: "Table I.")
        table.append(["u_A", .measurement(0.10134, error: 0.00213), "eV/atom"])
        table.append(["G₀", .measurement(30.412, error: 0.31), "GPa"])
        table.append(["τ_A", .measurement(2.871, error: 0.046), "GPa"])
        table.append(["τ_B", .measurement(3.53, error: 0.12), "GPa"])
        table.append(["u₀", .number(-5.64), "eV/atom"])
        page.table(table)
        page.heading("State-space statistics")
        page.figure(figure2(), name: "fig2", caption: "(a) Plastic events per 0.1% strain; (b) mean ΔX₁ per event; (c) mean Δτ per event; (d) mean flow (dX₁/dγ, dτ/dγ). Grey cells were never visited.", label: "Fig. 2.")
        page.figure(figure3(), name: "fig3", caption: "(a) One SEEM trajectory (dotted) over the number of plastic events per state (log scale); (b) events by ΔX₁ and Δτ in the most sampled state; dashed: ΔX₁ = 0.", label: "Fig. 3.")
        page.figure(figureDrops(), name: "drops", caption: "Distribution of stress-drop sizes with an exponential fit (the gap is a NaN in the fit).", label: "Fig. S2.")
        page.heading("Validation")
        page.figure(figure4(), name: "fig4", caption: "(a) X₁ and (b) τ vs. strain: SEEM (solid blue) and atomistic simulation (dashed orange), mean ± std over 8 runs.", label: "Fig. 4.")
        page.figure(figure5(), name: "fig5", caption: "Mean (X₁, τ) trajectories for five initial states (cooling rates): SEEM (solid blue), atomistic (dashed orange).", label: "Fig. 5.")
        page.table(ReportTable(caption: "Validation metrics (SEEM vs. atomistic).", columns: ["Metric", "Value", "Unit"], rows: [
            ["Peak stress difference", .measurement(0.083, error: 0.021), "GPa"],
            ["Steady-state τ difference", .measurement(-0.012, error: 0.015), "GPa"],
            ["RMS X₁ difference", .number(0.00042), "eV/atom"],
            ["Kolmogorov–Smirnov D (drop sizes)", .number(0.0413), ""],
        ], label: "Table II."))
        page.provenance(Provenance([
            ("Config hash", "fnv1a64:9c1f3e0b2a7d4e51"), ("Potential", "CuZr_mm.eam.fs (fnv1a64:5a0e77c3d1b2f980)"),
            ("Code version", "report@demo"), ("Seeds", "1, 3, 7, 11, 100–107, 200–207, 300–343, 500–543"),
            ("Generated", "2025-01-01 (fixed for reproducibility)"), ("Note", "Synthetic <demo> data & no physics"),
        ]))
        return page
    }
}
