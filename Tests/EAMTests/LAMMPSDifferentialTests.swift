import EAM
import Foundation
import MDCore
import Testing

/// Which potential file a differential case uses.
enum PotentialSource: Sendable, Equatable {
    /// potentials/CuZr_mm.eam.fs (its two cross densities are identical).
    case cuZrFs
    /// eam/alloy synthesized from CuZr_mm with ρ_e = ρ_{e→e}.
    case cuZrAlloy
    /// CuZr_mm with ρ_{Cu→Zr} × 0.8, so ρ_{Cu→Zr} ≠ ρ_{Zr→Cu}: catches a swapped density direction.
    case cuZrScaledCross
    /// potentials/Cu-Zr_2.eam.fs (Mendelev 2009, the paper's potential).
    case cuZr2
    /// A file from LAMMPS's potential directory (skipped when not installed).
    case lammps(String, EAMPotential.Format)

    var name: String {
        switch self {
        case .cuZrFs: "CuZr_mm.eam.fs"
        case .cuZrAlloy: "CuZr_mm as eam/alloy"
        case .cuZrScaledCross: "CuZr_mm with ρ(Cu→Zr)×0.8"
        case .cuZr2: "Cu-Zr_2.eam.fs"
        case .lammps(let file, _): file
        }
    }

    var format: EAMPotential.Format {
        switch self {
        case .cuZrFs, .cuZrScaledCross, .cuZr2: .fs
        case .cuZrAlloy: .alloy
        case .lammps(_, let f): f
        }
    }

    /// Path of the file; cancels the test (skip) when an optional external file is absent.
    func path() throws -> String {
        switch self {
        case .cuZrFs: return cuZrPath
        case .cuZrAlloy: return GeneratedPotentials.cuZrAlloy
        case .cuZrScaledCross: return GeneratedPotentials.cuZrScaledCross
        case .lammps(let file, _):
            let path = "/usr/share/lammps/potentials/" + file
            guard FileManager.default.fileExists(atPath: path) else { try Test.cancel("\(path) not installed") }
            return path
        case .cuZr2:
            guard FileManager.default.fileExists(atPath: cuZr2Path) else { try Test.cancel("\(cuZr2Path) does not exist") }
            return cuZr2Path
        }
    }
}

/// One structure + potential + element mapping compared against `lmp`.
struct DifferentialCase: Sendable, CustomTestStringConvertible {
    var source: PotentialSource
    /// Element of each type, type 1 first.
    var elements: [String]
    var cells: SIMD3<Int>
    var a: Double
    var tilt: Tilt = .none
    var fractions: [Double] = [0.64, 0.36]
    var unwrap = false
    var seed: UInt64
    /// A hand-made structure instead of the fcc lattice.
    var custom: (@Sendable () -> Structure)? = nil
    var label: String? = nil

    var testDescription: String {
        if let label { return "\(source.name) \(elements.joined(separator: ",")): \(label)" }
        return "\(source.name) \(elements.joined(separator: ",")) \(cells.x * cells.y * cells.z * 4) atoms a=\(a) \(tilt)\(unwrap ? " unwrapped" : "")"
    }

    func structure() -> Structure {
        if let custom { return custom() }
        return fccStructure(cells: cells, a: a, tilt: tilt, lo: SIMD3(-1.25, 0.5, 2.0), jitter: 0.15,
                     fractions: fractions, unwrap: unwrap, seed: seed)
    }
}

/// Tolerances of the comparison with LAMMPS.
enum DifferentialTolerance {
    static let energyRelative = 1e-10
    static let force = 1e-8       // eV/Å, per component
    static let stress = 1e-7      // GPa
}

/// Compares our energy, forces and stress with LAMMPS's.
func expectMatchesLAMMPS(energy: Double, forces: [SIMD3<Double>], stress: [Double], ids: [Int],
                         lammps: LAMMPSResult, label: String,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    let eErr = relativeError(energy, lammps.energy)
    #expect(eErr <= DifferentialTolerance.energyRelative,
            "\(label): energy \(energy) vs LAMMPS \(lammps.energy) (relative error \(eErr))", sourceLocation: sourceLocation)
    var fErr = 0.0, worst = -1
    for (k, id) in ids.enumerated() {
        guard let f = lammps.forces[id] else {
            Issue.record("\(label): LAMMPS dump has no atom \(id)", sourceLocation: sourceLocation); return
        }
        let e = maxAbs(forces[k] - f)
        if e > fErr { fErr = e; worst = id }
    }
    #expect(fErr <= DifferentialTolerance.force,
            "\(label): max force component error \(fErr) eV/Å (atom \(worst))", sourceLocation: sourceLocation)
    let names = ["xx", "yy", "zz", "xy", "xz", "yz"]
    for c in 0..<6 {
        let err = abs(stress[c] - lammps.stressGPa[c])
        #expect(err <= DifferentialTolerance.stress,
                "\(label): stress \(names[c]) \(stress[c]) GPa vs LAMMPS \(lammps.stressGPa[c]) (error \(err))",
                sourceLocation: sourceLocation)
    }
}

/// Evaluates `c` with the library and with LAMMPS and compares; returns the force field used.
@discardableResult
func runDifferential(_ c: DifferentialCase, sourceLocation: SourceLocation = #_sourceLocation) throws -> EAMForceField {
    let lmp = try LAMMPS.require()
    let path = try c.source.path()
    let potential = c.source == .cuZrFs ? cuZr : try EAMPotential.read(path: path, format: c.source.format)
    let typeToElement = try c.elements.map { name in try #require(potential.elementIndex(name), "\(name) not in \(path)") }
    let s = c.structure()
    let ours = evaluate(s, potential: potential, typeToElement: typeToElement)
    let stress = Stress(virial: ours.result.virial, volume: s.box.volume).components
    let reference = try LAMMPS.singlePoint(lmp, structure: s, potential: path, style: c.source.format.rawValue,
                                           elements: c.elements)
    expectMatchesLAMMPS(energy: ours.result.energy, forces: ours.forces, stress: stress, ids: s.ids,
                        lammps: reference, label: c.testDescription, sourceLocation: sourceLocation)
    return ours.field
}

/// Strong skew that LAMMPS accepts only with `box tilt large`: xy = 1.7·lx, xz = 0.6·lx, yz = −0.7·ly.
let largeSkew = Tilt(xy: 1.7, xz: 0.6, yz: -0.7)
/// xy = 0.5·ly (the box is cubic before tilting, so also 0.5·lx: LAMMPS's limit).
let halfTilt = Tilt(xy: 0.5)

@Suite("EAM vs LAMMPS (lmp run 0)")
struct LAMMPSDifferentialTests {
    static let cases: [DifferentialCase] = [
        // 108 atoms in a 12 Å cube: narrower than 2·(cutoff + skin) = 17.2 Å, so several images count.
        DifferentialCase(source: .cuZrFs, elements: ["Cu", "Zr"], cells: [3, 3, 3], a: 4.0, seed: 1),
        DifferentialCase(source: .cuZrFs, elements: ["Cu", "Zr"], cells: [3, 3, 3], a: 4.0, tilt: halfTilt, seed: 2),
        DifferentialCase(source: .cuZrFs, elements: ["Cu", "Zr"], cells: [3, 3, 3], a: 4.0, tilt: largeSkew,
                         unwrap: true, seed: 3),
        DifferentialCase(source: .cuZrFs, elements: ["Cu", "Zr"], cells: [6, 6, 6], a: 4.0, unwrap: true, seed: 4),
        DifferentialCase(source: .cuZrFs, elements: ["Cu", "Zr"], cells: [6, 6, 6], a: 4.0, tilt: largeSkew, seed: 5),
        // eam/alloy synthesized from the fs file.
        DifferentialCase(source: .cuZrAlloy, elements: ["Cu", "Zr"], cells: [3, 3, 3], a: 4.0, tilt: halfTilt, seed: 6),
        DifferentialCase(source: .cuZrAlloy, elements: ["Cu", "Zr"], cells: [6, 6, 6], a: 4.0, tilt: largeSkew, seed: 7),
        // Swapped element mapping: types 1, 2 → Zr, Cu.
        DifferentialCase(source: .cuZrFs, elements: ["Zr", "Cu"], cells: [3, 3, 3], a: 4.0, tilt: largeSkew, seed: 8),
        DifferentialCase(source: .cuZrAlloy, elements: ["Zr", "Cu"], cells: [3, 3, 3], a: 4.0, seed: 9),
        // ρ_{Cu→Zr} ≠ ρ_{Zr→Cu}: a swapped density direction shows up here (and only here).
        DifferentialCase(source: .cuZrScaledCross, elements: ["Cu", "Zr"], cells: [3, 3, 3], a: 4.0, seed: 10),
        DifferentialCase(source: .cuZrScaledCross, elements: ["Zr", "Cu"], cells: [3, 3, 3], a: 4.0, tilt: largeSkew, seed: 11),
        DifferentialCase(source: .cuZrScaledCross, elements: ["Cu", "Zr"], cells: [6, 6, 6], a: 4.0, tilt: halfTilt, seed: 12),
        // Three atom types, two of them Cu (distinct types sharing an element).
        DifferentialCase(source: .cuZrScaledCross, elements: ["Cu", "Zr", "Cu"], cells: [3, 3, 3], a: 4.0,
                         tilt: halfTilt, fractions: [0.4, 0.36, 0.24], seed: 13),
        // Genuine files from LAMMPS: eam/alloy with file order Ni, Cu mapped Cu, Ni; Nrho ≠ Nr with a
        // coarse drho; a one-element file with one value per line and Nr not a multiple of 5, two types
        // both Cu; a three-element eam/fs file (lower-triangle rφ order 11, 21, 22, 31, 32, 33), permuted.
        DifferentialCase(source: .lammps("CuNi.eam.alloy", .alloy), elements: ["Cu", "Ni"], cells: [3, 3, 3], a: 3.58,
                         tilt: largeSkew, seed: 14),
        DifferentialCase(source: .lammps("AlCu.eam.alloy", .alloy), elements: ["Al", "Cu"], cells: [3, 3, 3], a: 3.9,
                         tilt: halfTilt, seed: 15),
        DifferentialCase(source: .lammps("Cu_mishin1.eam.alloy", .alloy), elements: ["Cu", "Cu"], cells: [3, 3, 3],
                         a: 3.615, tilt: Tilt(xy: -0.3, yz: 0.2), seed: 16),
        DifferentialCase(source: .lammps("NiAlH_jea.eam.fs", .fs), elements: ["H", "Ni", "Al"], cells: [3, 3, 3],
                         a: 3.6, tilt: largeSkew, fractions: [0.1, 0.6, 0.3], seed: 17),
        DifferentialCase(source: .lammps("NiAlH_jea.eam.fs", .fs), elements: ["Al", "H", "Ni"], cells: [3, 3, 3],
                         a: 3.6, fractions: [0.3, 0.1, 0.6], seed: 18),
    ]

    @Test("library matches LAMMPS", arguments: cases)
    func library(_ c: DifferentialCase) throws {
        try runDifferential(c)
    }

    @Test("Cu-Zr_2.eam.fs (Mendelev 2009, the paper's potential)", arguments: [
        DifferentialCase(source: .cuZr2, elements: ["Cu", "Zr"], cells: [3, 3, 3], a: 4.0, tilt: largeSkew, seed: 21),
        DifferentialCase(source: .cuZr2, elements: ["Zr", "Cu"], cells: [6, 6, 6], a: 4.0, tilt: halfTilt, seed: 22),
    ])
    func externalPotential(_ c: DifferentialCase) throws {
        try runDifferential(c)
    }

    @Test("densities above rhomax (linear extension of F) and ρ near zero")
    func extremeDensities() throws {
        // Compressed fcc (nearest neighbours 1.8 Å): Zr hosts exceed rhomax = 299.97.
        let dense = DifferentialCase(source: .cuZrScaledCross, elements: ["Cu", "Zr"], cells: [4, 4, 4], a: 2.55,
                                     tilt: Tilt(xy: 0.2), fractions: [0.3, 0.7], seed: 51)
        let field = try runDifferential(dense)
        let rhoMax = Double(cuZr.nrho - 1) * cuZr.drho
        #expect(field.density.max()! > rhoMax, "no host density above rhomax (max \(field.density.max()!))")
        // Sparse: fcc with 7 Å spacing, most densities tiny; plus hand-placed edge cases below.
        let sparse = DifferentialCase(source: .cuZrFs, elements: ["Zr", "Cu"], cells: [2, 2, 2], a: 11.0,
                                      fractions: [0.5, 0.5], seed: 52)
        try runDifferential(sparse)
    }

    @Test("pair distances at the end of the r table and at the cutoff; an isolated atom (ρ = 0)")
    func cutoffEdges() throws {
        // A 40 Å cube: no image is within reach. dr·(Nr − 1) = 7.59924 Å < cutoff 7.6 Å.
        let custom: @Sendable () -> Structure = {
            let box = Box(lo: SIMD3(-20, -20, -20), lx: 40, ly: 40, lz: 40)
            let p: [SIMD3<Double>] = [
                [0, 0, 0],
                [7.5995, 0, 0],               // between the last knot and the cutoff: value frozen, slope not
                [0, 7.59999999, 0],           // just inside the cutoff
                [0, 0, -7.6000001],           // just outside
                [-7.5992, 0.01, 0],           // just below the last knot
                [15, 15, 15],                 // isolated: ρ = 0, F(0)
                [-15, 12, -10], [-12.5, 12, -10],  // a lone pair at 2.5 Å
            ]
            return Structure(box: box, typeCount: 2, ids: Array(1...p.count), types: [1, 2, 1, 2, 2, 1, 1, 2], positions: p)
        }
        for elements in [["Cu", "Zr"], ["Zr", "Cu"]] {
            let field = try runDifferential(DifferentialCase(source: .cuZrScaledCross, elements: elements, cells: [1, 1, 1],
                                                             a: 1, seed: 0, custom: custom, label: "cutoff edges"))
            #expect(field.density[5] == 0)
        }
    }

    @Test("4000 atoms, tilted")
    func large() throws {
        try runDifferential(DifferentialCase(source: .cuZrScaledCross, elements: ["Cu", "Zr"], cells: [10, 10, 10],
                                             a: 4.0, tilt: Tilt(xy: 0.3, xz: -0.2, yz: 0.1), seed: 31))
    }

    @Test("pipeline evaluate matches LAMMPS and the library bit for bit")
    func pipelineExecutable() throws {
        let lmp = try LAMMPS.require()
        let pipeline = try requirePipeline()
        let c = DifferentialCase(source: .cuZrScaledCross, elements: ["Zr", "Cu"], cells: [3, 3, 3], a: 4.0,
                                 tilt: largeSkew, unwrap: true, seed: 41)
        let path = try c.source.path()
        let s = c.structure()
        let dir = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("glass.data").path
        let forcesPath = dir.appendingPathComponent("forces.csv").path
        try LAMMPSDataFile.write(s, to: data)
        let out = try runProcess(pipeline, ["evaluate", data, "--potential", path, "--elements", "Zr,Cu",
                                            "--forces", forcesPath, "--threads", "2"])
        #expect(out.status == 0, "pipeline failed: \(out.stderr)")
        let jsonLines = out.stdout.split(separator: "\n")
        #expect(jsonLines.count == 1, "expected one JSON line, got: \(out.stdout)")
        // (JSONDecoder reads doubles exactly; Linux JSONSerialization can be off by a few ulp.)
        let json = try JSONDecoder().decode(EvaluateOutput.self, from: Data(out.stdout.utf8))
        let energy = json.energy_eV
        let stress = [json.stress_GPa.xx, json.stress_GPa.yy, json.stress_GPa.zz,
                      json.stress_GPa.xy, json.stress_GPa.xz, json.stress_GPa.yz]
        #expect(json.atoms == s.count)
        #expect(relativeError(json.volume_A3, s.box.volume) < 1e-15)
        #expect(json.seconds_per_evaluation >= 0)

        // Forces CSV: header, then id,fx,fy,fz sorted by id.
        let csv = try String(contentsOfFile: forcesPath, encoding: .utf8).split(separator: "\n")
        #expect(csv.first == "id,fx,fy,fz")
        var forceByID: [Int: SIMD3<Double>] = [:]
        var previousID = 0
        for line in csv.dropFirst() {
            let t = line.split(separator: ",")
            let id = try #require(Int(t[0]))
            #expect(id > previousID, "forces CSV not sorted by id")
            previousID = id
            forceByID[id] = SIMD3(try #require(Double(t[1])), try #require(Double(t[2])), try #require(Double(t[3])))
        }
        #expect(forceByID.count == s.count)
        let forces = s.ids.map { forceByID[$0] ?? SIMD3(repeating: .nan) }

        let reference = try LAMMPS.singlePoint(lmp, structure: s, potential: path, style: "eam/fs", elements: c.elements)
        expectMatchesLAMMPS(energy: energy, forces: forces, stress: stress, ids: s.ids, lammps: reference,
                            label: "pipeline evaluate")

        // The executable and the library agree exactly (the JSON and CSV carry round-trip decimals).
        // (Evaluate what the executable read: the box edges come back from xlo/xhi text.)
        let potential = try EAMPotential.read(path: path, format: .fs)
        let readBack = try LAMMPSDataFile.read(path: data)
        let ours = evaluate(readBack, potential: potential, typeToElement: [1, 0], threads: 1)
        let ourStress = Stress(virial: ours.result.virial, volume: readBack.box.volume).components
        #expect(energy.bitPattern == ours.result.energy.bitPattern)
        #expect(zip(stress, ourStress).allSatisfy { $0.bitPattern == $1.bitPattern })
        #expect(bitwiseEqual(forces, ours.forces))
    }
}

/// The JSON line printed by `pipeline evaluate`.
struct EvaluateOutput: Decodable {
    struct StressGPa: Decodable { var xx, yy, zz, xy, xz, yz: Double }
    var atoms: Int
    var energy_eV: Double
    var volume_A3: Double
    var stress_GPa: StressGPa
    var seconds_per_evaluation: Double
}
