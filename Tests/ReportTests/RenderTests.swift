import Foundation
import Testing
@testable import Report

/// Renders the demo report in headless Chromium and checks the screenshot. Skipped without
/// chromium unless SEEM_REQUIRE_CHROMIUM=1. Set SEEM_REPORT_DEMO_DIR to keep the page and the
/// screenshot (demo.png) in that directory.
@Suite(.serialized) struct RenderTests {
    @Test func demoReportRendersInChromium() throws {
        let browser = try Chromium.require()
        let keep = ProcessInfo.processInfo.environment["SEEM_REPORT_DEMO_DIR"]
        let dir = keep.map { URL(fileURLWithPath: $0) } ?? makeTemporaryDirectory("seem-report-render")
        defer { if keep == nil { try? FileManager.default.removeItem(at: dir) } }
        try DemoReport.page().write(toDirectory: dir.path)

        let (width, height) = (1200, 3000)
        let png = dir.appendingPathComponent("demo.png")
        try Chromium.screenshot(browser, page: dir.appendingPathComponent("index.html"), png: png, width: width, height: height)

        // Baseline: the same window over an empty page. A rendered report (figures, colour maps)
        // compresses far worse than white, so its PNG must be several times larger.
        let blankHTML = dir.appendingPathComponent("blank.html")
        try "<!DOCTYPE html><html><head><title>blank</title></head><body></body></html>".write(to: blankHTML, atomically: true, encoding: .utf8)
        let blankPNG = dir.appendingPathComponent("blank.png")
        try Chromium.screenshot(browser, page: blankHTML, png: blankPNG, width: width, height: height)

        let data = try Data(contentsOf: png), blank = try Data(contentsOf: blankPNG)
        let size = try #require(pngDimensions(data), "demo.png is not a PNG")
        #expect(size.width == width && size.height == height)
        #expect(pngDimensions(blank).map { $0.width == width && $0.height == height } == true)
        #expect(data.count > 8 * blank.count, "screenshot \(data.count) B vs blank page \(blank.count) B: page looks empty")
        #expect(data.count > 100_000, "screenshot only \(data.count) B")
    }
}
