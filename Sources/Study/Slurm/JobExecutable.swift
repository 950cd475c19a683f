import Foundation
import MDCore
#if canImport(Glibc)
import Glibc
#endif

/// Which `pipeline` binary the Slurm jobs run. An ordinary build loads the Swift runtime and
/// Foundation from the toolchain's directory, which compute nodes rarely have; the build of
/// `scripts/build-static.sh` (`.build/static/pipeline`) has them linked in. The rule:
///
///  1. `--executable PATH`, when given;
///  2. the running executable, when it is self-contained (it has no `libswiftCore.so` mapped);
///  3. `.build/static/pipeline` of the build directory the running executable lies in, when it is
///     not older than the running executable (an older one would run older code);
///  4. else the running executable, with a warning that the nodes need the toolchain.
package struct JobExecutable: Equatable {
    /// Absolute path of the binary the jobs run.
    package let path: String
    /// Why the caller should worry (printed by `pipeline submit`), if anything.
    package let warning: String?

    /// Where `scripts/build-static.sh` puts its binary, below the `.build` directory.
    static let staticBuildPath = "static/pipeline"

    /// - Parameters:
    ///   - requested: the `--executable` option.
    ///   - running: the running executable's absolute path.
    ///   - runningIsSelfContained: whether the running process loaded no Swift runtime library.
    package static func choose(requested: String?, running: String, runningIsSelfContained: Bool) throws(InputError) -> JobExecutable {
        if let requested {
            let path = absolutePath(requested)
            guard isExecutableFile(path) else {
                throw InputError(path: "--executable", reason: "\(path) is not an executable file")
            }
            return JobExecutable(path: path, warning: nil)
        }
        if runningIsSelfContained { return JobExecutable(path: running, warning: nil) }
        let needsToolchain = "the jobs run \(running), which loads the Swift runtime from the toolchain: the nodes need it "
            + "at the same path (scripts/build-static.sh builds a self-contained pipeline)"
        guard let build = enclosingBuildDirectory(of: running) else {
            return JobExecutable(path: running, warning: needsToolchain)
        }
        let candidate = build + "/" + staticBuildPath
        guard isExecutableFile(candidate) else { return JobExecutable(path: running, warning: needsToolchain) }
        guard let built = modificationTime(candidate), let current = modificationTime(running), built >= current else {
            return JobExecutable(path: running, warning: "\(candidate) is older than \(running) and is not used; " + needsToolchain)
        }
        return JobExecutable(path: candidate, warning: nil)
    }

    /// The running executable (symbolic links resolved).
    package static var running: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? absolutePath(CommandLine.arguments[0])
    }

    /// Whether this process runs without the Swift runtime as a shared library: no `libswiftCore.so`
    /// among its mappings (Linux's /proc/self/maps).
    package static var runningIsSelfContained: Bool {
        guard let maps = readToEnd("/proc/self/maps") else { return false }
        return !maps.contains("/libswiftCore.so")
    }

    /// The text of `path`, read until end of file: procfs files have size 0, so nothing that trusts
    /// the size (as `String(contentsOfFile:)` may) reads them.
    private static func readToEnd(_ path: String) -> String? {
        (try? readBinaryFile(path)).map { String(decoding: $0, as: UTF8.self) }  // reads until fread stops, not by size
    }

    /// The nearest ancestor directory of `path` named `.build`.
    static func enclosingBuildDirectory(of path: String) -> String? {
        var components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        while let last = components.popLast() {
            if last == ".build" { return "/" + (components + [last]).joined(separator: "/") }
        }
        return nil
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
    }

    private static func modificationTime(_ path: String) -> Double? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) * 1e-9
    }
}
