#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A text file grown line by line (e.g. a `history.csv` written during a run), which can be cut
/// back to a known length when a run resumes from a checkpoint.
///
/// Writes are buffered; `flush(durable:)` hands them to the OS (and with `durable`, to the disk),
/// so that a length recorded in a checkpoint after a durable flush is always present in the file.
public final class AppendingFile {
    /// Path as given.
    public let path: String
    private let file: FileStream
    /// Bytes in the file (written or buffered).
    public private(set) var length: Int
    /// FNV-1a 64 of every byte in the file so far.
    public private(set) var hash: FNV1a64

    /// Creates (or empties) the file.
    public init(creating path: String) throws(InputError) {
        guard let f = FileStream(path: path, mode: "wb") else {
            let code = errno
            throw InputError.writeFailure(path: path, reason: "cannot write (\(String(cString: strerror(code))))", errno: code)
        }
        self.path = path
        file = f
        length = 0
        hash = FNV1a64()
    }

    /// Opens an existing file, keeps its first `length` bytes and positions at their end.
    /// Throws when the file is shorter than `length`; returns nil when the hash of the first
    /// `length` bytes is not `expectedHash` (the file was changed since the checkpoint).
    public static func resuming(_ path: String, length: Int, expectedHash: UInt64) throws(InputError) -> AppendingFile? {
        let bytes = try readBinaryFile(path)
        guard bytes.count >= length else { return nil }
        var h = FNV1a64()
        h.combine(bytes: bytes[0..<length])
        guard h.value == expectedHash else { return nil }
        guard truncate(path, off_t(length)) == 0, let f = FileStream(path: path, mode: "ab") else {
            let code = errno
            throw InputError.writeFailure(path: path, reason: "cannot reopen for appending (\(String(cString: strerror(code))))", errno: code)
        }
        return AppendingFile(path: path, file: f, length: length, hash: h)
    }

    private init(path: String, file: FileStream, length: Int, hash: FNV1a64) {
        self.path = path; self.file = file; self.length = length; self.hash = hash
    }

    /// Appends `text` (include the newline yourself).
    public func append(_ text: String) throws(InputError) {
        let u = Array(text.utf8)
        let n = file.write(u)
        guard n == u.count else {
            let code = errno
            throw InputError.writeFailure(path: path, reason: "write failed (\(String(cString: strerror(code))))", errno: code)
        }
        length += u.count
        hash.combine(bytes: u)
    }

    /// Hands buffered bytes to the OS; with `durable`, also waits until they are on disk.
    public func flush(durable: Bool = false) throws(InputError) {
        guard file.flush(durable: durable) else {
            let code = errno
            throw InputError.writeFailure(path: path, reason: "write failed (\(String(cString: strerror(code))))", errno: code)
        }
    }
}
