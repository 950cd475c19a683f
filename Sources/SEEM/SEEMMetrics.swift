import MDCore

/// How well a SEEM mean curve follows the AQS mean curve over a group of samples (paper Figs. 4–5).
///
/// RMS differences are over the output points where the AQS curve exists. τ is normalised by the AQS
/// flow stress (mean of the AQS mean τ over γ ≥ the steady-state strain), X1 by the range (max − min)
/// of the AQS mean X1 curve. Peaks: the maxima of the two mean curves, and the mean of the individual
/// trajectories' maxima (each SEEM run's peak over all its steps; each AQS sample's over its history).
/// X1 entries are NaN for a database without X1.
public struct SEEMMetrics: Sendable, Equatable {
    public var comparedPoints = 0
    /// Steady-state window start γ, and the means over it: τ (GPa; the AQS one is the flow stress), X1.
    public var steadyStateFrom = 0.0
    public var flowStressAQS = Double.nan, flowStressSEEM = Double.nan
    public var steadyX1AQS = Double.nan, steadyX1SEEM = Double.nan
    /// RMS(τ̄_SEEM − τ̄_AQS), GPa, and divided by the AQS flow stress.
    public var rmsTau = Double.nan, rmsTauRelative = Double.nan
    /// RMS(X̄1_SEEM − X̄1_AQS), eV/atom; the AQS X1 range; their ratio.
    public var rmsX1 = Double.nan, x1RangeAQS = Double.nan, rmsX1Relative = Double.nan
    /// Peak stress of the mean curves, GPa.
    public var peakMeanCurveSEEM = Double.nan, peakMeanCurveAQS = Double.nan
    /// Mean of the per-trajectory peak stresses, GPa.
    public var peakPerTrajectorySEEM = Double.nan, peakPerTrajectoryAQS = Double.nan
    /// Mean events per SEEM run.
    public var eventsPerRun = Double.nan

    public init() {}

    /// The metrics as JSON, units in the keys.
    public var json: JSONValue {
        .object([("compared_points", .number(comparedPoints)), ("steady_state_from_strain", .number(steadyStateFrom)),
                 ("flow_stress_aqs_GPa", .number(flowStressAQS)), ("flow_stress_seem_GPa", .number(flowStressSEEM)),
                 ("steady_X1_aqs_eV_per_atom", .number(steadyX1AQS)), ("steady_X1_seem_eV_per_atom", .number(steadyX1SEEM)),
                 ("rms_tau_GPa", .number(rmsTau)), ("rms_tau_over_flow_stress", .number(rmsTauRelative)),
                 ("rms_X1_eV_per_atom", .number(rmsX1)), ("X1_range_aqs_eV_per_atom", .number(x1RangeAQS)),
                 ("rms_X1_over_X1_range", .number(rmsX1Relative)),
                 ("peak_tau_mean_curve_seem_GPa", .number(peakMeanCurveSEEM)),
                 ("peak_tau_mean_curve_aqs_GPa", .number(peakMeanCurveAQS)),
                 ("peak_tau_per_trajectory_seem_GPa", .number(peakPerTrajectorySEEM)),
                 ("peak_tau_per_trajectory_aqs_GPa", .number(peakPerTrajectoryAQS)),
                 ("events_per_run", .number(eventsPerRun))])
    }

    /// Column names of `csvFields`, in order.
    public static let csvHeader = [
        "compared_points", "flow_stress_aqs_GPa", "flow_stress_seem_GPa", "steady_X1_aqs_eV_per_atom",
        "steady_X1_seem_eV_per_atom", "rms_tau_GPa", "rms_tau_over_flow_stress", "rms_X1_eV_per_atom",
        "X1_range_aqs_eV_per_atom", "rms_X1_over_X1_range", "peak_tau_mean_curve_seem_GPa", "peak_tau_mean_curve_aqs_GPa",
        "peak_tau_per_trajectory_seem_GPa", "peak_tau_per_trajectory_aqs_GPa", "events_per_run",
    ]

    /// The values of `csvHeader` as CSV fields (NaN → empty).
    public var csvFields: [String] {
        [String(comparedPoints)] + [flowStressAQS, flowStressSEEM, steadyX1AQS, steadyX1SEEM, rmsTau, rmsTauRelative,
                                    rmsX1, x1RangeAQS, rmsX1Relative, peakMeanCurveSEEM, peakMeanCurveAQS,
                                    peakPerTrajectorySEEM, peakPerTrajectoryAQS, eventsPerRun].map(csvNumber)
    }
}

/// A CSV field: shortest round-trip text, empty for NaN or infinity.
@usableFromInline
func csvNumber(_ x: Double) -> String { x.isFinite ? roundTrip(x) : "" }
