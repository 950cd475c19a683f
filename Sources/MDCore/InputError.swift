#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error with a place: a file, line or key (or a unit of work), what is wrong, and whose it is.
/// Printed as `FILE:LINE: error: reason` (or `FILE: key a.b: error: reason`). Its `kind` decides the
/// exit code of the command that stops on it (README, "Exit codes"):
///
/// - `input` (2): bad input the user fixes — a config key, a potential or data file, an option;
/// - `computation` (1): the computation could not give a valid result — a non-finite energy, an MD
///   blow-up, a minimizer at its limits, a fit the data cannot determine; the message names the unit
///   and step and gives a hint;
/// - `environment` (3): the machine — a full disk, a permission, a read-only directory, a lock.
public struct InputError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Whose problem it is; decides the exit code.
    public enum Kind: String, Sendable, Equatable {
        case input, computation, environment

        /// The process exit code for an error of this kind.
        public var exitCode: Int32 {
            switch self {
            case .computation: return 1
            case .input: return 2
            case .environment: return 3
            }
        }
    }

    /// File (or flag, e.g. `--elements`, or unit directory) the problem is in.
    public var path: String
    /// 1-based line number, when the problem has one.
    public var line: Int?
    /// JSON key path for configuration errors (`aqs.strainStep`).
    public var keyPath: String?
    /// What is wrong, in one sentence.
    public var reason: String
    /// Whose problem it is (bad input unless said otherwise).
    public var kind: Kind

    public init(path: String, line: Int? = nil, keyPath: String? = nil, reason: String, kind: Kind = .input) {
        self.path = path
        self.line = line
        self.keyPath = keyPath
        self.reason = reason
        self.kind = kind
    }

    /// A failure of the machine at `path` (a system call that failed with `errno`).
    public static func environment(path: String, reason: String) -> InputError {
        InputError(path: path, reason: reason, kind: .environment)
    }

    /// A write or create at `path` that failed with `errno` (read right after the call): a path that
    /// names a missing or non-directory parent is bad input (2); a full disk, a quota, a permission or
    /// a read-only file system is the environment (3).
    public static func writeFailure(path: String, reason: String, errno code: Int32) -> InputError {
        InputError(path: path, reason: reason, kind: code == ENOENT || code == ENOTDIR || code == EISDIR ? .input : .environment)
    }

    /// A computation that cannot give a valid result: `path` names the unit (or file), `reason` says
    /// what happened (with the step) and how to get past it.
    public static func computation(path: String, reason: String) -> InputError {
        InputError(path: path, reason: reason, kind: .computation)
    }

    /// The same error with `kind`.
    public func ofKind(_ kind: Kind) -> InputError {
        var e = self
        e.kind = kind
        return e
    }

    public var description: String {
        var s = path
        if let line { s += ":\(line)" }
        if let keyPath { s += ": key \(keyPath)" }
        return s + ": error: " + reason
    }
}

/// The text of the current `errno`.
public func errnoText() -> String { String(cString: strerror(errno)) }
