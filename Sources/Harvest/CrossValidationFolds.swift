/// k-fold cross-validation over samples, stratified by cooling rate: every sample is held out in
/// exactly one fold, and the database of fold f is built from the samples of the other folds.
///
/// The samples of each rate are shuffled as `TrainTestSplit` shuffles them (sorted ids, seeded
/// Fisher–Yates per rate) and dealt round-robin to the folds, one counter running on across the rates
/// (ascending), so folds differ in size by at most one sample overall and per rate. The result depends
/// only on the ids, rates, fold count and seed — not on the order the samples are given in.
public enum CrossValidationFolds {
    /// The fold (0 ..< `folds`) of each sample. `folds` ≥ 2.
    public static func assign(ids: [String], coolingRates: [Double?], folds: Int, seed: UInt64) -> [Int] {
        precondition(folds >= 2, "cross-validation needs at least 2 folds")
        var fold = [Int](repeating: 0, count: ids.count)
        var dealt = 0
        for members in TrainTestSplit.shuffledByRate(ids: ids, coolingRates: coolingRates, seed: seed) {
            for i in members { fold[i] = dealt % folds; dealt += 1 }
        }
        return fold
    }
}
