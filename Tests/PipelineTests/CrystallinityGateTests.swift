import Foundation
import MDCore
import Testing
@testable import Study

/// The harvest's quality gate on real files: the example Cu64Zr36 glass passes, a B2 crystal of the
/// same composition's kind is left out; `pipeline harvest` finds a history's inherent structure only
/// where the shear's summary.json records its hash.
@Suite struct CrystallinityGateTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// A B2 (CsCl) crystal, 6×6×6 cells of edge `a` Å, two atom types.
    static func b2(a: Double) -> Structure {
        var x: [SIMD3<Double>] = [], t: [Int32] = []
        for i in 0..<6 { for j in 0..<6 { for k in 0..<6 {
            let corner = a * SIMD3(Double(i), Double(j), Double(k))
            x.append(corner); t.append(1)
            x.append(corner + SIMD3(repeating: a / 2)); t.append(2)
        }}}
        return Structure(box: Box.cube(6 * a), typeCount: 2, masses: [63.546, 91.224], ids: Array(1...x.count), types: t, positions: x)
    }

    /// DIR/quench/rate-1e13/sample-00K/inherent.data (the glass, then the crystal) and the shear summaries
    /// beside them; `recordHash` says whether each summary records its structure's hash.
    static func studyLike(recordHash: [Bool]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seem-gate-\(UUID().uuidString)").path
        let glass = try LAMMPSDataFile.read(path: repoRoot + "/examples/CuZr-glass-4000.data")
        for (k, structure) in [glass, b2(a: 3.26)].enumerated() {
            let q = dir + "/quench/rate-1e13/sample-00\(k)", s = dir + "/shear/rate-1e13/sample-00\(k)"
            try FileManager.default.createDirectory(atPath: q, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: s, withIntermediateDirectories: true)
            try LAMMPSDataFile.write(structure, to: q + "/inherent.data")
            let hash = recordHash[k] ? FNV1a64.hex(FNV1a64.hash(try readBinaryFile(q + "/inherent.data"))) : "0000000000000000"
            try AtomicFile.write("{\"atoms\": \(structure.count), \"inputs\": {\"structure_fnv1a64\": \"\(hash)\"}}\n", to: s + "/summary.json")
        }
        return dir
    }

    @Test func glassPassesCrystalIsLeftOut() throws {
        let dir = try Self.studyLike(recordHash: [true, true])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let samples = (0..<2).map { k in
            CrystallinityGate.Sample(id: "rate-1e13/sample-00\(k)", path: dir + "/quench/rate-1e13/sample-00\(k)/inherent.data",
                                     name: "../quench/rate-1e13/sample-00\(k)/inherent.data")
        }
        let gate = try CrystallinityGate.check(samples)
        #expect(gate.samples.count == 2)
        #expect(gate.samples[0].crystallineFraction < 0.02, "glass: \(gate.samples[0])")
        #expect(gate.samples[1].crystallineFraction == 1, "B2: \(gate.samples[1])")
        #expect(gate.excluded.map { $0.id } == ["rate-1e13/sample-001"])
        #expect(gate.classes == ["other", "fcc", "hcp", "bcc", "ico"])
        #expect(gate.samples[1].counts[3] == 432)   // every atom bcc
        #expect(gate.report.count == 2 && gate.report[0].contains("rate-1e13/sample-001 left out: 100.0 % crystalline"), "\(gate.report)")
    }

    @Test func historyFindsItsInherentStructureOnlyByHash() throws {
        let dir = try Self.studyLike(recordHash: [true, false])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(CrystallinityGate.inherentStructure(ofHistory: dir + "/shear/rate-1e13/sample-000")
                == dir + "/quench/rate-1e13/sample-000/inherent.data")
        #expect(CrystallinityGate.inherentStructure(ofHistory: dir + "/shear/rate-1e13/sample-000/")
                == dir + "/quench/rate-1e13/sample-000/inherent.data")
        #expect(CrystallinityGate.inherentStructure(ofHistory: dir + "/shear/rate-1e13/sample-001") == nil)   // hash differs
        #expect(CrystallinityGate.inherentStructure(ofHistory: dir + "/elsewhere/sample-000") == nil)
        let gate = try CrystallinityGate.qualityGate([dir + "/shear/rate-1e13/sample-000", dir + "/shear/rate-1e13/sample-001"], limit: 0.1)
        #expect(gate.samples.map { $0.id } == ["rate-1e13/sample-000"])
        #expect(gate.unchecked == ["rate-1e13/sample-001"])
    }
}
