import Harvest

/// Flat bin index of a state vector (up to four variables in the lanes of a SIMD4), with exactly the
/// arithmetic of `StateGrid.bin` — k = ⌊(x − min)/(max − min)·bins⌋ clamped to [0, bins − 1] — so SEEM
/// and Harvest put a state in the same bin. Unused lanes have min 0, range 1, bins 1, stride 0.
@usableFromInline
struct SEEMGridLookup: Sendable, Equatable {
    @usableFromInline var lower: SIMD4<Double>
    @usableFromInline var range: SIMD4<Double>
    @usableFromInline var bins: SIMD4<Double>
    /// bins − ½: the largest index after truncation is bins − 1.
    @usableFromInline var top: SIMD4<Double>
    @usableFromInline var stride: SIMD4<Int>

    init(_ grid: StateGrid) {
        precondition(grid.axes.count <= 4)
        lower = .zero; range = .one; bins = .one; stride = .zero
        var s = 1
        for a in Swift.stride(from: grid.axes.count - 1, through: 0, by: -1) {
            let axis = grid.axes[a]
            lower[a] = axis.min; range[a] = axis.max - axis.min; bins[a] = Double(axis.bins); self.stride[a] = s
            s *= axis.bins
        }
        top = bins - 0.5
    }

    /// Flat bin of `s` (finite lanes). Cost: one SIMD divide, two compares, four truncations.
    @inlinable @inline(__always)
    func bin(_ s: SIMD4<Double>) -> Int {
        var t = (s - lower) / range * bins
        t.replace(with: 0, where: t .< 0)
        t.replace(with: top, where: t .> top)
        let k = SIMD4<Int>(t, rounding: .towardZero)
        return (k &* stride).wrappedSum()
    }
}
