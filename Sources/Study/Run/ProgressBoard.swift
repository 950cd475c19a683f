import Foundation
import MDCore
import Quench

/// Progress of a study run. On a terminal: one bar per stage (units done/total) and one line per unit
/// in progress (its current temperature or strain, speed and ETA), redrawn in place at most 4 times a
/// second. Otherwise: plain timestamped lines when units start and finish, and every 30 s per unit.
/// Every line also goes to logs/run.log. Thread-safe; stage code reports through it, never prints.
package final class ProgressBoard: @unchecked Sendable {
    package struct Stage {
        var name: String
        var total: Int
        var done = 0
        var skipped = 0
    }

    private let lock = NSLock()
    private let tty: Bool
    private var stages: [Stage] = []
    private var active: [(unit: String, text: String, lastLog: Double)] = []
    private var drawnLines = 0
    private var lastDraw = 0.0
    private var logFile: FileStream?
    private let start = MonotonicClock.seconds()

    package init(tty: Bool, logPath: String?) {
        self.tty = tty
        if let logPath { logFile = FileStream(path: logPath, mode: "a") }
    }

    /// Starts appending every line to `path` (a board made before the work directory could be written).
    package func openLog(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        if logFile == nil { logFile = FileStream(path: path, mode: "a") }
    }


    func setStages(_ list: [(String, Int)]) {
        lock.lock(); defer { lock.unlock() }
        stages = list.map { Stage(name: $0.0, total: $0.1) }
    }

    /// A unit of `stage` was found finished (not recomputed).
    func skipped(_ stage: String) {
        lock.lock(); defer { lock.unlock() }
        if let i = stages.firstIndex(where: { $0.name == stage }) { stages[i].done += 1; stages[i].skipped += 1 }
    }

    func started(_ stage: String, _ unit: String) {
        lock.lock(); defer { lock.unlock() }
        active.append((unit, "starting", MonotonicClock.seconds()))
        emitLocked("\(stage): \(unit): started")
    }

    /// Current state of a unit in progress (e.g. "T 812 K, 40 ps of 130, ETA 2m").
    func update(_ unit: String, _ text: String) {
        lock.lock(); defer { lock.unlock() }
        guard let i = active.firstIndex(where: { $0.unit == unit }) else { return }
        active[i].text = text
        let now = MonotonicClock.seconds()
        if !tty && now - active[i].lastLog >= 30 {
            active[i].lastLog = now
            emitLocked("\(unit): \(text)")
        } else if tty && now - lastDraw >= 0.25 {
            redrawLocked()
        }
    }

    func finished(_ stage: String, _ unit: String, _ note: String = "done") {
        lock.lock(); defer { lock.unlock() }
        active.removeAll { $0.unit == unit }
        if let i = stages.firstIndex(where: { $0.name == stage }) { stages[i].done += 1 }
        emitLocked("\(stage): \(unit): \(note)")
    }

    func stopped(_ unit: String) {
        lock.lock(); defer { lock.unlock() }
        active.removeAll { $0.unit == unit }
        if tty { redrawLocked() }
    }

    /// A message (warning, stage note) for the log and the screen.
    package func log(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        emitLocked(message)
    }

    /// Clears the bars (call before exiting).
    package func finish() {
        lock.lock(); defer { lock.unlock() }
        if tty { eraseLocked() }
    }

    // MARK: Drawing

    private func stamp() -> String { utcStamp() }

    private func emitLocked(_ message: String) {
        let line = stamp() + " " + message + "\n"
        if let logFile { logFile.write(line); logFile.flush() }
        if tty { eraseLocked() }
        writeStderr(tty ? message + "\n" : line)
        if tty { redrawLocked() }
    }

    private func eraseLocked() {
        guard drawnLines > 0 else { return }
        writeStderr(String(repeating: "\u{1B}[1A\u{1B}[2K", count: drawnLines) + "\r")
        drawnLines = 0
    }

    private func redrawLocked() {
        eraseLocked()
        var out = ""
        for s in stages where s.total > 0 {
            let width = 24
            let filled = s.total > 0 ? s.done * width / s.total : 0
            out += "\(s.name.padding(toLength: 8, withPad: " ", startingAt: 0)) [" + String(repeating: "#", count: filled)
                + String(repeating: "-", count: width - filled) + "] \(s.done)/\(s.total)\n"
        }
        for a in active.prefix(8) { out += "  \(a.unit): \(a.text)\n" }
        if active.count > 8 { out += "  … \(active.count - 8) more\n" }
        drawnLines = out.filter { $0 == "\n" }.count
        writeStderr(out)
        lastDraw = MonotonicClock.seconds()
    }

    private func writeStderr(_ s: String) {
        writeStandardError(s)
    }

    /// "3m05s", "1h02m".
    static func duration(_ s: Double) -> String {
        guard s.isFinite, s >= 0 else { return "–" }
        let t = Int(s.rounded())
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return t >= 3600 ? "\(t / 3600)h\(two((t / 60) % 60))m" : "\(t / 60)m\(two(t % 60))s"
    }
}

/// Forwards MD progress of one unit to the board.
package final class BoardSegmentSink: SegmentProgressSink {
    let board: ProgressBoard
    let unit: String
    init(board: ProgressBoard, unit: String) { self.board = board; self.unit = unit }

    package func update(label: String, _ p: SegmentProgress, stepsThisSession: Int, seconds: Double, timestep: Double) {
        let psPerSecond = seconds > 0 ? Double(stepsThisSession) * timestep / seconds : 0
        let leftPs = Double(p.totalStepsPlanned - p.totalSteps) * timestep
        let eta = psPerSecond > 0 ? leftPs / psPerSecond : .nan
        board.update(unit, "\(label) segment \(p.segment + 1)/\(p.segmentCount), T \(Int(p.temperatureK.rounded())) K → \(Int(p.targetK.rounded())) K, \(Int((Double(p.totalSteps) * timestep).rounded())) ps of \(Int((Double(p.totalStepsPlanned) * timestep).rounded())), ETA \(ProgressBoard.duration(eta))")
    }

    package func clear() {}
}
