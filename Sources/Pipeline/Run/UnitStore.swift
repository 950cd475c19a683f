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
/// - **invalidated**: `unit.json` records another key (a config change): the directory is recomputed;
/// - **partial**: `unit.pending` records this key: work started (checkpoints inside resume it);
/// - **pending**: nothing yet.
///
/// `begin` takes an exclusive `flock` on logs/locks/<unit>.lock for the unit's whole computation, so
/// two processes (a requeued Slurm task, a second `pipeline run`) never work on one unit at once; the
/// kernel drops the lock when a process dies, even by kill -9. `complete` writes unit.json atomically
/// last, then removes unit.pending and any temporary files: a unit without unit.json is never trusted.
struct UnitStore: Sendable {
    let layout: StudyLayout

    enum State: String, Sendable {
        case done, invalidated, partial, pending
    }

    /// One output file of a finished unit.
    struct Output: Sendable, Equatable {
        var file: String
        var bytes: Int
        var sha256: String
    }

    static let recordName = "unit.json"
    static let pendingName = "unit.pending"

    func state(_ unit: String, key: String, verify: Bool = false) -> State {
        let dir = layout.path(unit)
        if let record = try? JSONValue.read(path: dir + "/" + Self.recordName) {
            if record["key"]?.string == key && outputsIntact(record, dir: dir, verify: verify) { return .done }
            if record["key"]?.string != key { return .invalidated }
        }
        if let pending = try? readWholeFile(dir + "/" + Self.pendingName), pending.trimmedLine == key { return .partial }
        return fileExists(dir) ? .invalidated : .pending
    }

    private func outputsIntact(_ record: JSONValue, dir: String, verify: Bool) -> Bool {
        guard let outputs = record["outputs"]?.elements else { return false }
        for o in outputs {
            guard let file = o["file"]?.string, let bytes = o["bytes"]?.int else { return false }
            var st = stat()
            guard stat(dir + "/" + file, &st) == 0, Int(st.st_size) == bytes else { return false }
            if verify {
                guard let data = try? readBinaryFile(dir + "/" + file), SHA256.hex(data) == o["sha256"]?.string else { return false }
            }
        }
        return true
    }

    /// An exclusive lock on one unit, held until `release` (or process death).
    final class Lock: @unchecked Sendable {
        private var fd: Int32
        init(fd: Int32) { self.fd = fd }
        func release() {
            if fd >= 0 { flock(fd, LOCK_UN); close(fd); fd = -1 }
        }
        deinit { release() }
    }

    /// Locks the unit (waiting while another process holds it) and prepares its directory: an
    /// invalidated or foreign partial directory is emptied; a partial one with this key is kept so
    /// its checkpoints resume. Returns nil (lock released) when the unit turned out to be done.
    func begin(_ unit: String, key: String) throws(InputError) -> Lock? {
        try makeDirectories(layout.locks)
        let lockPath = layout.locks + "/" + StudyLayout.flatName(unit) + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw InputError(path: lockPath, reason: "cannot open lock file (\(String(cString: strerror(errno))))") }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(fd)
                throw InputError(path: lockPath, reason: "cannot lock (\(String(cString: strerror(errno))))")
            }
        }
        let lock = Lock(fd: fd)
        let dir = layout.path(unit)
        switch state(unit, key: key) {
        case .done:
            lock.release()
            return nil
        case .partial:
            break
        case .invalidated, .pending:
            removeTree(dir)
            try makeDirectories(dir)
            try AtomicFile.write(key + "\n", to: dir + "/" + Self.pendingName)
        }
        return lock
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
    func isLocked(_ unit: String) -> Bool {
        let lockPath = layout.locks + "/" + StudyLayout.flatName(unit) + ".lock"
        let fd = open(lockPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 { flock(fd, LOCK_UN); return false }
        return errno == EWOULDBLOCK
    }

    /// Deletes `*.tmp.*` files (atomic writes cut short by a kill) below `dir`.
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
enum SeemVersion {
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
    var trimmedLine: String {
        var s = Substring(self)
        while let c = s.last, c == "\n" || c == "\r" || c == " " { s = s.dropLast() }
        return String(s)
    }
}
