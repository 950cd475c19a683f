#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A checksummed, versioned checkpoint container.
///
/// Layout (all integers little-endian):
///
///     magic      8 bytes  "SEEMCKPT"
///     version    UInt32   `CheckpointFile.formatVersion`
///     kind       string   what wrote it (e.g. "aqs.shear"); UInt64 length + UTF-8
///     key        UInt64   hash of everything that determines the result (settings, inputs)
///     settings   string   human-readable settings behind `key` ("name=value" lines), used to say
///                         *why* a checkpoint does not fit
///     payload    bytes    UInt64 length + the writer's state
///     checksum   UInt64   FNV-1a 64 of every byte above
///
/// Files are written atomically (`AtomicFile`: temporary file, fsync, rename), so a reader sees
/// the previous checkpoint or the new one, never a torn file; the checksum catches anything else
/// (disk errors, a file truncated or edited by hand).
public struct CheckpointFile: Sendable, Equatable {
    /// Version of the container layout.
    public static let formatVersion: UInt32 = 1
    /// The 8 magic bytes.
    public static let magic: [UInt8] = Array("SEEMCKPT".utf8)

    public var kind: String
    public var key: UInt64
    public var settings: String
    public var payload: [UInt8]

    public init(kind: String, key: UInt64, settings: String, payload: [UInt8]) {
        self.kind = kind; self.key = key; self.settings = settings; self.payload = payload
    }

    /// Why a file could not be used.
    public enum Damage: Error, Sendable, Equatable, CustomStringConvertible {
        case notACheckpoint
        case unsupportedVersion(UInt32)
        case truncated
        case checksumMismatch
        public var description: String {
            switch self {
            case .notACheckpoint: return "not a seem checkpoint (bad magic number)"
            case .unsupportedVersion(let v): return "checkpoint format version \(v) is not supported (this build reads \(CheckpointFile.formatVersion))"
            case .truncated: return "checkpoint is truncated"
            case .checksumMismatch: return "checkpoint checksum does not match its contents"
            }
        }
    }

    /// The file's bytes.
    public func encoded() -> [UInt8] {
        var w = BinaryWriter(capacity: payload.count + settings.utf8.count + 64)
        var bytes = Self.magic
        w.write(Self.formatVersion)
        w.write(kind)
        w.write(key)
        w.write(settings)
        w.write(bytes: payload)
        bytes.append(contentsOf: w.bytes)
        let sum = FNV1a64.hash(bytes)
        var tail = BinaryWriter()
        tail.write(sum)
        bytes.append(contentsOf: tail.bytes)
        return bytes
    }

    /// Decodes and verifies `bytes`.
    public static func decode(_ bytes: [UInt8]) throws(Damage) -> CheckpointFile {
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            throw bytes.count < magic.count && magic.starts(with: bytes) ? .truncated : .notACheckpoint
        }
        guard bytes.count >= magic.count + 4 + 8 else { throw .truncated }
        let body = Array(bytes[0..<(bytes.count - 8)])
        var sumReader = BinaryReader(Array(bytes[(bytes.count - 8)...]))
        let stored: UInt64
        do { stored = try sumReader.readUInt64() } catch { throw .truncated }
        var r = BinaryReader(Array(bytes[magic.count...]))
        let version: UInt32
        do { version = try r.readUInt32() } catch { throw .truncated }
        guard version == formatVersion else {
            // A different version may lay out its fields differently: only the checksum is common.
            throw FNV1a64.hash(body) == stored ? .unsupportedVersion(version) : .checksumMismatch
        }
        guard FNV1a64.hash(body) == stored else { throw .checksumMismatch }
        do {
            let kind = try r.readString()
            let key = try r.readUInt64()
            let settings = try r.readString()
            let payload = try r.readBytes()
            guard r.offset == bytes.count - magic.count - 8 else { throw BinaryReader.Truncated() }
            return CheckpointFile(kind: kind, key: key, settings: settings, payload: payload)
        } catch {
            throw .truncated
        }
    }

    /// Writes the checkpoint atomically to `path`.
    public func write(to path: String) throws(InputError) {
        try AtomicFile.write(encoded(), to: path)
    }

    /// What `read(path:)` found.
    public enum ReadResult: Sendable {
        /// No file at the path.
        case missing
        /// A file that is not a usable checkpoint.
        case damaged(Damage)
        case valid(CheckpointFile)
    }

    /// Reads the checkpoint at `path`. A missing file is `.missing`; an unreadable one throws.
    public static func read(path: String) throws(InputError) -> ReadResult {
        guard access(path, F_OK) == 0 else { return .missing }
        let bytes = try readBinaryFile(path)
        do { return .valid(try decode(bytes)) } catch { return .damaged(error) }
    }

    /// The `name=value` lines of `settings` that differ between `self` and `other`, as
    /// "name: A (checkpoint) vs B (now)" phrases; empty when the texts agree.
    public static func settingsDifferences(checkpoint: String, now: String) -> [String] {
        func parse(_ s: String) -> [(String, String)] {
            s.split(separator: "\n").map { line in
                if let eq = line.firstIndex(of: "=") {
                    return (String(line[..<eq]), String(line[line.index(after: eq)...]))
                }
                return (String(line), "")
            }
        }
        let a = parse(checkpoint), b = parse(now)
        let da = Dictionary(a, uniquingKeysWith: { x, _ in x }), db = Dictionary(b, uniquingKeysWith: { x, _ in x })
        var out: [String] = []
        var names = a.map(\.0)
        for (n, _) in b where da[n] == nil { names.append(n) }
        for n in names where da[n] != db[n] {
            out.append("\(n): \(da[n] ?? "(absent)") in the checkpoint, \(db[n] ?? "(absent)") now")
        }
        return out
    }
}

/// Reads a whole file as bytes (binary), with a clear `InputError`.
public func readBinaryFile(_ path: String) throws(InputError) -> [UInt8] {
    guard let f = FileStream(path: path, mode: "rb") else {
        throw InputError(path: path, reason: "cannot open file (\(String(cString: strerror(errno))))")
    }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = f.read(into: &buffer)
        if n > 0 { bytes.append(contentsOf: buffer[0..<n]) }
        if n < buffer.count {
            if f.hasError { throw InputError(path: path, reason: "read error") }
            break
        }
    }
    return bytes
}
