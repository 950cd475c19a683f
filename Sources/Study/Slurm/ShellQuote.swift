/// Quotes `word` for bash so that it reaches the command as one argument, unchanged.
/// Words made only of `A–Z a–z 0–9 _ @ % + = : , . / -` (and not empty) are returned as they are;
/// everything else is put in single quotes, with each `'` written as `'\''`. Newlines and other
/// control characters are safe inside single quotes.
func shellQuote(_ word: String) -> String {
    if !word.isEmpty, word.unicodeScalars.allSatisfy(isShellSafe) { return word }
    return "'" + word.replacingAll("'", with: #"'\''"#) + "'"
}

/// The command line `words` as bash would need it typed: each word quoted by `shellQuote`.
package func shellJoin(_ words: [String]) -> String {
    words.map(shellQuote).joined(separator: " ")
}

private func isShellSafe(_ c: Unicode.Scalar) -> Bool {
    switch c {
    case "a"..."z", "A"..."Z", "0"..."9": return true
    case "_", "@", "%", "+", "=", ":", ",", ".", "/", "-": return true
    default: return false
    }
}

/// Quotes an option value for an `#SBATCH` line. sbatch does not use the shell there: it splits the
/// line at blanks except inside double quotes, takes `\x` as a literal `x`, and treats an unescaped
/// `#` as the start of a comment. So the value goes in double quotes with `\`, `"` and `#` escaped.
/// Measured on slurm 22.05: spaces, `'`, `"` and `#` survive. Newlines cannot be written at all
/// (`SlurmPlan` rejects them before calling this).
func sbatchDirectiveQuote(_ value: String) -> String {
    if !value.isEmpty, value.unicodeScalars.allSatisfy(isShellSafe) { return value }
    var out = "\""
    for c in value {
        if c == "\\" || c == "\"" || c == "#" { out.append("\\") }
        out.append(c)
    }
    return out + "\""
}

extension String {
    /// `self` with every occurrence of `target` replaced (no Foundation needed).
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(count)
        for c in self {
            if c == target { out += replacement } else { out.append(c) }
        }
        return out
    }
}
