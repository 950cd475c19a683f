import CKernels
import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import MDCore

/// Energy, forces and virial of an EAM potential for a fixed set of typed atoms, matching LAMMPS
/// `pair_style eam/fs` / `eam/alloy` to round-off.
///
/// One evaluation makes four passes, each parallel over fixed chunks of atoms:
/// 1. **pairs → densities**: for every stored pair image within the cutoff, one sqrt and one table
///    read give ρ_{j→i}, ρ_{i→j}, their slopes and φ, φ'. The row atom's density is summed in place;
///    the other atom's share and the slopes are kept per entry.
/// 2. **embedding**: ρ_i = row share + column shares (fixed order), then F(ρ_i) and F'(ρ_i).
/// 3. **pair forces**: f_pair = −(F'_i ρ'_{j→i} + F'_j ρ'_{i→j} + φ')/r; the row atom's force and the
///    virial are summed in place, the other atom's share is kept per entry.
/// 4. **gather**: f_j −= Σ column shares.
///
/// No atom's sum depends on which thread ran which chunk, and chunk partials (energy, virial) are
/// added in chunk order, so results are bit-identical for any thread count.
public final class EAMForceField: ForceField {
    public let atomCount: Int
    /// Per-atom 0-based type index (type − 1).
    public let typeIndex: [Int32]
    /// Tables for these types.
    public let tables: EAMTables
    /// The Verlet list, rebuilt automatically when an evaluation finds it stale.
    public let neighbors: NeighborList
    /// Worker threads (≥ 1). Results do not depend on it.
    public var threads: Int
    /// Atoms per chunk: fixes the order of partial sums.
    public static let chunkSize = 64

    // Scratch, reused across evaluations.
    private let typeBuffer: Buffer<Int32>
    private let pairTable: Buffer<Double>
    private let lookup: Buffer<EAMTables.Lookup>
    private let embedTable: Buffer<Double>
    private let rhoRow: Buffer<Double>
    private let fp: Buffer<Double>
    private let forceRow: Buffer<SIMD3<Double>>
    private let entrySlopes = Buffer<SIMD4<Double>>([])  // (ρ'_{j→i}, ρ'_{i→j}, φ', 1/r); 0 outside the cutoff
    /// Per entry, in column order (written where the gather reads sequentially): ρ_{i→j}, the
    /// column atom's density share, and f_pair·d, its force share.
    private let columnRho = Buffer<Double>([])
    private let columnForce = Buffer<SIMD3<Double>>([])
    private let chunkPairEnergy: Buffer<Double>
    private let chunkEmbedEnergy: Buffer<Double>
    private let chunkVirial: Buffer<Virial>
    private let shifts = Buffer<SIMD3<Double>>([])
    private let rho: Buffer<Double>
    /// Wall seconds of the four passes of the last evaluation (for benchmarks and profiling).
    public private(set) var passSeconds = SIMD4<Double>.zero
    /// Per-atom host densities ρ_i of the last evaluation.
    public var density: [Double] { rho.array }
    /// Per-atom embedding-function slopes F'(ρ_i) of the last evaluation, eV.
    public var embeddingSlope: [Double] { fp.array }

    /// - Parameters:
    ///   - potential: the tabulated potential.
    ///   - types: 1-based atom types, one per atom.
    ///   - typeToElement: element index in `potential` of atom type t at `[t − 1]`.
    ///   - skin: Verlet skin, Å.
    ///   - threads: worker threads (default: all cores).
    public init(potential: EAMPotential, types: [Int32], typeToElement: [Int], skin: Double = 1.0,
                threads: Int = defaultThreadCount()) {
        atomCount = types.count
        typeIndex = types.map { $0 - 1 }
        tables = EAMTables(potential: potential, typeToElement: typeToElement)
        neighbors = NeighborList(cutoff: potential.cutoff, skin: skin)
        self.threads = max(1, threads)
        let n = types.count
        typeBuffer = Buffer(typeIndex)
        pairTable = Buffer(tables.pair)
        lookup = Buffer(tables.lookup)
        embedTable = Buffer(tables.embedding)
        rhoRow = Buffer(count: n, repeating: 0)
        fp = Buffer(count: n, repeating: 0)
        rho = Buffer(count: n, repeating: 0)
        forceRow = Buffer(count: n, repeating: .zero)
        chunkCount = (n + Self.chunkSize - 1) / Self.chunkSize
        chunkPairEnergy = Buffer(count: chunkCount, repeating: 0)
        chunkEmbedEnergy = Buffer(count: chunkCount, repeating: 0)
        chunkVirial = Buffer(count: chunkCount, repeating: .zero)
    }

    private let chunkCount: Int

    /// Runs `body(chunk)` for every chunk on `threads` workers (static interleaved assignment).
    @inline(__always)
    private func forEachChunk(_ body: (Int) -> Void) {
        let chunks = chunkCount, workers = min(threads, chunks)
        if workers <= 1 {
            for c in 0..<chunks { body(c) }
        } else {
            withoutActuallyEscaping(body) { body in
                nonisolated(unsafe) let run = body
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var c = w
                    while c < chunks { run(c); c += workers }
                }
            }
        }
    }

    public func evaluate(positions x: UnsafeBufferPointer<SIMD3<Double>>, box: Box,
                         forces: UnsafeMutableBufferPointer<SIMD3<Double>>) -> EnergyAndVirial {
        precondition(x.count == atomCount && forces.count == atomCount)
        if neighbors.needsRebuild(positions: x, box: box) {
            neighbors.build(positions: x, box: box)
            let e = neighbors.entryCount
            entrySlopes.reset(count: e, repeating: .zero)
            columnRho.reset(count: e, repeating: 0)
            columnForce.reset(count: e, repeating: .zero)
            if !neighbors.isUsable {
                // Positions not finite or absurdly far away: report a non-finite state, not a crash.
                for i in 0..<atomCount { forces[i] = SIMD3(repeating: .nan) }
                return EnergyAndVirial(energy: .nan, virial: Virial(xx: .nan, yy: .nan, zz: .nan, xy: .nan, xz: .nan, yz: .nan))
            }
        }
        // Lattice translations h·n of the list's images in the current box (no allocation unless
        // the list grew its image table).
        let images = neighbors.images
        if shifts.count != images.count { shifts.reset(count: images.count, repeating: .zero) }
        for k in 0..<images.count { shifts[k] = box.translation(images[k]) }

        let n = atomCount, chunkSize = Self.chunkSize
        let t = tables
        let nt = t.typeCount, nr = t.nr, nrho = t.nrho
        let rdr = t.rdr, rdrho = t.rdrho, rhoMax = t.rhoMax, cutsq = t.cutoffSquared

        // Raw pointers for the kernels: owned buffers, valid for the whole evaluation.
        nonisolated(unsafe) let pos = x.baseAddress!
        nonisolated(unsafe) let force = forces.baseAddress!
        nonisolated(unsafe) let rowStart = neighbors.rowStart.base
        nonisolated(unsafe) let nbr = neighbors.neighbor.base
        nonisolated(unsafe) let img = neighbors.imageIndex.base
        nonisolated(unsafe) let colStart = neighbors.columnStart.base
        nonisolated(unsafe) let colSlot = neighbors.columnSlot.base
        nonisolated(unsafe) let shift = shifts.base
        nonisolated(unsafe) let type = typeBuffer.base
        nonisolated(unsafe) let pairTable = self.pairTable.base
        nonisolated(unsafe) let lookup = self.lookup.base
        nonisolated(unsafe) let embedTable = self.embedTable.base
        nonisolated(unsafe) let rhoRow = self.rhoRow.base
        nonisolated(unsafe) let rho = self.rho.base
        nonisolated(unsafe) let fp = self.fp.base
        nonisolated(unsafe) let fRow = self.forceRow.base
        nonisolated(unsafe) let slopes = self.entrySlopes.base
        nonisolated(unsafe) let share = self.columnRho.base
        nonisolated(unsafe) let colForce = self.columnForce.base
        nonisolated(unsafe) let pairEnergy = self.chunkPairEnergy.base
        nonisolated(unsafe) let embedEnergy = self.chunkEmbedEnergy.base
        nonisolated(unsafe) let virial = self.chunkVirial.base

        let t0 = MonotonicClock.seconds()
        // Pass 1: pair terms and row densities. Per row, a first loop finds the entries within the
        // cutoff and prefetches their table rows (64–96 B each); the second evaluates the splines
        // with those rows already on their way, so table misses overlap instead of queueing.
        let maxRow = neighbors.maxRowLength
        // Skin entries leave their density share at zero: clear all shares in one sequential sweep
        // instead of scattering zeros (a random store per skin entry stalls the store buffer).
        share.update(repeating: 0, count: neighbors.entryCount)
        forEachChunk { c in
            withUnsafeTemporaryAllocation(of: PairPrep.self, capacity: max(maxRow, 1)) { prep in
                var e = 0.0
                for i in (c * chunkSize)..<min(n, (c + 1) * chunkSize) {
                    let xi = pos[i]
                    let lookupRow = lookup + Int(type[i]) * nt
                    var count = 0
                    for p in Int(rowStart[i])..<Int(rowStart[i + 1]) {
                        let j = Int(nbr[p])
                        let d = xi - pos[j] - shift[Int(img[p])]
                        let rsq = d.x * d.x + d.y * d.y + d.z * d.z
                        if rsq < cutsq {
                            let r = rsq.squareRoot()
                            var q = r * rdr + 1.0
                            var m = Int(q)
                            m = min(m, nr - 1)
                            q -= Double(m)
                            q = min(q, 1.0)
                            let lk = lookupRow + Int(type[j])
                            let row = pairTable + (lk.pointee.base &+ (m &- 1) &* lk.pointee.stride)
                            seem_prefetch(row)
                            seem_prefetch(row + 8)
                            prep[count] = PairPrep(entry: Int32(truncatingIfNeeded: p), type: type[j], r: r, q: q, row: row)
                            count += 1
                        } else {
                            slopes[p] = .zero
                        }
                    }
                    var rhoi = 0.0
                    for k in 0..<count {
                        let pp = prep[k]
                        let lk = lookupRow[Int(pp.type)]
                        let q = pp.q
                        let a = pp.row + lk.inOffset, b = pp.row + lk.outOffset, z = pp.row + lk.phiOffset
                        rhoi += ((a[0] * q + a[1]) * q + a[2]) * q + a[3]
                        let p = Int(pp.entry)
                        share[Int(colSlot[p])] = ((b[0] * q + b[1]) * q + b[2]) * q + b[3]
                        let rhojp = ((3.0 * a[0] * q + 2.0 * a[1]) * q + a[2]) * rdr
                        let rhoip = ((3.0 * b[0] * q + 2.0 * b[1]) * q + b[2]) * rdr
                        let z2p = ((3.0 * z[0] * q + 2.0 * z[1]) * q + z[2]) * rdr
                        let z2 = ((z[0] * q + z[1]) * q + z[2]) * q + z[3]
                        let recip = 1.0 / pp.r
                        let phi = z2 * recip
                        let phip = z2p * recip - phi * recip
                        e += phi
                        slopes[p] = SIMD4(rhojp, rhoip, phip, recip)
                    }
                    rhoRow[i] = rhoi
                }
                pairEnergy[c] = e
            }
        }

        let t1 = MonotonicClock.seconds()
        // Pass 2: total density and embedding energy F(ρ), F'(ρ).
        forEachChunk { c in
            var e = 0.0
            for i in (c * chunkSize)..<min(n, (c + 1) * chunkSize) {
                var r = rhoRow[i]
                for k in Int(colStart[i])..<Int(colStart[i + 1]) { r += share[k] }
                rho[i] = r
                var q = r * rdrho + 1.0
                var m = Int(q)
                m = max(1, min(m, nrho - 1))
                q -= Double(m)
                q = min(q, 1.0)
                let k = embedTable + (Int(type[i]) * nrho + (m - 1)) * 4
                fp[i] = ((3.0 * k[0] * q + 2.0 * k[1]) * q + k[2]) * rdrho
                var f = ((k[0] * q + k[1]) * q + k[2]) * q + k[3]
                if r > rhoMax { f += fp[i] * (r - rhoMax) }
                e += f
            }
            embedEnergy[c] = e
        }

        let t2 = MonotonicClock.seconds()
        // Pass 3: pair forces; row forces and virial summed in place, column shares stored.
        forEachChunk { c in
            var w = Virial.zero
            for i in (c * chunkSize)..<min(n, (c + 1) * chunkSize) {
                let xi = pos[i]
                let fpi = fp[i]
                var fi = SIMD3<Double>.zero
                for p in Int(rowStart[i])..<Int(rowStart[i + 1]) {
                    let s = slopes[p]  // s.w = 1/r within the cutoff, 0 for skin entries: f = 0
                    let j = Int(nbr[p])
                    let d = xi - pos[j] - shift[Int(img[p])]
                    let psip = fpi * s.x + fp[j] * s.y + s.z
                    let fpair = -psip * s.w
                    let f = d * fpair
                    fi += f
                    colForce[Int(colSlot[p])] = f
                    w.xx += d.x * f.x; w.yy += d.y * f.y; w.zz += d.z * f.z
                    w.xy += d.x * f.y; w.xz += d.x * f.z; w.yz += d.y * f.z
                }
                fRow[i] = fi
            }
            virial[c] = w
        }

        let t3 = MonotonicClock.seconds()
        // Pass 4: gather the column shares.
        forEachChunk { c in
            for i in (c * chunkSize)..<min(n, (c + 1) * chunkSize) {
                var f = fRow[i]
                for k in Int(colStart[i])..<Int(colStart[i + 1]) { f -= colForce[k] }
                force[i] = f
            }
        }

        let t4 = MonotonicClock.seconds()
        passSeconds = SIMD4(t1 - t0, t2 - t1, t3 - t2, t4 - t3)
        var energy = 0.0
        var w = Virial.zero
        for c in 0..<chunkCount { energy += pairEnergy[c] }
        for c in 0..<chunkCount { energy += embedEnergy[c] }
        for c in 0..<chunkCount { w = w + virial[c] }
        return EnergyAndVirial(energy: energy, virial: w)
    }
}

/// Number of cores available to this process.
public func defaultThreadCount() -> Int {
    #if canImport(Glibc)
    return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #else
    return 1
    #endif
}

/// A pair within the cutoff, found by the first loop of pass 1 and evaluated by the second.
@usableFromInline
struct PairPrep {
    var entry: Int32
    var type: Int32
    var r: Double
    var q: Double
    var row: UnsafeMutablePointer<Double>
}
