import Foundation
import MDCore
import Testing
@testable import Report

@Suite struct HTMLTests {
    static func smallPage() -> ReportPage {
        var page = ReportPage(title: "Report <1> & \"2\"")
        page.heading("Section <a>")
        page.paragraph("Text with <script>alert(1)</script> & more")
        let line = LineSeries(x: [0, 1, 2], y: [0, 1, 4], label: "y = x²")
        page.figure(Figure(Panel(x: Axis("x"), y: Axis("y"), layers: [.line(line)])), name: "figA", caption: "A <caption>")
        page.figure(DemoReport.figure3(), name: "figB", caption: "Two panels")
        page.table(ReportTable(caption: "Params & <units>", columns: ["Parameter", "Value", "Unit"], rows: [
            ["u_A", .measurement(0.10134, error: 0.00213), "eV/atom"],
            ["<bad>", .number(1.0 / 3.0), ""],
        ], label: "Table I."))
        page.provenance(Provenance([("config hash", "abc<def>"), ("seed", "42")]))
        return page
    }

    @Test func pageIsSelfContainedWellFormedAndEscaped() {
        let html = Self.smallPage().html()
        let xml = ParsedXML(html)
        #expect(xml.error == nil, "\(xml.error ?? "")")             // XHTML-compatible, SVG inline
        #expect(xml.all("svg").count == 2)
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"))
        #expect(!html.contains("src="))
        // The only URL is the SVG namespace; links are relative file names.
        let urls = html.components(separatedBy: "http").dropFirst().map { String($0.prefix(30)) }
        #expect(urls.allSatisfy { $0.hasPrefix("://www.w3.org/2000/svg") }, "\(urls)")
        #expect(xml.all("a").compactMap { $0.attributes["href"] } == ["figA.csv", "figA.svg", "figBa.csv", "figBb.csv", "figB.svg"])
        #expect(xml.all("title").first?.text == "Report <1> & \"2\"")
    }

    @Test func tablesAndProvenance() {
        let xml = ParsedXML(Self.smallPage().html())
        let cells = xml.all("td").map(\.text)
        #expect(cells == ["u_A", "0.101 ± 0.002", "eV/atom", "<bad>", "0.3333", ""])
        #expect(xml.all("caption").first?.text == "Table I. Params & <units>")
        #expect(xml.all("dt").map(\.text) == ["config hash", "seed"])
        #expect(xml.all("dd").map(\.text) == ["abc<def>", "42"])
        #expect(xml.all("figcaption").first?.text.hasPrefix("Figure 1. A <caption>") == true)
    }

    @Test func svgIDsAreUniqueAcrossThePage() {
        let ids = ParsedXML(DemoReport.page().html()).elements.compactMap { $0.attributes["id"] }
        #expect(ids.count == Set(ids).count, "\(ids)")
    }

    @Test func writeCreatesTheDirectoryAndEveryLinkedFile() throws {
        let dir = makeTemporaryDirectory("seem-report-html").appendingPathComponent("nested/report")
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent().deletingLastPathComponent()) }
        let written = try Self.smallPage().write(toDirectory: dir.path)
        #expect(written == ["figA.svg", "figA.csv", "figB.svg", "figBa.csv", "figBb.csv", "index.html"])
        let html = try String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html == Self.smallPage().html())
        for href in ParsedXML(html).all("a").compactMap({ $0.attributes["href"] }) {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(href).path), "missing \(href)")
        }
        let svg = try String(contentsOf: dir.appendingPathComponent("figB.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg"))
        #expect(ParsedXML(svg).error == nil)
    }

    @Test func duplicateFigureNamesAreRejected() {
        var page = ReportPage(title: "t")
        let f = Figure(Panel(x: Axis("x"), y: Axis("y")))
        page.figure(f, name: "fig1", caption: "")
        page.figure(f, name: "fig1", caption: "")
        let dir = makeTemporaryDirectory("seem-report-dup")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: InputError.self) { try page.write(toDirectory: dir.path) }
    }
}
