// KERNEL FILE (unsafe by design). The C library calls that take raw memory: stdio streams (`FILE *`),
// write(2)/pwrite(2)/pread(2) on descriptors, and strtod. Everything else in the package calls these
// through the safe value-level helpers below (strings, byte arrays, offsets), never a pointer.
// Invariants: a pointer handed to C is derived from an array or a String's UTF-8 storage inside a
// `withUnsafe…` scope and is not kept past the call; `FileStream.file` is a live stream from fopen
// until `close()` (then nil), and is never shared between owners.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A C stdio stream opened on a path, closed by `close()` or when the owner goes away.
public final class FileStream {
    private var file: UnsafeMutablePointer<FILE>?

    /// Opens `path` with an fopen `mode` ("rb", "wb", "ab", "a", …); nil when fopen fails (errno set).
    public init?(path: String, mode: String) {
        guard let f = fopen(path, mode) else { return nil }
        file = f
    }

    deinit { if let file { fclose(file) } }

    /// Writes `bytes`; returns how many were written.
    @discardableResult
    public func write(_ bytes: [UInt8]) -> Int {
        guard let file else { return 0 }
        return bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    }

    /// Writes the UTF-8 bytes of `text`; returns how many were written.
    @discardableResult
    public func write(_ text: String) -> Int { write(Array(text.utf8)) }

    /// Reads up to `buffer.count` bytes into `buffer`; returns how many were read (short at the end of
    /// the file or on an error: see `hasError`).
    public func read(into buffer: inout [UInt8]) -> Int {
        guard let file else { return 0 }
        return buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
    }

    /// True when a read or write failed (ferror).
    public var hasError: Bool { file.map { ferror($0) != 0 } ?? true }

    /// Hands buffered bytes to the OS (fflush); with `durable`, also waits until they are on disk
    /// (fsync). False on failure (errno set).
    @discardableResult
    public func flush(durable: Bool = false) -> Bool {
        guard let file else { return false }
        return fflush(file) == 0 && (!durable || fsync(fileno(file)) == 0)
    }

    /// Closes the stream; false when fclose reports an error. Later calls do nothing.
    @discardableResult
    public func close() -> Bool {
        guard let file else { return true }
        self.file = nil
        return fclose(file) == 0
    }
}

/// write(2) (outside `FileDescriptor`, whose `write` shadows it).
private func systemWrite(_ fd: Int32, _ p: UnsafePointer<CChar>?, _ n: Int) -> Int { write(fd, p, n) }

/// Raw file-descriptor I/O on strings and byte arrays.
public enum FileDescriptor {
    /// write(2) of the UTF-8 bytes of `text` to `fd` (one call; async-signal-safe apart from the
    /// String's storage); returns write's result.
    @discardableResult
    public static func write(_ fd: Int32, _ text: String) -> Int {
        text.utf8CString.withUnsafeBufferPointer { systemWrite(fd, $0.baseAddress, $0.count - 1) }
    }

    /// pwrite(2) of the UTF-8 bytes of `text` at byte `offset`; returns pwrite's result.
    @discardableResult
    public static func write(_ fd: Int32, _ text: String, at offset: Int) -> Int {
        text.utf8CString.withUnsafeBufferPointer { pwrite(fd, $0.baseAddress, $0.count - 1, off_t(offset)) }
    }

    /// pread(2) of up to `count` bytes at byte `offset`; the bytes read (empty on error or at EOF).
    public static func read(_ fd: Int32, count: Int, at offset: Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
        return n > 0 ? Array(buffer[0..<n]) : []
    }
}

/// Writes `text` to standard error with one write(2) (no buffering, no allocation beyond the text).
public func writeStandardError(_ text: String) { FileDescriptor.write(2, text) }

/// strtod on a NUL-terminated byte array: the number starting at `offset` and the offset just past
/// it (`offset` itself when nothing was parsed). `bytes` must end with a 0 byte.
public func parseDouble(_ bytes: [UInt8], at offset: Int) -> (value: Double, end: Int) {
    precondition(offset >= 0 && offset < bytes.count && bytes.last == 0, "parseDouble needs a NUL-terminated array")
    return bytes.withUnsafeBufferPointer { buf in
        let base = UnsafeRawPointer(buf.baseAddress!).assumingMemoryBound(to: CChar.self)
        var end: UnsafeMutablePointer<CChar>?
        let v = strtod(base + offset, &end)
        return (v, end.map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? offset)
    }
}
