import CKernels
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
    let typeBuffer: Buffer<Int32>
    let pairTable: Buffer<Double>
    let lookup: Buffer<seem_pair_lookup>
    let embedTable: Buffer<Double>
    let fp: Buffer<Double>
    let rho: Buffer<Double>
    /// Block accumulators: `blockRho[b·n + i]`, `blockForce[b·n + i]`.
    let blockRho: Buffer<Double>
    let blockForce: Buffer<SIMD3<Double>>
    /// Pairs within the cutoff, compacted at the front of each row's entry range:
    /// `rowStart[i] ..< rowStart[i] + cutCount[i]` hold (j, image) and (ρ'_{j→i}, ρ'_{i→j}, φ', 1/r).
    let cutCount: Buffer<Int32>
    let cutPair = Buffer<SIMD2<Int32>>([])
    let cutSlopes = Buffer<SIMD4<Double>>([])
    /// Per-block scratch of the pair loop (`seem_eam_scratch_bytes` each).
    let scratch = Buffer<UInt8>([])
    /// The pair loops' arguments, at a fixed address every worker reads.
    let pairArguments = Buffer<seem_eam_pairs>(count: 1, repeating: seem_eam_pairs())
    let blockPairEnergy: Buffer<Double>
    let chunkEmbedEnergy: Buffer<Double>
    /// (xx, yy, zz, xy, xz, yz) per block, 8 doubles apart (a cache line each).
    let blockVirial: Buffer<Double>
    let shifts = Buffer<SIMD3<Double>>([])
    let blocks: Int
    let chunkCount: Int
    /// Wall seconds of the four passes of the last evaluation (for benchmarks and profiling).
    public internal(set) var passSeconds = SIMD4<Double>.zero
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
}

/// Number of cores available to this process.
public func defaultThreadCount() -> Int {
    #if canImport(Glibc)
    return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #else
    return 1
    #endif
}
