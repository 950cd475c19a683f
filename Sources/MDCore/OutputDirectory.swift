#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fails with an `InputError` when `path` exists but is not a writable directory, or cannot be created.
public func checkOutputDirectory(_ path: String) throws(InputError) {
    var st = stat()
    if stat(path, &st) == 0 {
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw InputError(path: path, reason: "output path exists and is not a directory")
        }
        guard access(path, W_OK | X_OK) == 0 else { throw InputError.environment(path: path, reason: "output directory is not writable") }
    } else {
        guard mkdir(path, 0o755) == 0 else {
            let code = errno
            throw InputError.writeFailure(path: path, reason: "cannot create output directory (\(String(cString: strerror(code))))", errno: code)
        }
    }
}
