import Foundation
import Testing
@testable import Report

@Suite struct SVGTests {
    static let demoFigures: [(String, Figure)] = [
        ("fig1", DemoReport.figure1()), ("fig2", DemoReport.figure2()), ("fig3", DemoReport.figure3()),
        ("fig4", DemoReport.figure4()), ("fig5", DemoReport.figure5()), ("drops", DemoReport.figureDrops()),
    ]

    /// A figure with hostile text and every kind of missing value.
    static func awkwardFigure() -> Figure {
        let nasty = "a<b & \"c\" 'd' >e\u{1}"
        var panel = Panel(x: Axis(nasty, unit: "µm<"), y: Axis("y", unit: "&"), title: nasty, letter: "<x>")
        panel.add(.line(LineSeries(x: [0, 1, 2, 3, 4], y: [0, 1, .nan, 3, 4], label: nasty)))
        panel.add(.line(LineSeries(x: [0, 1], y: [.nan, .nan], label: "all NaN")))
        panel.add(.band(Band(x: [0, 1, 2], lower: [0, .nan, 1], upper: [1, 2, 3], label: "band")))
        panel.add(.scatter(Scatter(x: [0, .nan, 2, .infinity], y: [1, 1, .nan, 1], label: "points")))
        panel.add(.heatmap(Heatmap(xEdges: [0, 1, 2], yEdges: [0, 2, 4], values: [1, .nan, -1, .infinity],
                                   scale: ColorScale(nasty, colormap: .blueWhiteRed))))
        panel.add(.quiver(Quiver(x: [0.5, 1.5, 0.5, 1.5], y: [1, 1, 3, 3], u: [1, 0, .nan, -1], v: [0, 0, 1, 1],
                                 cellWidth: 1, cellHeight: 2, label: nasty)))
        panel.add(.reference(.horizontal(2, label: nasty)))
        panel.add(.histogram(Histogram(edges: [0, 1, 2], counts: [1, .nan], label: nasty)))
        return Figure(panels: [panel, Panel(x: Axis("empty"), y: Axis("panel"))])
    }

    @Test func demoFiguresAreWellFormedXML() {
        for (name, figure) in Self.demoFigures {
            let xml = ParsedXML(figure.svgDocument(idPrefix: name))
            #expect(xml.error == nil, "\(name): \(xml.error ?? "")")
            #expect(xml.elements.first?.name == "svg")
        }
    }

    @Test func hostileTextIsEscapedAndStaysWellFormed() {
        let svg = Self.awkwardFigure().svg()
        let xml = ParsedXML(svg)
        #expect(xml.error == nil, "\(xml.error ?? "")")
        #expect(svg.contains("a&lt;b &amp; &quot;c&quot; &#39;d&#39; &gt;e"))
        #expect(!svg.contains("a<b"))
        #expect(!svg.contains("\u{1}"))
        // The parsed text reads back as written (minus the control character).
        #expect(xml.all("text").contains { $0.text == "a<b & \"c\" 'd' >e" })
        #expect(xml.all("text").contains { $0.text == "(<x>)" })
    }

    @Test func outputIsDeterministic() {
        for (name, figure) in Self.demoFigures {
            #expect(figure.svg(idPrefix: name) == figure.svg(idPrefix: name))
        }
        // Built twice from scratch (fresh RNG streams, fresh arrays): same bytes.
        #expect(DemoReport.figure2().svg() == DemoReport.figure2().svg())
        #expect(Self.awkwardFigure().svg() == Self.awkwardFigure().svg())
    }

    @Test func nonFiniteValuesNeverReachTheMarkup() {
        let xml = ParsedXML(Self.awkwardFigure().svg())
        for e in xml.elements where e.name != "text" {
            for (key, value) in e.attributes {
                let v = value.lowercased()
                #expect(!v.contains("nan") && !v.contains("inf") && !v.contains("×"), "\(e.name) \(key)=\(value)")
            }
        }
    }

    @Test func nanBreaksLinesAndBands() {
        let xml = ParsedXML(Self.awkwardFigure().svg())
        let paths = xml.all("path").compactMap { $0.attributes["d"] }
        // Line [0,1,NaN,3,4]: two runs of two points; the all-NaN line draws nothing; the band
        // [0, NaN, 1] has no run of two finite points.
        #expect(paths.count == 1, "\(paths)")
        #expect(paths.first.map { $0.filter { $0 == "M" }.count } == 2)
    }

    @Test func heatmapCellsQuiverArrowsAndPointsSkipMissingValues() {
        let xml = ParsedXML(Self.awkwardFigure().svg())
        // Scatter: only (0, 1) is finite. Legend adds one sample circle.
        #expect(xml.all("circle").count == 1 + 1)
        // Quiver: (1,0) and (−1,1) drawn; zero and NaN arrows skipped; +1 legend arrowhead.
        #expect(xml.all("polygon").count == 2 + 1)
        // Heatmap: 4 cells, the NaN one light grey; +inf is not finite → missing too.
        let cellFills = xml.elements.filter { $0.name == "rect" && $0.attributes["fill"] == Color.lightGray.hexString }
        #expect(cellFills.count == 2)
    }

    @Test func missingCellsCanBeBlank() {
        let map = Heatmap(xEdges: [0, 1, 2], yEdges: [0, 1], values: [1, .nan], scale: ColorScale("v"), missingColor: nil,
                          showsColorbar: false)
        let xml = ParsedXML(Figure(Panel(x: Axis("x"), y: Axis("y"), layers: [.heatmap(map)])).svg())
        let cells = xml.elements.filter { $0.name == "rect" && $0.attributes["fill"] == Colormap.viridis.color(at: 0.5).hexString }
        #expect(cells.count == 1)                            // one finite cell, at mid-range of [0.95, 1.05]
        #expect(!xml.elements.contains { $0.attributes["fill"] == Color.lightGray.hexString })
    }

    @Test func clipPathIDsFollowThePrefix() {
        let svg = DemoReport.figure2().svg(idPrefix: "fig 2/ü")
        let ids = ParsedXML(svg).elements.compactMap { $0.attributes["id"] }
        #expect(ids == ["fig2-clip0", "fig2-clip1", "fig2-clip2", "fig2-clip3"])
        #expect(Figure.sanitizedID("2x") == "f2x")
    }

    @Test func tickLabelsAreCompact() {
        for (name, figure) in Self.demoFigures {
            for t in ParsedXML(figure.svg()).all("text") {
                #expect(!t.text.contains("0000000") && !t.text.contains("9999999"), "\(name): \(t.text)")
            }
        }
    }

    @Test func panelsAreLaidOutInAGridWithLetters() {
        let f = DemoReport.figure2()
        #expect(f.columns == 2 && f.rows == 2)
        #expect(f.panels.map(\.letter) == ["a", "b", "c", "d"])
        let xml = ParsedXML(f.svg())
        let transforms = xml.all("g").compactMap { $0.attributes["transform"] }.filter { $0.hasPrefix("translate") }
        #expect(transforms == ["translate(0,0)", "translate(420,0)", "translate(0,320)", "translate(420,320)"])
        #expect(xml.elements[0].attributes["viewBox"] == "0 0 840 640")
        #expect(Figure(Panel(x: Axis("x"), y: Axis("y"))).panels[0].letter == nil)
    }

    @Test func bandTakesTheColourOfTheLineAfterIt() {
        let panel = Panel(x: Axis("x"), y: Axis("y"), layers: [
            .band(Band(x: [0, 1], mean: [0, 1], std: [0.1, 0.1])), .line(LineSeries(x: [0, 1], y: [0, 1])),
            .line(LineSeries(x: [0, 1], y: [1, 0])),
        ])
        #expect(panel.resolvedColors() == [Color.blue, Color.blue, Color.orange])
    }
}
