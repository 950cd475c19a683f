import Harvest
import MDCore

/// One sample's AQS response on the SEEM output grid: τ(γ) from its history and X1(γ) from Eq. 8 with
/// the database's parameters (`ModelParameters.x1(u:tau:)`), linearly interpolated between recorded
/// states where the grids differ (NaN beyond the end of the history).
public struct AQSCurve: Sendable, Equatable {
    public var sampleIndex: Int
    /// The output grid and the values on it: τ (GPa), X1 (eV/atom).
    public var strain: [Double]
    public var tau: [Double]
    public var x1: [Double]
    /// Largest recorded τ with γ ≤ the grid's last strain, GPa.
    public var peakStress: Double
    /// The total τ change (GPa) of each of the sample's harvested events, in step order; nil when the
    /// database does not hold them (a held-out sample's events are not stored).
    public var stressChanges: [Double]?

    public init(sampleIndex: Int, strain: [Double], tau: [Double], x1: [Double], peakStress: Double,
                stressChanges: [Double]? = nil) {
        self.sampleIndex = sampleIndex; self.strain = strain; self.tau = tau; self.x1 = x1; self.peakStress = peakStress
        self.stressChanges = stressChanges
    }

    /// The τ changes of sample `k`'s events in `database` (nil unless it is a training sample there).
    public static func stressChanges(sample k: Int, database: StateSpaceDatabase) -> [Double]? {
        guard database.samples[k].split == "train" else { return nil }
        let nv = database.variables.count
        return database.events(ofSample: k).map { database.eventDelta[$0 * nv] }
    }

    /// Maps `history` onto `outputStrain` (and keeps `stressChanges`). O(history + grid).
    public init(history: ShearHistory, parameters: ModelParameters, outputStrain: [Double], sampleIndex: Int,
                stressChanges: [Double]? = nil) {
        let g = history.strain, n = g.count
        let x = (0..<n).map { parameters.x1(u: history.energyPerAtom[$0], tau: history.stress[$0]) }
        let slack = 1e-9 * history.strainStep
        var tau: [Double] = [], x1: [Double] = []
        var k = 0
        for s in outputStrain {
            guard s >= g[0] - slack, s <= g[n - 1] + slack else { tau.append(.nan); x1.append(.nan); continue }
            while k + 1 < n && g[k + 1] <= s + slack { k += 1 }
            if k == n - 1 || abs(g[k] - s) <= slack {
                tau.append(history.stress[k]); x1.append(x[k])
            } else {
                let w = (s - g[k]) / (g[k + 1] - g[k])
                tau.append(history.stress[k] + w * (history.stress[k + 1] - history.stress[k]))
                x1.append(x[k] + w * (x[k + 1] - x[k]))
            }
        }
        let end = (outputStrain.last ?? 0) + slack
        var peak = -Double.infinity
        for i in 0..<n where g[i] <= end { peak = max(peak, history.stress[i]) }
        self.init(sampleIndex: sampleIndex, strain: outputStrain, tau: tau, x1: x1, peakStress: peak,
                  stressChanges: stressChanges)
    }

    /// The directory of sample `k` as recorded in the database: used as given when it exists, else
    /// relative to the database file's directory.
    public static func directory(of sample: StateSpaceDatabase.Sample, databasePath: String?) -> String {
        let d = sample.directory
        if d.hasPrefix("/") { return d }
        // Relative paths are relative to the database's directory (how Harvest writes them in a study).
        if let p = databasePath {
            let base = p.lastIndex(of: "/").map { String(p[..<$0]) } ?? "."
            let candidate = base + "/" + d
            if TextFileProbe.isDirectory(candidate) { return candidate }
        }
        return d
    }

    /// Reads sample `k`'s history (directory recorded in the database) and maps it.
    public static func read(sample k: Int, database: StateSpaceDatabase, outputStrain: [Double],
                            databasePath: String? = nil) throws(InputError) -> AQSCurve {
        let sample = database.samples[k]
        guard !sample.directory.isEmpty else {
            throw InputError(path: databasePath ?? "database", keyPath: "samples[\(k)].directory",
                             reason: "sample \(sample.id) has no AQS directory to compare with")
        }
        let history = try ShearHistory.read(directory: directory(of: sample, databasePath: databasePath), sample: sample.id)
        var curve = AQSCurve(history: history, parameters: database.parameters, outputStrain: outputStrain, sampleIndex: k)
        curve.stressChanges = stressChanges(sample: k, database: database)
        return curve
    }
}
