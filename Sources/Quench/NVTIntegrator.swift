import MDCore

/// Constant-volume molecular dynamics with a Nosé–Hoover chain: velocity Verlet with thermostat
/// half steps on either side, step for step as LAMMPS `fix nvt temp T0 T1 Tdamp` (target T linear in
/// the step within a segment, evaluated at the already incremented step).
///
/// Positions are never wrapped during a run (the force field takes any image); `wrappedStructure`
/// folds them into the box with image flags for output.
public final class NVTIntegrator<F: ForceField> {
    public let forceField: F
    /// Per-atom masses, amu.
    public let masses: [Double]
    public let box: Box
    /// Timestep, ps.
    public let timestep: Double
    /// Degrees of freedom N_f = 3N − 3.
    public let dof: Double

    public var positions: [SIMD3<Double>]
    public var velocities: [SIMD3<Double>]
    public private(set) var forces: [SIMD3<Double>]
    public var thermostat: NoseHooverChain
    /// False for plain velocity Verlet (NVE): the thermostat half steps are skipped.
    public var isThermostatted = true
    /// Potential energy and virial at the current positions.
    public private(set) var potential: EnergyAndVirial
    /// Temperature left by the last thermostat half step (LAMMPS carries it, scaled, between steps).
    public private(set) var currentTemperature: Double

    public init(forceField: F, masses: [Double], box: Box, timestep: Double,
                positions: [SIMD3<Double>], velocities: [SIMD3<Double>], thermostat: NoseHooverChain) {
        precondition(masses.count == positions.count && velocities.count == positions.count)
        self.forceField = forceField
        self.masses = masses
        self.box = box
        self.timestep = timestep
        self.dof = Velocities.degreesOfFreedom(atoms: positions.count)
        self.positions = positions
        self.velocities = velocities
        self.thermostat = thermostat
        forces = [SIMD3<Double>](repeating: .zero, count: positions.count)
        potential = EnergyAndVirial(energy: 0, virial: .zero)
        currentTemperature = 0
        refreshForces()
    }

    /// Recomputes forces and the current temperature from the state (after a restore or a velocity
    /// resample).
    public func refreshForces() {
        potential = forceField.evaluate(positions, box: box, forces: &forces)
        currentTemperature = Velocities.temperature(velocities, masses: masses)
    }

    /// Restores the carried temperature exactly (it is the scaled value of the last half step, not a
    /// fresh T(v); a resumed run must use the same bits).
    public func restoreTemperature(_ t: Double) { currentTemperature = t }

    /// Kinetic energy, eV.
    public var kineticEnergy: Double { 0.5 * Velocities.twiceKineticEnergy(velocities, masses: masses) }

    /// Pressure (LAMMPS `press`, positive = compression), GPa.
    public var pressureGPa: Double {
        let w = potential.virial
        let twoKE = Velocities.twiceKineticEnergy(velocities, masses: masses)
        return (twoKE + w.xx + w.yy + w.zz) / (3 * box.volume) * Units.nktv2p * Units.barToGPa
    }

    /// Target temperature of step `step` (1-based, already incremented) of a `steps`-step segment
    /// ramping `start` → `stop`.
    @inline(__always)
    public static func target(step: Int, steps: Int, start: Double, stop: Double) -> Double {
        steps == 0 ? stop : start + Double(step) / Double(steps) * (stop - start)
    }

    /// Prepares a segment (LAMMPS `run` setup): thermostat masses and accelerations at T(step 0).
    public func beginSegment(start: Double) {
        if isThermostatted { thermostat.setup(target: start, dof: dof) }
    }

    /// Advances one step: step `step` (1…steps) of a segment ramping `start` → `stop`.
    public func step(_ step: Int, of steps: Int, start: Double, stop: Double) {
        let target = Self.target(step: step, steps: steps, start: start, stop: stop)
        let dt = timestep
        let dtf = 0.5 * dt * Units.ftm2v
        let n = positions.count
        // Thermostat half step, then half kick and drift.
        var s = isThermostatted ? thermostat.halfStep(dt: dt, target: target, dof: dof, current: currentTemperature) : 1
        Self.kickAndDrift(velocities: &velocities, positions: &positions, forces: forces, masses: masses,
                          scale: s, dtf: dtf, dt: dt)
        potential = forceField.evaluate(positions, box: box, forces: &forces)
        // Half kick, temperature, thermostat half step.
        Self.kick(velocities: &velocities, forces: forces, masses: masses, dtf: dtf)
        let t = Velocities.temperature(velocities, masses: masses)
        s = isThermostatted ? thermostat.halfStep(dt: dt, target: target, dof: dof, current: t) : 1
        if s != 1 {
            var v = velocities.mutableSpan
            for i in 0..<n { v[i] *= s }
        }
        currentTemperature = t * s * s
    }

    /// v ← s·v + (dtf/m)·f, then x ← x + dt·v, atom by atom.
    @inline(__always)
    static func kickAndDrift(velocities: inout [SIMD3<Double>], positions: inout [SIMD3<Double>],
                             forces: [SIMD3<Double>], masses: [Double], scale s: Double, dtf: Double, dt: Double) {
        let m = masses.span, f = forces.span
        var v = velocities.mutableSpan, x = positions.mutableSpan
        for i in 0..<v.count {
            v[i] *= s
            v[i] += (dtf / m[i]) * f[i]
            x[i] += dt * v[i]
        }
    }

    /// v ← v + (dtf/m)·f.
    @inline(__always)
    static func kick(velocities: inout [SIMD3<Double>], forces: [SIMD3<Double>], masses: [Double], dtf: Double) {
        let m = masses.span, f = forces.span
        var v = velocities.mutableSpan
        for i in 0..<v.count { v[i] += (dtf / m[i]) * f[i] }
    }

    /// Conserved quantity PE + KE + thermostat energy at target `target`, eV.
    public func conservedEnergy(target: Double) -> Double {
        potential.energy + kineticEnergy + (isThermostatted ? thermostat.energy(target: target, dof: dof) : 0)
    }

    /// The state as a structure, positions folded into the box with image flags.
    public func wrappedStructure(template: Structure) -> Structure {
        var s = template
        s.box = box
        s.positions = positions
        s.velocities = velocities
        return s.foldedIntoBox()
    }
}
