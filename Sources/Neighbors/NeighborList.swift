import MDCore

/// A Verlet half list of periodic pair images, built by binning atoms in a reduced cell.
///
/// Each entry is one unordered pair of atoms *and* one lattice image: the displacement is
/// `d = x_i − x_j − h·n` with integer image `n`, so boxes narrower than twice the cutoff (where
/// several images of one neighbor are in range, or an atom sees its own images) are handled exactly.
/// The list holds every pair image with |d| < cutoff + skin at build time.
///
/// **Any tilt.** Binning uses a Lagrange-reduced basis of the same lattice (b' = b − k·a, c' = c − …),
/// so a box sheared to xy = 0.5·ly or far beyond bins as well as a cube and never flips.
///
/// **When to rebuild.** With F = h·h₀⁻¹ the deformation since the build and u_i = x_i − F·x_i⁰ the
/// non-affine displacement, every pair obeys d = F·d₀ + u_i − u_j, so |d| ≥ σ_min(F)|d₀| − 2 max|u − c|
/// for any vector c. Pairs left out had |d₀| ≥ cutoff + skin; they stay out of range while
/// (1 − ‖F − I‖_F)(cutoff + skin) − 2 max|u − c| > cutoff, with c the centre of the displacements'
/// bounding box. For F = I and no drift this is LAMMPS's half-skin rule, and it stays exact under
/// shear, any box change and a drift of the whole system.
///
/// **Halves.** Pair {i, j} is stored in the row of i when (i < j) equals (i + j even): rows are
/// balanced for threads.
///
/// **Per type pair.** With `setPairCutoffs`, a pair of types (a, b) is listed within its own
/// cutoff c_ab + skin (c_ab ≤ cutoff): an EAM potential whose Cu–Cu functions end at 6 Å needs no
/// Cu–Cu pairs out to 7.6. The rebuild test above, written for the largest cutoff, covers every c_ab.
///
/// **Canonical order.** Each row is sorted by (j, image), so the entries within the cutoff, and
/// hence every sum an evaluation forms, come in an order fixed by the positions and the box alone:
/// an evaluation gives the same bits whenever and from wherever the list was last rebuilt.
public final class NeighborList {
    /// Interaction cutoff and skin, Å.
    public let cutoff: Double
    public let skin: Double

    /// CSR rows: entries of atom i are `rowStart[i] ..< rowStart[i+1]`.
    public let rowStart = Buffer<Int32>([0])
    /// Second atom of each entry.
    public let neighbor = Buffer<Int32>([])
    /// Index into `images` of each entry's lattice image (in the box's own a, b, c basis).
    public let imageIndex = Buffer<Int32>([])
    /// Distinct integer images n used by the list (stored as Double for h·n).
    public private(set) var images: [SIMD3<Double>] = []
    /// 0-based atom types and the per-type-pair cutoffs `[a·typeCount + b]` (see `setPairCutoffs`);
    /// empty: every pair uses `cutoff`.
    public private(set) var atomTypes: [Int32] = []
    public private(set) var pairCutoffs: [Double] = []
    public private(set) var typeCount = 1

    /// Positions and box at the last build (the reference of the rebuild test).
    public private(set) var referencePositions: [SIMD3<Double>] = []
    public private(set) var referenceBox: Box?
    /// Number of builds so far.
    public private(set) var buildCount = 0
    /// Smallest pair distance found at the last build, Å, and the atoms (indices) involved.
    public private(set) var closestPair: (distance: Double, i: Int, j: Int) = (.infinity, -1, -1)

    /// Longest row at the last build.
    public private(set) var maxRowLength = 0
    /// Number of stored pair images.
    public var entryCount: Int { neighbor.count }

    /// The skin every command and config uses unless told otherwise, Å: 1 Å keeps rebuilds rare in a
    /// 4000-atom glass at 1 fs (README, "Where the time goes"); results never depend on it.
    public static let defaultSkin = 1.0

    public init(cutoff: Double, skin: Double) {
        precondition(cutoff > 0 && skin >= 0)
        self.cutoff = cutoff
        self.skin = skin
    }

    /// Lists a pair of types (a, b) only within `cutoffs[a·typeCount + b] + skin` (each ≤ `cutoff`,
    /// symmetric). `types` are the atoms' 0-based types. Takes effect at the next build.
    public func setPairCutoffs(types: [Int32], typeCount: Int, cutoffs: [Double]) {
        precondition(cutoffs.count == typeCount * typeCount && types.allSatisfy { $0 >= 0 && Int($0) < typeCount })
        precondition(cutoffs.allSatisfy { $0 > 0 && $0 <= cutoff })
        atomTypes = types
        self.typeCount = typeCount
        pairCutoffs = cutoffs
        referenceBox = nil  // force a rebuild
    }

    /// True when the list built for the reference state may miss a pair within `cutoff` at the
    /// given positions and box (see the type's documentation).
    public func needsRebuild(positions x: Span<SIMD3<Double>>, box: Box) -> Bool {
        guard let h0 = referenceBox, x.count == referencePositions.count, x.count > 0 else { return true }
        // F = h·h0⁻¹ (upper triangular).
        let f = deformationGradient(from: h0, to: box)
        let e = ((f.0 - 1) * (f.0 - 1) + (f.1 - 1) * (f.1 - 1) + (f.2 - 1) * (f.2 - 1)
                 + f.3 * f.3 + f.4 * f.4 + f.5 * f.5).squareRoot()
        let reach = (1 - e) * (cutoff + skin) - cutoff
        if reach <= 0 { return true }
        let limit = 0.5 * reach
        let limitSq = limit * limit
        let reference = referencePositions
        let x0 = reference.span
        @inline(__always) func u(_ x: SIMD3<Double>, _ p: SIMD3<Double>) -> SIMD3<Double> {
            let fp = SIMD3(f.0 * p.x + f.3 * p.y + f.4 * p.z, f.1 * p.y + f.5 * p.z, f.2 * p.z)
            return x - fp
        }
        // |u_i − u_j| ≤ 2 max_k |u_k − c| for any c: take c at the centre of the displacements'
        // bounding box, so a common drift of all atoms costs nothing.
        var lo = u(x[0], x0[0]), hi = lo
        for i in 1..<x.count {
            let d = u(x[i], x0[i])
            lo = pointwiseMin(lo, d)
            hi = pointwiseMax(hi, d)
        }
        if !((hi - lo).max() < 2 * limit) { return true }  // NaN too
        let c = 0.5 * (lo + hi)
        for i in 0..<x.count {
            let d = u(x[i], x0[i]) - c
            if !((d * d).sum() < limitSq) { return true }
        }
        return false
    }

    /// Array convenience for `needsRebuild(positions:box:)`.
    public func needsRebuild(positions: [SIMD3<Double>], box: Box) -> Bool {
        needsRebuild(positions: positions.span, box: box)
    }

    /// Array convenience for `build(positions:box:)`.
    public func build(positions: [SIMD3<Double>], box: Box) {
        build(positions: positions.span, box: box)
    }

    /// F = h·h0⁻¹ as (Fxx, Fyy, Fzz, Fxy, Fxz, Fyz).
    private func deformationGradient(from h0: Box, to h: Box)
        -> (Double, Double, Double, Double, Double, Double) {
        // h0⁻¹ for upper triangular [[a, b, c], [0, d, e], [0, 0, f]].
        let ia = 1 / h0.lx, id = 1 / h0.ly, iff = 1 / h0.lz
        let ib = -h0.xy * ia * id
        let ie = -h0.yz * id * iff
        let ic = (h0.xy * h0.yz - h0.xz * h0.ly) * ia * id * iff
        let fxx = h.lx * ia
        let fyy = h.ly * id
        let fzz = h.lz * iff
        let fxy = h.lx * ib + h.xy * id
        let fxz = h.lx * ic + h.xy * ie + h.xz * iff
        let fyz = h.ly * ie + h.yz * iff
        return (fxx, fyy, fzz, fxy, fxz, fyz)
    }

    /// False when the last `build` was refused: a position was not finite or lay more than 2²⁰ box
    /// lengths away (a run that has blown up). The list is then empty and must not be used.
    public private(set) var isUsable = false

    private func markUnusable(atoms n: Int) {
        rowStart.replace(with: [Int32](repeating: 0, count: n + 1))
        for b in [neighbor, imageIndex] { b.replace(with: []) }
        images = []
        maxRowLength = 0
        referenceBox = nil
        isUsable = false
    }

    /// Builds the list for `positions` in `box` (positions may lie outside the box).
    ///
    /// Atoms are binned by their fractional coordinates in the reduced cell, in bins about half the
    /// reach wide, and each atom scans the (2·span+1)³ bins around its own. Candidates are tested on
    /// positions wrapped into the reduced cell, with one precomputed lattice shift per stencil offset;
    /// only accepted pairs pay for their integer image.
    public func build(positions x: Span<SIMD3<Double>>, box: Box) {
        let n = x.count
        let reach = cutoff + skin
        // (c_ab + skin)² per type pair; one type of reach `cutoff + skin` without pair cutoffs.
        let typed = atomTypes.count == n && !pairCutoffs.isEmpty
        let nt = typed ? typeCount : 1
        let reachSq = typed ? pairCutoffs.map { ($0 + skin) * ($0 + skin) } : [reach * reach]
        let atomType = typed ? atomTypes : [Int32](repeating: 0, count: n)

        // Reduced basis of the same lattice: b' = b − kb·a, c' = c − kc·b' − kc2·a.
        // Reduced image coordinates convert to the box's own (a, b, c) basis with `toBoxBasis`.
        let kb = (box.xy / box.lx).rounded()
        let xyR = box.xy - kb * box.lx
        let kc = (box.yz / box.ly).rounded()
        let yzR = box.yz - kc * box.ly
        let kc2 = ((box.xz - kc * xyR) / box.lx).rounded()
        let xzR = box.xz - kc * xyR - kc2 * box.lx
        let reduced = Box(lo: box.lo, lx: box.lx, ly: box.ly, lz: box.lz, xy: xyR, xz: xzR, yz: yzR)
        // Refuse positions that are not finite or absurdly far away: their images would not fit the
        // integer arithmetic below (they only occur in a run that has blown up).
        for i in 0..<n {
            let s = reduced.fractional(x[i])
            if !(abs(s.x) < 1048576 && abs(s.y) < 1048576 && abs(s.z) < 1048576) || !box.isValid {
                markUnusable(atoms: n)
                return
            }
        }
        // a' = a, b' = b − kb a, c' = c − kc b' − kc2 a = c − kc b + (kc kb − kc2) a.
        @inline(__always) func toBoxBasis(_ m: SIMD3<Double>) -> SIMD3<Double> {
            SIMD3(m.x - kb * m.y + (kc * kb - kc2) * m.z, m.y - kc * m.z, m.z)
        }

        // Perpendicular widths of the reduced cell; bins about reach/2 wide (at least one).
        let v = reduced.volume
        let bxc = SIMD3(reduced.ly * reduced.lz, -reduced.xy * reduced.lz,
                        reduced.xy * reduced.yz - reduced.ly * reduced.xz)
        let width = SIMD3(v / (bxc * bxc).sum().squareRoot(),
                          reduced.ly * reduced.lz / (reduced.lz * reduced.lz + reduced.yz * reduced.yz).squareRoot(),
                          reduced.lz)
        let maxBinsPerAxis = max(1, Int(Double(max(n, 1)).squareRoot()) + 1)
        var bins = SIMD3<Int>(1, 1, 1)
        var span = SIMD3<Int>(1, 1, 1)
        for d in 0..<3 {
            bins[d] = max(1, min(maxBinsPerAxis, Int((2 * width[d] / reach).rounded(.down))))
            // A partner within reach differs by at most reach/width in this fractional coordinate.
            let reachInBins = (reach * Double(bins[d]) / width[d]).rounded(.up)
            // A box far thinner than the reach would need an absurd stencil: refuse (see `isUsable`).
            guard reachInBins <= 50 else { markUnusable(atoms: n); return }
            span[d] = Int(reachInBins)
        }
        let binCount = bins.x * bins.y * bins.z

        // Wrap into the reduced cell: x = xw + h'·w with fractional coordinates of xw in [0, 1).
        var wrap = [SIMD3<Double>](repeating: .zero, count: n)
        var wrapped = [SIMD3<Double>](repeating: .zero, count: n)
        var binOf = [Int32](repeating: 0, count: n)
        var binStart = [Int32](repeating: 0, count: binCount + 1)
        for i in 0..<n {
            let s = reduced.fractional(x[i])
            var w = SIMD3(s.x.rounded(.down), s.y.rounded(.down), s.z.rounded(.down))
            var f = s - w
            for d in 0..<3 where f[d] >= 1 { f[d] = 0; w[d] += 1 }  // s just below an integer
            wrap[i] = w
            wrapped[i] = x[i] - reduced.translation(w)
            var b = SIMD3<Int>(0, 0, 0)
            for d in 0..<3 { b[d] = min(bins[d] - 1, max(0, Int(f[d] * Double(bins[d])))) }
            let index = (b.z * bins.y + b.y) * bins.x + b.x
            binOf[i] = Int32(index)
            binStart[index + 1] += 1
        }
        for k in 0..<binCount { binStart[k + 1] += binStart[k] }
        var fill = binStart
        var binAtoms = [Int32](repeating: 0, count: n)
        var binPositions = [SIMD3<Double>](repeating: .zero, count: n)
        for i in 0..<n {
            let b = Int(binOf[i])
            binAtoms[Int(fill[b])] = Int32(i)
            binPositions[Int(fill[b])] = wrapped[i]
            fill[b] += 1
        }

        // Half stencil: every unordered pair image is found once, from the atom whose stencil holds the
        // other at an offset o > 0 (lexicographic in z, y, x; the partner at −o would find it back),
        // or in the same bin from the earlier slot. It then goes to the row the canonical rule picks:
        // row i when (i < j) == (i + j even), else row j with the image negated; an own image (j = i,
        // found at o > 0, hence q > 0) stays in row i. Entries are first collected with their row and
        // a key that sorts by (j, image z, y, x): the partner and the image packed into one UInt64
        // when the image fits 12 bits a component (always, short of degenerate boxes).
        let packBias = Int64(1 << 11)
        @inline(__always) func packed(_ j: Int, _ m: SIMD3<Int32>) -> UInt64? {
            let ib = SIMD3<Int64>(Int64(m.x), Int64(m.y), Int64(m.z)) &+ packBias
            guard ib.x >= 0 && ib.x < 4096 && ib.y >= 0 && ib.y < 4096 && ib.z >= 0 && ib.z < 4096 else { return nil }
            return UInt64(j) << 36 | UInt64(ib.z) << 24 | UInt64(ib.y) << 12 | UInt64(ib.x)
        }
        @inline(__always) func unpacked(_ key: UInt64) -> (j: Int32, image: SIMD3<Int32>) {
            (Int32(truncatingIfNeeded: key >> 36),
             SIMD3<Int32>(Int32(truncatingIfNeeded: Int64(key & 4095) - packBias),
                          Int32(truncatingIfNeeded: Int64((key >> 12) & 4095) - packBias),
                          Int32(truncatingIfNeeded: Int64((key >> 24) & 4095) - packBias)))
        }
        var entryRow: [Int32] = [], entryKey: [UInt64] = []
        entryRow.reserveCapacity(n * 80)
        entryKey.reserveCapacity(n * 80)
        var wide: [(row: Int32, j: Int32, image: SIMD3<Int32>)] = []
        var closest = (distanceSquared: Double.infinity, i: -1, j: -1)

        var slotOf = [Int32](repeating: 0, count: n)
        var binTypes = [Int32](repeating: 0, count: n)
        var maxBin = 0
        for b in 0..<binCount { maxBin = max(maxBin, Int(binStart[b + 1] - binStart[b])) }
        for k in 0..<n { binTypes[k] = atomType[Int(binAtoms[k])]; slotOf[Int(binAtoms[k])] = Int32(k) }
        var acceptedStorage = [Int32](repeating: 0, count: max(maxBin, 1))
        do {
        var accepted = acceptedStorage.mutableSpan
        let binTypes = binTypes.span, reachSq = reachSq.span, binStart = binStart.span
        let binAtoms = binAtoms.span, binPositions = binPositions.span, wrap = wrap.span
        for i in 0..<n {
            let xi = wrapped[i]
            let wi = wrap[i]
            let reachRow = Int(atomType[i]) * nt
            let bi = Int(binOf[i])
            let bix = bi % bins.x, biy = (bi / bins.x) % bins.y, biz = bi / (bins.x * bins.y)
            for oz in 0...span.z {
                let (qz, cz) = floorDivide(biz + oz, bins.z)
                for oy in (oz == 0 ? 0 : -span.y)...span.y {
                    let (qy, cy) = floorDivide(biy + oy, bins.y)
                    let rowBase = (cz * bins.y + cy) * bins.x
                    for ox in (oz == 0 && oy == 0 ? 0 : -span.x)...span.x {
                        let (qx, cx) = floorDivide(bix + ox, bins.x)
                        let q = SIMD3(Double(qx), Double(qy), Double(qz))
                        let xiShifted = xi - reduced.translation(q)
                        let cell = rowBase + cx
                        // Offset 0: only partners in later slots of the own bin.
                        let first = oz == 0 && oy == 0 && ox == 0 ? Int(slotOf[i]) + 1 : Int(binStart[cell])
                        // Partners in reach, found without branches (a coin flip to a predictor).
                        var count = 0
                        for k in first..<Int(binStart[cell + 1]) {
                            let d = xiShifted - binPositions[k]
                            let rsq = d.x * d.x + d.y * d.y + d.z * d.z
                            accepted[count] = Int32(truncatingIfNeeded: k)
                            count &+= Int(truncatingIfNeeded: (rsq - reachSq[reachRow + Int(binTypes[k])]).bitPattern >> 63)
                        }
                        for a in 0..<count {
                            let k = Int(accepted[a])
                            let j = Int(binAtoms[k])
                            let d = xiShifted - binPositions[k]
                            let rsq = d.x * d.x + d.y * d.y + d.z * d.z
                            if rsq < closest.distanceSquared { closest = (rsq, i, j) }
                            // Image in the reduced basis, then in the box's own basis: d = x_i − x_j − h·m.
                            let mr = toBoxBasis(q + wi - wrap[j])
                            var m = SIMD3<Int32>(Int32(mr.x), Int32(mr.y), Int32(mr.z))
                            var row = i, partner = j
                            if j != i && (i < j) != ((i + j) & 1 == 0) { row = j; partner = i; m = 0 &- m }
                            if let key = packed(partner, m) {
                                entryRow.append(Int32(truncatingIfNeeded: row))
                                entryKey.append(key)
                            } else {
                                wide.append((Int32(truncatingIfNeeded: row), Int32(truncatingIfNeeded: partner), m))
                            }
                        }
                    }
                }
            }
        }
        }

        // Rows: a counting sort by row, then each row sorted by (j, image).
        var rowStart = [Int32](repeating: 0, count: n + 1)
        for r in entryRow { rowStart[Int(r) + 1] &+= 1 }
        for r in wide { rowStart[Int(r.row) + 1] &+= 1 }
        for i in 0..<n { rowStart[i + 1] &+= rowStart[i] }
        var rowFill = rowStart
        let entries = Int(rowStart[n])
        var sorted = [UInt64](repeating: 0, count: entries)
        var neighbor = [Int32](repeating: 0, count: entries)
        var imageIndex = [Int32](repeating: 0, count: entries)
        // Images become small codes first (the cell of a direct 17³ table, or −1 − k for the k-th far
        // image of a degenerate box), and codes become indices into `images` in one pass at the end,
        // in order of first appearance.
        let imageRadius = 8
        let imageSide = 2 * imageRadius + 1
        var farImages: [SIMD3<Int32>] = []
        var farLookup: [SIMD3<Int32>: Int32] = [:]
        @inline(__always) func imageCode(_ m: SIMD3<Int32>) -> Int32 {
            let r = Int32(imageRadius)
            if abs(m.x) <= r && abs(m.y) <= r && abs(m.z) <= r {
                return Int32(((Int(m.z) + imageRadius) * imageSide + Int(m.y) + imageRadius) * imageSide + Int(m.x) + imageRadius)
            }
            if let found = farLookup[m] { return -1 - found }
            farLookup[m] = Int32(farImages.count)
            farImages.append(m)
            return -Int32(farImages.count)
        }
        if wide.isEmpty {
            for e in 0..<entryKey.count {
                let r = Int(entryRow[e])
                sorted[Int(rowFill[r])] = entryKey[e]
                rowFill[r] &+= 1
            }
            for i in 0..<n {
                let lo = Int(rowStart[i]), hi = Int(rowStart[i + 1])
                sorted[lo..<hi].sort()
                for p in lo..<hi {
                    let (j, image) = unpacked(sorted[p])
                    neighbor[p] = j
                    imageIndex[p] = imageCode(image)
                }
            }
        } else {
            // Degenerate boxes: rows sorted as tuples.
            var rows = [[(j: Int32, image: SIMD3<Int32>)]](repeating: [], count: n)
            for e in 0..<entryKey.count { rows[Int(entryRow[e])].append(unpacked(entryKey[e])) }
            for w in wide { rows[Int(w.row)].append((w.j, w.image)) }
            for i in 0..<n {
                rows[i].sort { l, r in
                    if l.j != r.j { return l.j < r.j }
                    if l.image.z != r.image.z { return l.image.z < r.image.z }
                    if l.image.y != r.image.y { return l.image.y < r.image.y }
                    return l.image.x < r.image.x
                }
                for (k, e) in rows[i].enumerated() {
                    neighbor[Int(rowStart[i]) + k] = e.j
                    imageIndex[Int(rowStart[i]) + k] = imageCode(e.image)
                }
            }
        }

        // Image codes → indices into the image table, in order of first appearance.
        var imageTable: [SIMD3<Double>] = []
        var slotIndex = [Int32](repeating: -1, count: imageSide * imageSide * imageSide)
        var farIndex = [Int32](repeating: -1, count: farImages.count)
        do {
            var codes = imageIndex.mutableSpan
            for p in 0..<codes.count {
                let code = Int(codes[p])
                if code >= 0 {
                    if slotIndex[code] < 0 {
                        slotIndex[code] = Int32(imageTable.count)
                        let x = code % imageSide - imageRadius
                        let y = (code / imageSide) % imageSide - imageRadius
                        let z = code / (imageSide * imageSide) - imageRadius
                        imageTable.append(SIMD3(Double(x), Double(y), Double(z)))
                    }
                    codes[p] = slotIndex[code]
                } else {
                    let k = -1 - code
                    if farIndex[k] < 0 {
                        farIndex[k] = Int32(imageTable.count)
                        let m = farImages[k]
                        imageTable.append(SIMD3(Double(m.x), Double(m.y), Double(m.z)))
                    }
                    codes[p] = farIndex[k]
                }
            }
        }

        var longest = 0
        for i in 0..<n { longest = max(longest, Int(rowStart[i + 1] - rowStart[i])) }
        self.maxRowLength = longest
        self.rowStart.replace(with: rowStart)
        self.neighbor.replace(with: neighbor)
        self.imageIndex.replace(with: imageIndex)
        self.images = imageTable
        var reference = [SIMD3<Double>](repeating: .zero, count: n)
        for i in 0..<n { reference[i] = x[i] }
        self.referencePositions = reference
        self.referenceBox = box
        self.closestPair = (closest.distanceSquared.squareRoot(), closest.i, closest.j)
        self.buildCount += 1
        self.isUsable = true
    }
}

/// (q, r) with a = q·b + r and 0 ≤ r < b.
@inline(__always)
func floorDivide(_ a: Int, _ b: Int) -> (Int, Int) {
    var q = a / b
    var r = a - q * b
    if r < 0 { q -= 1; r += b }
    return (q, r)
}
