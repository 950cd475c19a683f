#if canImport(Glibc)
import Glibc
#endif

/// Writes one line to standard error.
package func printError(_ line: String) {
    let text = line + "\n"
    _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
}
