import CKernels
import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import MDCore
import Neighbors

/// Energy, forces and virial of an EAM potential for a fixed set of typed atoms, matching LAMMPS
/// `pair_style eam/fs` / `eam/alloy` to round-off.
///
/// Atoms are split into contiguous **blocks** whose number depends on the atom count only.
/// Each block owns private accumulators for densities and forces, so Newton's third law is applied
/// by plain scatter-adds (as LAMMPS does on one thread) with no write shared between threads. One
/// evaluation makes four passes:
/// 1. **pairs → densities** (per block): for every pair image within the cutoff, one sqrt and one
///    table row give ρ_{j→i}, ρ_{i→j}, their slopes and φ, φ'. ρ_{j→i} adds to i, ρ_{i→j} to j, in the
///    block's accumulator; the slopes are kept per pair, compacted to the pairs within the cutoff.
/// 2. **embedding** (per atom): ρ_i = Σ over blocks in block order, then F(ρ_i) and F'(ρ_i).
/// 3. **pair forces** (per block): f_pair = −(F'_i ρ'_{j→i} + F'_j ρ'_{i→j} + φ')/r, added to i and
///    subtracted from j in the block's accumulator, virial summed per block.
/// 4. **forces** (per atom): f_i = Σ over blocks in block order.
///
/// Every sum has an order fixed by the atom indices alone (rows in index order, each row in the
/// list's canonical order, blocks in block order), never by the thread that ran a block or by
/// when the list was rebuilt, so results are bit-identical for any thread count.
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
    /// Atoms per chunk of the per-atom passes: fixes the order of the embedding-energy partial sums.
    public static let chunkSize = 64
    /// Number of blocks (each with its own accumulators) for `atoms` atoms: a function of the atom
    /// count alone, so the summation order never depends on the thread count. One block per 1000
    /// atoms, at most 16: each block zeroes and the reduction reads a full-length accumulator, so
    /// blocks cost time on one thread (a 4000-atom glass: 3.0 ms with 4 blocks, 3.2 with 8, 3.6 with
    /// 16), while more threads than blocks find no work.
    public static func blockCount(atoms: Int) -> Int { max(1, min(16, atoms / 1000)) }

    // Scratch, reused across evaluations.
    private let typeBuffer: Buffer<Int32>
    private let pairTable: Buffer<Double>
    private let lookup: Buffer<seem_pair_lookup>
    private let embedTable: Buffer<Double>
    private let fp: Buffer<Double>
    private let rho: Buffer<Double>
    /// Block accumulators: `blockRho[b·n + i]`, `blockForce[b·n + i]`.
    private let blockRho: Buffer<Double>
    private let blockForce: Buffer<SIMD3<Double>>
    /// Pairs within the cutoff, compacted at the front of each row's entry range:
    /// `rowStart[i] ..< rowStart[i] + cutCount[i]` hold (j, image) and (ρ'_{j→i}, ρ'_{i→j}, φ', 1/r).
    private let cutCount: Buffer<Int32>
    private let cutPair = Buffer<SIMD2<Int32>>([])
    private let cutSlopes = Buffer<SIMD4<Double>>([])
    /// Per-block scratch of the pair loop (`seem_eam_scratch_bytes` each).
    private let scratch = Buffer<UInt8>([])
    /// The pair loops' arguments, at a fixed address every worker reads.
    private let pairArguments = Buffer<seem_eam_pairs>(count: 1, repeating: seem_eam_pairs())
    private let blockPairEnergy: Buffer<Double>
    private let chunkEmbedEnergy: Buffer<Double>
    /// (xx, yy, zz, xy, xz, yz) per block, 8 doubles apart (a cache line each).
    private let blockVirial: Buffer<Double>
    private let shifts = Buffer<SIMD3<Double>>([])
    private let blocks: Int
    private let chunkCount: Int
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
    public init(potential: EAMPotential, types: [Int32], typeToElement: [Int], skin: Double = NeighborList.defaultSkin,
                threads: Int = defaultThreadCount()) {
        atomCount = types.count
        typeIndex = types.map { $0 - 1 }
        tables = EAMTables(potential: potential, typeToElement: typeToElement)
        neighbors = NeighborList(cutoff: potential.cutoff, skin: skin)
        neighbors.setPairCutoffs(types: typeIndex, typeCount: tables.typeCount,
                                 cutoffs: tables.lookup.map(\.cutoff))
        self.threads = max(1, threads)
        let n = types.count
        typeBuffer = Buffer(typeIndex)
        pairTable = Buffer(tables.pair)
        lookup = Buffer(tables.lookup.map {
            seem_pair_lookup(base: Int64($0.base), inLane: Int32($0.inLane), outLane: Int32($0.outLane),
                             cutoffSquared: $0.cutoffSquared)
        })
        embedTable = Buffer(tables.embedding)
        fp = Buffer(count: n, repeating: 0)
        rho = Buffer(count: n, repeating: 0)
        blocks = Self.blockCount(atoms: n)
        blockRho = Buffer(count: blocks * n, repeating: 0)
        blockForce = Buffer(count: blocks * n, repeating: .zero)
        cutCount = Buffer(count: n, repeating: 0)
        chunkCount = (n + Self.chunkSize - 1) / Self.chunkSize
        blockPairEnergy = Buffer(count: blocks, repeating: 0)
        chunkEmbedEnergy = Buffer(count: chunkCount, repeating: 0)
        blockVirial = Buffer(count: 8 * blocks, repeating: 0)
    }

    /// Runs `body(k)` for k in 0..<count on `threads` workers (static interleaved assignment).
    @inline(__always)
    private func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        let workers = min(threads, count)
        if workers <= 1 {
            for c in 0..<count { body(c) }
        } else {
            withoutActuallyEscaping(body) { body in
                nonisolated(unsafe) let run = body
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var c = w
                    while c < count { run(c); c += workers }
                }
            }
        }
    }

    /// Atoms `blockRange(b)` form block b: contiguous, sizes differing by at most one.
    @inline(__always)
    private func blockRange(_ b: Int) -> Range<Int> {
        (b * atomCount / blocks)..<((b + 1) * atomCount / blocks)
    }

    public func evaluate(positions x: UnsafeBufferPointer<SIMD3<Double>>, box: Box,
                         forces: UnsafeMutableBufferPointer<SIMD3<Double>>) -> EnergyAndVirial {
        precondition(x.count == atomCount && forces.count == atomCount)
        if neighbors.needsRebuild(positions: x, box: box) {
            neighbors.build(positions: x, box: box)
            let e = neighbors.entryCount
            cutPair.reserve(atLeast: e, repeating: .zero)
            cutSlopes.reserve(atLeast: e, repeating: .zero)
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
        let rdr = t.rdr, rdrho = t.rdrho, rhoMax = t.rhoMax

        // Raw pointers for the kernels: owned buffers, valid for the whole evaluation.
        nonisolated(unsafe) let pos = x.baseAddress!
        nonisolated(unsafe) let force = forces.baseAddress!
        nonisolated(unsafe) let rowStart = neighbors.rowStart.base
        nonisolated(unsafe) let nbr = neighbors.neighbor.base
        nonisolated(unsafe) let img = neighbors.imageIndex.base
        nonisolated(unsafe) let shift = shifts.base
        nonisolated(unsafe) let type = typeBuffer.base
        nonisolated(unsafe) let pairTable = self.pairTable.base
        nonisolated(unsafe) let lookup = self.lookup.base
        nonisolated(unsafe) let embedTable = self.embedTable.base
        nonisolated(unsafe) let rho = self.rho.base
        nonisolated(unsafe) let fp = self.fp.base
        nonisolated(unsafe) let blockRho = self.blockRho.base
        nonisolated(unsafe) let blockForce = self.blockForce.base
        nonisolated(unsafe) let cutCount = self.cutCount.base
        nonisolated(unsafe) let cutPair = self.cutPair.base
        nonisolated(unsafe) let cutSlopes = self.cutSlopes.base
        nonisolated(unsafe) let pairEnergy = self.blockPairEnergy.base
        nonisolated(unsafe) let embedEnergy = self.chunkEmbedEnergy.base
        nonisolated(unsafe) let virial = self.blockVirial.base
        let blocks = self.blocks

        let stride = (Int(seem_eam_scratch_bytes(Int64(neighbors.maxRowLength))) + 63) / 64 * 64
        if stride * blocks > scratch.count {
            scratch.reset(count: stride * blocks, repeating: 0)
        }
        nonisolated(unsafe) let scratch = self.scratch.base
        nonisolated(unsafe) let pairs = UnsafePointer(pairArguments.base)
        pairArguments.base.pointee = seem_eam_pairs(
            positions: UnsafeRawPointer(pos).assumingMemoryBound(to: Double.self),
            shifts: UnsafeRawPointer(shift).assumingMemoryBound(to: Double.self),
            rowStart: rowStart, neighbor: nbr, image: img, type: type,
            table: pairTable, lookup: lookup, typeCount: Int32(nt), nr: Int32(nr),
            maxRow: Int64(neighbors.maxRowLength), rdr: rdr)
        nonisolated(unsafe) let cutPairs = UnsafeMutableRawPointer(cutPair).assumingMemoryBound(to: Int32.self)
        nonisolated(unsafe) let cutSlopesRaw = UnsafeMutableRawPointer(cutSlopes).assumingMemoryBound(to: Double.self)
        nonisolated(unsafe) let blockForceRaw = UnsafeMutableRawPointer(blockForce).assumingMemoryBound(to: Double.self)

        let t0 = MonotonicClock.seconds()
        // Pass 1: pair terms and densities, per block into the block's accumulator.
        parallelFor(blocks) { b in
            let acc = blockRho + b * n
            acc.update(repeating: 0, count: n)
            let range = blockRange(b)
            pairEnergy[b] = seem_eam_density(pairs, Int32(range.lowerBound), Int32(range.upperBound), acc,
                                             cutPairs, cutSlopesRaw, cutCount, scratch + b * stride)
        }

        let t1 = MonotonicClock.seconds()
        // Pass 2: total density (blocks in order) and embedding energy F(ρ), F'(ρ).
        parallelFor(chunkCount) { c in
            var e = 0.0
            for i in (c * chunkSize)..<min(n, (c + 1) * chunkSize) {
                var r = blockRho[i]
                for b in 1..<max(blocks, 1) { r += blockRho[b * n + i] }
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
        // Pass 3: pair forces over the pairs within the cutoff; virial per block.
        parallelFor(blocks) { b in
            blockForce.advanced(by: b * n).update(repeating: .zero, count: n)
            let range = blockRange(b)
            let w = virial + 8 * b
            w.update(repeating: 0, count: 6)
            seem_eam_forces(pairs, Int32(range.lowerBound), Int32(range.upperBound), fp, cutPairs,
                            cutSlopesRaw, cutCount, blockForceRaw + 4 * b * n, w)
        }

        let t3 = MonotonicClock.seconds()
        // Pass 4: forces, blocks in order.
        parallelFor(chunkCount) { c in
            for i in (c * chunkSize)..<min(n, (c + 1) * chunkSize) {
                var f = blockForce[i]
                for b in 1..<max(blocks, 1) { f += blockForce[b * n + i] }
                force[i] = f
            }
        }

        let t4 = MonotonicClock.seconds()
        passSeconds = SIMD4(t1 - t0, t2 - t1, t3 - t2, t4 - t3)
        var energy = 0.0
        var w = Virial.zero
        for b in 0..<blocks { energy += pairEnergy[b] }
        for c in 0..<chunkCount { energy += embedEnergy[c] }
        for b in 0..<blocks {
            let v = virial + 8 * b
            w = w + Virial(xx: v[0], yy: v[1], zz: v[2], xy: v[3], xz: v[4], yz: v[5])
        }
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
