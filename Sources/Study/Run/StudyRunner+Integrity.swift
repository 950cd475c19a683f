import Foundation
import MDCore
#if canImport(Glibc)
import Glibc
#endif

/// What a run may trust on disk. A finished unit's outputs are hashed against the SHA-256 its
/// unit.json records before anything uses them (the unit itself when it would be skipped, or a
/// downstream unit that reads them), once per process. A mismatch makes the unit corrupt: it and
/// everything downstream of it are recomputed, which gives the bytes a clean run gives.
extension StudyRunner {
    /// Every unit that reads `unit`'s outputs, directly or through others, in dependency order.
    func downstream(of unit: String) -> [String] {
        var reached: Set<String> = [unit]
        var out: [String] = []
        for u in units where !reached.contains(u.unit) {
            if upstream(of: u.unit).contains(where: reached.contains) {
                reached.insert(u.unit)
                out.append(u.unit)
            }
        }
        return out
    }

    /// The units whose outputs `unit` reads.
    func upstream(of unit: String) -> [String] {
        if unit == StudyLayout.parentUnit { return [] }
        if samples.contains(where: { $0.quenchUnit == unit }) { return [StudyLayout.parentUnit] }
        if let s = samples.first(where: { $0.shearUnit == unit }) { return [s.quenchUnit] }
        if let large {
            if unit == large.parentUnit { return [] }
            if unit == large.glassUnit { return [large.parentUnit] }
            if unit == large.shearUnit { return [large.glassUnit] }
        }
        switch unit {
        case StudyLayout.harvestUnit: return samples.map(\.shearUnit) + (large.map { [$0.shearUnit] } ?? [])
        case StudyLayout.seemUnit: return [StudyLayout.harvestUnit]
        case StudyLayout.reportUnit: return [StudyLayout.harvestUnit, StudyLayout.seemUnit]
        default: return []
        }
    }

    /// True when `unit` is finished with this key and its outputs match their recorded hashes (hashed
    /// once per process). A corrupt unit is reported, forgotten with everything downstream of it, and
    /// reported false, so that it is recomputed.
    func isDone(_ unit: String, key: String) -> Bool {
        let verify = !verified.contains(unit)
        switch store.state(unit, key: key, verify: verify) {
        case .done:
            verified.insert(unit)
            return true
        case .corrupt:
            let damaged = store.damagedOutputs(unit, verify: verify)
            let below = downstream(of: unit)
            board.log("warning: \(layout.path(unit)) is corrupt: \(damaged.joined(separator: "; ")); recomputing it"
                      + (below.isEmpty ? "" : " and the \(below.count) units downstream of it"))
            for u in [unit] + below {
                store.invalidate(u)
                verified.forget(u)
            }
            return false
        default:
            return false
        }
    }

    /// The units `scope` would compute or check, in dependency order.
    package func units(in scope: Scope) -> [(stage: String, unit: String, key: String)] {
        switch scope {
        case .all:
            return units
        case .parent:
            return units.filter { $0.unit == StudyLayout.parentUnit }
        case .samples(let task, let count):
            let mine = samples.indices.filter { $0 % count == task }
            return [units[0]] + mine.map { ("quench", samples[$0].quenchUnit, quenchKeys[$0]) }
                + mine.map { ("shear", samples[$0].shearUnit, shearKeys[$0]) }
        case .large:
            return units.filter { $0.stage == "large" }
        case .study:
            return units.filter { $0.stage == "shear" || $0.stage == "harvest" || $0.stage == "seem" || $0.stage == "report" }
                + (large.map { [("large", $0.shearUnit, $0.shearKey)] } ?? [])
        }
    }

    /// The units of `scope` that are not finished and verified (reading only; nothing is forgotten).
    package func remainingUnits(in scope: Scope) -> [String] {
        units(in: scope).filter { store.state($0.unit, key: $0.key, verify: true) != .done }.map(\.unit)
    }

    /// Whether the work directory can be written (it exists and is writable, or it can be created).
    package var workdirIsWritable: Bool {
        var st = stat()
        if stat(layout.root, &st) == 0 { return access(layout.root, W_OK | X_OK) == 0 }
        var ancestor = ConfigPaths.parent(layout.root)
        while stat(ancestor, &st) != 0 && ancestor != "/" { ancestor = ConfigPaths.parent(ancestor) }
        return access(ancestor, W_OK | X_OK) == 0
    }

    /// Removes temporary files (`*.tmp.HOST.PID`) that a killed process left in the study's shared
    /// files (config.json, manifest.json) and logs/timings: those of a process of this host that no
    /// longer runs, and any older than ten minutes (an atomic write takes milliseconds; a younger file
    /// of another host may be in flight). A unit's own directory is swept when its lock is taken
    /// (`UnitStore.begin`).
    func sweepStaleTemporaryFiles(olderThan seconds: Int = 600) {
        let now = time(nil)
        for dir in [layout.root, layout.timings] {
            for name in directoryEntries(dir) where name.contains(".tmp.") {
                var st = stat()
                let path = dir + "/" + name
                guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
                if AtomicFile.isOrphanedTemporary(name) || now - st.st_mtim.tv_sec > seconds { unlink(path) }
            }
        }
    }

    // MARK: One study per work directory

    /// The config sections that decide the atomistic units (quench and shear): a config that changes
    /// them in a work directory whose such units are finished would discard them.
    static let atomisticSections = ["study.seed", "potential", "system", "quench", "inherent_structure", "aqs", "large_system"]

    /// Refuses (unless `force`) a config that would discard finished quench or shear units of the study
    /// in this work directory because its atomistic settings differ from the study's `config.json`.
    /// More rates or samples, and other harvest, SEEM or report settings, are allowed.
    package func checkOwnership(force: Bool) throws(InputError) {
        guard !force, let text = try? readWholeFile(layout.configPath),
              let previous = try? JSONValue.parse(text, path: layout.configPath) else { return }
        let atomistic = units.filter { $0.stage == "quench" || $0.stage == "shear" || $0.stage == "large" }
        let discarded = atomistic.filter { u in
            guard let record = try? JSONValue.read(path: layout.path(u.unit) + "/" + UnitStore.recordName) else { return false }
            return record["key"]?.string != u.key
        }
        guard !discarded.isEmpty else { return }
        let now = config.normalized()
        var differing: [String] = []
        for path in Self.atomisticSections {
            Self.differences(previous.at(path), now.at(path), path: path, into: &differing)
        }
        guard !differing.isEmpty else { return }  // the same settings under a new code revision: recompute
        let shown = differing.prefix(4).joined(separator: ", ") + (differing.count > 4 ? ", …" : "")
        throw InputError(path: configPath, reason: "\(layout.root) holds another study (\(layout.configPath) differs in \(shown)); running this config there would discard \(discarded.count) finished quench or shear units (first: \(discarded[0].unit)). Use another --workdir, or --force to replace them")
    }

    /// Key paths at which two normalized config values differ.
    private static func differences(_ a: JSONValue?, _ b: JSONValue?, path: String, into out: inout [String]) {
        if let ma = a?.members, let mb = b?.members {
            var names = ma.map(\.0)
            for (k, _) in mb where !names.contains(k) { names.append(k) }
            for k in names { differences(a?[k], b?[k], path: path + "." + k, into: &out) }
            return
        }
        if a?.formatted() != b?.formatted() { out.append(path) }
    }
}

extension JSONValue {
    /// The value at a dotted path (`study.seed`), if present.
    func at(_ path: String) -> JSONValue? {
        var v: JSONValue? = self
        for part in path.split(separator: ".") { v = v?[String(part)] }
        return v
    }
}

/// Units verified in this process, and those it found corrupt or downstream of a corrupt one and so
/// forgot (thread-safe): a unit's outputs are hashed at most once per run.
package final class VerifiedUnits: @unchecked Sendable {
    private let lock = NSLock()
    private var set: Set<String> = []
    private var forgotten: Set<String> = []
    func contains(_ u: String) -> Bool { lock.withLock { set.contains(u) } }
    func insert(_ u: String) { lock.withLock { _ = set.insert(u) } }
    func forget(_ u: String) { lock.withLock { _ = set.remove(u); _ = forgotten.insert(u) } }
    func wasForgotten(_ u: String) -> Bool { lock.withLock { forgotten.contains(u) } }
}

