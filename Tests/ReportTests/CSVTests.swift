import Foundation
import Testing
@testable import Report

@Suite struct CSVTests {
    @Test func linePanelHasUnitsInTheHeaderAndExactNumbers() {
        let panel = Panel(x: Axis("γ", csvName: "strain"), y: Axis("τ", unit: "GPa", csvName: "tau"), layers: [
            .line(LineSeries(x: [0, 0.1 + 0.2], y: [1.5, .nan], label: "run 1")),
            .reference(.horizontal(1, label: "τ = 1")),
        ])
        let table = panel.csvTable()
        #expect(table.header == ["series", "kind", "strain", "tau [GPa]"])
        #expect(table.rows == [
            ["run 1", "line", "0.0", "1.5"],
            ["run 1", "line", "0.30000000000000004", "nan"],          // round-trip exact, NaN as nan
            ["τ = 1", "reference", "", "1.0"],
        ])
        #expect(Double(table.rows[1][2]) == 0.1 + 0.2)
    }

    @Test func heatmapAndQuiverColumns() {
        let map = Heatmap(xEdges: [0, 1, 2], yEdges: [10, 20], values: [5, .nan],
                          scale: ColorScale("events", unit: "1/strain"))
        let flow = Quiver(xEdges: [0, 1, 2], yEdges: [10, 20], u: [1, 2], v: [3, 4], componentNames: ("dX1 [eV]", "dtau [GPa]"))
        let table = Panel(x: Axis("X1", unit: "eV/atom"), y: Axis("tau", unit: "GPa"), layers: [.heatmap(map), .quiver(flow)]).csvTable()
        #expect(table.header == ["series", "kind", "X1 [eV/atom]", "X1 low [eV/atom]", "X1 high [eV/atom]", "tau [GPa]",
                                 "tau low [GPa]", "tau high [GPa]", "events [1/strain]", "dX1 [eV]", "dtau [GPa]"])
        #expect(table.rows[0] == ["heatmap 1", "heatmap", "", "0.0", "1.0", "", "10.0", "20.0", "5.0", "", ""])
        #expect(table.rows[1][8] == "nan")
        #expect(table.rows[2] == ["quiver 2", "quiver", "0.5", "", "", "15.0", "", "", "", "1.0", "3.0"])
    }

    @Test func bandAndHistogramColumns() {
        let table = Panel(x: Axis("x"), y: Axis("y"), layers: [
            .band(Band(x: [1], mean: [2], std: [0.5], label: "mean ± std")),
            .histogram(Histogram(edges: [0, 1], counts: [7])),
        ]).csvTable()
        #expect(table.header == ["series", "kind", "x", "x low", "x high", "y", "y lower", "y upper"])
        #expect(table.rows == [["mean ± std", "band", "1.0", "", "", "", "1.5", "2.5"],
                               ["histogram 2", "histogram", "", "0.0", "1.0", "7.0", "", ""]])
    }

    @Test func fieldsAreQuotedPerRFC4180() {
        let table = CSVTable(header: ["a,b", "plain"], rows: [["say \"hi\"", "line\nbreak"]])
        #expect(table.text == "\"a,b\",plain\n\"say \"\"hi\"\"\",\"line\nbreak\"\n")
    }

    @Test func figureWritesOneFilePerPanel() throws {
        let dir = makeTemporaryDirectory("seem-report-csv")
        defer { try? FileManager.default.removeItem(at: dir) }
        let names = try DemoReport.figure2().writeCSV(directory: dir.path, baseName: "fig2")
        #expect(names == ["fig2a.csv", "fig2b.csv", "fig2c.csv", "fig2d.csv"])
        let text = try String(contentsOf: dir.appendingPathComponent("fig2d.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.first == "series,kind,X1 [eV/atom],tau [GPa],dX1/dgamma [eV/atom],dtau/dgamma [GPa]")
        #expect(lines.count == 1 + 400)
        #expect(DemoReport.figure5().csvTables(baseName: "fig5").map(\.fileName) == ["fig5.csv"])
    }
}
