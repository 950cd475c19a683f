import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started by `spawn`: its pid and the files its stdout and stderr go to.
struct Spawned {
    let pid: pid_t
    let scratch: URL
    var outPath: String { scratch.appendingPathComponent("out").path }
    var errPath: String { scratch.appendingPathComponent("err").path }

    /// Waits up to `timeout` seconds (then SIGTERM, SIGKILL); exit status (128 + signal if killed), stdout, stderr.
    func wait(timeout: Double = 60) -> (status: Int32, out: String, err: String) {
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(timeout)
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() >= deadline {
                kill(pid, SIGTERM)
                Thread.sleep(forTimeInterval: 1)
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                break
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let signal = status & 0x7f
        let code = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        let out = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data(), as: UTF8.self)
        let err = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data(), as: UTF8.self)
        try? FileManager.default.removeItem(at: scratch)
        return (code, out, err)
    }

    /// True while the child runs.
    var isRunning: Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }
}

/// Starts `argv` (program looked up on PATH) with `environment` added, in `directory`.
///
/// Not Foundation's `Process`: on Linux it learns that a child ended from a socket the child
/// inherits, so it hangs when the child leaves daemons behind (`slurm-local.sh up` does), and
/// children spawned from a test thread can inherit a blocked signal mask (munged and slurmd then
/// ignore `down`'s SIGTERM). posix_spawn with a cleared mask and default handlers, then waitpid.
func spawn(_ argv: [String], environment: [String: String] = [:], in directory: String? = nil) throws -> Spawned {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seem-spawn-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let outPath = dir.appendingPathComponent("out").path, errPath = dir.appendingPathComponent("err").path
    var fullArgv = ["/usr/bin/env"]
    if let directory { fullArgv += ["-C", directory] }
    fullArgv += argv
    let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var none = sigset_t(), all = sigset_t()
    sigemptyset(&none)
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attr, &none)
    posix_spawnattr_setsigdefault(&attr, &all)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    func cStrings(_ a: [String]) -> [UnsafeMutablePointer<CChar>?] { a.map { strdup($0) } + [nil] }
    let cArgv = cStrings(fullArgv), cEnv = cStrings(env)
    defer { (cArgv + cEnv).forEach { free($0) } }
    var pid = pid_t()
    let rc = posix_spawn(&pid, "/usr/bin/env", &actions, &attr, cArgv, cEnv)
    guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
    return Spawned(pid: pid, scratch: dir)
}

/// Runs `argv` to completion (killed after `timeout` seconds): exit status, stdout, stderr.
@discardableResult
func run(_ argv: [String], environment: [String: String] = [:], in directory: String? = nil,
         timeout: Double = 60) throws -> (status: Int32, out: String, err: String) {
    try spawn(argv, environment: environment, in: directory).wait(timeout: timeout)
}
