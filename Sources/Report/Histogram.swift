/// A 1-D histogram drawn as bars: bin i spans [edges[i], edges[i+1]) with height counts[i].
/// Bars with a NaN count are skipped.
public struct Histogram: Sendable {
    /// Bin edges, increasing, data units (count = counts.count + 1).
    public var edges: [Double]
    /// Bar heights (counts, or densities), one per bin.
    public var counts: [Double]
    /// Legend text; nil keeps the bars out of the legend.
    public var label: String?
    /// Bar colour; nil takes the panel's next colour from `Color.cycle`.
    public var color: Color?
    /// Fill opacity in [0, 1]; the outline is drawn opaque.
    public var opacity: Double

    /// Bars of height `counts[i]` over [edges[i], edges[i+1]).
    public init(edges: [Double], counts: [Double], label: String? = nil, color: Color? = nil, opacity: Double = 0.6) {
        precondition(edges.count == counts.count + 1,
                     "Histogram: \(counts.count) bins need \(counts.count + 1) edges, got \(edges.count)")
        self.edges = edges
        self.counts = counts
        self.label = label
        self.color = color
        self.opacity = opacity
    }
}
