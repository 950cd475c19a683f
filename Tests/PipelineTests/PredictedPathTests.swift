import AQS
import Minimization
import EAM
import Foundation
import Harvest
import MDCore
import Testing
@testable import Study

/// The AQS predictor and the harvest judge a step by the same energy balance (`EnergyBalance`): the
/// predictor keeps a step only when it released less than half the harvest's event threshold, so no step
/// the harvest calls an event can come from the predicted path. Checked on real data: a 256-atom
/// Cu64Zr36 inherent structure on Mendelev 2009 (the quick study's, quenched at 1.6e14 K/s; it yields
/// three times in the first 300 steps), sheared with the study's AQS settings.
@Suite struct PredictedPathTests {
    static let glass = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/glass-256-mendelev2009.data").path
    static let potential = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../potentials/Cu-Zr_2.eam.fs").standardized.path

    @Test func noEventComesFromThePredictedPath() throws {
        let setup = try SystemSetup.load(structure: Self.glass, potential: Self.potential, elements: "Cu,Zr", pairStyle: "eam/fs")
        let s = setup.structure
        let field = EAMForceField(potential: setup.potential, types: s.types, typeToElement: setup.typeToElement, skin: 1.0, threads: 1)
        let minimizer = MinimizerSettings(forceTolerance: 1e-4)
        let settings = ShearSettings(strainStep: 1e-4, maxStrain: 0.03, minimizer: minimizer,
                                     predictor: AQSConfig.predictorSettings(enabled: true, minimizer: minimizer))
        let shear = SimpleShear(field: field, box: s.box, positions: s.positions, settings: settings)
        var records = [shear.start()]
        var kinds: [SimpleShear<EAMForceField>.StepKind] = [.plain]
        while !shear.isFinished {
            records.append(shear.advance())
            kinds.append(shear.lastStepKind)
        }
        let n = Double(s.positions.count)
        let history = ShearHistory(sample: "glass", coolingRate: 1.6e14, atoms: s.positions.count, volume: s.box.volume,
                                   strainStep: 1e-4, strain: records.map(\.strain), energyPerAtom: records.map { $0.energy / n },
                                   stress: records.map(\.stress.xy), forceTolerance: 1e-4, maxDisplacement: minimizer.maxDisplacement)
        let threshold = EventDetector.autoEnergyThreshold(forceTolerance: 1e-4, maxDisplacement: minimizer.maxDisplacement,
                                                          atoms: s.positions.count)
        let detector = EventDetector(criterion: .energy, stressThreshold: 0, energyThreshold: threshold)
        let drops = (0..<(history.count - 1)).filter { detector.isEnergyDrop(history, step: $0) }
        let predicted = kinds.filter { $0 == .predicted }.count
        #expect(drops.count >= 2, "the glass should yield within γ = 0.03 (energy drops at steps \(drops))")
        #expect(predicted > kinds.count / 2, "the predictor should carry most steps (\(predicted) of \(kinds.count))")
        // Step k → k+1 is recorded as row k+1.
        let predictedDrops = drops.filter { kinds[$0 + 1] == .predicted }
        #expect(predictedDrops.isEmpty, "energy drops on the predicted path at steps \(predictedDrops)")
    }
}
