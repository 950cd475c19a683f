import MDCore

/// Perfect crystals for the structure tests: a conventional cell's basis replicated n×n×n (or a
/// primitive cell), optionally jittered by a seeded uniform displacement.
enum Lattices {
    /// Fractional basis of the cubic conventional cells.
    static let fccBasis: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(0.5, 0.5, 0), SIMD3(0.5, 0, 0.5), SIMD3(0, 0.5, 0.5)]
    static let bccBasis: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(0.5, 0.5, 0.5)]

    /// A cubic crystal of lattice constant `a` Å with `basis` (fractional), `n` cells a side; types
    /// alternate over the basis when `twoSpecies` (B2 from the bcc basis).
    static func cubic(_ basis: [SIMD3<Double>], a: Double, n: Int, twoSpecies: Bool = false) -> Structure {
        var x: [SIMD3<Double>] = [], t: [Int32] = []
        for i in 0..<n { for j in 0..<n { for k in 0..<n {
            for (b, f) in basis.enumerated() {
                x.append(a * (SIMD3(Double(i), Double(j), Double(k)) + f))
                t.append(twoSpecies ? Int32(b % 2 + 1) : 1)
            }
        }}}
        return structure(Box.cube(a * Double(n)), x, types: t)
    }

    /// Ideal hcp (c/a = √(8/3)) of nearest-neighbour distance `a` in an orthogonal cell of 4 atoms
    /// (a × √3a × c) replicated n×n×n.
    static func hcp(a: Double, n: Int) -> Structure {
        let c = a * (8.0 / 3.0).squareRoot(), b = a * 3.0.squareRoot()
        let basis: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(0.5, 0.5, 0), SIMD3(0.5, 5.0 / 6.0, 0.5), SIMD3(0, 1.0 / 3.0, 0.5)]
        var x: [SIMD3<Double>] = []
        for i in 0..<n { for j in 0..<n { for k in 0..<n {
            for f in basis { x.append(SIMD3(a, b, c) * (SIMD3(Double(i), Double(j), Double(k)) + f)) }
        }}}
        return structure(Box(lx: a * Double(n), ly: b * Double(n), lz: c * Double(n)), x)
    }

    /// The one-atom primitive cell of fcc (lattice constant `a`) as a LAMMPS triclinic box: every
    /// neighbour is an image of the atom itself.
    static func fccPrimitive(a: Double) -> Structure {
        let d = a / 2.0.squareRoot()   // the primitive vectors have length a/√2 and 60° between them
        let box = Box(lx: d, ly: d * 3.0.squareRoot() / 2, lz: d * (2.0 / 3.0).squareRoot(),
                      xy: d / 2, xz: d / 2, yz: d / (2 * 3.0.squareRoot()))
        return structure(box, [SIMD3(0.1, 0.2, 0.3)])
    }

    /// The one-atom primitive cell of bcc (lattice constant `a`): vectors a/2·(±1, ±1, ±1) brought to
    /// LAMMPS's upper-triangular form (|A| = |B| = |C| = √3a/2, cos = −1/3).
    static func bccPrimitive(a: Double) -> Structure {
        let l = a * 3.0.squareRoot() / 2, cosine = -1.0 / 3.0
        let xy = l * cosine, ly = (l * l - xy * xy).squareRoot()
        let xz = l * cosine, yz = (l * l * cosine - xy * xz) / ly
        let lz = (l * l - xz * xz - yz * yz).squareRoot()
        return structure(Box(lx: l, ly: ly, lz: lz, xy: xy, xz: xz, yz: yz), [SIMD3(0, 0, 0)])
    }

    /// A 13-atom icosahedron (centre first, neighbours at `r` Å) alone in a cube of edge `edge`.
    static func icosahedron(r: Double, edge: Double) -> Structure {
        let g = (1 + 5.0.squareRoot()) / 2
        var x: [SIMD3<Double>] = [SIMD3(repeating: edge / 2)]
        let scale = r / (1 + g * g).squareRoot()
        for s1 in [-1.0, 1.0] { for s2 in [-1.0, 1.0] {
            x.append(SIMD3(repeating: edge / 2) + scale * SIMD3(0, s1, s2 * g))
            x.append(SIMD3(repeating: edge / 2) + scale * SIMD3(s1, s2 * g, 0))
            x.append(SIMD3(repeating: edge / 2) + scale * SIMD3(s2 * g, 0, s1))
        }}
        return structure(Box.cube(edge), x)
    }

    /// Every position moved by a seeded uniform displacement of up to `amplitude` Å per component.
    static func jittered(_ s: Structure, amplitude: Double, seed: UInt64) -> Structure {
        var rng = SeededRandom(seed: seed)
        var out = s
        for i in 0..<out.count {
            out.positions[i] += amplitude * SIMD3(2 * rng.uniform() - 1, 2 * rng.uniform() - 1, 2 * rng.uniform() - 1)
        }
        return out
    }

    static func structure(_ box: Box, _ x: [SIMD3<Double>], types: [Int32]? = nil) -> Structure {
        let t = types ?? [Int32](repeating: 1, count: x.count)
        return Structure(box: box, typeCount: Int(t.max()!), ids: Array(1...x.count), types: t, positions: x)
    }
}
