import MDCore
#if canImport(Glibc)
import Glibc
#endif

/// Path handling of study configs: relative paths resolve against the config file's directory and
/// are normalized lexically (`.` and `..` removed, no symlinks followed), so a normalized config
/// names the same files from any working directory.
package enum ConfigPaths {
    /// The current working directory.
    static var currentDirectory: String {
        var buf = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buf, buf.count) != nil else { return "/" }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `path` made absolute against `directory` and normalized.
    static func absolute(_ path: String, relativeTo directory: String) -> String {
        normalize(path.hasPrefix("/") ? path : directory + "/" + path)
    }

    /// Removes empty and `.` components and resolves `..` lexically (`/..` stays `/`).
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for c in path.split(separator: "/", omittingEmptySubsequences: true) {
            if c == "." { continue }
            if c == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(c)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Directory part of an absolute path ("/" for "/x").
    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// Fails at `node` unless `path` is a readable regular file.
    static func checkReadableFile(_ path: String, at node: ConfigNode) throws(InputError) {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw node.error("cannot read \(path) (\(String(cString: strerror(errno))))")
        }
        guard (st.st_mode & S_IFMT) != S_IFDIR else { throw node.error("\(path) is a directory, not a file") }
        guard access(path, R_OK) == 0 else { throw node.error("cannot read \(path) (\(String(cString: strerror(errno))))") }
    }

    /// Fails at `node` unless `path` is a directory or could be created (with its missing parents):
    /// the nearest existing ancestor must be a writable directory. Creates nothing. An existing
    /// directory need not be writable (a finished study on a read-only mount is inspected read-only).
    static func checkWorkdir(_ path: String, at node: ConfigNode) throws(InputError) {
        var st = stat()
        if stat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else { throw node.error("\(path) exists and is not a directory") }
            return
        }
        var ancestor = parent(path)
        while stat(ancestor, &st) != 0 {
            guard errno == ENOENT, ancestor != "/" else {
                throw node.error("cannot create \(path): \(ancestor): \(String(cString: strerror(errno)))")
            }
            ancestor = parent(ancestor)
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw node.error("cannot create \(path): \(ancestor) is not a directory")
        }
        guard access(ancestor, W_OK | X_OK) == 0 else {
            throw node.error("cannot create \(path): directory \(ancestor) is not writable")
        }
    }
}
