import ArgumentParser
import MDCore
import Study
import StructureAnalysis

/// `pipeline structure`: adaptive common-neighbour analysis of LAMMPS data files (the harvest's quality
/// gate measure), for checking a glass by hand or against OVITO (scripts/check-acna-ovito.py).
struct StructureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "structure",
        abstract: "Adaptive common-neighbour analysis (Stukowski 2012) of LAMMPS data files: atoms per class and the crystalline fraction.",
        discussion: """
        Prints one line per file: atoms that are fcc, hcp, bcc, icosahedral centres and other, and the crystalline \
        fraction (fcc + hcp + bcc)/N that the harvest's quality gate compares with its limit \
        (\(CrystallinityGate.maxCrystallineFraction)). With --per-atom, also writes DIR/NAME.acna.csv per file: \
        id,type,structure for every atom in file order, structure numbered as OVITO numbers it \
        (0 other, 1 fcc, 2 hcp, 3 bcc, 4 ico).
        """
    )

    @Argument(help: "LAMMPS data files (atom_style atomic).")
    var files: [String]

    @Option(name: .customLong("per-atom"), help: "Directory for per-atom classes (NAME.acna.csv).")
    var perAtom: String?

    func run() throws {
        try reportingInputErrors {
            for path in files {
                let s = try LAMMPSDataFile.read(path: path)
                guard let classes = AdaptiveCommonNeighborAnalysis.classify(positions: s.positions, box: s.box) else {
                    throw InputError(path: path, reason: "cannot search the neighbours of its atoms (positions not finite or box degenerate)")
                }
                let c = StructureCensus(classes)
                let counts = LocalStructure.allCases.filter { $0 != .other }.map { "\($0.name) \(c[$0])" } + ["other \(c[.other])"]
                print("\(path): \(s.count) atoms: \(counts.joined(separator: ", ")); crystalline fraction \(roundTrip(c.crystallineFraction))")
                if let perAtom {
                    var csv = "id,type,structure\n"
                    for i in 0..<s.count { csv += "\(s.ids[i]),\(s.types[i]),\(classes[i].rawValue)\n" }
                    let name = path.split(separator: "/").last.map(String.init) ?? path
                    try AtomicFile.write(csv, to: perAtom + "/" + name + ".acna.csv")
                }
            }
        }
    }
}
