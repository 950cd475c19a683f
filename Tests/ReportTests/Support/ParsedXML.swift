import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A document parsed with Foundation's XMLParser (tests only): well-formedness plus the
/// elements, their attributes and their text, in document order.
final class ParsedXML: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        /// Text content, that of descendants included (like DOM textContent).
        var text = ""
    }

    private(set) var elements: [Element] = []
    private var open: [Int] = []
    /// nil when the document is well-formed, else the parser's complaint with the line.
    private(set) var error: String?

    init(_ text: String) {
        super.init()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = self
        if !parser.parse() {
            error = "\(parser.parserError.map { String(describing: $0) } ?? "parse failed") at line \(parser.lineNumber)"
        }
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        open.append(elements.count)
        elements.append(Element(name: elementName, attributes: attributeDict))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        open.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        for k in open { elements[k].text += string }           // text content, descendants included
    }

    /// Elements named `name`.
    func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }
}

/// A fresh temporary directory, removed by the caller.
func makeTemporaryDirectory(_ prefix: String) -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
