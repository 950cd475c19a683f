import EAM
import Foundation
import MDCore
@testable import Quench
import Testing

@Suite("Nosé–Hoover NVT molecular dynamics")
struct NVTIntegratorTests {
    /// A 256-atom sample with Maxwell–Boltzmann velocities at `temperature`.
    func startState(temperature: Double, seed: UInt64 = 11) -> Structure {
        var s = smallSample()
        var random = SeededRandom(seed: seed)
        s.velocities = Velocities.maxwellBoltzmann(masses: atomMasses(s), temperature: temperature, random: &random)
        return s
    }

    @Test("velocities: zero momentum, exact temperature, N_f = 3N − 3")
    func velocities() {
        let s = startState(temperature: 1234.5)
        let m = atomMasses(s)
        var p = SIMD3<Double>.zero
        for i in 0..<s.count { p += m[i] * s.velocities![i] }
        #expect(abs(p.x) + abs(p.y) + abs(p.z) < 1e-10)
        #expect(abs(Velocities.temperature(s.velocities!, masses: m) - 1234.5) < 1e-9)
    }

    @Test("a 200-step fix nvt ramp agrees with LAMMPS from the same positions and velocities")
    func agreesWithLAMMPS() throws {
        guard try lammpsAvailable() else { try Test.cancel("LAMMPS (lmp) is not installed: the NVT trajectory is not compared (scripts/test.sh installs it and sets SEEM_REQUIRE_LAMMPS=1, which makes this a failure)") }
        let s = startState(temperature: 2000)
        let dir = temporaryDirectory()
        try LAMMPSDataFile.write(s, to: dir + "/start.data")
        let log = try runLAMMPS("""
            units metal
            atom_style atomic
            read_data start.data
            pair_style eam/fs
            pair_coeff * * \(potentialPath) Cu Zr
            neighbor 1.0 bin
            timestep 0.002
            fix 1 all nvt temp 2000 1500 0.1
            thermo_style custom step temp pe ke f_1 etotal
            thermo_modify format float %.17g
            thermo 50
            run 200
            write_dump all custom final.dump id x y z vx vy vz modify sort id format float %.17g
            """, in: dir)
        let rows = thermoTable(log)
        #expect(rows.count == 5)

        let ff = forceField(s)
        let md = NVTIntegrator(forceField: ff, masses: atomMasses(s), box: s.box, timestep: 0.002,
                               positions: s.positions, velocities: s.velocities!,
                               thermostat: NoseHooverChain(length: 3, damping: 0.1))
        md.beginSegment(start: 2000)
        for step in 1...200 {
            md.step(step, of: 200, start: 2000, stop: 1500)
            if step % 50 == 0 {
                let row = rows[step / 50]
                let target = 2000 + Double(step) / 200 * (1500 - 2000)
                let t = Velocities.temperature(md.velocities, masses: md.masses)
                #expect(abs(t - row[1]) / row[1] < 1e-9, "T at step \(step): \(t) vs \(row[1])")
                #expect(abs(md.potential.energy - row[2]) / abs(row[2]) < 1e-10, "PE at step \(step)")
                #expect(abs(md.kineticEnergy - row[3]) / row[3] < 1e-9, "KE at step \(step)")
                let fid = md.thermostat.energy(target: target, dof: md.dof)
                #expect(abs(fid - row[4]) < 1e-8 * max(1, abs(row[4])), "thermostat energy at step \(step): \(fid) vs \(row[4])")
            }
        }
        // Final positions and velocities, atom by atom (atoms are in id order in both).
        let dump = try String(contentsOfFile: dir + "/final.dump", encoding: .utf8).split(separator: "\n")
        let start = dump.firstIndex { $0.hasPrefix("ITEM: ATOMS") }! + 1
        var dx = 0.0, dv = 0.0
        for (k, line) in dump[start...].enumerated() {
            let v = line.split(separator: " ").compactMap { Double($0) }
            let x = SIMD3(v[1], v[2], v[3]), vel = SIMD3(v[4], v[5], v[6])
            // LAMMPS wraps positions into the box: compare modulo the lattice.
            var d = md.positions[k] - x
            d -= s.box.translation(SIMD3((d.x / s.box.lx).rounded(), (d.y / s.box.ly).rounded(), (d.z / s.box.lz).rounded()))
            dx = max(dx, abs(d.x), abs(d.y), abs(d.z))
            let e = md.velocities[k] - vel
            dv = max(dv, abs(e.x), abs(e.y), abs(e.z))
        }
        #expect(dx < 1e-8, "max position difference \(dx) Å")
        #expect(dv < 1e-7, "max velocity difference \(dv) Å/ps")
    }

    /// Total energy per atom after each step of an NVE run at 2500 K from the 256-atom start of
    /// `sampleSeed` with velocities from `velocitySeed`: `nvtSteps` with the Nosé–Hoover thermostat
    /// at 2500 K first (melts and equilibrates the liquid), then `nveSkipSteps` unrecorded NVE steps,
    /// then `nveSteps` recorded ones.
    func nveEnergies(sampleSeed: UInt64 = 7, velocitySeed: UInt64 = 11, timestep: Double, nvtSteps: Int = 0,
                     nveSkipSteps: Int = 0, nveSteps: Int) -> [Double] {
        var s = smallSample(atoms: 256, seed: sampleSeed)
        var random = SeededRandom(seed: velocitySeed)
        s.velocities = Velocities.maxwellBoltzmann(masses: atomMasses(s), temperature: 2500, random: &random)
        let md = NVTIntegrator(forceField: forceField(s), masses: atomMasses(s), box: s.box, timestep: timestep,
                               positions: s.positions, velocities: s.velocities!,
                               thermostat: NoseHooverChain(length: 3, damping: 0.1))
        if nvtSteps > 0 {
            md.beginSegment(start: 2500)
            for step in 1...nvtSteps { md.step(step, of: nvtSteps, start: 2500, stop: 2500) }
        }
        md.isThermostatted = false
        if nveSkipSteps > 0 {
            for step in 1...nveSkipSteps { md.step(step, of: nveSkipSteps, start: 2500, stop: 2500) }
        }
        var energies: [Double] = []
        energies.reserveCapacity(nveSteps)
        for step in 1...nveSteps {
            md.step(step, of: nveSteps, start: 2500, stop: 2500)
            energies.append((md.potential.energy + md.kineticEnergy) / Double(s.count))
        }
        return energies
    }

    /// Least-squares slope of `energies` (one per step of `timestep` ps) in eV/atom per ns, and their
    /// standard deviation about the mean (eV/atom).
    func drift<C: Collection<Double>>(_ energies: C, timestep: Double) -> (slope: Double, spread: Double) {
        let n = Double(energies.count)
        let mt = (n - 1) / 2 * timestep * 1e-3, me = energies.reduce(0, +) / n  // ns, eV/atom
        var sxy = 0.0, sxx = 0.0, see = 0.0
        for (k, e) in energies.enumerated() {
            let t = Double(k) * timestep * 1e-3
            sxy += (t - mt) * (e - me); sxx += (t - mt) * (t - mt); see += (e - me) * (e - me)
        }
        return (sxy / sxx, (see / n).squareRoot())
    }

    @Test("NVE at 2500 K: total energy fluctuates little and does not run away")
    func nveConservation() {
        // Short run (debug build): bounded fluctuations and no visible drift. The drift criterion of
        // the protocol (< 1e-4 eV/atom per ns) needs an ensemble of long runs: `nveDriftLong`, behind
        // SEEM_SLOW_TESTS.
        let dt = QuenchProtocol().timestep
        let (slope, spread) = drift(nveEnergies(timestep: dt, nveSkipSteps: 300, nveSteps: 1000), timestep: dt)
        #expect(spread < 2e-4, "std of total energy \(spread) eV/atom")
        #expect(abs(slope) < 0.05, "slope \(slope) eV/atom/ns over \(1000 * dt) ps")
    }

    /// The protocol's criterion for the default timestep: NVE drift < 1e-4 eV/atom per ns at 2500 K.
    ///
    /// One run cannot show it. Its total energy performs a random walk (the variance of E(t+τ) − E(t)
    /// grows linearly in τ; the tabulated potential is not smooth), so the fitted slope of a 50-ps,
    /// 256-atom run scatters from start to start by ~1e-3 eV/atom/ns, ten times the bound, and the
    /// scatter shrinks only as 1/√(total simulated time × atoms). Resolving a mean drift of 1e-4 with
    /// a standard error of 3e-5 would take ~30 ns of 256-atom NVE. So the test measures an ensemble of
    /// independent starts (own fcc species shuffle, jitter and velocities; each melted and equilibrated
    /// 10 ps with the thermostat) and checks two things:
    /// - systematic drift: the mean of the 10-ps block slopes (independent for a random walk) is
    ///   within 1e-4 + 3 standard errors of zero (printed with its standard error);
    /// - the random walk: the rms drift it gives a 1-ns run of the paper's 4000-atom sample
    ///   (variance ∝ 1/(atoms·time)) is below 1e-4 eV/atom/ns. This is what separates 1 fs from 2 fs.
    /// SEEM_NVE_STARTS (default 6), SEEM_NVE_PS (NVE ps per start, default 50; a multiple of 10),
    /// SEEM_NVE_TIMESTEP (default: the protocol's).
    @Test("NVE drift at the default timestep, ensemble of independent starts (slow; SEEM_SLOW_TESTS=1, release build)",
          .enabled(if: ProcessInfo.processInfo.environment["SEEM_SLOW_TESTS"] == "1"))
    func nveDriftLong() {
        let env = ProcessInfo.processInfo.environment
        let dt = Double(env["SEEM_NVE_TIMESTEP"] ?? "") ?? QuenchProtocol().timestep
        let starts = Int(env["SEEM_NVE_STARTS"] ?? "") ?? 6
        let ps = Double(env["SEEM_NVE_PS"] ?? "") ?? 50
        let blockPs = 10.0
        let blockSteps = Int((blockPs / dt).rounded())
        let blocksPerStart = Int((ps / blockPs).rounded())
        #expect(starts >= 2 && blocksPerStart >= 1)
        guard starts >= 2, blocksPerStart >= 1 else { return }
        func meanAndSE(_ x: [Double]) -> (mean: Double, se: Double, sd: Double) {
            let n = Double(x.count), m = x.reduce(0, +) / n
            let sd = (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / max(n - 1, 1)).squareRoot()
            return (m, sd / n.squareRoot(), sd)
        }
        var runSlopes: [Double] = [], blockSlopes: [Double] = []
        for k in 0..<starts {
            let e = nveEnergies(sampleSeed: 1000 + UInt64(k), velocitySeed: 2000 + UInt64(k), timestep: dt,
                                nvtSteps: Int((10 / dt).rounded()), nveSteps: blocksPerStart * blockSteps)
            let (slope, spread) = drift(e, timestep: dt)
            runSlopes.append(slope)
            for b in 0..<blocksPerStart { blockSlopes.append(drift(e[(b * blockSteps)..<((b + 1) * blockSteps)], timestep: dt).slope) }
            print("NVE 2500 K, 256 atoms, dt \(dt) ps, start \(k): drift \(slope) eV/atom/ns over \(ps) ps, spread \(spread) eV/atom")
        }
        let run = meanAndSE(runSlopes), block = meanAndSE(blockSlopes)
        // Random walk: var(slope over τ) = 1.2·D/τ; a 1-ns run of N atoms has rms slope √(1.2·D·256/N / 1 ns).
        let paperAtoms = 4000.0
        let rms1ns = block.sd * (blockPs * 1e-3 / 1.0).squareRoot() * (256 / paperAtoms).squareRoot()
        print("""
            NVE 2500 K, 256 atoms, dt \(dt) ps, \(starts) starts × \(ps) ps: \
            mean of run slopes \(run.mean) ± \(run.se) (SE; sd \(run.sd)) eV/atom/ns; \
            mean of \(blockSlopes.count) \(blockPs)-ps block slopes \(block.mean) ± \(block.se) (SE; sd \(block.sd)); \
            random walk ⇒ rms drift of a 1-ns run of \(Int(paperAtoms)) atoms \(rms1ns) eV/atom/ns
            """)
        #expect(abs(block.mean) < 1e-4 + 3 * block.se,
                "systematic drift \(block.mean) ± \(block.se) eV/atom/ns is beyond 1e-4 by more than 3 standard errors")
        #expect(rms1ns < 1e-4, "energy random walk too fast: a 1-ns run of \(Int(paperAtoms)) atoms would drift by \(rms1ns) eV/atom/ns rms")
    }

    /// Plain velocity Verlet (NVE) from a LAMMPS data file with velocities, for comparing with LAMMPS
    /// `fix nve` from the identical state (scripts/compare-nve-lammps.sh). Enabled by SEEM_NVE_DATA;
    /// SEEM_NVE_TIMESTEP (ps), SEEM_NVE_STEPS, SEEM_NVE_SKIN (Å), SEEM_NVE_EVERY; writes
    /// "step pe ke" (eV, %.17g) to SEEM_NVE_OUT.
    @Test("NVE from a data file, energies to a file (SEEM_NVE_DATA; for scripts/compare-nve-lammps.sh)",
          .enabled(if: ProcessInfo.processInfo.environment["SEEM_NVE_DATA"] != nil))
    func nveFromDataFile() throws {
        let env = ProcessInfo.processInfo.environment
        let s = try LAMMPSDataFile.read(path: env["SEEM_NVE_DATA"]!)
        let dt = Double(env["SEEM_NVE_TIMESTEP"] ?? "") ?? QuenchProtocol().timestep
        let steps = Int(env["SEEM_NVE_STEPS"] ?? "") ?? 1000
        let skin = Double(env["SEEM_NVE_SKIN"] ?? "") ?? 1.0
        let every = Int(env["SEEM_NVE_EVERY"] ?? "") ?? 1
        let ff = EAMForceField(potential: cuZr, types: s.types, typeToElement: [0, 1], skin: skin, threads: 1)
        let md = NVTIntegrator(forceField: ff, masses: atomMasses(s), box: s.box, timestep: dt,
                               positions: s.positions, velocities: s.velocities!,
                               thermostat: NoseHooverChain(length: 3, damping: 0.1))
        md.isThermostatted = false
        var out = ""
        out.reserveCapacity(steps / every * 48 + 64)
        func row(_ step: Int) {
            out += String(format: "%d %.17g %.17g\n", step, md.potential.energy, md.kineticEnergy)
        }
        row(0)
        let t0 = Date()
        for step in 1...steps {
            md.step(step, of: steps, start: 0, stop: 0)
            if step % every == 0 { row(step) }
        }
        let seconds = Date().timeIntervalSince(t0)
        try out.write(toFile: env["SEEM_NVE_OUT"] ?? "nve-seem.txt", atomically: true, encoding: .utf8)
        print("seem NVE: \(steps) steps in \(seconds) s, \(ff.neighbors.buildCount) neighbor-list builds")
    }

    @Test("total momentum stays zero")
    func momentum() {
        let s = startState(temperature: 2000)
        let ff = forceField(s)
        let md = NVTIntegrator(forceField: ff, masses: atomMasses(s), box: s.box, timestep: 0.002,
                               positions: s.positions, velocities: s.velocities!,
                               thermostat: NoseHooverChain(length: 3, damping: 0.1))
        md.beginSegment(start: 2000)
        for step in 1...100 { md.step(step, of: 100, start: 2000, stop: 1000) }
        var p = SIMD3<Double>.zero
        for i in 0..<s.count { p += md.masses[i] * md.velocities[i] }
        #expect(abs(p.x) + abs(p.y) + abs(p.z) < 1e-9)
    }
}
