/// Levenshtein distance between short names, for "did you mean 'samples_per_rate'?" hints.
package enum EditDistance {
    /// Insertions, deletions and substitutions turning `a` into `b` (case-insensitive). O(|a|·|b|).
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased().unicodeScalars), y = Array(b.lowercased().unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let substitution = previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    /// The candidate nearest to `name`, when it is near enough to be a plausible typo: at most
    /// max(2, ⌊length/3⌋) edits away, or one name a prefix of the other (`timestep` for
    /// `timestep_ps`, a unit left out). Ties go to the earlier candidate.
    static func suggestion(for name: String, among candidates: [String]) -> String? {
        var best: (String, Int)?
        for c in candidates {
            let d = distance(name, c)
            let lowerName = name.lowercased(), lowerC = c.lowercased()
            let prefix = lowerName.count >= 2 && (lowerC.hasPrefix(lowerName) || lowerName.hasPrefix(lowerC))
            guard d <= max(2, min(name.count, c.count) / 3) || prefix else { continue }
            if best == nil || d < best!.1 { best = (c, d) }
        }
        return best?.0
    }
}
