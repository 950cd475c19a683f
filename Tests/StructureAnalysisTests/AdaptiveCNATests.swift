import Foundation
import MDCore
import Testing
@testable import StructureAnalysis

/// a-CNA classifies perfect and slightly disordered crystals as their class, in orthogonal, tilted and
/// primitive (one-atom) cells, and a real Cu64Zr36 glass as almost entirely non-crystalline.
@Suite struct AdaptiveCNATests {
    static func census(_ s: Structure) throws -> StructureCensus {
        try #require(AdaptiveCommonNeighborAnalysis.census(positions: s.positions, box: s.box))
    }

    @Test(arguments: [2.9, 3.615, 4.05])
    func fccIsFcc(a: Double) throws {
        let perfect = Lattices.cubic(Lattices.fccBasis, a: a, n: 4)
        #expect(try Self.census(perfect)[.fcc] == perfect.count)
        // Random displacements of 3% of the lattice constant keep every signature.
        let shaken = Lattices.jittered(perfect, amplitude: 0.03 * a, seed: 7)
        #expect(try Self.census(shaken)[.fcc] == perfect.count)
        // One conventional cell alone: each atom meets its own images and several of every neighbour.
        #expect(try Self.census(Lattices.cubic(Lattices.fccBasis, a: a, n: 1))[.fcc] == 4)
        #expect(try Self.census(Lattices.fccPrimitive(a: a))[.fcc] == 1)
    }

    @Test(arguments: [2.5, 3.2])
    func hcpIsHcp(a: Double) throws {
        let perfect = Lattices.hcp(a: a, n: 4)
        #expect(try Self.census(perfect)[.hcp] == perfect.count)
        let shaken = Lattices.jittered(perfect, amplitude: 0.03 * a, seed: 8)
        #expect(try Self.census(shaken)[.hcp] == perfect.count)
        #expect(try Self.census(Lattices.hcp(a: a, n: 1))[.hcp] == 4)
    }

    @Test(arguments: [2.87, 3.3, 3.26])
    func bccAndB2AreBcc(a: Double) throws {
        for twoSpecies in [false, true] {
            let perfect = Lattices.cubic(Lattices.bccBasis, a: a, n: 5, twoSpecies: twoSpecies)
            #expect(try Self.census(perfect)[.bcc] == perfect.count)
            let shaken = Lattices.jittered(perfect, amplitude: 0.02 * a, seed: 9)
            #expect(try Self.census(shaken)[.bcc] == perfect.count)
            #expect(try Self.census(Lattices.cubic(Lattices.bccBasis, a: a, n: 1, twoSpecies: twoSpecies))[.bcc] == 2)
        }
        #expect(try Self.census(Lattices.bccPrimitive(a: a))[.bcc] == 1)
    }

    /// The same fcc crystal in a cell tilted by whole lattice translations (xy = a, xz = −2a, yz = 3a)
    /// and displaced off the origin: same crystal, same classes.
    @Test func tiltedCellOfTheSameCrystal() throws {
        var s = Lattices.cubic(Lattices.fccBasis, a: 3.6, n: 4)
        s.box.xy = 3.6; s.box.xz = -7.2; s.box.yz = 10.8
        s.box.lo = SIMD3(-5, 2, 1)
        #expect(try Self.census(s)[.fcc] == s.count)
    }

    /// A homogeneous 5 % simple shear leaves fcc (the cutoff is set between shells); random displacements
    /// of 30 % of the lattice constant leave no crystal.
    @Test func strainedAndDisorderedCrystal() throws {
        let s = Lattices.cubic(Lattices.fccBasis, a: 3.6, n: 4)
        var sheared = s
        sheared.box.xy = 0.05 * s.box.ly
        for i in 0..<s.count { sheared.positions[i].x += 0.05 * s.positions[i].y }
        #expect(try Self.census(sheared)[.fcc] == s.count)
        let melted = try Self.census(Lattices.jittered(s, amplitude: 0.3 * 3.6, seed: 11))
        #expect(melted.crystallineFraction < 0.05, "\(melted.counts)")
    }

    @Test func icosahedronCentreIsIcosahedral() throws {
        let s = Lattices.icosahedron(r: 2.7, edge: 20)
        let classes = try #require(AdaptiveCommonNeighborAnalysis.classify(positions: s.positions, box: s.box))
        #expect(classes[0] == .icosahedral)
        #expect(classes[1...].allSatisfy { $0 == .other })
        let shaken = Lattices.jittered(s, amplitude: 0.05, seed: 3)
        #expect(AdaptiveCommonNeighborAnalysis.classify(positions: shaken.positions, box: shaken.box)?[0] == .icosahedral)
    }

    /// Same positions and box, same classes, whatever order the atoms come in.
    @Test func independentOfAtomOrder() throws {
        let s = Lattices.jittered(Lattices.hcp(a: 2.9, n: 3), amplitude: 0.35, seed: 5)
        let forward = try #require(AdaptiveCommonNeighborAnalysis.classify(positions: s.positions, box: s.box))
        let backward = try #require(AdaptiveCommonNeighborAnalysis.classify(positions: s.positions.reversed(), box: s.box))
        #expect(forward == Array(backward.reversed()))
        #expect(forward.contains(.hcp) && forward.contains(.other))   // a mixed case, not a trivial one
    }

    static let repository: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The example 4000-atom Cu64Zr36 glass (LAMMPS melt-quench, minimized): hardly any crystalline
    /// atom, some icosahedral centres, and fast.
    @Test func cuZrGlassIsNotCrystalline() throws {
        let glass = try LAMMPSDataFile.read(path: Self.repository + "/examples/CuZr-glass-4000.data")
        let t0 = MonotonicClock.seconds()
        let c = try Self.census(glass)
        let seconds = MonotonicClock.seconds() - t0
        #expect(c.total == 4000)
        #expect(c.crystallineFraction < 0.02, "crystalline fraction \(c.crystallineFraction): \(c.counts)")
        #expect(c[.icosahedral] > 0, "\(c.counts)")
        #expect(seconds < 5, "a-CNA of 4000 atoms took \(seconds) s")  // debug build; release is ~20× faster
        print("CuZr-glass-4000: fcc \(c[.fcc]) hcp \(c[.hcp]) bcc \(c[.bcc]) ico \(c[.icosahedral]) other \(c[.other]); crystalline fraction \(c.crystallineFraction); \(seconds) s")
    }
}
