import Harvest
import MDCore
import StructureAnalysis

/// The harvest's quality gate: adaptive common-neighbour analysis of every sample's inherent structure,
/// and the samples whose crystalline fraction (fcc + hcp + bcc) exceeds `maxCrystallineFraction` left
/// out of the harvest (see `QualityGate`). Used by the study runner and by `pipeline harvest`.
package enum CrystallinityGate {
    /// Largest crystalline fraction of a sample the harvest accepts as a glass.
    ///
    /// Why 10 %: a Cu64Zr36 glass has almost no atom with a perfect crystal signature (measured: the
    /// example 4000-atom glass 0.05 %, 2 bcc atoms; the 108-atom glasses of the tiny study 0 %; glasses of
    /// this alloy are ≲ 2 % by a-CNA at the cooling rates a study uses), and even a 256-atom sample needs
    /// 26 atoms in perfect fcc/hcp/bcc environments to reach 10 %, which random packing does not make. A
    /// sample that crystallized during its quench is ≳ 30 % crystalline (a grain through the periodic
    /// cell), a fully crystallized one ~100 % (measured: Ni80Al20 with NiAlH_jea.eam.alloy, 108 atoms
    /// quenched at 1e12 and 1e13 K/s, 100 % fcc). 10 % sits between with a margin of 3–5× on both
    /// sides, and a nucleus of 10 % of the cell is already large enough to take part in the shear.
    package static let maxCrystallineFraction = 0.10

    static let method = "adaptive common-neighbour analysis (Stukowski, Modelling Simul. Mater. Sci. Eng. 20, 045021 (2012)) of each sample's inherent structure; crystalline = fcc + hcp + bcc"
    static let rule = "a Cu64Zr36 glass is ≲ 2 % crystalline by a-CNA, a sample that crystallized in its quench ≳ 30 %: samples above the limit are left out of the harvest"

    /// One sample to check: its id, the structure file to read, and the name to record for it.
    package struct Sample {
        var id: String
        var path: String
        var name: String

        package init(id: String, path: String, name: String) {
            self.id = id
            self.path = path
            self.name = name
        }
    }

    /// Analyses every sample's structure (in the given order) into a gate with threshold `limit`;
    /// `unchecked` are the ids of samples whose structure was not found.
    package static func check(_ samples: [Sample], unchecked: [String] = [],
                      limit: Double = maxCrystallineFraction) throws(InputError) -> QualityGate {
        var checked: [QualityGate.Sample] = []
        for s in samples {
            let structure = try LAMMPSDataFile.read(path: s.path)
            guard let census = AdaptiveCommonNeighborAnalysis.census(positions: structure.positions, box: structure.box) else {
                throw InputError(path: s.path, reason: "cannot search the neighbours of its atoms (positions not finite or box degenerate)")
            }
            checked.append(QualityGate.Sample(id: s.id, structure: s.name, counts: LocalStructure.allCases.map { census[$0] },
                                              crystallineFraction: census.crystallineFraction))
        }
        return QualityGate(method: method, classes: LocalStructure.allCases.map { $0.name }, maxCrystallineFraction: limit,
                           rule: rule, samples: checked, unchecked: unchecked)
    }

    /// The inherent structure an AQS output directory `DIR/shear/rate-R/sample-K` was sheared from:
    /// `DIR/quench/rate-R/sample-K/inherent.data` (the study layout), accepted only when its FNV-1a
    /// hash is the one the shear's summary.json records for its input structure. nil otherwise.
    package static func inherentStructure(ofHistory directory: String) -> String? {
        var parts = directory.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        while parts.count > 1 && parts.last == "" { parts.removeLast() }
        guard parts.count >= 3, parts[parts.count - 3] == "shear" else { return nil }
        parts[parts.count - 3] = "quench"
        let path = parts.joined(separator: "/") + "/inherent.data"
        guard let summary = try? JSONValue.read(path: directory + "/summary.json"),
              let recorded = summary["inputs"]?["structure_fnv1a64"]?.string,
              let bytes = try? readBinaryFile(path) else { return nil }
        return FNV1a64.hex(FNV1a64.hash(bytes)) == recorded ? path : nil
    }

    /// The quality gate over the histories whose inherent structure can be found (see
    /// `CrystallinityGate.inherentStructure`); the others are listed as unchecked, and when none is
    /// found the gate is skipped, saying so.
    package static func qualityGate(_ directories: [String], limit: Double) throws(InputError) -> QualityGate {
        var found: [CrystallinityGate.Sample] = [], missing: [String] = []
        for d in directories {
            let id = Harvester.sampleID(directory: d)
            if let path = CrystallinityGate.inherentStructure(ofHistory: d) {
                found.append(CrystallinityGate.Sample(id: id, path: path, name: path))
            } else {
                missing.append(id)
            }
        }
        if found.isEmpty {
            printError("harvest: quality gate skipped: no history's inherent structure was found (DIR/quench/rate-R/sample-K/inherent.data beside DIR/shear/rate-R/sample-K, with the hash its summary.json records)")
        }
        return try CrystallinityGate.check(found, unchecked: missing, limit: limit)
    }
}
