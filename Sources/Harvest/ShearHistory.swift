import MDCore

/// One sample's AQS record as Harvest sees it: the inherent structure's energy and shear stress at
/// every strain step, read from an AQS output directory (`history.csv` + `summary.json`, written by
/// `pipeline shear`). Knows nothing about atoms beyond their number and volume.
public struct ShearHistory: Sendable, Equatable {
    /// Identifier of the sample (by default the directory path as given).
    public var sample: String
    /// The directory it was read from.
    public var directory: String
    /// Cooling rate of the glass, K/s (nil when summary.json does not record one).
    public var coolingRate: Double?
    /// Number of atoms N and cell volume V (Å³); Ω = V/N.
    public var atoms: Int
    public var volume: Double
    /// Strain step Δγ of the run (every row's strain is step·Δγ).
    public var strainStep: Double
    /// Per recorded state k (row k of history.csv; k = 0 is the minimized, unstrained glass):
    /// shear strain γ, potential energy per atom u (eV/atom) and shear stress τ = σ_xy (GPa).
    public var strain: [Double]
    public var energyPerAtom: [Double]
    public var stress: [Double]
    /// The AQS minimizer's force tolerance as a bound on the 2-norm of the residual force vector, eV/Å
    /// (`settings.ftol`; a `max`/`inf` norm tolerance is converted with ‖F‖₂ ≤ √(3N)·ftol); nil when
    /// summary.json does not record it.
    public var forceTolerance: Double?
    /// The minimizer's largest line-search displacement `settings.dmax`, Å (nil when not recorded).
    public var maxDisplacement: Double?

    public init(sample: String, directory: String = "", coolingRate: Double?, atoms: Int, volume: Double,
                strainStep: Double, strain: [Double], energyPerAtom: [Double], stress: [Double],
                forceTolerance: Double? = nil, maxDisplacement: Double? = nil) {
        self.sample = sample; self.directory = directory; self.coolingRate = coolingRate
        self.atoms = atoms; self.volume = volume; self.strainStep = strainStep
        self.strain = strain; self.energyPerAtom = energyPerAtom; self.stress = stress
        self.forceTolerance = forceTolerance; self.maxDisplacement = maxDisplacement
    }

    /// Ω = V/N, Å³ per atom.
    public var volumePerAtom: Double { volume / Double(atoms) }
    /// Number of recorded states.
    public var count: Int { strain.count }
    /// Energy per atom of the unstrained inherent structure (row 0), eV/atom.
    public var initialEnergyPerAtom: Double { energyPerAtom[0] }

    /// Reads `directory/history.csv` and `directory/summary.json`. Every problem (missing file or
    /// column, non-numeric or non-finite value, strain not increasing by one constant step, fewer than
    /// two rows) is an `InputError` naming the file and line.
    public static func read(directory: String, sample: String? = nil) throws(InputError) -> ShearHistory {
        let summaryPath = directory + "/summary.json"
        let summary = try JSONValue.read(path: summaryPath)
        guard let atoms = summary["atoms"]?.int, atoms > 0 else {
            throw InputError(path: summaryPath, line: summary["atoms"]?.line, keyPath: "atoms",
                             reason: "missing or not a positive integer")
        }
        guard let volume = summary["volume_A3"]?.double, volume.isFinite, volume > 0 else {
            throw InputError(path: summaryPath, line: summary["volume_A3"]?.line, keyPath: "volume_A3",
                             reason: "missing or not a positive number")
        }
        var rate: Double?
        if let r = summary["inputs"]?["cooling_rate_K_per_s"] ?? summary["cooling_rate_K_per_s"] {
            guard let x = r.double, x.isFinite, x > 0 else {
                throw InputError(path: summaryPath, line: r.line, keyPath: "inputs.cooling_rate_K_per_s",
                                 reason: "must be a positive number")
            }
            rate = x
        }
        var ftol: Double?, dmax: Double?
        if let f = summary["settings"]?["ftol"] {
            guard let x = f.double, x.isFinite, x >= 0 else {
                throw InputError(path: summaryPath, line: f.line, keyPath: "settings.ftol", reason: "must be a number ≥ 0")
            }
            let norm = summary["settings"]?["norm"]?.string ?? "2norm"
            ftol = norm == "2norm" ? x : x * Double(3 * atoms).squareRoot()
        }
        if let d = summary["settings"]?["dmax"] {
            guard let x = d.double, x.isFinite, x > 0 else {
                throw InputError(path: summaryPath, line: d.line, keyPath: "settings.dmax", reason: "must be a number > 0")
            }
            dmax = x
        }

        let path = directory + "/history.csv"
        let file = try TextFile(path: path)
        guard file.lineCount >= 1 else { throw InputError(path: path, line: 1, reason: "file is empty") }
        let header = file.line(0).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        func column(_ name: String) throws(InputError) -> Int {
            guard let k = header.firstIndex(of: name) else {
                throw InputError(path: path, line: 1, reason: "missing column '\(name)' (header: \(header.joined(separator: ",")))")
            }
            return k
        }
        let cStrain = try column("strain"), cEnergy = try column("pe_eV"), cStress = try column("stress_xy_GPa")
        let needed = max(cStrain, cEnergy, cStress)
        var strain: [Double] = [], energy: [Double] = [], stress: [Double] = []
        strain.reserveCapacity(file.lineCount); energy.reserveCapacity(file.lineCount); stress.reserveCapacity(file.lineCount)
        let n = Double(atoms)
        for k in 1..<file.lineCount {
            let text = file.line(k)
            if text.isEmpty && k == file.lineCount - 1 { break }
            let fields = text.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == header.count, fields.count > needed else {
                throw InputError(path: path, line: k + 1, reason: "expected \(header.count) comma-separated fields, found \(fields.count)")
            }
            func number(_ c: Int) throws(InputError) -> Double {
                guard let x = Double(fields[c]), x.isFinite else {
                    throw InputError(path: path, line: k + 1, reason: "column '\(header[c])' is not a finite number ('\(fields[c])')")
                }
                return x
            }
            strain.append(try number(cStrain))
            energy.append(try number(cEnergy) / n)
            stress.append(try number(cStress))
        }
        guard strain.count >= 2 else {
            throw InputError(path: path, line: file.lineCount, reason: "needs at least two recorded states (found \(strain.count))")
        }
        // One constant strain step: the event statistics are per step, so mixed steps would mix rates.
        let step = strain[1] - strain[0]
        guard step > 0 else {
            throw InputError(path: path, line: 3, reason: "strain must increase (row 2 has \(strain[1]) after \(strain[0]))")
        }
        for k in 1..<strain.count {
            let d = strain[k] - strain[k - 1]
            if !(d > 0) {
                throw InputError(path: path, line: k + 2, reason: "strain is not increasing (\(strain[k]) after \(strain[k - 1]))")
            }
            if abs(d - step) > 1e-6 * step + 1e-12 {
                throw InputError(path: path, line: k + 2, reason: "mixed strain steps: \(roundTrip(d)) here, \(roundTrip(step)) at the start")
            }
        }
        return ShearHistory(sample: sample ?? directory, directory: directory, coolingRate: rate, atoms: atoms,
                            volume: volume, strainStep: step, strain: strain, energyPerAtom: energy, stress: stress,
                            forceTolerance: ftol, maxDisplacement: dmax)
    }
}
