/// HTML rendering of a report page.
extension ReportPage {
    /// The page as one HTML5 document: CSS in a `<style>` element, every figure's SVG inline,
    /// links to the figure's CSV (and SVG) files by relative name, all text escaped. No scripts,
    /// fonts, images or other external resources. Deterministic.
    public func html() -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(Markup.escape(title))</title>
            <style>
            \(Self.css)
            </style>
            </head>
            <body>
            <main>
            <h1>\(Markup.escape(title))</h1>

            """
        var figureNumber = 0, tableNumber = 0
        for block in blocks {
            switch block {
            case let .heading(text, level):
                let l = min(max(level, 2), 6)
                out += "<h\(l)>\(Markup.escape(text))</h\(l)>\n"
            case let .paragraph(text):
                out += "<p>\(Markup.escape(text))</p>\n"
            case let .figure(f):
                figureNumber += 1
                out += Self.html(f, label: f.label ?? "Figure \(figureNumber).")
            case let .table(t):
                tableNumber += 1
                out += Self.html(t, label: t.label ?? "Table \(tableNumber).")
            case let .provenance(p, title):
                out += "<section class=\"provenance\">\n<h2>\(Markup.escape(title))</h2>\n<dl>\n"
                for e in p.entries {
                    out += "<dt>\(Markup.escape(e.key))</dt><dd><code>\(Markup.escape(e.value))</code></dd>\n"
                }
                out += "</dl>\n</section>\n"
            }
        }
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    static func html(_ f: ReportFigure, label: String) -> String {
        let stem = Figure.fileNamePart(f.name)
        let links = f.figure.csvTables(baseName: f.name).map { name, _ in
            "<a href=\"\(Markup.escape(name))\">\(Markup.escape(name))</a>"
        }
        return """
            <figure id="\(Markup.escape(Figure.sanitizedID(f.name)))">
            <div class="plot">
            \(f.figure.svg(idPrefix: f.name))</div>
            <figcaption><span class="label">\(Markup.escape(label))</span> \(Markup.escape(f.caption))
            <span class="data">Data: \(links.joined(separator: ", ")) · <a href="\(Markup.escape(stem)).svg">\(Markup.escape(stem)).svg</a></span></figcaption>
            </figure>

            """
    }

    static func html(_ t: ReportTable, label: String) -> String {
        var out = "<table>\n<caption><span class=\"label\">\(Markup.escape(label))</span> \(Markup.escape(t.caption))</caption>\n"
        // A column is right-aligned, heading included, when its first cell is a number.
        let numeric = t.columns.indices.map { k in t.rows.first?[k].isNumeric ?? false }
        out += "<thead><tr>" + zip(t.columns, numeric).map { name, isNumeric in
            (isNumeric ? "<th class=\"num\">" : "<th>") + Markup.escape(name) + "</th>"
        }.joined() + "</tr></thead>\n<tbody>\n"
        for row in t.rows {
            out += "<tr>" + row.map { cell in
                (cell.isNumeric ? "<td class=\"num\">" : "<td>") + Markup.escape(cell.text) + "</td>"
            }.joined() + "</tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    /// The page style: a readable single column, figures scaled to fit, booktabs-like tables.
    static let css = """
        body { margin: 0; background: #ffffff; color: #1a1a1a;
               font: 16px/1.5 "DejaVu Sans", Helvetica, Arial, sans-serif; }
        main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; }
        h1 { font-size: 26px; margin: 8px 0 16px; }
        h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 1px solid #dddddd; padding-bottom: 4px; }
        h3 { font-size: 17px; margin: 24px 0 6px; }
        p { margin: 8px 0; max-width: 80ch; }
        figure { margin: 20px 0 28px; }
        figure .plot svg { display: block; max-width: 100%; height: auto; }
        figcaption { font-size: 14px; margin-top: 6px; max-width: 90ch; }
        .label { font-weight: bold; }
        .data { display: block; color: #555555; font-size: 13px; margin-top: 2px; }
        a { color: #1f5fa8; }
        table { border-collapse: collapse; margin: 16px 0 24px; font-size: 15px; min-width: 480px; }
        caption { caption-side: top; text-align: left; font-size: 14px; padding-bottom: 6px; }
        thead th { border-top: 2px solid #1a1a1a; border-bottom: 1px solid #1a1a1a; }
        tbody tr:last-child td { border-bottom: 2px solid #1a1a1a; }
        th, td { padding: 4px 14px; text-align: left; }
        th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; font-size: 14px; }
        dt { font-weight: bold; }
        dd { margin: 0; overflow-wrap: anywhere; }
        code { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 13px; }
        """
}
