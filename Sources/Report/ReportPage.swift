/// One block of a report page, in reading order.
public enum ReportBlock: Sendable {
    /// A section heading; level 2 for sections, 3 for subsections.
    case heading(String, level: Int)
    /// A paragraph of plain text.
    case paragraph(String)
    case figure(ReportFigure)
    case table(ReportTable)
    /// A key/value block under its own heading.
    case provenance(Provenance, title: String)
}

/// A self-contained HTML report: a title and blocks (headings, paragraphs, figures with their
/// CSV data, tables, provenance). `html()` renders it with SVGs and CSS inline and no external
/// resources or scripts; `write(toDirectory:)` writes index.html with the figure files beside it.
public struct ReportPage: Sendable {
    /// Page title (the `<title>` and the top heading).
    public var title: String
    /// Content in reading order.
    public var blocks: [ReportBlock]

    /// A page titled `title` with optional initial `blocks`.
    public init(title: String, blocks: [ReportBlock] = []) {
        self.title = title
        self.blocks = blocks
    }

    /// Adds a section heading.
    public mutating func heading(_ text: String, level: Int = 2) { blocks.append(.heading(text, level: level)) }
    /// Adds a paragraph.
    public mutating func paragraph(_ text: String) { blocks.append(.paragraph(text)) }
    /// Adds a figure whose files are named after `name` ("fig2" → fig2.svg, fig2a.csv, …).
    public mutating func figure(_ figure: Figure, name: String, caption: String, label: String? = nil) {
        blocks.append(.figure(ReportFigure(name: name, figure: figure, caption: caption, label: label)))
    }
    /// Adds a table.
    public mutating func table(_ table: ReportTable) { blocks.append(.table(table)) }
    /// Adds a provenance block.
    public mutating func provenance(_ provenance: Provenance, title: String = "Provenance") {
        blocks.append(.provenance(provenance, title: title))
    }

    /// The figures of the page, in order.
    public var figures: [ReportFigure] {
        blocks.compactMap { if case let .figure(f) = $0 { return f } else { return nil } }
    }
}
