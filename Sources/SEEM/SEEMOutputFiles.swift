import Harvest
import MDCore

/// The files of `pipeline seem`, as text: deterministic bytes (fixed order, shortest round-trip
/// numbers, NaN as an empty CSV field or JSON null). Units are in the column names: τ in GPa, X1 in
/// eV/atom, strain dimensionless, cooling rate in K/s.
public struct SEEMOutputFiles: Sendable {
    public var database: StateSpaceDatabase
    public var databasePath: String
    public var settings: SEEMSettings
    public var model: SEEMModel
    public var result: SEEMEnsembleResult
    public var comparison: SEEMComparison
    /// Index into `result.samples` of the Fig. 4 sample.
    public var figure4Sample: Int
    /// The folds, when the held-out ensembles come from a cross-validation.
    public var crossValidation: SEEMCrossValidation?

    public init(database: StateSpaceDatabase, databasePath: String, settings: SEEMSettings, model: SEEMModel,
                result: SEEMEnsembleResult, comparison: SEEMComparison, figure4Sample: Int,
                crossValidation: SEEMCrossValidation? = nil) {
        self.database = database; self.databasePath = databasePath; self.settings = settings; self.model = model
        self.result = result; self.comparison = comparison; self.figure4Sample = figure4Sample
        self.crossValidation = crossValidation
    }

    /// The default Fig. 4 sample: the first held-out ("test") sample, else the first sample.
    public static func defaultFigure4Sample(_ result: SEEMEnsembleResult) -> Int {
        result.samples.firstIndex { $0.split == "test" } ?? 0
    }

    static func rate(_ r: Double?) -> String { r.map(roundTrip) ?? "" }
    static func csv(_ header: [String], _ rows: [[String]]) -> String {
        ([header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
    static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingAll("\"", "\"\"") + "\"" : s
    }

    /// runs.csv: one row per sample.
    public var runsCSV: String {
        let header = ["sample_id", "cooling_rate_K_per_s", "split", "runs", "steps_per_run", "initial_tau_GPa",
                      "initial_X1_eV_per_atom", "events_per_run_mean", "events_per_run_std", "event_steps_per_run_mean",
                      "rate_fallback_steps", "event_fallback_draws", "runs_with_fallback", "peak_tau_seem_mean_GPa",
                      "peak_tau_aqs_GPa", "rms_tau_GPa", "rms_X1_eV_per_atom", "final_tau_seem_mean_GPa",
                      "final_X1_seem_mean_eV_per_atom"]
        let nv = result.variables.count, last = result.outputStrain.count - 1
        let rows = zip(result.samples, comparison.perSample).map { e, c -> [String] in
            let ev = e.eventsPerRun
            let eventSteps = Double(e.counters.reduce(0) { $0 + $1.eventSteps }) / Double(e.runs)
            return [Self.field(e.id), Self.rate(e.coolingRate), e.split, String(e.runs), String(model.steps),
                    csvNumber(e.initialState[0]), csvNumber(nv >= 2 ? e.initialState[1] : .nan),
                    csvNumber(ev.mean), csvNumber(ev.std), csvNumber(eventSteps),
                    String(e.rateFallbackSteps), String(e.eventFallbackDraws), String(e.runsWithFallback),
                    csvNumber(e.meanPeakStress), csvNumber(c.metrics.peakPerTrajectoryAQS), csvNumber(c.metrics.rmsTau),
                    csvNumber(c.metrics.rmsX1), csvNumber(e.moments.mean[last * nv]),
                    csvNumber(nv >= 2 ? e.moments.mean[last * nv + 1] : .nan)]
        }
        return Self.csv(header, rows)
    }

    /// fig4-sample.csv: one sample, SEEM run 0, SEEM ensemble mean ± std, and the sample's AQS curve.
    public var figure4CSV: String {
        let c = comparison.perSample[figure4Sample], e = result.samples[figure4Sample]
        let nv = result.variables.count
        let header = ["strain", "seem_run0_tau_GPa", "seem_run0_X1_eV_per_atom", "seem_mean_tau_GPa", "seem_std_tau_GPa",
                      "seem_mean_X1_eV_per_atom", "seem_std_X1_eV_per_atom", "aqs_tau_GPa", "aqs_X1_eV_per_atom"]
        let rows = c.strain.indices.map { j -> [String] in
            [roundTrip(c.strain[j]), csvNumber(e.firstRun[j * nv]), csvNumber(nv >= 2 ? e.firstRun[j * nv + 1] : .nan),
             csvNumber(c.seemTau[j]), csvNumber(c.seemTauStd[j]), csvNumber(c.seemX1[j]), csvNumber(c.seemX1Std[j]),
             csvNumber(c.aqsTau[j]), csvNumber(c.aqsX1[j])]
        }
        return Self.csv(header, rows)
    }

    /// fig5-mean-trajectories.csv: per cooling rate and split, the SEEM and AQS mean ± std curves (long format).
    public var figure5CSV: String {
        let header = ["cooling_rate_K_per_s", "split", "samples", "runs", "strain", "seem_mean_tau_GPa", "seem_std_tau_GPa",
                      "seem_mean_X1_eV_per_atom", "seem_std_X1_eV_per_atom", "aqs_mean_tau_GPa", "aqs_std_tau_GPa",
                      "aqs_mean_X1_eV_per_atom", "aqs_std_X1_eV_per_atom"]
        var rows: [[String]] = []
        for g in comparison.groups {
            for j in g.strain.indices {
                rows.append([Self.rate(g.coolingRate), g.split, String(g.sampleIDs.count), String(g.runs), roundTrip(g.strain[j]),
                             csvNumber(g.seemTau[j]), csvNumber(g.seemTauStd[j]), csvNumber(g.seemX1[j]), csvNumber(g.seemX1Std[j]),
                             csvNumber(g.aqsTau[j]), csvNumber(g.aqsTauStd[j]), csvNumber(g.aqsX1[j]), csvNumber(g.aqsX1Std[j])])
            }
        }
        return Self.csv(header, rows)
    }

    /// comparison.csv: the metrics per cooling rate and split.
    public var comparisonCSV: String {
        let header = ["cooling_rate_K_per_s", "split", "samples", "runs"] + SEEMMetrics.csvHeader
        let rows = comparison.groups.map { g in
            [Self.rate(g.coolingRate), g.split, String(g.sampleIDs.count), String(g.runs)] + g.metrics.csvFields
        }
        return Self.csv(header, rows)
    }

    /// validation.csv: the distribution checks (`SEEMValidation`) per cooling rate and split.
    public var validationCSV: String {
        let header = ["cooling_rate_K_per_s", "split", "samples", "runs"] + SEEMValidation.csvHeader
        let rows = comparison.groups.map { g in
            [Self.rate(g.coolingRate), g.split, String(g.sampleIDs.count), String(g.runs)]
                + (g.validation ?? SEEMValidation()).csvFields
        }
        return Self.csv(header, rows)
    }

    /// metrics.json: settings, model summary, totals, metrics and distribution checks per group (train
    /// and held-out apart), the cross-validation folds, and the database's provenance echoed.
    public var metricsJSON: String {
        let t = result.totals
        let groups: JSONValue = .array(comparison.groups.map { g in
            .object([("cooling_rate_K_per_s", g.coolingRate.map { .number($0) } ?? .null), ("split", .string(g.split)),
                     ("samples", .array(g.sampleIDs.map { .string($0) })), ("runs", .number(g.runs)), ("metrics", g.metrics.json),
                     ("validation", g.validation?.json ?? .null)])
        })
        func splitSummary(_ split: String) -> JSONValue {
            let gs = comparison.groups.filter { $0.split == split }
            if gs.isEmpty { return .null }
            func avg(_ f: (SEEMMetrics) -> Double) -> JSONValue { .number(gs.reduce(0) { $0 + f($1.metrics) } / Double(gs.count)) }
            return .object([("groups", .number(gs.count)), ("samples", .number(gs.reduce(0) { $0 + $1.sampleIDs.count })),
                            ("mean_rms_tau_over_flow_stress", avg { $0.rmsTauRelative }),
                            ("mean_rms_X1_over_X1_range", avg { $0.rmsX1Relative })])
        }
        let doc: JSONValue = .object([
            ("format", .string("seem-metrics/1")),
            ("database", .object([("path", .string(databasePath)), ("format", .string(StateSpaceDatabase.format)),
                                  ("strain_step", .number(database.strainStep)), ("grid", database.grid.json),
                                  ("parameters", database.parameters.json), ("samples", .number(database.samples.count)),
                                  ("events", .number(database.eventCount)), ("provenance", database.provenance)])),
            ("settings", settings.json),
            ("model", model.json),
            ("figure4_sample", .string(result.samples[figure4Sample].id)),
            ("totals", .object([("samples", .number(result.samples.count)), ("runs", .number(result.runs)),
                                ("steps", .number(t.steps)), ("events", .number(t.events)),
                                ("event_steps", .number(t.eventSteps)), ("rate_fallback_steps", .number(t.rateFallbackSteps)),
                                ("event_fallback_draws", .number(t.eventFallbackDraws)),
                                ("runs_with_fallback", .number(result.samples.reduce(0) { $0 + $1.runsWithFallback })),
                                ("out_of_grid_steps", .number(t.outOfGridSteps)),
                                ("out_of_grid_step_fraction", .number(Double(t.outOfGridSteps) / Double(t.steps)))])),
            ("summary", .object([("train", splitSummary("train")), ("test", splitSummary("test"))])),
            ("groups", groups),
            ("cross_validation", crossValidation?.json ?? .null),
        ])
        return doc.formatted() + "\n"
    }

    /// File name → contents, in writing order.
    public var files: [(name: String, text: String)] {
        [("runs.csv", runsCSV), ("fig4-sample.csv", figure4CSV), ("fig5-mean-trajectories.csv", figure5CSV),
         ("comparison.csv", comparisonCSV), ("metrics.json", metricsJSON), ("validation.csv", validationCSV)]
    }

    /// Writes every file atomically into `directory` (which must exist).
    public func write(to directory: String) throws(InputError) {
        for f in files { try AtomicFile.write(f.text, to: directory + "/" + f.name) }
    }
}

extension String {
    func replacingAll(_ a: Character, _ b: String) -> String {
        var out = ""
        for c in self { if c == a { out += b } else { out.append(c) } }
        return out
    }
}
