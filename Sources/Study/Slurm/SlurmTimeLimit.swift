/// A Slurm time limit (`sbatch --time`), validated. Accepted forms, as Slurm documents them:
/// `MM`, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM`, `D-HH:MM:SS` (all fields decimal digits). The
/// leading field may be any size (`90` = 90 minutes, `36:00:00` = 36 hours); every later field must
/// be in range (minutes and seconds 0–59, hours after `D-` 0–23). A zero limit is rejected, since
/// Slurm reads `--time=0` as "no limit".
package struct SlurmTimeLimit: Sendable, Equatable, CustomStringConvertible {
    /// The limit as given, e.g. `1-12:00:00`; this is what goes after `--time=`.
    let text: String
    /// The limit in seconds.
    let seconds: Int

    package var description: String { text }

    package init(_ text: String) throws(SlurmError) {
        func fail(_ why: String) -> SlurmError {
            SlurmError(field: "timeLimit",
                       reason: "'\(text)' is not a Slurm time limit: \(why) (use MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS)")
        }
        func number(_ s: Substring) throws(SlurmError) -> Int {
            guard !s.isEmpty, s.count <= 9, s.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }),
                  let n = Int(s) else { throw fail("'\(s)' is not a whole number") }
            return n
        }
        func bounded(_ s: Substring, _ limit: Int, _ what: String) throws(SlurmError) -> Int {
            let n = try number(s)
            guard n < limit else { throw fail("\(what) must be below \(limit), got \(n)") }
            return n
        }
        guard !text.isEmpty else { throw fail("it is empty") }
        var total: Int
        let dayParts = text.split(separator: "-", omittingEmptySubsequences: false)
        switch dayParts.count {
        case 1:
            let f = text.split(separator: ":", omittingEmptySubsequences: false)
            switch f.count {
            case 1: total = try number(f[0]) * 60                                            // MM
            case 2: total = try number(f[0]) * 60 + bounded(f[1], 60, "seconds")             // MM:SS
            case 3: total = try number(f[0]) * 3600 + bounded(f[1], 60, "minutes") * 60
                + bounded(f[2], 60, "seconds")                                                // HH:MM:SS
            default: throw fail("too many ':' fields")
            }
        case 2:
            let days = try number(dayParts[0])
            let f = dayParts[1].split(separator: ":", omittingEmptySubsequences: false)
            guard f.count <= 3 else { throw fail("too many ':' fields") }
            total = days * 86400 + (try bounded(f[0], 24, "hours")) * 3600                  // D-HH
            if f.count >= 2 { total += try bounded(f[1], 60, "minutes") * 60 }              // D-HH:MM
            if f.count == 3 { total += try bounded(f[2], 60, "seconds") }                    // D-HH:MM:SS
        default:
            throw fail("more than one '-'")
        }
        guard total > 0 else { throw fail("it is zero, which Slurm reads as no limit") }
        self.text = text
        self.seconds = total
    }
}
