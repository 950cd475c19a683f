import MDCore

/// Adaptive common-neighbour analysis (a-CNA): the local crystal structure of every atom, fcc, hcp,
/// bcc, icosahedral or other (A. Stukowski, Modelling Simul. Mater. Sci. Eng. 20, 045021 (2012);
/// the icosahedral signature as in OVITO's implementation of the method).
///
/// **Method.** Classic CNA looks at the bonds between an atom and its neighbours: for each neighbour j
/// it counts the common neighbours of the centre and j (n_cn), the bonds among those common neighbours
/// (n_b) and the bonds of the largest connected cluster of those bonds (n_lcb). The triples
/// (n_cn, n_b, n_lcb) over all neighbours are the signature of a structure. Instead of one global
/// cutoff, a-CNA sets a cutoff per atom from its own nearest neighbours, so the analysis needs no
/// lattice constant and works for strained crystals and several species alike:
/// - fcc, hcp, icosahedral: the 12 nearest neighbours N_12, r_cut = (1 + √2)/2 · (1/12) Σ_{j≤12} r_j
///   (halfway between the first and second shells of fcc); fcc is 12 × (4,2,1), hcp 6 × (4,2,1) +
///   6 × (4,2,2), icosahedral 12 × (5,5,5);
/// - otherwise bcc: the 14 nearest neighbours, r_cut = (1 + √2)/2 · (1/14)[Σ_{j≤8} (2/√3) r_j +
///   Σ_{9≤j≤14} r_j] (the first shell scaled to the second), bcc is 6 × (4,4,4) + 8 × (6,6,6);
/// - anything else is `other`.
/// Two neighbours are bonded when |r_a − r_b| ≤ r_cut; the centre is bonded to all of its N_12 (N_14).
/// Species are ignored, so B2 (CsCl) is bcc, as in OVITO.
///
/// Cost: one `NearestNeighbors` search (k = 14) and O(14²) work per atom, without allocation per atom.
public enum AdaptiveCommonNeighborAnalysis {
    /// (1 + √2)/2: the local cutoff as a multiple of the mean nearest-neighbour distance.
    static let cutoffFactor = (1 + 2.0.squareRoot()) / 2
    /// 2/√3: scales bcc's first shell (√3/2 a) onto its second (a).
    static let bccFirstShellScale = 2 / 3.0.squareRoot()
    /// Neighbours the analysis looks at: 12 for fcc, hcp and icosahedral, 14 for bcc.
    static let neighborCount = 14

    /// The local structure of every atom of `positions` in the periodic `box`, in atom order. nil when
    /// the positions cannot be searched (see `NearestNeighbors`).
    public static func classify(positions: [SIMD3<Double>], box: Box) -> [LocalStructure]? {
        let k = neighborCount
        guard let neighbors = NearestNeighbors(positions: positions, box: box, k: k) else { return nil }
        var out = [LocalStructure](repeating: .other, count: positions.count)
        var bonds = [UInt32](repeating: 0, count: k)  // scratch: bit b of bonds[a] set = neighbours a, b bonded
        let v = neighbors.vectors.span
        var bondSpan = bonds.mutableSpan
        for i in 0..<out.count {
            out[i] = classify(v.extracting((i * k)..<(i * k + k)), bonds: &bondSpan)
        }
        return out
    }

    /// The counts per class of `positions` in `box` (see `classify`).
    public static func census(positions: [SIMD3<Double>], box: Box) -> StructureCensus? {
        classify(positions: positions, box: box).map(StructureCensus.init)
    }

    /// One atom from the vectors to its 14 nearest neighbours, nearest first.
    static func classify(_ v: Span<SIMD3<Double>>, bonds: inout MutableSpan<UInt32>) -> LocalStructure {
        // fcc, hcp, icosahedral: 12 neighbours, cutoff from their mean distance.
        var mean12 = 0.0
        for m in 0..<12 { mean12 += (v[m] * v[m]).sum().squareRoot() }
        mean12 /= 12
        var cut = cutoffFactor * mean12
        bondNeighbors(v, count: 12, cutoffSq: cut * cut, bonds: &bonds)
        var n421 = 0, n422 = 0, n555 = 0
        for j in 0..<12 {
            switch signature(of: j, bonds: bonds) {
            case (4, 2, 1): n421 += 1
            case (4, 2, 2): n422 += 1
            case (5, 5, 5): n555 += 1
            default: break
            }
        }
        if n421 == 12 { return .fcc }
        if n421 == 6 && n422 == 6 { return .hcp }
        if n555 == 12 { return .icosahedral }

        // bcc: 14 neighbours, the first shell of 8 scaled onto the second shell of 6.
        var mean14 = 0.0
        for m in 0..<8 { mean14 += bccFirstShellScale * (v[m] * v[m]).sum().squareRoot() }
        for m in 8..<14 { mean14 += (v[m] * v[m]).sum().squareRoot() }
        mean14 /= 14
        cut = cutoffFactor * mean14
        bondNeighbors(v, count: 14, cutoffSq: cut * cut, bonds: &bonds)
        var n444 = 0, n666 = 0
        for j in 0..<14 {
            switch signature(of: j, bonds: bonds) {
            case (4, 4, 4): n444 += 1
            case (6, 6, 6): n666 += 1
            default: break
            }
        }
        if n444 == 6 && n666 == 8 { return .bcc }
        return .other
    }

    /// Bond masks among the first `count` neighbours: |v_a − v_b|² ≤ cutoffSq sets bit b of bonds[a]
    /// and bit a of bonds[b].
    @inline(__always)
    static func bondNeighbors(_ v: Span<SIMD3<Double>>, count: Int, cutoffSq: Double,
                              bonds: inout MutableSpan<UInt32>) {
        for a in 0..<count { bonds[a] = 0 }
        for a in 0..<count {
            for b in (a + 1)..<count {
                let d = v[a] - v[b]
                if (d * d).sum() <= cutoffSq {
                    bonds[a] |= 1 << UInt32(b)
                    bonds[b] |= 1 << UInt32(a)
                }
            }
        }
    }

    /// The CNA triple of the pair (centre, neighbour j): common neighbours (every neighbour bonded to j,
    /// since all are bonded to the centre), bonds among them, and bonds in their largest connected
    /// cluster of bonds.
    @inline(__always)
    static func signature(of j: Int, bonds: borrowing MutableSpan<UInt32>) -> (Int, Int, Int) {
        let common = bonds[j]
        let bondCount = bondsWithin(common, bonds: bonds)
        // Clusters: grow each from its lowest common neighbour along bonds within `common`.
        var largest = 0
        var unvisited = common
        while unvisited != 0 {
            var cluster = unvisited & (~unvisited &+ 1)
            var frontier = cluster
            while frontier != 0 {
                let a = frontier.trailingZeroBitCount
                frontier &= frontier - 1
                let reached = bonds[a] & common & ~cluster
                cluster |= reached
                frontier |= reached
            }
            unvisited &= ~cluster
            largest = max(largest, bondsWithin(cluster, bonds: bonds))
        }
        return (common.nonzeroBitCount, bondCount, largest)
    }

    /// Bonds between members of `set` (a bit mask over the neighbours), each counted once.
    @inline(__always)
    static func bondsWithin(_ set: UInt32, bonds: borrowing MutableSpan<UInt32>) -> Int {
        var count = 0
        var rest = set
        while rest != 0 {
            let a = rest.trailingZeroBitCount
            rest &= rest - 1
            count += (bonds[a] & set).nonzeroBitCount
        }
        return count / 2
    }
}
