import MDCore

/// Checks of a group of SEEM ensembles against AQS beyond the mean curves (one cooling rate and split):
///
/// - **Stress drops.** Drop size −Δτ (GPa) of every AQS event of the group's samples (the harvested
///   events' total τ change over their step) against every SEEM event step (`stressChanges`). Two-sample
///   KS D with a 95 % percentile interval from `bootstrapReplicas` draws of whole samples.
/// - **Peak stresses.** Each AQS sample's max τ against each SEEM run's max τ: means, standard deviations,
///   KS D with the same bootstrap over samples.
/// - **Coverage.** Per sample, the fraction of its AQS τ(γ) points inside the 5–95 % band of the SEEM runs
///   started from its own state, averaged over the samples (≈ 0.9 for a calibrated model).
/// - **Grid.** The fraction of SEEM steps begun outside the harvested grid and in never-visited bins.
///
/// SEEM distributions use each sample's first min(K, `SEEMEnsembleRunner.distributionRuns`) runs; drops
/// are NaN where the AQS events of a sample are unknown (held-out samples without cross-validation:
/// the database stores only its training samples' events).
public struct SEEMValidation: Sendable, Equatable {
    /// Bootstrap replicas of every interval (fixed, so results do not depend on anything else).
    public static let bootstrapReplicas = 1000

    public var dropsAQS = 0, dropsSEEM = 0
    /// Mean drop size −Δτ, GPa.
    public var meanDropAQS = Double.nan, meanDropSEEM = Double.nan
    public var dropKS = KolmogorovSmirnov.Interval.none
    /// Peak τ across AQS samples and across SEEM runs, GPa (sample standard deviations).
    public var peakMeanAQS = Double.nan, peakStdAQS = Double.nan, peakMeanSEEM = Double.nan, peakStdSEEM = Double.nan
    public var peakKS = KolmogorovSmirnov.Interval.none
    /// Mean over samples of the 5–95 % band coverage of the sample's AQS τ(γ), and the samples averaged.
    public var coverage = Double.nan
    public var coverageSamples = 0
    /// Steps begun outside the grid and in never-visited bins, as fractions of all steps of the group's runs.
    public var outOfGridStepFraction = Double.nan, unvisitedBinStepFraction = Double.nan

    public init() {}

    /// The checks of `ensembles` against `curves` (same order); bootstrap streams from `seed` and a tag
    /// of the group (its rate and split), so every group draws its own numbers.
    public init(ensembles: [SEEMSampleEnsemble], curves: [AQSCurve], coolingRate: Double?, split: String, seed: UInt64) {
        precondition(ensembles.count == curves.count)
        var tag = FNV1a64()
        tag.combine(split)
        let rate = coolingRate?.bitPattern ?? 0
        let points = curves.first?.tau.count ?? 0

        // Stress drops (sizes −Δτ), per sample; the AQS side only where every sample's events are known.
        let seem = ensembles.map { $0.stressChanges.map { -$0 } }
        dropsSEEM = seem.reduce(0) { $0 + $1.count }
        meanDropSEEM = Self.mean(seem.flatMap { $0 })
        if curves.allSatisfy({ $0.stressChanges != nil }) {
            let aqs = curves.map { $0.stressChanges!.map { -$0 } }
            dropsAQS = aqs.reduce(0) { $0 + $1.count }
            meanDropAQS = Self.mean(aqs.flatMap { $0 })
            dropKS = KolmogorovSmirnov.bootstrap(a: aqs, b: seem, replicas: Self.bootstrapReplicas, seed: seed,
                                                 stream: [0x6472_6f70, rate, tag.value])  // "drop"
        }

        // Peak stresses: one per AQS sample, one per kept SEEM run.
        let aqsPeaks = curves.map { [$0.peakStress] }
        let seemPeaks = ensembles.map { $0.counters.prefix(SEEMEnsembleRunner.distributionRuns).map(\.peakStress) }
        (peakMeanAQS, peakStdAQS) = Self.meanStd(aqsPeaks.flatMap { $0 })
        (peakMeanSEEM, peakStdSEEM) = Self.meanStd(seemPeaks.flatMap { $0 })
        peakKS = KolmogorovSmirnov.bootstrap(a: aqsPeaks, b: seemPeaks, replicas: Self.bootstrapReplicas, seed: seed,
                                             stream: [0x7065_616b, rate, tag.value])  // "peak"

        // Coverage of each sample's AQS curve by its own runs' band.
        var sum = 0.0
        for (e, c) in zip(ensembles, curves) where points > 0 {
            let f = BandCoverage.fraction(runs: e.tauRuns, points: points, reference: c.tau)
            if f.isFinite { sum += f; coverageSamples += 1 }
        }
        if coverageSamples > 0 { coverage = sum / Double(coverageSamples) }

        let steps = ensembles.reduce(0) { $0 + $1.steps }
        if steps > 0 {
            outOfGridStepFraction = Double(ensembles.reduce(0) { $0 + $1.outOfGridSteps }) / Double(steps)
            unvisitedBinStepFraction = Double(ensembles.reduce(0) { $0 + $1.rateFallbackSteps }) / Double(steps)
        }
    }

    static func mean(_ xs: [Double]) -> Double { xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count) }

    static func meanStd(_ xs: [Double]) -> (Double, Double) {
        let m = mean(xs)
        guard xs.count > 1 else { return (m, .nan) }
        return (m, (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)).squareRoot())
    }

    static func json(_ k: KolmogorovSmirnov.Interval) -> JSONValue {
        .object([("D", .number(k.d)), ("D_95_low", .number(k.low)), ("D_95_high", .number(k.high)),
                 ("bootstrap_replicas", .number(k.replicas)), ("bootstrap_replicas_used", .number(k.usedReplicas))])
    }

    /// The checks as JSON, units in the keys (NaN as null).
    public var json: JSONValue {
        .object([
            ("stress_drops", .object([("aqs_count", .number(dropsAQS)), ("seem_count", .number(dropsSEEM)),
                                      ("aqs_mean_GPa", .number(meanDropAQS)), ("seem_mean_GPa", .number(meanDropSEEM)),
                                      ("ks", Self.json(dropKS))])),
            ("peak_stress", .object([("aqs_mean_GPa", .number(peakMeanAQS)), ("aqs_std_GPa", .number(peakStdAQS)),
                                     ("seem_mean_GPa", .number(peakMeanSEEM)), ("seem_std_GPa", .number(peakStdSEEM)),
                                     ("ks", Self.json(peakKS))])),
            ("coverage_5_95", .number(coverage)), ("coverage_samples", .number(coverageSamples)),
            ("out_of_grid_step_fraction", .number(outOfGridStepFraction)),
            ("unvisited_bin_step_fraction", .number(unvisitedBinStepFraction)),
        ])
    }

    /// Column names of `csvFields`, in order.
    public static let csvHeader = [
        "drops_aqs", "drops_seem", "drop_mean_aqs_GPa", "drop_mean_seem_GPa", "drop_ks_D", "drop_ks_D_95_low",
        "drop_ks_D_95_high", "peak_mean_aqs_GPa", "peak_std_aqs_GPa", "peak_mean_seem_GPa", "peak_std_seem_GPa",
        "peak_ks_D", "peak_ks_D_95_low", "peak_ks_D_95_high", "coverage_5_95", "coverage_samples",
        "out_of_grid_step_fraction", "unvisited_bin_step_fraction",
    ]

    /// The values of `csvHeader` as CSV fields (NaN → empty).
    public var csvFields: [String] {
        [String(dropsAQS), String(dropsSEEM)]
            + [meanDropAQS, meanDropSEEM, dropKS.d, dropKS.low, dropKS.high, peakMeanAQS, peakStdAQS, peakMeanSEEM,
               peakStdSEEM, peakKS.d, peakKS.low, peakKS.high, coverage].map(csvNumber)
            + [String(coverageSamples)] + [outOfGridStepFraction, unvisitedBinStepFraction].map(csvNumber)
    }
}
