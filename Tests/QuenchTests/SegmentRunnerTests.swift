import EAM
import Foundation
import MDCore
@testable import Quench
import Testing

@Suite("Protocol segments, checkpoints and resume")
struct SegmentRunnerTests {
    func protocolForTests() -> QuenchProtocol {
        var p = QuenchProtocol()
        p.meltTemperature = 2500; p.meltPs = 0.06
        p.branchTemperature = 1400; p.branchRate = 1e16
        p.relaxPs = 0.04; p.finalTemperature = 100
        return p
    }

    func runner(_ p: QuenchProtocol, segments: [QuenchProtocol.Segment], checkpointEvery: Int) -> SegmentRunner<EAMForceField> {
        SegmentRunner(segments: segments, timestep: p.timestep, damping: p.damping, chainLength: p.chainLength,
                      thermoEvery: 7, checkpointEvery: checkpointEvery)
    }

    func initial(_ s: Structure, _ p: QuenchProtocol) -> SegmentRunState {
        var random = SeededRandom(seed: 42, stream: [0, 3])
        let v = Velocities.maxwellBoltzmann(masses: atomMasses(s), temperature: p.meltTemperature, random: &random)
        return SegmentRunState(positions: s.positions, velocities: v, thermostat: NoseHooverChain(length: 3, damping: p.damping),
                               currentTemperature: p.meltTemperature, random: random)
    }

    @Test("segments follow the paper's protocol")
    func segments() {
        let p = QuenchProtocol()
        #expect(p.timestep == 0.001)
        #expect(p.parentSegments == [.hold(temperature: 2500, steps: 500_000), .ramp(from: 2500, to: 1400, steps: 11_000_000)])
        #expect(p.sampleSegments(rate: 2e10).last == .ramp(from: 1400, to: 100, steps: 65_000_000))
        var bad = QuenchProtocol(); bad.timestep = -1; bad.branchRate = 0
        #expect(bad.problems().map(\.0).contains("timestep"))
        #expect(bad.problems().map(\.0).contains("branch-rate"))
    }

    @Test("a run resumed from any checkpoint is bit-identical to the uninterrupted run")
    func resume() throws {
        let p = protocolForTests()
        let s = smallSample(atoms: 108, seed: 3)
        let segments = p.parentSegments + p.sampleSegments(rate: 1e16)
        let total = segments.reduce(0) { $0 + $1.steps }
        #expect(total > 100)

        // Uninterrupted, with every checkpoint kept.
        var saved: [SegmentRunState] = []
        var state = initial(s, p)
        let md = NVTIntegrator(forceField: forceField(s), masses: atomMasses(s), box: s.box, timestep: p.timestep,
                               positions: s.positions, velocities: state.velocities,
                               thermostat: NoseHooverChain(length: 3, damping: p.damping))
        let full = try runner(p, segments: segments, checkpointEvery: 17).run(md, state: &state, observe: { _ in true },
                                                                                checkpoint: { saved.append($0) })
        #expect(saved.count == total / 17)

        // Resume from a few checkpoints, through their binary encoding, with another thread count.
        for k in [0, saved.count / 2, saved.count - 1] {
            var restored = try #require(SegmentRunState.decode(saved[k].encoded()))
            #expect(restored == saved[k])
            let md2 = NVTIntegrator(forceField: forceField(s, threads: 2), masses: atomMasses(s), box: s.box, timestep: p.timestep,
                                    positions: restored.positions, velocities: restored.velocities, thermostat: restored.thermostat)
            let resumed = try runner(p, segments: segments, checkpointEvery: 17).run(md2, state: &restored,
                                                                                      observe: { _ in true }, checkpoint: { _ in })
            #expect(resumed == full, "resumed from checkpoint \(k)")
        }
    }

    @Test("an interrupted run hands over its state and stops")
    func interruption() throws {
        let p = protocolForTests()
        let s = smallSample(atoms: 108, seed: 3)
        var state = initial(s, p)
        let md = NVTIntegrator(forceField: forceField(s), masses: atomMasses(s), box: s.box, timestep: p.timestep,
                               positions: s.positions, velocities: state.velocities,
                               thermostat: NoseHooverChain(length: 3, damping: p.damping))
        var last: SegmentRunState?
        #expect(throws: SegmentRunStop.interrupted) {
            _ = try runner(p, segments: p.parentSegments, checkpointEvery: 1000).run(
                md, state: &state, observe: { $0.totalSteps < 30 }, checkpoint: { last = $0 })
        }
        #expect(last?.totalSteps == 30)
    }

    @Test("a timestep far too large stops with a blow-up, not garbage")
    func blowUp() throws {
        var p = protocolForTests()
        p.timestep = 0.05
        let s = smallSample(atoms: 108, seed: 3)
        var state = initial(s, p)
        let md = NVTIntegrator(forceField: forceField(s), masses: atomMasses(s), box: s.box, timestep: p.timestep,
                               positions: s.positions, velocities: state.velocities,
                               thermostat: NoseHooverChain(length: 3, damping: 0.1))
        var checkpoints = 0
        do {
            _ = try runner(p, segments: [.hold(temperature: 2500, steps: 2000)], checkpointEvery: 100000)
                .run(md, state: &state, observe: { _ in true }, checkpoint: { _ in checkpoints += 1 })
            Issue.record("expected a blow-up")
        } catch SegmentRunStop.blowUp(let step, _) {
            #expect(step < 2000)
        }
        #expect(checkpoints == 0)
    }
}
