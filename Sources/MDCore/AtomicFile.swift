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
        let tmp = path + ".tmp.\(getpid())"
        guard let f = fopen(tmp, "wb") else {
            throw InputError(path: path, reason: "cannot write (\(String(cString: strerror(errno))))")
        }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        let flushed = fflush(f) == 0 && fsync(fileno(f)) == 0
        let closed = fclose(f) == 0
        guard written == bytes.count, flushed, closed else {
            unlink(tmp)
            throw InputError(path: path, reason: "write failed (\(String(cString: strerror(errno))))")
        }
        guard rename(tmp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw InputError(path: path, reason: "cannot rename into place (\(reason))")
        }
    }
}

/// Shortest decimal text that reads back to the same Double (Swift's round-trip formatting).
@inlinable
public func roundTrip(_ x: Double) -> String { x.description }
