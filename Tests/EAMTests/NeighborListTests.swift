import EAM
import MDCore
import Neighbors
import Testing

/// A pair image as an unordered key: (i, j, n) with i < j, or i == j with n lexicographically positive
/// in (z, y, x) order (an atom paired with its own image counts once, as one of ±n).
struct PairImageKey: Hashable, CustomStringConvertible {
    var i: Int, j: Int, n: SIMD3<Int>

    init(_ i: Int, _ j: Int, _ n: SIMD3<Double>) {
        var n = SIMD3<Int>(Int(n.x), Int(n.y), Int(n.z))
        var i = i, j = j
        if i > j { swap(&i, &j); n = SIMD3(-n.x, -n.y, -n.z) }
        if i == j && !(n.z > 0 || (n.z == 0 && (n.y > 0 || (n.y == 0 && n.x > 0)))) {
            n = SIMD3(-n.x, -n.y, -n.z)
        }
        self.i = i; self.j = j; self.n = n
    }

    var description: String { "(\(i), \(j), [\(n.x) \(n.y) \(n.z)])" }
}

/// A geometry for the list tests.
struct ListCase: Sendable, CustomTestStringConvertible {
    var name: String
    /// The list's largest image component must reach this (to be sure a code path is exercised).
    var largestImageAtLeast = 0.0
    var make: @Sendable () -> Structure
    var testDescription: String { name }
}

@Suite("Neighbor list vs all-images brute force")
struct NeighborListTests {
    static let cutoff = 7.6, skin = 1.0

    static let cases: [ListCase] = [
        ListCase(name: "2 atoms, 3 Å cube (each atom sees hundreds of its own images)") {
            randomStructure(count: 2, box: .cube(3.0), seed: 101)
        },
        ListCase(name: "1 atom, 2.6 × 3.1 × 4.4 Å, tilted (only self images)") {
            randomStructure(count: 1, box: Box(lo: SIMD3(0.3, -1, 2), lx: 2.6, ly: 3.1, lz: 4.4, xy: 1.1, xz: -0.7, yz: 0.9),
                            seed: 102)
        },
        ListCase(name: "8 atoms, 3 × 5 × 20 Å slab (box < cutoff in x and y)") {
            randomStructure(count: 8, box: Box(lx: 3, ly: 5, lz: 20), seed: 103)
        },
        ListCase(name: "4-atom fcc cell with xy = 4·lx, xz = −2.5·lx, yz = 3.2·ly") {
            fccStructure(cells: [1, 1, 1], a: 3.6, tilt: Tilt(xy: 4, xz: -2.5, yz: 3.2), jitter: 0.3, seed: 104)
        },
        ListCase(name: "32 atoms, 8 Å cube, xy = 6.3·lx (far outside LAMMPS's limit)") {
            fccStructure(cells: [2, 2, 2], a: 4.0, tilt: Tilt(xy: 6.3), jitter: 0.2, unwrap: true, seed: 105)
        },
        ListCase(name: "32 random atoms far outside a tilted box, lo ≠ 0") {
            randomStructure(count: 32, box: Box(lo: SIMD3(-40, 17, 3), lx: 9, ly: 7.5, lz: 8.2, xy: -13, xz: 5.5, yz: -4),
                            seed: 106)
        },
        ListCase(name: "108 atoms, 12 Å cube, xy = 0.5·ly") {
            fccStructure(cells: [3, 3, 3], a: 4.0, tilt: Tilt(xy: 0.5), jitter: 0.2, seed: 107)
        },
        ListCase(name: "108 atoms, 12 Å, xy = 1.7·lx, xz = 0.6·lx, yz = −0.7·ly, unwrapped") {
            fccStructure(cells: [3, 3, 3], a: 4.0, tilt: largeSkew, jitter: 0.2, unwrap: true, seed: 108)
        },
        ListCase(name: "64 atoms, 4 × 4 × 23 Å tall cell with yz = 2.5·ly") {
            randomStructure(count: 64, box: Box(lx: 4, ly: 4, lz: 23, yz: 10), seed: 109)
        },
        ListCase(name: "32 atoms moved by up to ±20 lattice vectors (images beyond ±8)", largestImageAtLeast: 9) {
            displaced(fccStructure(cells: [2, 2, 2], a: 4.0, tilt: Tilt(xy: 0.3), jitter: 0.2, seed: 110), by: 20, seed: 1)
        },
        ListCase(name: "8 atoms moved by thousands of lattice vectors (images beyond ±2048)", largestImageAtLeast: 2048) {
            displaced(fccStructure(cells: [2, 1, 1], a: 3.7, tilt: Tilt(xz: -0.4), jitter: 0.2, seed: 111), by: 5000, seed: 2)
        },
        ListCase(name: "3 atoms, xy = 2500·lx (the tilt alone makes images beyond ±2048)", largestImageAtLeast: 2048) {
            randomStructure(count: 3, box: Box(lx: 4, ly: 4.5, lz: 5, xy: 10_000, xz: 3, yz: -2), seed: 112)
        },
    ]

    /// `s` with every atom moved by a random lattice vector with components in −range…range.
    static func displaced(_ s: Structure, by range: Int, seed: UInt64) -> Structure {
        var rng = SplitMix64(seed: seed)
        var out = s
        out.positions = s.positions.map { x in
            x + s.box.translation(SIMD3(Double(rng.int(-range...range)), Double(rng.int(-range...range)),
                                        Double(rng.int(-range...range))))
        }
        return out
    }

    /// Unordered pair images within `radius` according to the list (and whether any came twice).
    static func listPairs(_ list: NeighborList, positions x: [SIMD3<Double>], box: Box, radius: Double)
        -> (set: Set<PairImageKey>, count: Int, duplicates: [PairImageKey]) {
        let rowStart = list.rowStart.array, neighbor = list.neighbor.array, imageIndex = list.imageIndex.array
        let images = list.images
        var set = Set<PairImageKey>(), count = 0, duplicates: [PairImageKey] = []
        for i in 0..<x.count {
            for p in Int(rowStart[i])..<Int(rowStart[i + 1]) {
                let j = Int(neighbor[p]), n = images[Int(imageIndex[p])]
                let d = x[i] - x[j] - box.translation(n)
                if (d * d).sum() < radius * radius {
                    count += 1
                    let key = PairImageKey(i, j, n)
                    if !set.insert(key).inserted { duplicates.append(key) }
                }
            }
        }
        return (set, count, duplicates)
    }

    /// Brute-force unordered pair images within `radius`; pairs within 1e-9 Å² of the radius are
    /// returned separately (they may fall either way under a different summation order).
    static func brutePairs(positions x: [SIMD3<Double>], box: Box, radius: Double)
        -> (set: Set<PairImageKey>, borderline: Set<PairImageKey>) {
        var set = Set<PairImageKey>(), borderline = Set<PairImageKey>()
        for i in x.indices {
            for j in i..<x.count {
                for n in ReferenceEAM.candidateImages(x[i] - x[j], box: box, reach: radius + 1e-6) {
                    if i == j && n == .zero { continue }
                    let d = x[i] - x[j] - box.translation(n)
                    let rsq = (d * d).sum()
                    if abs(rsq - radius * radius) < 1e-9 { borderline.insert(PairImageKey(i, j, n)) } else if rsq < radius * radius {
                        set.insert(PairImageKey(i, j, n))
                    }
                }
            }
        }
        return (set, borderline)
    }

    @Test("list holds exactly the pair images within cutoff and within cutoff + skin", arguments: cases)
    func pairImages(_ c: ListCase) {
        let s = c.make()
        let list = NeighborList(cutoff: Self.cutoff, skin: Self.skin)
        list.build(positions: s.positions, box: s.box)
        #expect(list.rowStart.count == s.count + 1)
        #expect(list.neighbor.count == list.imageIndex.count)
        #expect(list.entryCount == list.neighbor.count)
        let largest = list.images.map { max(abs($0.x), abs($0.y), abs($0.z)) }.max() ?? 0
        #expect(largest >= c.largestImageAtLeast, "largest image component \(largest)")
        for radius in [Self.cutoff, Self.cutoff + Self.skin] {
            let brute = Self.brutePairs(positions: s.positions, box: s.box, radius: radius)
            let got = Self.listPairs(list, positions: s.positions, box: s.box, radius: radius)
            #expect(got.duplicates.isEmpty, "radius \(radius): pair images listed twice: \(got.duplicates.prefix(5))")
            let missing = brute.set.subtracting(got.set), extra = got.set.subtracting(brute.set).subtracting(brute.borderline)
            #expect(missing.isEmpty, "radius \(radius): \(missing.count) of \(brute.set.count) pair images missing, e.g. \(missing.prefix(5))")
            #expect(extra.isEmpty, "radius \(radius): \(extra.count) pair images not within range, e.g. \(extra.prefix(5))")
            #expect(brute.set.count > 0)
        }
        // Every stored entry is within cutoff + skin (the list holds nothing it need not).
        let all = Self.listPairs(list, positions: s.positions, box: s.box, radius: .infinity)
        let reach = Self.listPairs(list, positions: s.positions, box: s.box, radius: Self.cutoff + Self.skin + 1e-9)
        #expect(all.count == reach.count)
    }

    @Test("with per-type-pair cutoffs the list holds exactly the pair images within c_ab + skin", arguments: cases.prefix(6))
    func typePairCutoffs(_ c: ListCase) {
        let s = c.make()
        let list = NeighborList(cutoff: Self.cutoff, skin: Self.skin)
        let types = s.types.map { $0 - 1 }
        let cutoffs = [0.75 * Self.cutoff, Self.cutoff, Self.cutoff, 0.9 * Self.cutoff]  // (1,1) (1,2) (2,1) (2,2)
        list.setPairCutoffs(types: types, typeCount: 2, cutoffs: cutoffs)
        list.build(positions: s.positions, box: s.box)
        let brute = Self.brutePairs(positions: s.positions, box: s.box, radius: Self.cutoff + Self.skin)
        func reach(_ k: PairImageKey) -> Double { cutoffs[Int(types[k.i]) * 2 + Int(types[k.j])] + Self.skin }
        func distance(_ k: PairImageKey) -> Double {
            let d = s.positions[k.i] - s.positions[k.j] - s.box.translation(SIMD3(Double(k.n.x), Double(k.n.y), Double(k.n.z)))
            return (d * d).sum().squareRoot()
        }
        let expected = brute.set.filter { abs(distance($0) - reach($0)) > 1e-9 && distance($0) < reach($0) }
        let got = Self.listPairs(list, positions: s.positions, box: s.box, radius: .infinity)
        #expect(got.duplicates.isEmpty)
        let missing = expected.subtracting(got.set)
        let extra = got.set.filter { distance($0) > reach($0) + 1e-9 }
        #expect(missing.isEmpty, "\(missing.count) of \(expected.count) pair images missing")
        #expect(extra.isEmpty, "\(extra.count) pair images beyond their type pair's reach")
        #expect(expected.count < brute.set.count, "the test should drop some pairs")
    }

    @Test("energy, forces and virial equal a brute-force all-images EAM evaluation", arguments: cases)
    func bruteForceEnergy(_ c: ListCase) {
        let s0 = c.make()
        // Use the random geometries' types with the scaled-cross fs potential (ρ_{Cu→Zr} ≠ ρ_{Zr→Cu}).
        let potential = scalingDensity(cuZr, source: "Cu", host: "Zr", by: 0.8)
        for typeToElement in [[0, 1], [1, 0]] {
            let ours = evaluate(s0, potential: potential, typeToElement: typeToElement)
            let ref = ReferenceEAM(potential: potential, typeToElement: typeToElement)
                .evaluate(positions: s0.positions, types: s0.types, box: s0.box)
            let eErr = relativeError(ours.result.energy, ref.energy)
            #expect(eErr <= 1e-12, "\(typeToElement): energy \(ours.result.energy) vs brute force \(ref.energy) (rel \(eErr))")
            let fScale = max(1, ref.forces.map(maxAbs).max() ?? 0)
            let fErr = maxForceDifference(ours.forces, ref.forces)
            #expect(fErr <= 1e-11 * fScale, "\(typeToElement): max force error \(fErr) (scale \(fScale))")
            let wScale = max(1, ref.virial.components.map(abs).max() ?? 0)
            for (a, b) in zip(ours.result.virial.components, ref.virial.components) {
                #expect(abs(a - b) <= 1e-11 * wScale, "\(typeToElement): virial \(a) vs brute force \(b)")
            }
            let rhoErr = zip(ours.field.density, ref.densities).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
            #expect(rhoErr <= 1e-12, "\(typeToElement): host densities differ by \(rhoErr)")
        }
    }

    @Test("closestPair reports the smallest pair-image distance")
    func closestPair() {
        let s = fccStructure(cells: [2, 2, 2], a: 4.0, tilt: Tilt(xy: 2.2), jitter: 0.4, seed: 111)
        let list = NeighborList(cutoff: Self.cutoff, skin: Self.skin)
        list.build(positions: s.positions, box: s.box)
        let pairs = ReferenceEAM.orderedPairImages(positions: s.positions, box: s.box, cutoff: Self.cutoff)
        let closest = pairs.min { ($0.d * $0.d).sum() < ($1.d * $1.d).sum() }!
        let c = list.closestPair
        #expect(abs(c.distance - (closest.d * closest.d).sum().squareRoot()) < 1e-12)
        #expect(Set([c.i, c.j]) == Set([closest.i, closest.j]))
    }
}
