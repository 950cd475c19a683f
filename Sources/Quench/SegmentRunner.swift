import MDCore

/// One row of a thermo log.
public struct ThermoRow: Sendable, Equatable {
    public var step: Int
    public var timePs: Double
    public var targetK: Double
    public var temperatureK: Double
    public var potentialEV: Double
    public var kineticEV: Double
    public var conservedEV: Double
    public var pressureGPa: Double

    /// CSV header of `csvLine`.
    public static let csvHeader = "step,time_ps,target_K,temperature_K,pe_eV,ke_eV,conserved_eV,pressure_GPa"
    public var csvLine: String {
        "\(step),\(roundTrip(timePs)),\(roundTrip(targetK)),\(roundTrip(temperatureK)),\(roundTrip(potentialEV)),"
            + "\(roundTrip(kineticEV)),\(roundTrip(conservedEV)),\(roundTrip(pressureGPa))"
    }
}

/// Where a run of segments stands: everything the next step depends on, so that a run restored from
/// it continues bit for bit as the uninterrupted one.
public struct SegmentRunState: Sendable, Equatable {
    /// Index of the segment in progress and steps done in it.
    public var segment: Int = 0
    public var stepInSegment: Int = 0
    /// Steps done over all segments.
    public var totalSteps: Int = 0
    public var positions: [SIMD3<Double>]
    public var velocities: [SIMD3<Double>]
    public var thermostat: NoseHooverChain
    public var currentTemperature: Double
    public var random: SeededRandom
    public var thermo: [ThermoRow] = []

    public init(positions: [SIMD3<Double>], velocities: [SIMD3<Double>], thermostat: NoseHooverChain,
                currentTemperature: Double, random: SeededRandom) {
        self.positions = positions
        self.velocities = velocities
        self.thermostat = thermostat
        self.currentTemperature = currentTemperature
        self.random = random
    }

    /// Binary form for checkpoints (exact bits).
    public func encoded() -> [UInt8] {
        var w = BinaryWriter(capacity: positions.count * 64 + thermo.count * 64 + 256)
        w.write(segment); w.write(stepInSegment); w.write(totalSteps)
        w.write(positions); w.write(velocities)
        w.write(thermostat.length); w.write(thermostat.damping); w.write(thermostat.loops)
        w.write(thermostat.eta); w.write(thermostat.etaDot); w.write(thermostat.etaDotDot); w.write(thermostat.mass)
        w.write(currentTemperature)
        w.write(random.state.0); w.write(random.state.1); w.write(random.state.2); w.write(random.state.3)
        w.write(thermo.count)
        for r in thermo {
            w.write(r.step); w.write(r.timePs); w.write(r.targetK); w.write(r.temperatureK)
            w.write(r.potentialEV); w.write(r.kineticEV); w.write(r.conservedEV); w.write(r.pressureGPa)
        }
        return w.bytes
    }

    /// Decodes `encoded()`; nil when the bytes do not hold a state.
    public static func decode(_ bytes: [UInt8]) -> SegmentRunState? {
        var r = BinaryReader(bytes)
        do {
            let segment = try r.readInt(), stepInSegment = try r.readInt(), total = try r.readInt()
            let x = try r.readVectors(), v = try r.readVectors()
            let length = try r.readInt(), damping = try r.readDouble(), loops = try r.readInt()
            guard length >= 1, damping > 0, loops >= 1, x.count == v.count else { return nil }
            var chain = NoseHooverChain(length: length, damping: damping, loops: loops)
            chain.eta = try r.readDoubles(); chain.etaDot = try r.readDoubles()
            chain.etaDotDot = try r.readDoubles(); chain.mass = try r.readDoubles()
            guard chain.eta.count == length, chain.etaDot.count == length + 1,
                  chain.etaDotDot.count == length, chain.mass.count == length else { return nil }
            let t = try r.readDouble()
            let s = (try r.readUInt64(), try r.readUInt64(), try r.readUInt64(), try r.readUInt64())
            guard s != (0, 0, 0, 0) else { return nil }
            var state = SegmentRunState(positions: x, velocities: v, thermostat: chain, currentTemperature: t,
                                        random: SeededRandom(state: s))
            state.segment = segment; state.stepInSegment = stepInSegment; state.totalSteps = total
            let rows = try r.readInt()
            guard rows >= 0 else { return nil }
            for _ in 0..<rows {
                state.thermo.append(ThermoRow(step: try r.readInt(), timePs: try r.readDouble(), targetK: try r.readDouble(),
                                              temperatureK: try r.readDouble(), potentialEV: try r.readDouble(),
                                              kineticEV: try r.readDouble(), conservedEV: try r.readDouble(),
                                              pressureGPa: try r.readDouble()))
            }
            return r.isAtEnd ? state : nil
        } catch {
            return nil
        }
    }
}

/// Progress of a segment run, reported to the observer.
public struct SegmentProgress: Sendable {
    public var segment: Int
    public var segmentCount: Int
    public var description: String
    public var stepInSegment: Int
    public var stepsInSegment: Int
    public var totalSteps: Int
    public var totalStepsPlanned: Int
    public var temperatureK: Double
    public var targetK: Double
}

/// Why a run stopped early.
public enum SegmentRunStop: Error, Sendable, Equatable {
    /// The observer asked to stop (e.g. SIGINT): the state passed to `checkpoint` last is current.
    case interrupted
    /// Energy or temperature became non-finite or absurd: the timestep is too large for the state.
    case blowUp(step: Int, reason: String)
}

/// Runs protocol segments on an `NVTIntegrator`, recording thermo rows every `thermoEvery` steps and
/// handing the state to `checkpoint` every `checkpointEvery` steps and when interrupted.
public struct SegmentRunner<F: ForceField> {
    public var segments: [QuenchProtocol.Segment]
    public var timestep: Double
    public var thermoEvery: Int
    public var checkpointEvery: Int
    public var damping: Double
    public var chainLength: Int

    public init(segments: [QuenchProtocol.Segment], timestep: Double, damping: Double, chainLength: Int,
                thermoEvery: Int, checkpointEvery: Int) {
        self.segments = segments
        self.timestep = timestep
        self.damping = damping
        self.chainLength = chainLength
        self.thermoEvery = max(1, thermoEvery)
        self.checkpointEvery = max(1, checkpointEvery)
    }

    /// Total steps of all segments.
    public var plannedSteps: Int { segments.reduce(0) { $0 + $1.steps } }

    /// Runs from `state` to the end of the last segment.
    /// - Parameters:
    ///   - observe: called every step with progress; returning false interrupts the run.
    ///   - checkpoint: called with the state every `checkpointEvery` steps and on interruption.
    public func run(_ integrator: NVTIntegrator<F>, state: inout SegmentRunState,
                    observe: (SegmentProgress) -> Bool,
                    checkpoint: (SegmentRunState) throws(InputError) -> Void) throws -> SegmentRunState {
        integrator.positions = state.positions
        integrator.velocities = state.velocities
        integrator.thermostat = state.thermostat
        integrator.refreshForces()
        integrator.restoreTemperature(state.currentTemperature)
        let planned = plannedSteps

        func capture() {
            state.positions = integrator.positions
            state.velocities = integrator.velocities
            state.thermostat = integrator.thermostat
            state.currentTemperature = integrator.currentTemperature
        }
        func record(target: Double) {
            state.thermo.append(ThermoRow(
                step: state.totalSteps, timePs: Double(state.totalSteps) * timestep, targetK: target,
                temperatureK: Velocities.temperature(integrator.velocities, masses: integrator.masses),
                potentialEV: integrator.potential.energy, kineticEV: integrator.kineticEnergy,
                conservedEV: integrator.conservedEnergy(target: target), pressureGPa: integrator.pressureGPa))
        }

        while state.segment < segments.count {
            let segment = segments[state.segment]
            let (t0, t1) = segment.temperatures
            if case .resample(let t) = segment {
                integrator.velocities = Velocities.maxwellBoltzmann(masses: integrator.masses, temperature: t,
                                                                    random: &state.random)
                integrator.thermostat = NoseHooverChain(length: chainLength, damping: damping)
                integrator.refreshForces()
                state.segment += 1
                state.stepInSegment = 0
                capture()
                continue
            }
            let steps = segment.steps
            // A segment starts like a LAMMPS `run` (thermostat setup); mid-segment, the restored
            // chain is already exactly the uninterrupted run's.
            if state.stepInSegment == 0 {
                integrator.beginSegment(start: t0)
                if state.totalSteps == 0 && state.thermo.isEmpty { record(target: t0) }
            }
            while state.stepInSegment < steps {
                state.stepInSegment += 1
                state.totalSteps += 1
                integrator.step(state.stepInSegment, of: steps, start: t0, stop: t1)
                let target = NVTIntegrator<F>.target(step: state.stepInSegment, steps: steps, start: t0, stop: t1)
                let e = integrator.potential.energy
                let t = integrator.currentTemperature
                if !e.isFinite || !t.isFinite || t > 20 * max(t0, t1, 300) {
                    throw SegmentRunStop.blowUp(step: state.totalSteps,
                                                reason: "energy \(e) eV, temperature \(t) K at target \(target) K")
                }
                if state.totalSteps % thermoEvery == 0 || state.stepInSegment == steps { record(target: target) }
                let keepGoing = observe(SegmentProgress(
                    segment: state.segment, segmentCount: segments.count, description: segment.description,
                    stepInSegment: state.stepInSegment, stepsInSegment: steps, totalSteps: state.totalSteps,
                    totalStepsPlanned: planned, temperatureK: t, targetK: target))
                let finished = state.stepInSegment == steps
                if finished {
                    state.segment += 1
                    state.stepInSegment = 0
                }
                if !keepGoing || state.totalSteps % checkpointEvery == 0 {
                    capture()
                    try checkpoint(state)
                    if !keepGoing { throw SegmentRunStop.interrupted }
                }
                if finished { break }
            }
            if steps == 0 { state.segment += 1; state.stepInSegment = 0 }
        }
        capture()
        return state
    }
}
