import MDCore

/// Deterministic train/test split, stratified by cooling rate.
///
/// Within each cooling rate (samples without one form their own group) the sample ids are sorted, shuffled
/// by a Fisher–Yates pass driven by `SeededRandom(seed:, stream: [rate bit pattern])`, and the first
/// round(fraction·n) become "test" (at most n − 1, so every rate keeps a training sample). The result
/// depends only on the ids, rates, fraction and seed — not on the order the samples are given in.
public enum TrainTestSplit {
    public static func assign(ids: [String], coolingRates: [Double?], heldOutFraction: Double, seed: UInt64) -> [String] {
        precondition(ids.count == coolingRates.count)
        var split = [String](repeating: "train", count: ids.count)
        guard heldOutFraction > 0 else { return split }
        for members in shuffledByRate(ids: ids, coolingRates: coolingRates, seed: seed) {
            let n = members.count
            let test = min(Int((heldOutFraction * Double(n)).rounded()), n - 1)
            for i in members.prefix(max(test, 0)) { split[i] = "test" }
        }
        return split
    }

    /// The sample indices grouped by cooling rate (groups in ascending order of the rate's bit pattern),
    /// each group sorted by id and then shuffled by `SeededRandom(seed:, stream: [rate bit pattern])`.
    /// Depends only on the ids, rates and seed, not on the order they are given in.
    public static func shuffledByRate(ids: [String], coolingRates: [Double?], seed: UInt64) -> [[Int]] {
        precondition(ids.count == coolingRates.count)
        var groups: [UInt64: [Int]] = [:]
        for (i, r) in coolingRates.enumerated() { groups[r?.bitPattern ?? 0, default: []].append(i) }
        return groups.keys.sorted().map { key in
            var members = groups[key]!.sorted { ids[$0] < ids[$1] }
            var rng = SeededRandom(seed: seed, stream: [key])
            if members.count > 1 {
                for i in stride(from: members.count - 1, to: 0, by: -1) {
                    let j = Int(rng.uniform() * Double(i + 1))
                    members.swapAt(i, min(j, i))
                }
            }
            return members
        }
    }
}
