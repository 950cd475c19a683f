import Harvest
import MDCore
import Report

/// The study's report: report/index.html with the paper's figures drawn from what the harvest and
/// SEEM stages wrote (their CSV and JSON files), Table I with standard errors, the validation metrics
/// and the provenance; every figure also as SVG with its data as CSV beside it.
package struct StudyReport {
    let title: String
    let harvestDirectory: String
    let seemDirectory: String
    let provenance: [(String, String)]
    /// True when the study's potential is the paper's (Mendelev 2009, by SHA-256): Table I then shows the
    /// paper's values beside the study's.
    let paperPotential: Bool
    /// Where fixed parameters come from (`harvest.fixed_from`), nil when not said.
    let fixedFrom: String?

    /// SHA-256 of `potentials/Cu-Zr_2.eam.fs`, the NIST repository's Mendelev 2009 file.
    static let paperPotentialSHA256 = "3dc7133870d99a0e054f54c226ed4f4a89cb9644d006e7ca53433081de1f3c6d"
    /// The paper's Table I (value, standard error).
    static let paperTableI: [String: (Double, Double)] = ["uA": (0.101, 0.002), "G0": (25.90, 0.06), "tauA": (8.4, 0.5), "tauB": (2.90, 0.03)]

    func write(to directory: String) throws(InputError) {
        var page = ReportPage(title: title)
        page.paragraph("Stochastic evolution elasto-plastic model (SEEM) of a Cu–Zr metallic glass built from athermal quasistatic shear (AQS) simulations run by seem on its built-in EAM engine. Figures follow the paper's numbering; each links to its data.")
        let database = try StateSpaceDatabase.read(path: harvestDirectory + "/database.json")
        let parameters = try JSONValue.read(path: harvestDirectory + "/parameters.json")

        page.heading("Atomistic response")
        page.figure(try figure1(), name: "fig1", caption: "Ensemble mean ± std of (a) the shear stress τ and (b) the potential energy per atom u of the inherent structures vs shear strain γ, per cooling rate.", label: "Fig. 1.")
        page.figure(try figureS1(database), name: "figS1", caption: "Linear shear modulus G of each sample (γ below the modulus fit range) vs the inelastic energy X₁ of its unstrained state, and the fitted law G = G₀(1 − X₁/u_A).", label: "Fig. S1.")
        page.table(tableI(database, parameters))
        page.table(routesTable(parameters))
        page.figure(try figureRates(), name: "fig1c", caption: "Per cooling rate, mean ± standard error over its samples: the peak (overshoot) stress and the steady flow stress (mean τ in the steady-state window).", label: "Fig. 1c.")
        page.table(try ratesTable(parameters))
        page.table(eventThresholdTable(parameters))
        if let q = qualityText(parameters) { page.paragraph(q) }

        page.heading("State-space statistics")
        page.figure(figure2(database), name: "fig2", caption: "Over the (X₁, τ) grid: (a) plastic events per 0.1 % strain (event probability per step scaled to Δγ = 10⁻³); (b) mean ΔX₁ per event; (c) mean Δτ per event; (d) mean flow (dX₁/dγ, dτ/dγ). Grey cells were never visited by the training samples.", label: "Fig. 2.")
        page.figure(try figure3(database), name: "fig3", caption: "(a) Plastic events harvested per state (log scale) with the AQS trajectory of one sample (dotted); (b) events in the most visited state with events, by ΔX₁ and Δτ; dashed: ΔX₁ = 0 (aging left, rejuvenation right).", label: "Fig. 3.")

        page.heading("SEEM vs AQS")
        page.figure(try figure4(), name: "fig4", caption: "One sample from the same initial state: (a) X₁ and (b) τ vs γ, SEEM ensemble mean ± std (solid) and one SEEM run (thin) against the atomistic simulation (dashed).", label: "Fig. 4.")
        page.figure(try figure5(), name: "fig5", caption: "Mean trajectories in the (X₁, τ) plane per cooling rate: SEEM (solid) and AQS (dashed). Training and held-out samples apart.", label: "Fig. 5.")
        page.table(try metricsTable())
        page.table(try distributionTable())

        page.provenance(Provenance(provenance))
        _ = try page.write(toDirectory: directory)
    }

    // MARK: Figures

    private func rateText(_ r: Double) -> String { StudyLayout.rateLabel(r) + " K/s" }

    private func figure1() throws(InputError) -> Figure {
        let t = try CSVColumns(path: harvestDirectory + "/fig1-stress-strain.csv")
        let rates = try t.numbers("cooling_rate_K_per_s"), strain = try t.numbers("strain")
        let tau = try t.numbers("tau_mean_GPa"), tauStd = try t.numbers("tau_std_GPa")
        let u = try t.numbers("u_mean_eV_per_atom"), uStd = try t.numbers("u_std_eV_per_atom")
        var a = Panel(x: Axis("Shear strain γ", csvName: "gamma"), y: Axis("τ", unit: "GPa", csvName: "tau"))
        var b = Panel(x: Axis("Shear strain γ", csvName: "gamma"), y: Axis("u", unit: "eV/atom", csvName: "u"))
        for (k, r) in uniqueInOrder(rates).enumerated() {
            let rows = rates.indices.filter { rates[$0] == r }
            let color = Color.cycle[k % Color.cycle.count]
            let x = rows.map { strain[$0] }
            a.add(.band(Band(x: x, mean: rows.map { tau[$0] }, std: rows.map { tauStd[$0] }, color: color)))
            a.add(.line(LineSeries(x: x, y: rows.map { tau[$0] }, label: rateText(r), color: color)))
            b.add(.band(Band(x: x, mean: rows.map { u[$0] }, std: rows.map { uStd[$0] }, color: color)))
            b.add(.line(LineSeries(x: x, y: rows.map { u[$0] }, label: rateText(r), color: color)))
        }
        return Figure(panels: [a, b], columns: 2)
    }

    private func figureS1(_ db: StateSpaceDatabase) throws(InputError) -> Figure {
        let t = try CSVColumns(path: harvestDirectory + "/figS1-modulus.csv")
        let x1 = try t.numbers("X1_0_eV_per_atom"), g = try t.numbers("G_GPa"), split = try t.strings("split")
        var p = Panel(x: Axis("X₁ of the unstrained glass", unit: "eV/atom", csvName: "X1_0"),
                      y: Axis("G", unit: "GPa", csvName: "G"))
        for (name, color) in [("train", Color.cycle[0]), ("test", Color.cycle[1])] {
            let rows = split.indices.filter { split[$0] == name }
            if rows.isEmpty { continue }
            p.add(.scatter(Scatter(x: rows.map { x1[$0] }, y: rows.map { g[$0] },
                                   label: name == "train" ? "training samples" : "held-out samples", color: color)))
        }
        let finite = x1.filter(\.isFinite)
        if let lo = finite.min(), let hi = finite.max(), hi > lo {
            let xs = (0...20).map { lo + (hi - lo) * Double($0) / 20 }
            p.add(.line(LineSeries(x: xs, y: xs.map { db.parameters.shearModulus(x1: $0) }, label: "G₀(1 − X₁/u_A)",
                                   color: Color.cycle[3], dash: .dashed)))
        }
        return Figure(p)
    }

    private func tableI(_ db: StateSpaceDatabase, _ parameters: JSONValue) -> ReportTable {
        let p = db.parameters
        let columns = ["Parameter", "This study", "Unit", "How"] + (paperPotential ? ["Paper (Table I)"] : [])
        var table = ReportTable(caption: "The parameters used to calculate X₁ (Eq. \(p.inverse == .exact ? "7, inverted exactly" : "8")) ± one standard error." + (paperPotential ? " The study runs the paper's potential (Mendelev 2009, by SHA-256), so the paper's values stand beside ours." : ""),
                                columns: columns, label: "Table I.")
        func cell(_ e: Estimate) -> TableCell {
            e.standardError > 1e-6 * abs(e.value) ? .measurement(e.value, error: e.standardError) : .number(e.value, digits: 6)
        }
        let fixed = parameters["settings"]?["fixed"]
        let elastic = parameters["fits"]?["elastic_energy"]
        func how(_ key: String, fitted: String) -> TableCell {
            guard let v = fixed?[key], v.double != nil else { return .text("fitted: " + fitted) }
            return .text(fixedFrom.map { "fixed: from \($0)" } ?? "given (fixed in the config, not fitted)")
        }
        let tauRoute = "Eq. 7, " + (elastic?["data"]?.string ?? "") + (elastic?["samples"]?.string.map { " (\($0))" } ?? "")
        func paper(_ k: String) -> [TableCell] {
            guard paperPotential, let v = Self.paperTableI[k] else { return paperPotential ? [""] : [] }
            return [.measurement(v.0, error: v.1)]
        }
        table.append(["u_A", cell(p.uA), "eV/atom", how("uA_eV_per_atom", fitted: "Fig. S1 law")] + paper("uA"))
        table.append(["G₀", cell(p.G0), "GPa", how("G0_GPa", fitted: "Fig. S1 law")] + paper("G0"))
        table.append(["τ_A", cell(p.tauA), "GPa", how("tauA_GPa", fitted: tauRoute)] + paper("tauA"))
        table.append(["τ_B", cell(p.tauB), "GPa", how("tauB_GPa", fitted: tauRoute)] + paper("tauB"))
        let slope = -p.G0.value / p.uA.value
        table.append(["dG/dX₁ = −G₀/u_A", .number(slope, digits: 4), "GPa per eV/atom", "u₀-independent"] + (paperPotential ? [.number(-25.90 / 0.101, digits: 4)] : []))
        table.append(["u₀", cell(p.u0), "eV/atom", .text(parameters["u0_rule"]?.string ?? "")] + (paperPotential ? [""] : []))
        table.append(["Ω", cell(p.omega), "Å³/atom", "V/N"] + (paperPotential ? [""] : []))
        return table
    }

    /// Every route to τ_A, τ_B the data allow (parameters.json `fits.elastic_energy_routes`).
    private func routesTable(_ parameters: JSONValue) -> ReportTable {
        var table = ReportTable(caption: "Routes to τ_A and τ_B: Eq. 7 fitted freely to each kind of loading data at the final G₀, u_A (a route whose fit gives 1/τ² ≤ 0 is refused). Table I uses the configured route (harvest.elastic_fit).",
                                columns: ["Loading data", "γ ≤", "1/τ_A² (GPa⁻²)", "1/τ_B⁴ (GPa⁻⁴)", "τ_A (GPa)", "τ_B (GPa)"], label: "Routes.")
        func e(_ v: JSONValue?) -> TableCell {
            guard let v, let x = v["value"]?.double else { return "—" }
            return .measurement(x, error: v["standard_error"]?.double ?? 0)
        }
        for r in parameters["fits"]?["elastic_energy_routes"]?.elements ?? [] {
            let what = TableCell.text(r["what"]?.string ?? "")
            if let why = r["refused"]?.string {
                table.append([what, "", .text("refused: " + why), "", "", ""])
            } else {
                table.append([what, .number(r["max_strain"]?.double ?? .nan, digits: 3), e(r["inverse_tauA2_per_GPa2"]),
                              e(r["inverse_tauB4_per_GPa4"]), e(r["tauA_GPa"]), e(r["tauB_GPa"])])
            }
        }
        return table
    }

    /// Fig. 1's findings per cooling rate (harvest/rates.csv).
    private func figureRates() throws(InputError) -> Figure {
        let t = try CSVColumns(path: harvestDirectory + "/rates.csv")
        let rate = try t.numbers("cooling_rate_K_per_s").map { $0 > 0 ? log10($0) : .nan }
        var p = Panel(x: Axis("log₁₀ cooling rate", unit: "K/s", csvName: "log10_rate"), y: Axis("τ", unit: "GPa", csvName: "tau"))
        for (k, (name, label)) in [("peak_stress", "peak stress"), ("flow_stress", "flow stress")].enumerated() {
            let color = Color.cycle[k]
            let mean = try t.numbers(name + "_GPa"), se = try t.numbers(name + "_se_GPa")
            p.add(.band(Band(x: rate, mean: mean, std: se, color: color)))
            p.add(.line(LineSeries(x: rate, y: mean, label: label + " (mean ± SE)", color: color)))
            p.add(.scatter(Scatter(x: rate, y: mean, color: color)))
        }
        return Figure(p)
    }

    /// The per-rate numbers, the trend of the inherent-structure energy and the fixed point.
    private func ratesTable(_ parameters: JSONValue) throws(InputError) -> ReportTable {
        let t = try CSVColumns(path: harvestDirectory + "/rates.csv")
        var caption = "Per cooling rate, mean ± standard error over its samples (all: training and held out)."
        if let tr = parameters["rates"]?["stress_free_is_energy_trend_eV_per_atom"]?["per_decade"], let v = tr["value"]?.double {
            caption += " Stress-free IS energy per decade of rate: \(NumberFormat.measurement(v, error: tr["standard_error"]?.double ?? 0)) eV/atom."
        }
        if let f = parameters["fixed_point"], let x = f["X1_eV_per_atom"]?["value"]?.double, let tau = f["tau_GPa"]?["value"]?.double {
            caption += " Fixed point of the mean flow (Fig. 2d): X₁* = \(NumberFormat.measurement(x, error: f["X1_eV_per_atom"]?["standard_error"]?.double ?? 0)) eV/atom, τ* = \(NumberFormat.measurement(tau, error: f["tau_GPa"]?["standard_error"]?.double ?? 0)) GPa."
        }
        var table = ReportTable(caption: caption, columns: ["Rate (K/s)", "n", "Stress-free IS energy (eV/atom)", "X₁⁰ (eV/atom)", "G (GPa)",
                                                          "Peak τ (GPa)", "Peak γ", "Flow τ (GPa)"], label: "Fig. 1 in numbers.")
        let rates = try t.numbers("cooling_rate_K_per_s"), n = try t.numbers("samples")
        let cols = ["stress_free_is_energy", "X1_0", "G", "peak_stress", "peak_strain", "flow_stress"]
        let units = ["_eV_per_atom", "_eV_per_atom", "_GPa", "_GPa", "", "_GPa"]
        var values: [[Double]] = [], errors: [[Double]] = []
        for (c, u) in zip(cols, units) {
            values.append(try t.numbers(c + u)); errors.append(try t.numbers(c + "_se" + u))
        }
        for r in 0..<t.count {
            table.append([.text(rates[r].isFinite ? StudyLayout.rateLabel(rates[r]) : "—"), .number(n[r], digits: 6)]
                         + cols.indices.map { .measurement(values[$0][r], error: errors[$0][r]) })
        }
        return table
    }

    /// The event thresholds and the numbers behind them, on this study's data.
    private func eventThresholdTable(_ parameters: JSONValue) -> ReportTable {
        let t = parameters["event_threshold"]
        func n(_ k: String) -> TableCell { .number(t?[k]?.double ?? .nan, digits: 6) }
        var table = ReportTable(caption: "Event detection on this study's histories: a step is an event when its stress falls below the elastic prediction and its energy below the elastic work (thresholds tied to the AQS force tolerance). A count that barely moves when the energy threshold is halved or doubled means the threshold sits in a clean gap.",
                                columns: ["Quantity", "Value"], label: "Events.")
        table.append(["energy threshold (eV/atom)", n("energy_threshold_eV_per_atom")])
        table.append(["stress threshold (GPa)", n("stress_threshold_GPa")])
        table.append(["energy drops at ½× / 1× / 2× the threshold", .text("\(Int(t?["energy_drops_at_half_threshold"]?.double ?? 0)) / \(Int(t?["energy_drops"]?.double ?? 0)) / \(Int(t?["energy_drops_at_double_threshold"]?.double ?? 0))")])
        table.append(["events (stress and energy drop)", n("events")])
        table.append(["fraction of energy drops that are events", .number(t?["fraction_of_energy_drops_that_are_events"]?.double ?? .nan, digits: 3)])
        table.append(["largest positive dissipation (eV/atom)", n("largest_positive_dissipation_eV_per_atom")])
        table.append(["measured stress noise, median (GPa)", n("measured_stress_noise_median_GPa")])
        return table
    }

    /// The quality gate's verdict, naming excluded samples.
    private func qualityText(_ parameters: JSONValue) -> String? {
        guard let q = parameters["quality"] else { return nil }
        let excluded = (q["excluded"]?.elements ?? []).compactMap(\.string)
        let count = q["samples"]?.elements?.count ?? 0
        return excluded.isEmpty
            ? "Quality gate: none of the \(count) inherent structures is crystalline (adaptive common-neighbour analysis)."
            : "Quality gate: left out of the harvest as crystalline (adaptive common-neighbour analysis): \(excluded.joined(separator: ", "))."
    }

    /// Edges of a grid axis.
    private func edges(_ a: StateGrid.Axis) -> [Double] { Heatmap.edges(from: a.min, to: a.max, count: a.bins) }

    private func figure2(_ db: StateSpaceDatabase) -> Figure {
        // Grid axes are (τ, X1): flat bin = iτ·nX1 + iX1, i.e. row-major with y = τ, x = X1.
        let tauAxis = db.grid.axes[0], x1Axis = db.grid.axes[1]
        let xe = edges(x1Axis), ye = edges(tauAxis)
        let nb = db.grid.count, nv = db.variables.count
        let perTenth = 1e-3 / db.strainStep
        let rate = (0..<nb).map { db.eventProbability(bin: $0) * perTenth }
        let dX1 = (0..<nb).map { db.meanDelta[$0 * nv + 1] }, dTau = (0..<nb).map { db.meanDelta[$0 * nv] }
        let x = Axis("X₁", unit: "eV/atom", range: .tight, csvName: "X1"), y = Axis("τ", unit: "GPa", range: .tight, csvName: "tau")
        let a = Panel(x: x, y: y, layers: [.heatmap(Heatmap(xEdges: xe, yEdges: ye, values: rate,
                                                            scale: ColorScale("Events per 0.1 % strain", csvName: "events_per_0.1pct")))])
        let b = Panel(x: x, y: y, layers: [.heatmap(Heatmap(xEdges: xe, yEdges: ye, values: dX1,
                                                            scale: ColorScale("⟨ΔX₁⟩ per event", unit: "eV/atom", colormap: .blueWhiteRed, csvName: "mean_dX1")))])
        let c = Panel(x: x, y: y, layers: [.heatmap(Heatmap(xEdges: xe, yEdges: ye, values: dTau,
                                                            scale: ColorScale("⟨Δτ⟩ per event", unit: "GPa", colormap: .blueWhiteRed, csvName: "mean_dtau")))])
        let u = (0..<nb).map { db.visits[$0] > 0 ? db.flow[$0 * nv + 1] : .nan }
        let v = (0..<nb).map { db.visits[$0] > 0 ? db.flow[$0 * nv] : .nan }
        let d = Panel(x: x, y: y, layers: [.quiver(Quiver(xEdges: xe, yEdges: ye, u: u, v: v, normalized: true, label: "direction of (dX₁/dγ, dτ/dγ)",
                                                          componentNames: ("dX1_dgamma", "dtau_dgamma")))])
        return Figure(panels: [a, b, c, d], columns: 2)
    }

    private func figure3(_ db: StateSpaceDatabase) throws(InputError) -> Figure {
        let tauAxis = db.grid.axes[0], x1Axis = db.grid.axes[1]
        let counts = (0..<db.grid.count).map { db.eventCounts[$0] > 0 ? Double(db.eventCounts[$0]) : .nan }
        var a = Panel(x: Axis("X₁", unit: "eV/atom", range: .tight, csvName: "X1"), y: Axis("τ", unit: "GPa", range: .tight, csvName: "tau"),
                      layers: [.heatmap(Heatmap(xEdges: edges(x1Axis), yEdges: edges(tauAxis), values: counts,
                                                scale: ColorScale("Plastic events", logarithmic: true, csvName: "events")))])
        let t = try CSVColumns(path: harvestDirectory + "/fig3a-trajectory.csv")
        let sample = try t.strings("sample")
        a.add(.line(LineSeries(x: try t.numbers("X1_eV_per_atom"), y: try t.numbers("tau_GPa"),
                               label: "AQS " + (sample.first ?? ""), color: .black, width: 1, dash: .dotted)))
        let h = try CSVColumns(path: harvestDirectory + "/fig3b-histogram.csv")
        let xl = try h.numbers("dX1_low_eV_per_atom"), xh = try h.numbers("dX1_high_eV_per_atom")
        let yl = try h.numbers("dtau_low_GPa"), yh = try h.numbers("dtau_high_GPa"), n = try h.numbers("events")
        let xEdges = uniqueSorted(xl + xh), yEdges = uniqueSorted(yl + yh)
        var values = [Double](repeating: .nan, count: max(0, (xEdges.count - 1) * (yEdges.count - 1)))
        for r in 0..<h.count {
            if let i = xEdges.firstIndex(of: xl[r]), let j = yEdges.firstIndex(of: yl[r]), i < xEdges.count - 1, j < yEdges.count - 1 {
                values[j * (xEdges.count - 1) + i] = n[r] > 0 ? n[r] : .nan
            }
        }
        var b = Panel(x: Axis("ΔX₁", unit: "eV/atom", range: .tight, csvName: "dX1"), y: Axis("Δτ", unit: "GPa", range: .tight, csvName: "dtau"))
        if xEdges.count >= 2, yEdges.count >= 2 {
            b.add(.heatmap(Heatmap(xEdges: xEdges, yEdges: yEdges, values: values, scale: ColorScale("Plastic events", csvName: "events"),
                                   missingColor: nil)))
            b.add(.reference(.vertical(0, label: "ΔX₁ = 0", color: .orange)))
        }
        return Figure(panels: [a, b], columns: 2)
    }

    private func figure4() throws(InputError) -> Figure {
        let t = try CSVColumns(path: seemDirectory + "/fig4-sample.csv")
        let g = try t.numbers("strain")
        var a = Panel(x: Axis("Shear strain γ", csvName: "gamma"), y: Axis("X₁", unit: "eV/atom", csvName: "X1"))
        var b = Panel(x: Axis("Shear strain γ", csvName: "gamma"), y: Axis("τ", unit: "GPa", csvName: "tau"))
        let blue = Color.cycle[0], orange = Color.cycle[1]
        a.add(.band(Band(x: g, mean: try t.numbers("seem_mean_X1_eV_per_atom"), std: try t.numbers("seem_std_X1_eV_per_atom"), color: blue)))
        a.add(.line(LineSeries(x: g, y: try t.numbers("seem_mean_X1_eV_per_atom"), label: "SEEM mean ± std", color: blue)))
        a.add(.line(LineSeries(x: g, y: try t.numbers("seem_run0_X1_eV_per_atom"), label: "SEEM run", color: blue.mixed(with: .white, fraction: 0.4), width: 0.8)))
        a.add(.line(LineSeries(x: g, y: try t.numbers("aqs_X1_eV_per_atom"), label: "AQS", color: orange, dash: .dashed)))
        b.add(.band(Band(x: g, mean: try t.numbers("seem_mean_tau_GPa"), std: try t.numbers("seem_std_tau_GPa"), color: blue)))
        b.add(.line(LineSeries(x: g, y: try t.numbers("seem_mean_tau_GPa"), label: "SEEM mean ± std", color: blue)))
        b.add(.line(LineSeries(x: g, y: try t.numbers("seem_run0_tau_GPa"), label: "SEEM run", color: blue.mixed(with: .white, fraction: 0.4), width: 0.8)))
        b.add(.line(LineSeries(x: g, y: try t.numbers("aqs_tau_GPa"), label: "AQS", color: orange, dash: .dashed)))
        return Figure(panels: [a, b], columns: 2)
    }

    private func figure5() throws(InputError) -> Figure {
        let t = try CSVColumns(path: seemDirectory + "/fig5-mean-trajectories.csv")
        let rates = try t.numbers("cooling_rate_K_per_s"), split = try t.strings("split")
        let sx = try t.numbers("seem_mean_X1_eV_per_atom"), st = try t.numbers("seem_mean_tau_GPa")
        let ax = try t.numbers("aqs_mean_X1_eV_per_atom"), at = try t.numbers("aqs_mean_tau_GPa")
        var panels: [Panel] = []
        for part in ["train", "test"] where split.contains(part) {
            var p = Panel(x: Axis("X₁", unit: "eV/atom", csvName: "X1"), y: Axis("τ", unit: "GPa", csvName: "tau"),
                          title: part == "train" ? "Training samples" : "Held-out samples")
            for (k, r) in uniqueInOrder(rates).enumerated() {
                let rows = rates.indices.filter { rates[$0] == r && split[$0] == part }
                if rows.isEmpty { continue }
                let color = Color.cycle[k % Color.cycle.count]
                p.add(.line(LineSeries(x: rows.map { sx[$0] }, y: rows.map { st[$0] }, label: "SEEM " + rateText(r), color: color)))
                p.add(.line(LineSeries(x: rows.map { ax[$0] }, y: rows.map { at[$0] }, label: "AQS " + rateText(r), color: color, dash: .dashed)))
            }
            panels.append(p)
        }
        return Figure(panels: panels, columns: panels.count)
    }

    private func metricsTable() throws(InputError) -> ReportTable {
        let t = try CSVColumns(path: seemDirectory + "/comparison.csv")
        // The headline columns; comparison.csv (linked with Fig. 5's data) has them all.
        let shown: [(String, String)] = [
            ("cooling_rate_K_per_s", "Rate (K/s)"), ("split", "Samples"), ("samples", "n"),
            ("flow_stress_aqs_GPa", "Flow τ AQS (GPa)"), ("flow_stress_seem_GPa", "Flow τ SEEM (GPa)"),
            ("rms_tau_over_flow_stress", "RMS τ / flow τ"), ("rms_X1_over_X1_range", "RMS X₁ / range"),
            ("peak_tau_mean_curve_aqs_GPa", "Peak τ AQS (GPa)"), ("peak_tau_mean_curve_seem_GPa", "Peak τ SEEM (GPa)"),
        ]
        var table = ReportTable(caption: "SEEM vs AQS per cooling rate, training and held-out samples apart (held-out: the honest measure of the model). RMS differences of the mean τ(γ) and X₁(γ) curves, normalised by the AQS flow stress (mean τ in the steady-state window) and the AQS X₁ range. All columns: seem/comparison.csv.",
                                columns: shown.map(\.1), label: "Validation.")
        let columns = try shown.map { (name, _) throws(InputError) in try t.strings(name) }
        for r in 0..<t.count {
            table.append(shown.indices.map { k in
                let f = columns[k][r]
                if k == 0, let x = Double(f) { return .text(StudyLayout.rateLabel(x)) }
                if let x = Double(f), k >= 2 { return .number(x, digits: k == 2 ? 6 : 3) }
                return .text(f)
            })
        }
        return table
    }

    /// Held-out checks past the mean curves (metrics.json `groups[].validation`).
    private func distributionTable() throws(InputError) -> ReportTable {
        let m = try JSONValue.read(path: seemDirectory + "/metrics.json")
        var table = ReportTable(caption: "Held-out samples, per cooling rate: stress-drop sizes and peak stresses of SEEM against AQS (two-sample Kolmogorov–Smirnov D, 95 % interval from a bootstrap over samples), and the fraction of each sample's AQS τ(γ) inside the 5–95 % band of SEEM runs from its own state (≈ 0.9 for a calibrated model).",
                                columns: ["Rate (K/s)", "Drops AQS / SEEM", "KS D drops", "Peak τ AQS (GPa)", "Peak τ SEEM (GPa)", "KS D peaks", "Coverage 5–95 %", "Out of grid"],
                                label: "Distributions.")
        func ks(_ v: JSONValue?) -> TableCell {
            guard let k = v?["ks"], let d = k["D"]?.double else { return "—" }
            return .text("\(NumberFormat.significant(d, digits: 2)) [\(NumberFormat.significant(k["D_95_low"]?.double ?? .nan, digits: 2)), \(NumberFormat.significant(k["D_95_high"]?.double ?? .nan, digits: 2))]")
        }
        for g in m["groups"]?.elements ?? [] where g["split"]?.string == "test" {
            guard let rate = g["cooling_rate_K_per_s"]?.double, let v = g["validation"] else { continue }
            let drops = v["stress_drops"], peaks = v["peak_stress"]
            table.append([.text(StudyLayout.rateLabel(rate)),
                          .text("\(Int(drops?["aqs_count"]?.double ?? 0)) / \(Int(drops?["seem_count"]?.double ?? 0))"), ks(drops),
                          .number(peaks?["aqs_mean_GPa"]?.double ?? .nan, digits: 3), .number(peaks?["seem_mean_GPa"]?.double ?? .nan, digits: 3),
                          ks(peaks), .number(v["coverage_5_95"]?.double ?? .nan, digits: 2),
                          .number(v["out_of_grid_step_fraction"]?.double ?? .nan, digits: 2)])
        }
        return table
    }

    // MARK: Helpers

    private func uniqueInOrder(_ xs: [Double]) -> [Double] {
        var out: [Double] = []
        for x in xs where !out.contains(x) { out.append(x) }
        return out
    }

    private func uniqueSorted(_ xs: [Double]) -> [Double] {
        Array(Set(xs.filter(\.isFinite))).sorted()
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
