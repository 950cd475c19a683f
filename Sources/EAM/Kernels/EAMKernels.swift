// KERNEL FILE (unsafe by design): the EAM evaluation's four passes (docs/ARCHITECTURE.md, "The EAM
// evaluation"). It hands raw pointers to the C pair loops (CKernels: seem_eam_density,
// seem_eam_forces) and shares them between `concurrentPerform` workers.
// Invariants: every pointer comes from a `Buffer` owned by the force field or its neighbor list, or
// from the caller's spans inside `withUnsafe…BufferPointer`, and is used only during one evaluation
// (no Buffer is resized while the passes run: the list is rebuilt and the pair scratch reserved
// before the pointers are taken). Workers write disjoint ranges only: block b's accumulators
// (`blockRho`/`blockForce` rows b, `virial[8b…]`, `pairEnergy[b]`, scratch b) in passes 1 and 3, and
// the atoms of chunk c (`rho`, `fp`, `force`, `embedEnergy[c]`) in passes 2 and 4, so no two threads
// touch the same element, and every sum keeps the order fixed by atom indices alone.

import CKernels
import Dispatch
import MDCore
import Neighbors

extension EAMForceField {
    /// Runs `body(k)` for k in 0..<count on `threads` workers (static interleaved assignment).
    @inline(__always)
    fileprivate func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        let workers = min(threads, count)
        if workers <= 1 {
            for c in 0..<count { body(c) }
        } else {
            withoutActuallyEscaping(body) { body in
                nonisolated(unsafe) let run = body
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var c = w
                    while c < count { run(c); c += workers }
                }
            }
        }
    }

    /// Atoms `blockRange(b)` form block b: contiguous, sizes differing by at most one.
    @inline(__always)
    fileprivate func blockRange(_ b: Int) -> Range<Int> {
        (b * atomCount / blocks)..<((b + 1) * atomCount / blocks)
    }

    /// Energy, virial and forces at `positions` in `box` (see the type's documentation for the four
    /// passes). `positions` and `forces` hold `atomCount` entries.
    public func evaluate(positions: Span<SIMD3<Double>>, box: Box,
                         forces: inout MutableSpan<SIMD3<Double>>) -> EnergyAndVirial {
        precondition(positions.count == atomCount && forces.count == atomCount)
        if neighbors.needsRebuild(positions: positions, box: box) {
            neighbors.build(positions: positions, box: box)
            let e = neighbors.entryCount
            cutPair.reserve(atLeast: e, repeating: .zero)
            cutSlopes.reserve(atLeast: e, repeating: .zero)
            if !neighbors.isUsable {
                // Positions not finite or absurdly far away: report a non-finite state, not a crash.
                for i in 0..<atomCount { forces[i] = SIMD3(repeating: .nan) }
                return EnergyAndVirial(energy: .nan, virial: Virial(xx: .nan, yy: .nan, zz: .nan, xy: .nan, xz: .nan, yz: .nan))
            }
        }
        return positions.withUnsafeBufferPointer { x in
            forces.withUnsafeMutableBufferPointer { f in evaluateUsableList(positions: x, box: box, forces: f) }
        }
    }

    /// The four passes, once the list is current and usable. Pointers are valid for the call only.
    private func evaluateUsableList(positions x: UnsafeBufferPointer<SIMD3<Double>>, box: Box,
                                    forces: UnsafeMutableBufferPointer<SIMD3<Double>>) -> EnergyAndVirial {
        // Lattice translations h·n of the list's images in the current box (no allocation unless
        // the list grew its image table).
        let images = neighbors.images
        if shifts.count != images.count { shifts.reset(count: images.count, repeating: .zero) }
        for k in 0..<images.count { shifts[k] = box.translation(images[k]) }

        let n = atomCount, chunkSize = Self.chunkSize
        let t = tables
        let nt = t.typeCount, nr = t.nr, nrho = t.nrho
        let rdr = t.rdr, rdrho = t.rdrho, rhoMax = t.rhoMax

        // Raw pointers for the kernels: owned buffers, valid for the whole evaluation.
        nonisolated(unsafe) let pos = x.baseAddress!
        nonisolated(unsafe) let force = forces.baseAddress!
        nonisolated(unsafe) let rowStart = neighbors.rowStart.base
        nonisolated(unsafe) let nbr = neighbors.neighbor.base
        nonisolated(unsafe) let img = neighbors.imageIndex.base
        nonisolated(unsafe) let shift = shifts.base
        nonisolated(unsafe) let type = typeBuffer.base
        nonisolated(unsafe) let pairTable = self.pairTable.base
        nonisolated(unsafe) let lookup = self.lookup.base
        nonisolated(unsafe) let embedTable = self.embedTable.base
        nonisolated(unsafe) let rho = self.rho.base
        nonisolated(unsafe) let fp = self.fp.base
        nonisolated(unsafe) let blockRho = self.blockRho.base
        nonisolated(unsafe) let blockForce = self.blockForce.base
        nonisolated(unsafe) let cutCount = self.cutCount.base
        nonisolated(unsafe) let cutPair = self.cutPair.base
        nonisolated(unsafe) let cutSlopes = self.cutSlopes.base
        nonisolated(unsafe) let pairEnergy = self.blockPairEnergy.base
        nonisolated(unsafe) let embedEnergy = self.chunkEmbedEnergy.base
        nonisolated(unsafe) let virial = self.blockVirial.base
        let blocks = self.blocks

        let stride = (Int(seem_eam_scratch_bytes(Int64(neighbors.maxRowLength))) + 63) / 64 * 64
        if stride * blocks > scratch.count {
            scratch.reset(count: stride * blocks, repeating: 0)
        }
        nonisolated(unsafe) let scratch = self.scratch.base
        nonisolated(unsafe) let pairs = UnsafePointer(pairArguments.base)
        pairArguments.base.pointee = seem_eam_pairs(
            positions: UnsafeRawPointer(pos).assumingMemoryBound(to: Double.self),
            shifts: UnsafeRawPointer(shift).assumingMemoryBound(to: Double.self),
            rowStart: rowStart, neighbor: nbr, image: img, type: type,
            table: pairTable, lookup: lookup, typeCount: Int32(nt), nr: Int32(nr),
            maxRow: Int64(neighbors.maxRowLength), rdr: rdr)
        nonisolated(unsafe) let cutPairs = UnsafeMutableRawPointer(cutPair).assumingMemoryBound(to: Int32.self)
        nonisolated(unsafe) let cutSlopesRaw = UnsafeMutableRawPointer(cutSlopes).assumingMemoryBound(to: Double.self)
        nonisolated(unsafe) let blockForceRaw = UnsafeMutableRawPointer(blockForce).assumingMemoryBound(to: Double.self)

        let t0 = MonotonicClock.seconds()
        // Pass 1: pair terms and densities, per block into the block's accumulator.
        parallelFor(blocks) { b in
            let acc = blockRho + b * n
            acc.update(repeating: 0, count: n)
            let range = blockRange(b)
            pairEnergy[b] = seem_eam_density(pairs, Int32(range.lowerBound), Int32(range.upperBound), acc,
                                             cutPairs, cutSlopesRaw, cutCount, scratch + b * stride)
        }

        let t1 = MonotonicClock.seconds()
        // Pass 2: total density (blocks in order) and embedding energy F(ρ), F'(ρ).
        parallelFor(chunkCount) { c in
            var e = 0.0
            for i in (c * chunkSize)..<min(n, (c + 1) * chunkSize) {
                var r = blockRho[i]
                for b in 1..<max(blocks, 1) { r += blockRho[b * n + i] }
                rho[i] = r
                var q = r * rdrho + 1.0
                var m = Int(q)
                m = max(1, min(m, nrho - 1))
                q -= Double(m)
                q = min(q, 1.0)
                let k = embedTable + (Int(type[i]) * nrho + (m - 1)) * 4
                fp[i] = ((3.0 * k[0] * q + 2.0 * k[1]) * q + k[2]) * rdrho
                var f = ((k[0] * q + k[1]) * q + k[2]) * q + k[3]
                if r > rhoMax { f += fp[i] * (r - rhoMax) }
                e += f
            }
            embedEnergy[c] = e
        }

        let t2 = MonotonicClock.seconds()
        // Pass 3: pair forces over the pairs within the cutoff; virial per block.
        parallelFor(blocks) { b in
            blockForce.advanced(by: b * n).update(repeating: .zero, count: n)
            let range = blockRange(b)
            let w = virial + 8 * b
            w.update(repeating: 0, count: 6)
            seem_eam_forces(pairs, Int32(range.lowerBound), Int32(range.upperBound), fp, cutPairs,
                            cutSlopesRaw, cutCount, blockForceRaw + 4 * b * n, w)
        }

        let t3 = MonotonicClock.seconds()
        // Pass 4: forces, blocks in order.
        parallelFor(chunkCount) { c in
            for i in (c * chunkSize)..<min(n, (c + 1) * chunkSize) {
                var f = blockForce[i]
                for b in 1..<max(blocks, 1) { f += blockForce[b * n + i] }
                force[i] = f
            }
        }

        let t4 = MonotonicClock.seconds()
        passSeconds = SIMD4(t1 - t0, t2 - t1, t3 - t2, t4 - t3)
        var energy = 0.0
        var w = Virial.zero
        for b in 0..<blocks { energy += pairEnergy[b] }
        for c in 0..<chunkCount { energy += embedEnergy[c] }
        for b in 0..<blocks {
            let v = virial + 8 * b
            w = w + Virial(xx: v[0], yy: v[1], zz: v[2], xy: v[3], xz: v[4], yz: v[5])
        }
        return EnergyAndVirial(energy: energy, virial: w)
    }
}
