import MDCore
#if canImport(Glibc)
import Glibc
#endif

/// The bookkeeping of units of work in a study directory. A unit (a sample's quench, a sample's shear,
/// the harvest, …) is a directory named by `StudyLayout` and a *key*: the SHA-256 of exactly the
/// inputs that determine its result. Its states:
///
/// - **done**: `unit.json` records this key, and the outputs it lists are present with the recorded
///   sizes (and SHA-256, when verifying);
/// - **corrupt**: `unit.json` records this key, but an output is missing or differs from its recorded
///   size (or SHA-256, when verifying): edited, truncated or half-copied. The runner recomputes the unit
///   and everything downstream of it;
/// - **invalidated**: `unit.json` records another key (a config change): the directory is recomputed;
/// - **partial**: `unit.pending` records this key: work started (checkpoints inside resume it);
/// - **pending**: nothing yet.
///
/// `begin` takes an exclusive `flock` on logs/locks/<unit>.lock for the unit's whole computation, so
/// two processes (a requeued Slurm task, a second `pipeline run`) never work on one unit at once; the
/// kernel drops the lock when a process dies, even by kill -9. `complete` writes unit.json atomically
/// last, then removes unit.pending and any temporary files: a unit without unit.json is never trusted.
package struct UnitStore: Sendable {
    let layout: StudyLayout

    package enum State: String, Sendable {
        case done, corrupt, invalidated, partial, pending
    }

    /// One output file of a finished unit.
    package struct Output: Sendable, Equatable {
        var file: String
        var bytes: Int
        var sha256: String
    }

    /// A signal stopped the run (here: while waiting for a lock).
    package struct Interrupted: Error {}

    static let recordName = "unit.json"
    static let pendingName = "unit.pending"

    /// The unit's state. Plain (`verify` false) compares output sizes only, which costs a `stat` per
    /// file; `verify` also hashes every output against its recorded SHA-256.
    package func state(_ unit: String, key: String, verify: Bool = false) -> State {
        let dir = layout.path(unit)
        if let record = try? JSONValue.read(path: dir + "/" + Self.recordName) {
            if record["key"]?.string == key {
                return damagedOutputs(record, dir: dir, verify: verify).isEmpty ? .done : .corrupt
            }
            return .invalidated
        }
        if let pending = try? readWholeFile(dir + "/" + Self.pendingName), pending.trimmedLine == key { return .partial }
        return fileExists(dir) ? .invalidated : .pending
    }

    /// The outputs of a finished unit that are missing or differ from their record (absolute paths, with
    /// what is wrong), hashing each when `verify`.
    package func damagedOutputs(_ unit: String, verify: Bool = true) -> [String] {
        let dir = layout.path(unit)
        guard let record = try? JSONValue.read(path: dir + "/" + Self.recordName) else { return [] }
        return damagedOutputs(record, dir: dir, verify: verify)
    }

    private func damagedOutputs(_ record: JSONValue, dir: String, verify: Bool) -> [String] {
        guard let outputs = record["outputs"]?.elements else { return [dir + "/" + Self.recordName + " (no outputs listed)"] }
        var damaged: [String] = []
        for o in outputs {
            guard let file = o["file"]?.string, let bytes = o["bytes"]?.int else {
                damaged.append(dir + "/" + Self.recordName + " (an output without file or bytes)")
                continue
            }
            let path = dir + "/" + file
            var st = stat()
            guard stat(path, &st) == 0 else { damaged.append(path + " (missing)"); continue }
            guard Int(st.st_size) == bytes else { damaged.append(path + " (\(st.st_size) bytes, recorded \(bytes))"); continue }
            if verify {
                guard let data = try? readBinaryFile(path) else { damaged.append(path + " (unreadable)"); continue }
                if SHA256.hex(data) != o["sha256"]?.string { damaged.append(path + " (SHA-256 differs from the record)") }
            }
        }
        return damaged
    }

    /// Forgets that `unit` is finished (removes its record), so that the next `begin` recomputes it.
    /// Used for a corrupt unit and for everything downstream of one.
    func invalidate(_ unit: String) {
        unlink(layout.path(unit) + "/" + Self.recordName)
    }

    /// An exclusive lock on one unit, held until `release` (or process death).
    package final class Lock: @unchecked Sendable {
        private var fd: Int32
        init(fd: Int32) { self.fd = fd }
        func release() {
            if fd >= 0 { flock(fd, LOCK_UN); close(fd); fd = -1 }
        }
        deinit { release() }
    }

    /// Locks the unit (waiting while another process holds it, after telling `waiting` which process
    /// that is) and prepares its directory: an invalidated, corrupt or foreign partial directory is
    /// emptied; a partial one with this key is kept so its checkpoints resume, without the temporary
    /// files a killed process left. Returns nil (lock released) when the unit turned out to be done.
    func begin(_ unit: String, key: String, waiting: (String) -> Void = { _ in }) throws -> Lock? {
        try makeDirectories(layout.locks)
        let lockPath = layout.locks + "/" + StudyLayout.flatName(unit) + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw InputError.environment(path: lockPath, reason: "cannot open lock file (\(errnoText()))") }
        var told = false
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                close(fd)
                throw InputError.environment(path: lockPath, reason: "cannot lock (\(errnoText()))")
            }
            if !told { waiting("\(unit): waiting for the lock \(lockPath), held by \(Self.holder(fd: fd))"); told = true }
            // Polled, not blocking, so that a signal stops the wait.
            if SignalFlag.received != 0 { close(fd); throw Interrupted() }
            usleep(100_000)
        }
        Self.recordHolder(fd: fd)
        let lock = Lock(fd: fd)
        let dir = layout.path(unit)
        switch state(unit, key: key) {
        case .done:
            lock.release()
            return nil
        case .partial:
            sweepTemporaryFiles(dir)
        case .invalidated, .pending, .corrupt:
            removeTree(dir)
            try makeDirectories(dir)
            try AtomicFile.write(key + "\n", to: dir + "/" + Self.pendingName)
        }
        // Timings are written under this lock only: a leftover temporary file there is from a killed run.
        let timings = StudyLayout.flatName(unit) + ".json.tmp."
        for name in directoryEntries(layout.timings) where name.hasPrefix(timings) { unlink(layout.timings + "/" + name) }
        return lock
    }

    /// Writes who holds the lock (process, host, time) into the lock file, for a process that waits.
    private static func recordHolder(fd: Int32) {
        let text = "process \(getpid()) on \(AtomicFile.hostName) since \(utcStamp())\n"
        ftruncate(fd, 0)
        FileDescriptor.write(fd, text, at: 0)
    }

    /// Who holds the lock on `fd`, as its holder recorded it.
    private static func holder(fd: Int32) -> String {
        let buf = FileDescriptor.read(fd, count: 512, at: 0)
        let text = buf.isEmpty ? "" : String(decoding: buf, as: UTF8.self).trimmedLine
        return text.isEmpty ? "another process" : text
    }

    /// Records the unit as done: hashes `outputs` (paths relative to the unit directory), writes
    /// unit.json, removes unit.pending and leftover temporary files, releases the lock.
    func complete(_ unit: String, key: String, kind: String, outputs: [String], provenance: JSONValue,
                  lock: Lock) throws(InputError) {
        let dir = layout.path(unit)
        var list: [JSONValue] = []
        for file in outputs {
            let data = try readBinaryFile(dir + "/" + file)
            list.append(.object([("file", .string(file)), ("bytes", .number(data.count)), ("sha256", .string(SHA256.hex(data)))]))
        }
        let record: JSONValue = .object([
            ("unit", .string(unit)), ("kind", .string(kind)), ("key", .string(key)),
            ("version", .string(SeemVersion.current)), ("provenance", provenance), ("outputs", .array(list)),
        ])
        sweepTemporaryFiles(dir)
        try AtomicFile.write(record.formatted() + "\n", to: dir + "/" + Self.recordName)
        unlink(dir + "/" + Self.pendingName)
        lock.release()
    }

    /// The outputs recorded for a finished unit (file, bytes, sha256).
    func outputs(_ unit: String) -> [Output] {
        guard let record = try? JSONValue.read(path: layout.path(unit) + "/" + Self.recordName),
              let list = record["outputs"]?.elements else { return [] }
        return list.compactMap { o in
            guard let f = o["file"]?.string, let b = o["bytes"]?.int, let h = o["sha256"]?.string else { return nil }
            return Output(file: f, bytes: b, sha256: h)
        }
    }

    /// True while some process holds the unit's lock (a run in progress).
    package func isLocked(_ unit: String) -> Bool {
        let lockPath = layout.locks + "/" + StudyLayout.flatName(unit) + ".lock"
        let fd = open(lockPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 { flock(fd, LOCK_UN); return false }
        return errno == EWOULDBLOCK
    }

    /// Deletes `*.tmp.*` files (atomic writes cut short by a kill) below `dir`. Only for a directory no
    /// other process writes to (a unit's, under its lock).
    func sweepTemporaryFiles(_ dir: String) {
        for name in directoryEntries(dir) {
            let path = dir + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFDIR { sweepTemporaryFiles(path) } else if name.contains(".tmp.") { unlink(path) }
        }
    }
}

/// Code versions. `current` labels outputs; `revision(of:)` enters each unit's key: bump a kind's
/// revision when a change alters that kind's results, and only those units (and what reads them,
/// through their keys) are recomputed in existing studies.
package enum SeemVersion {
    static let current = "0.4.0"

    static func revision(of kind: String) -> Int {
        switch kind {
        case "quench.parent", "quench.sample": return 2  // 2: EAM sums in a new (fixed) order
        case "shear": return 4          // 2: summary.json records the glass's IS energy; 3: EAM sums, predictor from step 1;
                                        // 4: predictor energy test tied to the harvest's event threshold
        case "harvest": return 3        // 3: the large system's curve modulus from its plain branches; 2: quality gate (a-CNA of every inherent structure; parameters.json `quality`),
                                        //    refusal of a harvest without plastic events; moduli at τ = 0, routes, rates, fixed point
        case "seem": return 2           // 2: metrics.json gains the validation, fallback and grid-exit keys; validation.csv
        case "report": return 3         // 3: headline columns in the validation table
        default: return 1
        }
    }
}

extension String {
    /// The text without a trailing newline or spaces.
    package var trimmedLine: String {
        var s = Substring(self)
        while let c = s.last, c == "\n" || c == "\r" || c == " " { s = s.dropLast() }
        return String(s)
    }
}

/// The current time in UTC, `2026-12-08T01:46:28Z`.
func utcStamp() -> String {
    var t = time(nil)
    var tmv = tm()
    gmtime_r(&t, &tmv)
    var buf = [CChar](repeating: 0, count: 32)
    strftime(&buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tmv)
    return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
