import MDCore
import Quench
#if canImport(Glibc)
import Glibc
#endif

/// One self-overwriting progress line for MD on a terminal: part, segment, T, ps done, ns/day, ETA.
package final class MDProgressLine: SegmentProgressSink {
    let enabled: Bool
    private var lastPrint = 0.0
    private var shown = false
    package init(enabled: Bool) { self.enabled = enabled }

    package func update(label: String, _ p: SegmentProgress, stepsThisSession: Int, seconds: Double, timestep: Double) {
        guard enabled else { return }
        let now = MonotonicClock.seconds()
        guard now - lastPrint >= 0.5 else { return }
        lastPrint = now
        let nsPerDay = seconds > 0 ? Double(stepsThisSession) * timestep * 1e-3 / seconds * 86400 : 0
        let left = Double(p.totalStepsPlanned - p.totalSteps) * timestep * 1e-3 / max(nsPerDay, 1e-12) * 86400
        let line = "\(label): segment \(p.segment + 1)/\(p.segmentCount) (\(p.description))  T \(Int(p.temperatureK.rounded())) K → \(Int(p.targetK.rounded())) K  \(format(Double(p.totalSteps) * timestep)) ps  \(format(nsPerDay)) ns/day  ETA \(Int(left / 60)) min"
        emit("\r\u{1B}[K" + line)
        shown = true
    }
    package func clear() { if enabled && shown { emit("\r\u{1B}[K"); shown = false } }
    package func finish() { if enabled && shown { emit("\n"); shown = false } }
    private func emit(_ s: String) { writeStandardError(s) }
    private func format(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        return "\(r)"
    }
}
