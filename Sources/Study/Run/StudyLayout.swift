import MDCore
#if canImport(Glibc)
import Glibc
#endif

/// Where every result of a study lives inside its work directory (docs/ARCHITECTURE.md, "Run directory"):
///
///     config.json                         normalized copy of the config
///     manifest.json                       every unit of work: key, state, outputs
///     quench/parent/                      the shared melt and its branch point
///     quench/rate-R/sample-K/             glass.data, inherent.data, thermo.csv, summary.json
///     shear/rate-R/sample-K/              history.csv, summary.json
///     large/quench/parent/                the large system's melt (section large_system)
///     large/quench/rate-R/                the large glass: glass.data, inherent.data, thermo.csv, summary.json
///     large/shear/rate-R/                 its loading curve: history.csv, summary.json
///     harvest/  seem/  report/
///     logs/                               everything that is not a result (timings, logs, locks)
///
/// R is the cooling rate in short scientific notation (2e10, 1.6e11) and K the sample index (000, 001, …).
package struct StudyLayout: Sendable {
    /// Absolute work directory.
    let root: String

    var configPath: String { root + "/config.json" }
    var manifestPath: String { root + "/manifest.json" }
    var logs: String { root + "/logs" }
    var locks: String { logs + "/locks" }
    var timings: String { logs + "/timings" }
    var runLog: String { logs + "/run.log" }

    static let parentUnit = "quench/parent"
    static let harvestUnit = "harvest"
    static let seemUnit = "seem"
    static let reportUnit = "report"

    static let largeParentUnit = "large/quench/parent"
    static func largeQuenchUnit(rate: Double) -> String { "large/quench/rate-\(rateLabel(rate))" }
    static func largeShearUnit(rate: Double) -> String { "large/shear/rate-\(rateLabel(rate))" }

    static func quenchUnit(rate: Double, sample: Int) -> String { "quench/rate-\(rateLabel(rate))/sample-\(pad3(sample))" }
    static func shearUnit(rate: Double, sample: Int) -> String { "shear/rate-\(rateLabel(rate))/sample-\(pad3(sample))" }

    func path(_ unit: String) -> String { root + "/" + unit }

    /// File name in logs/ standing for a unit (slashes → "__").
    static func flatName(_ unit: String) -> String {
        unit.split(separator: "/").joined(separator: "__")
    }

    /// A rate in the shortest scientific notation that reads back exactly: 2e10, 1.6e11, 1.024e13.
    static func rateLabel(_ r: Double) -> String { shortScientific(r) }

    package static func pad3(_ k: Int) -> String { let s = String(k); return String(repeating: "0", count: max(0, 3 - s.count)) + s }
}

/// `mkdir -p`; an `InputError` names the directory that cannot be made.
package func makeDirectories(_ path: String) throws(InputError) {
    var prefix = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
        prefix += "/" + part
        var st = stat()
        if stat(prefix, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                throw InputError(path: prefix, reason: "exists and is not a directory")
            }
            continue
        }
        if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
            let code = errno
            throw InputError.writeFailure(path: prefix, reason: "cannot create directory (\(String(cString: strerror(code))))", errno: code)
        }
    }
}

/// Removes `path` and everything below it (no error when it does not exist).
func removeTree(_ path: String) {
    var st = stat()
    guard lstat(path, &st) == 0 else { return }
    if (st.st_mode & S_IFMT) == S_IFDIR {
        for name in directoryEntries(path) { removeTree(path + "/" + name) }
        rmdir(path)
    } else {
        unlink(path)
    }
}

/// Names in a directory (without . and ..), sorted; empty when unreadable.
func directoryEntries(_ path: String) -> [String] {
    guard let d = opendir(path) else { return [] }
    defer { closedir(d) }
    var names: [String] = []
    while let e = readdir(d) {
        let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}

/// True when `path` exists.
func fileExists(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0
}
