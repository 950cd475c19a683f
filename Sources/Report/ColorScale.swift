#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How heatmap values map to colours, and how the colorbar is labelled.
public struct ColorScale: Hashable, Sendable {
    /// The colour ramp.
    public var colormap: Colormap
    /// Range rule. `.auto` is the data extent, or symmetric about 0 for a diverging colormap.
    public var range: AxisRange
    /// Map log10(value) (for counts spanning decades); values ≤ 0 are then drawn as missing.
    public var logarithmic: Bool
    /// Quantity name for the colorbar, e.g. "Plastic events per 0.1% strain".
    public var label: String
    /// Unit of the colour quantity, nil when dimensionless.
    public var unit: String?
    /// Column name for CSV export; defaults to `label`.
    public var csvName: String?

    /// A colour scale titled `label` (`unit`) using `colormap` over `range`, optionally logarithmic.
    public init(_ label: String, unit: String? = nil, colormap: Colormap = .viridis, range: AxisRange = .auto,
                logarithmic: Bool = false, csvName: String? = nil) {
        self.colormap = colormap
        self.range = range
        self.logarithmic = logarithmic
        self.label = label
        self.unit = unit
        self.csvName = csvName
    }

    /// The colorbar title: "ΔX₁ (eV/atom)".
    public var title: String { Axis(label, unit: unit).title }

    /// The colour-value range [lo, hi] for `values` (finite, and > 0 when logarithmic).
    public func resolvedRange(for values: [Double]) -> (lo: Double, hi: Double) {
        let usable = values.filter { $0.isFinite && (!logarithmic || $0 > 0) }
        if logarithmic {
            if case let .fixed(a, b) = range, a > 0, b > 0 { return (min(a, b), max(a, b)) }
            guard let lo = usable.min(), let hi = usable.max() else { return (1, 10) }
            return hi > lo ? (lo, hi) : (lo / 2, lo * 2)
        }
        let rule: AxisRange = (range == .auto && colormap.isDiverging) ? .symmetric : range
        return rule.resolve(dataMin: usable.min(), dataMax: usable.max(), pads: false)
    }

    /// Position of `value` on the colour ramp, in [0, 1]; nil for values drawn as missing
    /// (NaN, or ≤ 0 on a log scale).
    func fraction(_ value: Double, lo: Double, hi: Double) -> Double? {
        guard value.isFinite else { return nil }
        if logarithmic {
            guard value > 0 else { return nil }
            let a = log10(lo), b = log10(hi)
            return b > a ? min(max((log10(value) - a) / (b - a), 0), 1) : 0.5
        }
        return hi > lo ? min(max((value - lo) / (hi - lo), 0), 1) : 0.5
    }
}
