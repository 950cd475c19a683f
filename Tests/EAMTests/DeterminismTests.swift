import EAM
import MDCore
import Neighbors
import Testing

@Suite("Determinism and neighbor-list reuse")
struct DeterminismTests {
    /// 864 atoms.
    static func structure(tilt: Tilt = Tilt(xy: 0.45, xz: -0.2, yz: 0.3)) -> Structure {
        fccStructure(cells: [6, 6, 6], a: 4.0, tilt: tilt, jitter: 0.2, unwrap: true, seed: 301)
    }
    static let potential = scalingDensity(cuZr, source: "Cu", host: "Zr", by: 0.8)

    func expectIdentical(_ a: EnergyAndVirial, _ fa: [SIMD3<Double>], _ b: EnergyAndVirial, _ fb: [SIMD3<Double>],
                         _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.energy.bitPattern == b.energy.bitPattern, "\(label): energy \(a.energy) vs \(b.energy)",
                sourceLocation: sourceLocation)
        #expect(bitwiseEqual(a.virial, b.virial), "\(label): virial differs", sourceLocation: sourceLocation)
        #expect(bitwiseEqual(fa, fb), "\(label): forces differ (max \(maxForceDifference(fa, fb)))",
                sourceLocation: sourceLocation)
    }

    @Test("bit-identical for 1, 2, 3 and 8 threads", arguments: [Tilt.none, largeSkew])
    func threadCounts(_ tilt: Tilt) {
        // 4·9·9·10 = 3240 atoms: 3 blocks (a block per 1000 atoms), so 2, 3 and 8 threads split the
        // blocks differently.
        let s = fccStructure(cells: [9, 9, 10], a: 4.0, tilt: tilt, jitter: 0.2, unwrap: true, seed: 301)
        #expect(EAMForceField.blockCount(atoms: s.count) == 3)
        let reference = evaluate(s, potential: Self.potential, typeToElement: [0, 1], threads: 1)
        for threads in [2, 3, 8] {
            let other = evaluate(s, potential: Self.potential, typeToElement: [0, 1], threads: threads)
            expectIdentical(reference.result, reference.forces, other.result, other.forces, "\(threads) threads")
            // Changing the thread count of a live force field changes nothing either.
            reference.field.threads = threads
            var f: [SIMD3<Double>] = []
            let again = reference.field.evaluate(s.positions, box: s.box, forces: &f)
            expectIdentical(reference.result, reference.forces, again, f, "re-evaluation with \(threads) threads")
        }
    }

    @Test("a list built at earlier positions gives the same bits as a fresh one")
    func staleListSameBits() {
        let s = Self.structure()
        var rng = SplitMix64(seed: 302)
        let field = EAMForceField(potential: Self.potential, types: s.types, typeToElement: [0, 1], skin: 1.0, threads: 2)
        var f: [SIMD3<Double>] = []
        _ = field.evaluate(s.positions, box: s.box, forces: &f)  // A: builds the list
        #expect(field.neighbors.buildCount == 1)
        // B: every atom moved by up to 0.12 Å per component: relative moves ≤ 0.42 Å < skin/2.
        let moved = s.positions.map { $0 + rng.vector(0.12) }
        let atB = field.evaluate(moved, box: s.box, forces: &f)
        #expect(field.neighbors.buildCount == 1, "a move smaller than half the skin must not rebuild")
        let fresh = evaluate(Structure(box: s.box, typeCount: 2, ids: s.ids, types: s.types, positions: moved),
                             potential: Self.potential, typeToElement: [0, 1], threads: 1)
        expectIdentical(atB, f, fresh.result, fresh.forces, "stale list vs fresh list")
    }

    @Test("the same with atoms thousands of box lengths outside the box (far images)")
    func staleListFarImages() {
        let base = fccStructure(cells: [3, 3, 3], a: 4.0, tilt: Tilt(xy: 0.2), jitter: 0.2, seed: 307)
        let s = NeighborListTests.displaced(base, by: 3000, seed: 3)
        let field = EAMForceField(potential: Self.potential, types: s.types, typeToElement: [0, 1], skin: 1.0, threads: 2)
        var f: [SIMD3<Double>] = []
        _ = field.evaluate(s.positions, box: s.box, forces: &f)
        var rng = SplitMix64(seed: 308)
        let moved = s.positions.map { $0 + rng.vector(0.1) }
        let atB = field.evaluate(moved, box: s.box, forces: &f)
        #expect(field.neighbors.buildCount == 1)
        var b = s
        b.positions = moved
        let fresh = evaluate(b, potential: Self.potential, typeToElement: [0, 1], threads: 3)
        expectIdentical(atB, f, fresh.result, fresh.forces, "far images")
        // And the same physics as the wrapped structure (to round-off of the large coordinates).
        var wrapped = b
        wrapped.positions = moved.map { s.box.wrap($0).position }
        let w = evaluate(wrapped, potential: Self.potential, typeToElement: [0, 1])
        #expect(relativeError(w.result.energy, atB.energy) < 1e-11)
        #expect(maxForceDifference(w.forces, f) < 1e-8)
    }

    @Test("the same under an affine shear of the box (list reused across the shear)",
          arguments: [0.01, -0.02, 0.04])
    func staleListUnderShear(_ gamma: Double) {
        let s = Self.structure()
        let field = EAMForceField(potential: Self.potential, types: s.types, typeToElement: [0, 1], skin: 1.0, threads: 2)
        var f: [SIMD3<Double>] = []
        _ = field.evaluate(s.positions, box: s.box, forces: &f)
        // Shear xy by γ (x += γ·y), then jiggle atoms a little on top.
        let sheared = strained(s, 0, 1, by: gamma)
        var rng = SplitMix64(seed: 303)
        let x = sheared.positions.map { $0 + rng.vector(0.03) }
        let atB = field.evaluate(x, box: sheared.box, forces: &f)
        #expect(field.neighbors.buildCount == 1, "a shear of γ = \(gamma) with skin 1 Å must not rebuild")
        let fresh = evaluate(Structure(box: sheared.box, typeCount: 2, ids: s.ids, types: s.types, positions: x),
                             potential: Self.potential, typeToElement: [0, 1], threads: 3)
        expectIdentical(atB, f, fresh.result, fresh.forces, "sheared γ = \(gamma)")
    }

    @Test("needsRebuild: false for small moves and uniform translation, true past half the skin or a large shear")
    func rebuildCriterion() {
        let s = fccStructure(cells: [4, 4, 4], a: 4.0, jitter: 0.1, seed: 304)
        let skin = 1.0
        let list = NeighborList(cutoff: 7.6, skin: skin)
        list.build(positions: s.positions, box: s.box)
        func needs(_ x: [SIMD3<Double>], _ box: Box) -> Bool {
            list.needsRebuild(positions: x, box: box)
        }
        #expect(!needs(s.positions, s.box))
        // A different number of atoms always needs a rebuild.
        #expect(needs(Array(s.positions.dropLast()), s.box))

        // A pair distance changes by at most |u_i − u_j|. One atom (not atom 0) moved by 0.9·skin:
        // fine; by 1.1·skin: rebuild. Two atoms moved 0.45·skin apart each: fine; 0.55·skin: rebuild.
        var x = s.positions
        x[17].x += 0.9 * skin
        #expect(!needs(x, s.box))
        x[17].x = s.positions[17].x + 1.1 * skin
        #expect(needs(x, s.box))
        x = s.positions
        x[17].x += 0.45 * skin; x[5].x -= 0.45 * skin
        #expect(!needs(x, s.box))
        x[17].x += 0.1 * skin; x[5].x -= 0.1 * skin
        #expect(needs(x, s.box))
        // Atom 0 alone moved past the skin also counts.
        x = s.positions
        x[0].y -= 1.1 * skin
        #expect(needs(x, s.box))
        // A rigid translation of everything changes no distance.
        #expect(!needs(s.positions.map { $0 + SIMD3(3.0, -2.0, 5.0) }, s.box))

        // Affine shear: small is fine, large needs a rebuild (even with no non-affine motion).
        let small = strained(s, 0, 1, by: 0.02)
        #expect(!needs(small.positions, small.box))
        let large = strained(s, 0, 1, by: 0.2)
        #expect(needs(large.positions, large.box))
        // A large shear of the box with atoms left where they were is a rebuild too.
        #expect(needs(s.positions, large.box))
        // Uniform compression: 5% keeps every left-out pair beyond 7.6 Å (8.6·0.95 > 7.6); 10% does not.
        let c5 = compressed(s, by: 0.05), c10 = compressed(s, by: 0.10)
        #expect(!needs(c5.positions, c5.box))
        #expect(needs(c10.positions, c10.box))
    }

    @Test("the same when the shear crosses xy = lx/2 (the list's reduced basis changes)",
          arguments: [(0.49, 0.02), (-0.51, 0.03), (1.49, 0.02)])
    func staleListAcrossReducedBasisChange(_ start: Double, _ gamma: Double) {
        // A small cell, so atoms see their own images and the ±n choice for self-image pairs matters.
        let s = fccStructure(cells: [2, 2, 2], a: 4.0, tilt: Tilt(xy: start, yz: 0.49), jitter: 0.2, seed: 306)
        let field = EAMForceField(potential: Self.potential, types: s.types, typeToElement: [0, 1], skin: 1.0, threads: 2)
        var f: [SIMD3<Double>] = []
        _ = field.evaluate(s.positions, box: s.box, forces: &f)
        // Shear xy and yz across the half-integer tilts.
        let b1 = strained(s, 0, 1, by: gamma)
        let mid = Structure(box: b1.box, typeCount: 2, ids: s.ids, types: s.types, positions: b1.positions)
        let b2 = strained(mid, 1, 2, by: gamma)
        let atB = field.evaluate(b2.positions, box: b2.box, forces: &f)
        #expect(field.neighbors.buildCount == 1)
        let fresh = evaluate(Structure(box: b2.box, typeCount: 2, ids: s.ids, types: s.types, positions: b2.positions),
                             potential: Self.potential, typeToElement: [0, 1], threads: 1)
        expectIdentical(atB, f, fresh.result, fresh.forces, "tilt \(start) sheared by \(gamma)")
    }

    @Test("a list reused across a 5% compression gives the same bits as a fresh one")
    func staleListUnderCompression() {
        let s = Self.structure()
        let field = EAMForceField(potential: Self.potential, types: s.types, typeToElement: [0, 1], skin: 1.0, threads: 2)
        var f: [SIMD3<Double>] = []
        _ = field.evaluate(s.positions, box: s.box, forces: &f)
        let c = compressed(s, by: 0.05)
        let atB = field.evaluate(c.positions, box: c.box, forces: &f)
        #expect(field.neighbors.buildCount == 1)
        let fresh = evaluate(c, potential: Self.potential, typeToElement: [0, 1], threads: 1)
        expectIdentical(atB, f, fresh.result, fresh.forces, "compressed 5%")
    }

    @Test("random deformations and moves the rebuild test lets through never change the result")
    func randomStaleLists() {
        let s = fccStructure(cells: [3, 3, 3], a: 4.0, tilt: Tilt(xy: 0.3, yz: -0.2), jitter: 0.2, seed: 309)
        var rng = SplitMix64(seed: 310)
        var accepted = 0
        for trial in 0..<24 {
            let field = EAMForceField(potential: Self.potential, types: s.types, typeToElement: [0, 1], skin: 1.0, threads: 2)
            var f: [SIMD3<Double>] = []
            _ = field.evaluate(s.positions, box: s.box, forces: &f)
            // Random upper-triangular F = I + E with ‖E‖ up to ~0.1, then random per-atom moves.
            let scale = rng.uniform(0, 0.06)
            var box = s.box
            let e = (0..<6).map { _ in rng.uniform(-scale, scale) }
            box.lx *= 1 + e[0]; box.ly *= 1 + e[1]; box.lz *= 1 + e[2]
            box.xy += e[3] * s.box.ly; box.xz += e[4] * s.box.lz; box.yz += e[5] * s.box.lz
            let move = rng.uniform(0, 0.3)
            let x = s.positions.map { s.box.remap($0, to: box) + rng.vector(move) }
            let needs = field.neighbors.needsRebuild(positions: x, box: box)
            let atB = field.evaluate(x, box: box, forces: &f)
            #expect(field.neighbors.buildCount == (needs ? 2 : 1))
            if needs { continue }
            accepted += 1
            var b = s
            b.box = box
            b.positions = x
            let fresh = evaluate(b, potential: Self.potential, typeToElement: [0, 1], threads: 1)
            expectIdentical(atB, f, fresh.result, fresh.forces, "trial \(trial) (strain scale \(scale), move \(move))")
        }
        #expect(accepted >= 5, "only \(accepted) trials stayed within the skin")
    }

    @Test("a force field rebuilds by itself when atoms move beyond the skin, and stays exact")
    func automaticRebuild() {
        let s = fccStructure(cells: [3, 3, 3], a: 4.0, jitter: 0.1, seed: 305)
        let field = EAMForceField(potential: cuZr, types: s.types, typeToElement: [0, 1], skin: 0.5, threads: 2)
        var f: [SIMD3<Double>] = []
        _ = field.evaluate(s.positions, box: s.box, forces: &f)
        var x = s.positions
        x[5] += SIMD3(0.6, -0.4, 0.3)
        let e = field.evaluate(x, box: s.box, forces: &f)
        #expect(field.neighbors.buildCount == 2)
        let ref = ReferenceEAM(potential: cuZr, typeToElement: [0, 1]).evaluate(positions: x, types: s.types, box: s.box)
        #expect(relativeError(e.energy, ref.energy) < 1e-12)
        #expect(maxForceDifference(f, ref.forces) < 1e-10)
    }
}

/// `s` compressed homogeneously by `fraction` along every axis (box and atoms, affine).
func compressed(_ s: Structure, by fraction: Double) -> Structure {
    var box = s.box
    box.lx *= 1 - fraction; box.ly *= 1 - fraction; box.lz *= 1 - fraction
    box.xy *= 1 - fraction; box.xz *= 1 - fraction; box.yz *= 1 - fraction
    var out = s
    out.box = box
    out.positions = s.positions.map { s.box.remap($0, to: box) }
    return out
}
