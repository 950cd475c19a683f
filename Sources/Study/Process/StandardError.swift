import MDCore
#if canImport(Glibc)
import Glibc
#endif

/// Writes one line to standard error.
package func printError(_ line: String) {
    let text = line + "\n"
    writeStandardError(text)
}
