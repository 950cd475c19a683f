/// A periodic triclinic cell in LAMMPS's convention: origin `lo`, edge lengths `lx, ly, lz` and tilts
/// `xy, xz, yz`. The cell matrix is upper triangular,
///
///     h = [[lx, xy, xz],
///          [ 0, ly, yz],
///          [ 0,  0, lz]]
///
/// with lattice vectors a = (lx,0,0), b = (xy,ly,0), c = (xz,yz,lz) as its columns. Any tilt is
/// allowed (no LAMMPS skew limit): the neighbor list works on a reduced basis of the same lattice.
public struct Box: Sendable, Equatable, Codable {
    /// Lower corner (xlo, ylo, zlo), Å.
    public var lo: SIMD3<Double>
    /// Edge lengths, Å.
    public var lx: Double, ly: Double, lz: Double
    /// Tilt factors, Å.
    public var xy: Double, xz: Double, yz: Double

    public init(lo: SIMD3<Double> = .zero, lx: Double, ly: Double, lz: Double,
                xy: Double = 0, xz: Double = 0, yz: Double = 0) {
        self.lo = lo
        self.lx = lx; self.ly = ly; self.lz = lz
        self.xy = xy; self.xz = xz; self.yz = yz
    }

    /// A cube of edge `edge` Å at the origin.
    public static func cube(_ edge: Double) -> Box { Box(lx: edge, ly: edge, lz: edge) }

    /// Upper corner of the orthogonal bounding extent as LAMMPS writes it (xhi = xlo + lx, …).
    public var hi: SIMD3<Double> { lo + SIMD3(lx, ly, lz) }
    /// True when any tilt factor is non-zero.
    public var isTriclinic: Bool { xy != 0 || xz != 0 || yz != 0 }
    /// Volume, Å³ (det h = lx·ly·lz, as LAMMPS computes it).
    public var volume: Double { lx * ly * lz }

    /// Lattice vectors a, b, c (columns of h).
    public var a: SIMD3<Double> { SIMD3(lx, 0, 0) }
    public var b: SIMD3<Double> { SIMD3(xy, ly, 0) }
    public var c: SIMD3<Double> { SIMD3(xz, yz, lz) }

    /// True when every edge is positive and every number finite.
    public var isValid: Bool {
        let all = [lo.x, lo.y, lo.z, lx, ly, lz, xy, xz, yz]
        return all.allSatisfy { $0.isFinite } && lx > 0 && ly > 0 && lz > 0
    }

    /// h·n for integer image n: the lattice translation of image n, Å.
    @inlinable
    public func translation(_ n: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(lx * n.x + xy * n.y + xz * n.z, ly * n.y + yz * n.z, lz * n.z)
    }

    /// Fractional coordinates s = h⁻¹(x − lo), by back substitution.
    @inlinable
    public func fractional(_ x: SIMD3<Double>) -> SIMD3<Double> {
        let d = x - lo
        let sz = d.z / lz
        let sy = (d.y - yz * sz) / ly
        let sx = (d.x - xy * sy - xz * sz) / lx
        return SIMD3(sx, sy, sz)
    }

    /// Cartesian position lo + h·s of fractional coordinates s.
    @inlinable
    public func cartesian(_ s: SIMD3<Double>) -> SIMD3<Double> { lo + translation(s) }

    /// Position x wrapped into the cell [0,1)³ in fractional coordinates, with the image it came
    /// from (x = wrapped + h·image).
    public func wrap(_ x: SIMD3<Double>) -> (position: SIMD3<Double>, image: SIMD3<Int32>) {
        let s = fractional(x)
        let n = SIMD3<Double>(s.x.rounded(.down), s.y.rounded(.down), s.z.rounded(.down))
        if n == .zero { return (x, .zero) }
        return (x - translation(n), SIMD3<Int32>(Int32(n.x), Int32(n.y), Int32(n.z)))
    }

    /// Affine map of a position from this box to `target` (x' = h'·h⁻¹·(x − lo) + lo'), the
    /// `change_box … remap` of LAMMPS.
    public func remap(_ x: SIMD3<Double>, to target: Box) -> SIMD3<Double> {
        target.cartesian(fractional(x))
    }
}
