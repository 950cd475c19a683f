import AQS
import MDCore
#if canImport(Glibc)
import Glibc
#endif

/// One self-overwriting progress line on a terminal's standard error: step, strain, σ_xy, stress
/// drops so far, steps/s and ETA. Disabled (prints nothing) when standard error is not a terminal.
package final class ProgressLine {
    let enabled: Bool
    private var lastPrint = 0.0
    private var shown = false

    package init(enabled: Bool) { self.enabled = enabled }

    package func update<F>(_ p: ShearRun<F>.Progress) {
        guard enabled else { return }
        let now = MonotonicClock.seconds()
        guard now - lastPrint >= 0.25 || p.record.step == p.stepCount else { return }
        lastPrint = now
        let rate = p.secondsThisSession > 0 ? Double(p.stepsThisSession) / p.secondsThisSession : 0
        let eta = rate > 0 ? Double(p.stepCount - p.record.step) / rate : .nan
        let line = "step \(p.record.step)/\(p.stepCount)  γ \(fmt(p.record.strain, 5))  σxy \(fmt(p.record.stress.xy, 4)) GPa  events \(p.totals.stressDrops)  \(fmt(rate, 2)) steps/s  ETA \(duration(eta))"
        emit("\r\u{1B}[K" + line)
        shown = true
    }

    package func clear() { if enabled && shown { emit("\r\u{1B}[K"); shown = false } }
    package func finish() { if enabled && shown { emit("\n"); shown = false } }

    private func emit(_ s: String) {
        writeStandardError(s)
    }

    private func fmt(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return "–" }
        var buf = [CChar](repeating: 0, count: 64)
        _ = withVaList([x]) { vsnprintf(&buf, 64, "%.\(digits)f", $0) }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private func duration(_ s: Double) -> String {
        guard s.isFinite else { return "–" }
        let t = Int(s.rounded())
        return t >= 3600 ? "\(t / 3600)h\(String(format2: (t / 60) % 60))m" : "\(t / 60)m\(String(format2: t % 60))s"
    }
}

private extension String {
    init(format2 v: Int) { self = v < 10 ? "0\(v)" : "\(v)" }
}
