import Neighbors
import MDCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The k nearest neighbours of every atom of a periodic structure, as vectors to the neighbours'
/// periodic images, sorted by distance.
///
/// Any box: orthogonal or triclinic at any tilt, and cells so small that an atom meets several
/// images of one neighbour or its own images (a one-atom primitive cell is a valid input). The pair
/// images come from the engine's `NeighborList` (a half list of pair images d = x_i − x_j − h·n).
///
/// **Search radius.** The list is first built with the radius of a sphere that holds 2k atoms at the
/// mean number density; while some atom has fewer than k neighbours within it, the radius grows by
/// half and the list is rebuilt. The k nearest are then exact: every image outside the radius is
/// further than the k found inside it.
///
/// **Determinism.** Neighbours at equal distance keep the list's canonical order (by j, then image),
/// so the result depends on the positions and the box alone.
public struct NearestNeighbors: Sendable {
    /// Neighbours per atom.
    public let k: Int
    /// Vector x_j + h·n − x_i from atom i to its m-th nearest neighbour image, Å, at index i·k + m
    /// (m = 0 the nearest). N·k entries.
    public let vectors: [SIMD3<Double>]
    /// The search radius that held the k nearest neighbours of every atom, Å.
    public let radius: Double

    /// Finds the `k` nearest neighbour images of every atom. nil when the positions cannot be searched
    /// (a position not finite, or a box so thin that the neighbor list refuses it). O(N·k²) after the
    /// list build.
    public init?(positions: [SIMD3<Double>], box: Box, k: Int) {
        precondition(k >= 1 && !positions.isEmpty)
        let n = positions.count
        let density = Double(n) / box.volume
        var radius = cbrt(3 * Double(2 * k) / (4 * Double.pi * density))
        var distanceSq = [Double](repeating: .infinity, count: n * k)
        var vectors = [SIMD3<Double>](repeating: .zero, count: n * k)
        var candidates = [Int](repeating: 0, count: n)
        // A periodic structure always has k images within some finite radius; 30 growths by half
        // (a factor 2·10⁵) cover any box the list accepts.
        for _ in 0..<30 {
            let list = NeighborList(cutoff: radius, skin: 0)
            list.build(positions: positions, box: box)
            guard list.isUsable else { return nil }
            Self.collect(list, positions: positions, box: box, k: k,
                         distanceSq: &distanceSq, vectors: &vectors, candidates: &candidates)
            if candidates.min()! >= k {
                self.k = k
                self.vectors = vectors
                self.radius = radius
                return
            }
            radius *= 1.5
        }
        return nil
    }

    /// Keeps, per atom, the k nearest of the list's pair images (insertion into a sorted run of k) and
    /// counts every candidate. Each half-list entry d = x_i − x_j − h·n is the vector −d from i to j's
    /// image and d from j to i's image (an own image, j = i, gives both).
    private static func collect(_ list: NeighborList, positions: [SIMD3<Double>], box: Box, k: Int,
                                distanceSq: inout [Double], vectors: inout [SIMD3<Double>], candidates: inout [Int]) {
        let n = positions.count
        let shifts = list.images.map { box.translation($0) }
        let x = positions.span, shift = shifts.span
        var r2 = distanceSq.mutableSpan, v = vectors.mutableSpan, found = candidates.mutableSpan
        for i in 0..<(n * k) { r2[i] = .infinity; v[i] = .zero }
        for i in 0..<n { found[i] = 0 }
        // Inserts vector d (|d|² = dd) into atom a's sorted run; equal distances keep arrival order.
        @inline(__always) func insert(_ a: Int, _ d: SIMD3<Double>, _ dd: Double, _ r2: inout MutableSpan<Double>,
                                      _ v: inout MutableSpan<SIMD3<Double>>, _ found: inout MutableSpan<Int>) {
            found[a] += 1
            let base = a * k
            if !(dd < r2[base + k - 1]) { return }
            var m = k - 1
            while m > 0 && dd < r2[base + m - 1] {
                r2[base + m] = r2[base + m - 1]
                v[base + m] = v[base + m - 1]
                m -= 1
            }
            r2[base + m] = dd
            v[base + m] = d
        }
        list.rowStart.withSpan { rowStart in
        list.neighbor.withSpan { neighbor in
        list.imageIndex.withSpan { imageIndex in
            for i in 0..<n {
                for e in Int(rowStart[i])..<Int(rowStart[i + 1]) {
                    let j = Int(neighbor[e])
                    let d = x[i] - x[j] - shift[Int(imageIndex[e])]
                    let dd = (d * d).sum()
                    insert(i, -d, dd, &r2, &v, &found)
                    insert(j, d, dd, &r2, &v, &found)
                }
            }
        }}}
    }
}
