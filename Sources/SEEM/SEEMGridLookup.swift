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
        axes = grid.axes.count
    }

    /// Number of axes in use.
    @usableFromInline var axes: Int

    /// Flat bin of `s` (finite lanes). Per axis: one divide, two compares, one truncation (scalar: the
    /// generic SIMD rounding conversion is not specialised into vector code on baseline x86-64).
    @inlinable @inline(__always)
    func bin(_ s: SIMD4<Double>) -> Int {
        var index = 0
        for a in 0..<axes {
            var t = (s[a] - lower[a]) / range[a] * bins[a]
            t = t < 0 ? 0 : t
            t = t > top[a] ? top[a] : t
            index &+= Int(t) &* stride[a]
        }
        return index
    }

    /// Flat bin of `s`, as `bin(_:)`, adding 1 to `outside` when `s` lies beyond the grid on any axis
    /// (below its min or above its max: the state is clamped into an edge bin, where the harvest has
    /// no data for it). The grid's max itself is inside, as the largest training state lies there.
    @inlinable @inline(__always)
    func bin(_ s: SIMD4<Double>, outside: inout Int) -> Int {
        var index = 0, beyond = 0
        for a in 0..<axes {
            var t = (s[a] - lower[a]) / range[a] * bins[a]
            if t < 0 || t > bins[a] { beyond = 1 }
            t = t < 0 ? 0 : t
            t = t > top[a] ? top[a] : t
            index &+= Int(t) &* stride[a]
        }
        outside &+= beyond
        return index
    }
}
