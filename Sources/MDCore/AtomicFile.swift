#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files atomically: the bytes go to a temporary file in the same directory, are flushed to
/// disk, and the temporary file is renamed over the target. A reader therefore sees either the old
/// file or the complete new one, never a half-written file.
public enum AtomicFile {
    /// Writes `text` to `path` atomically. Throws `InputError` naming the path when the directory
    /// is missing or unwritable.
    public static func write(_ text: String, to path: String) throws(InputError) {
        try write(Array(text.utf8), to: path)
    }

    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws(InputError) {
        let tmp = path + temporarySuffix
        guard let f = FileStream(path: tmp, mode: "wb") else {
            let code = errno
            throw InputError.writeFailure(path: path, reason: "cannot write (\(String(cString: strerror(code))))", errno: code)
        }
        let written = f.write(bytes)
        let flushed = f.flush(durable: true)
        let closed = f.close()
        guard written == bytes.count, flushed, closed else {
            let code = errno
            unlink(tmp)
            throw InputError.writeFailure(path: path, reason: "write failed (\(String(cString: strerror(code))))", errno: code)
        }
        guard rename(tmp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw InputError.environment(path: path, reason: "cannot rename into place (\(reason))")
        }
    }
}

extension AtomicFile {
    /// `.tmp.HOST.PID`: the suffix of this process's temporary files. The host and process name the
    /// writer, so that a sweep can tell a file a dead process left from one being written elsewhere.
    public static let temporarySuffix: String = ".tmp.\(hostName).\(getpid())"

    /// True when `name` is a temporary file (`X.tmp.HOST.PID`) left by a process of this host that
    /// no longer runs.
    public static func isOrphanedTemporary(_ name: String) -> Bool {
        let suffix = ".tmp." + hostName + "."
        let chars = Array(name.utf8), marker = Array(suffix.utf8)
        guard chars.count > marker.count else { return false }
        var start = chars.count - marker.count
        while start >= 0 && Array(chars[start..<start + marker.count]) != marker { start -= 1 }
        guard start >= 0, let pid = Int32(String(decoding: chars[(start + marker.count)...], as: UTF8.self)) else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    /// This machine's host name.
    public static let hostName: String = {
        var buf = [CChar](repeating: 0, count: 256)
        gethostname(&buf, buf.count - 1)
        let name = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }()
}

/// Shortest decimal text that reads back to the same Double (Swift's round-trip formatting).
@inlinable
public func roundTrip(_ x: Double) -> String { x.description }
