import MDCore

/// Rendering of a whole figure as one SVG document.
extension Figure {
    /// The figure as an SVG document (no XML declaration, so it can be inlined in HTML as is).
    /// `idPrefix` starts every element id (clip paths); give each figure of one HTML page its own.
    /// Deterministic: the same figure gives the same bytes.
    public func svg(idPrefix: String = "fig") -> String {
        let prefix = Self.sanitizedID(idPrefix)
        let n = SVGWriter.n
        var w = SVGWriter()
        w.open("svg", [
            ("xmlns", "http://www.w3.org/2000/svg"), ("width", n(width)), ("height", n(height)),
            ("viewBox", "0 0 \(n(width)) \(n(height))"), ("font-family", PanelStyle.fontFamily),
            ("font-size", n(PanelStyle.tickFont)), ("fill", "#000000"),
        ])
        w.rect(0, 0, width, height, fill: .white)
        for (k, panel) in panels.enumerated() {
            let row = k / columns, column = k % columns
            panel.render(into: &w, x: Double(column) * panelWidth, y: Double(row) * panelHeight,
                         width: panelWidth, height: panelHeight, clipID: "\(prefix)-clip\(k)")
        }
        w.close("svg")
        return w.text
    }

    /// The SVG as a standalone file: XML declaration plus `svg(idPrefix:)`.
    public func svgDocument(idPrefix: String = "fig") -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg(idPrefix: idPrefix)
    }

    /// Writes `svgDocument` to `path` atomically.
    public func writeSVG(to path: String, idPrefix: String = "fig") throws(InputError) {
        try AtomicFile.write(svgDocument(idPrefix: idPrefix), to: path)
    }

    /// `text` reduced to an XML name: letters, digits, '-' and '_', starting with a letter.
    static func sanitizedID(_ text: String) -> String {
        var s = String(text.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }.map(Character.init))
        if s.isEmpty || !(s.unicodeScalars.first!.properties.isAlphabetic) { s = "f" + s }
        return s
    }
}
