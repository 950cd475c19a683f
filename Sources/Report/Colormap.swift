/// A colormap: evenly spaced anchor colours, linearly interpolated, mapping t ∈ [0, 1] to a colour.
public struct Colormap: Hashable, Sendable {
    /// Anchor colours at t = 0, 1/(n−1), …, 1 (n ≥ 2).
    public var anchors: [Color]
    /// Diverging maps are centred on zero: heatmaps using one get a symmetric range by default.
    public var isDiverging: Bool

    /// A colormap through `anchors` (at least two), evenly spaced on [0, 1].
    public init(anchors: [Color], isDiverging: Bool = false) {
        precondition(anchors.count >= 2, "a colormap needs at least two anchor colours")
        self.anchors = anchors
        self.isDiverging = isDiverging
    }

    /// The colour at `t`, clamped to [0, 1]; NaN gives the t = 0 colour (callers draw NaN cells
    /// with a separate missing-data colour and never ask).
    public func color(at t: Double) -> Color {
        let s = t.isNaN ? 0 : min(max(t, 0), 1)
        let x = s * Double(anchors.count - 1)
        let i = min(Int(x), anchors.count - 2)
        return anchors[i].mixed(with: anchors[i + 1], fraction: x - Double(i))
    }

    /// Sequential, perceptually uniform, colour-blind safe: matplotlib's viridis sampled at 10
    /// points (dark purple #440154 → yellow #fde725).
    public static let viridis = Colormap(anchors: [
        0x440154, 0x482878, 0x3e4a89, 0x31688e, 0x26828e,
        0x1f9e89, 0x35b779, 0x6dcd59, 0xb4de2c, 0xfde725,
    ].map(Color.init(hex:)))

    /// Diverging blue–white–red (ColorBrewer RdBu reversed, white centre): blue #053061 at 0,
    /// white at 0.5, red #67001f at 1. For signed quantities such as ΔX₁ or Δτ.
    public static let blueWhiteRed = Colormap(anchors: [
        0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xffffff,
        0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b, 0x67001f,
    ].map(Color.init(hex:)), isDiverging: true)
}
