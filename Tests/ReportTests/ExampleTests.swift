import Foundation
import MDCore
import Testing
import Report

/// The usage example from the module's hand-over notes, kept compiling and running.
@Suite struct ExampleTests {
    @Test func heatmapFigureAndPage() throws {
        let dir = makeTemporaryDirectory("seem-report-example")
        defer { try? FileManager.default.removeItem(at: dir) }

        let xEdges = Heatmap.edges(from: 0, to: 0.05, count: 20)        // X₁ bins, eV/atom
        let yEdges = Heatmap.edges(from: -0.5, to: 2.5, count: 20)      // τ bins, GPa
        let rate = Heatmap(xEdges: xEdges, yEdges: yEdges,
                           scale: ColorScale("Events per 0.1% strain", csvName: "rate")) { i, j in
            i + j > 30 ? .nan : Double(i * j) / 400                      // NaN = never visited
        }
        let x = Axis("X₁", unit: "eV/atom", csvName: "X1"), tau = Axis("τ", unit: "GPa", csvName: "tau")
        let figure = Figure(panels: [
            Panel(x: x, y: tau, layers: [.heatmap(rate)]),
            Panel(x: x, y: tau, layers: [.line(LineSeries(x: [0.01, 0.03], y: [0, 1.2], label: "run", dash: .dotted)),
                                         .reference(.vertical(0.03, color: .orange))]),
        ])
        var page = ReportPage(title: "SEEM report")
        page.heading("State space")
        page.figure(figure, name: "fig2", caption: "Event rate per state.", label: "Fig. 2.")
        page.table(ReportTable(caption: "Fitted parameters.", columns: ["Parameter", "Value", "Unit"],
                               rows: [["u_A", .measurement(0.101, error: 0.002), "eV/atom"]], label: "Table I."))
        page.provenance(Provenance([("Config hash", "fnv1a64:…"), ("Seed", "42")]))
        let files = try page.write(toDirectory: dir.path)   // fig2.svg, fig2a.csv, fig2b.csv, index.html

        #expect(files == ["fig2.svg", "fig2a.csv", "fig2b.csv", "index.html"])
    }
}
