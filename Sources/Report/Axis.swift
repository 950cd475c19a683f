/// How an axis (or a colour scale) chooses its range from the data.
public enum AxisRange: Hashable, Sendable {
    /// Data extent plus 4% padding on each side (lines, points); exact for heatmaps and bars.
    case auto
    /// Exactly the data extent.
    case tight
    /// A fixed range [lower, upper], data units; data outside is clipped.
    case fixed(Double, Double)
    /// [−m, m] with m the largest |value| (padded like `auto`): for signed quantities.
    case symmetric
}

/// A linear axis: what it shows, in which unit, over which range.
public struct Axis: Hashable, Sendable {
    /// Quantity name as printed, e.g. "τ" or "Shear strain γ" (Unicode sub/superscripts welcome).
    public var label: String
    /// Unit as printed, e.g. "GPa", "eV/atom"; nil for dimensionless quantities.
    public var unit: String?
    /// Range rule.
    public var range: AxisRange
    /// Column name for CSV export ("tau"); defaults to `label`. The unit is appended as " [unit]".
    public var csvName: String?
    /// Light grid lines at the major ticks.
    public var grid: Bool

    /// An axis showing `label` in `unit`, ranged by `range`.
    public init(_ label: String, unit: String? = nil, range: AxisRange = .auto, csvName: String? = nil,
                grid: Bool = false) {
        self.label = label
        self.unit = unit
        self.range = range
        self.csvName = csvName
        self.grid = grid
    }

    /// The axis title as drawn: "τ (GPa)", or just the label when dimensionless.
    public var title: String {
        guard let unit, !unit.isEmpty else { return label }
        return "\(label) (\(unit))"
    }

    /// A CSV column header for this axis' quantity, with `qualifier` after the name:
    /// "tau low [GPa]".
    func csvHeader(_ qualifier: String = "") -> String {
        let name = (csvName ?? label) + (qualifier.isEmpty ? "" : " " + qualifier)
        guard let unit, !unit.isEmpty else { return name }
        return "\(name) [\(unit)]"
    }
}

extension AxisRange {
    /// The range [lo, hi] this rule gives for data spanning [dataMin, dataMax] (nil: no data).
    /// `pads` is false for layers that fill their extent (heatmaps). A zero-width result is
    /// widened (0 → [−1, 1], x → x ± 5%|x|) so an axis can always be drawn.
    func resolve(dataMin: Double?, dataMax: Double?, pads: Bool) -> (lo: Double, hi: Double) {
        var lo: Double, hi: Double
        switch self {
        case let .fixed(a, b):
            (lo, hi) = a <= b ? (a, b) : (b, a)
        case .auto, .tight, .symmetric:
            guard let dataMin, let dataMax, dataMin.isFinite, dataMax.isFinite else { return (0, 1) }
            (lo, hi) = (dataMin, dataMax)
            if self == .symmetric {
                let m = max(abs(lo), abs(hi))
                (lo, hi) = (-m, m)
            }
            if self != .tight && pads && hi > lo {
                let pad = 0.04 * (hi - lo)
                (lo, hi) = (lo - pad, hi + pad)
            }
        }
        if !(hi > lo) || !lo.isFinite || !hi.isFinite {
            let c = lo.isFinite ? lo : 0
            let w = c == 0 ? 1 : 0.05 * abs(c)
            (lo, hi) = (c - w, c + w)
        }
        return (lo, hi)
    }
}
