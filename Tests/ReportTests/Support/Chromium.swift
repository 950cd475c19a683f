import Foundation
import Testing

/// Headless Chromium for render tests. Debian/Ubuntu package: `chromium`.
enum Chromium {
    /// The browser executable on PATH, if any.
    static let executable: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            for dir in path.split(separator: ":") {
                let candidate = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }()

    /// CI sets SEEM_REQUIRE_CHROMIUM=1: then a missing browser is a failure, not a skip.
    static var required: Bool { ProcessInfo.processInfo.environment["SEEM_REQUIRE_CHROMIUM"] == "1" }

    /// The browser path; records a failure (CI) or cancels the test as skipped when missing.
    static func require(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        if let executable { return executable }
        if required {
            Issue.record("chromium is not on PATH but SEEM_REQUIRE_CHROMIUM=1", sourceLocation: sourceLocation)
            throw RenderFailure("chromium is not on PATH")
        }
        try Test.cancel("chromium is not on PATH: render test skipped (apt-get install chromium; SEEM_REQUIRE_CHROMIUM=1 to fail instead)")
    }

    /// Screenshots `page` (a local file) at `width` × `height` CSS px into `png`. Flags:
    /// --headless (the new headless mode), --no-sandbox (containers run as root),
    /// --disable-gpu and --disable-dev-shm-usage (no GPU, small /dev/shm), a private
    /// --user-data-dir (parallel runs would fight over the default profile), --hide-scrollbars.
    static func screenshot(_ browser: String, page: URL, png: URL, width: Int, height: Int,
                           timeoutSeconds: Double = 120) throws {
        let work = png.deletingLastPathComponent()
        let profile = work.appendingPathComponent("chromium-profile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let log = work.appendingPathComponent("chromium-\(png.deletingPathExtension().lastPathComponent).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
            "--no-first-run", "--user-data-dir=\(profile.path)", "--force-device-scale-factor=1",
            "--screenshot=\(png.path)", "--window-size=\(width),\(height)", page.absoluteString,
        ]
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw RenderFailure("chromium did not finish within \(timeoutSeconds) s")
        }
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: png.path) else {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw RenderFailure("chromium exited with \(process.terminationStatus):\n\(text.suffix(3000))")
        }
    }
}

/// Width and height from a PNG's IHDR chunk (bytes 16–23, big endian), nil if not a PNG.
func pngDimensions(_ data: Data) -> (width: Int, height: Int)? {
    let bytes = [UInt8](data.prefix(24))
    let signature: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
    guard bytes.count == 24, Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
    func be32(_ k: Int) -> Int { bytes[k..<k + 4].reduce(0) { $0 << 8 | Int($1) } }
    return (be32(16), be32(20))
}

struct RenderFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
