import Testing
@testable import MDCore

@Suite struct JSONValueTests {
    @Test func parsesNestedDocumentWithLines() throws {
        let text = "{\n  \"a\": [1, 2.5, -3e2],\n  \"b\": {\"c\": \"x\\u00e9\\n\", \"d\": true, \"e\": null}\n}\n"
        let v = try JSONValue.parse(text, path: "t.json")
        #expect(v["a"]?.elements?.map { $0.double! } == [1, 2.5, -300])
        #expect(v["a"]?.line == 2)
        #expect(v["a"]?.elements?[0].int == 1)
        #expect(v["a"]?.elements?[1].int == nil)
        #expect(v["b"]?["c"]?.string == "xé\n")
        #expect(v["b"]?["d"]?.bool == true)
        #expect(v["b"]?["e"]?.isNull == true)
        #expect(v["b"]?.line == 3)
        let again = try JSONValue.parse(v.formatted(), path: "t2.json")
        #expect(again == v)
    }

    @Test(arguments: [
        ("", "empty"), ("{", "end of file"), ("{\"a\": 1,}", "quoted key"), ("[1 2]", "','"),
        ("{\"a\": 1, \"a\": 2}", "duplicate key"), ("01", "leading zero"), ("1.", "after '.'"),
        ("\"abc", "unterminated"), ("tru", "literal"), ("{} x", "after the end"), ("1e999", "out of range"),
        ("\"\\q\"", "unknown escape"), ("\"\\ud800\"", "surrogate"),
    ])
    func rejectsMalformed(text: String, expected: String) {
        do {
            _ = try JSONValue.parse(text, path: "bad.json")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description.hasPrefix("bad.json:"))
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test func reportsLineOfError() {
        do {
            _ = try JSONValue.parse("{\n\"a\": 1,\n\"b\": [1,\n 2,,]\n}", path: "c.json")
            Issue.record("accepted")
        } catch {
            #expect(error.line == 4)
        }
    }

    @Test func numbersRoundTrip() throws {
        let xs: [Double] = [0.1, 1e-300, 123456789.125, -2.5e-7, 0.30000000000000004]
        let v = JSONValue.numbers(xs)
        let back = try JSONValue.parse(v.formatted(), path: "n.json")
        #expect(back.elements?.map { $0.double! } == xs)
    }
}

@Suite struct SHA256Tests {
    @Test func knownVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var s = SHA256()
        for _ in 0..<1000 { s.update(Array(repeating: UInt8(ascii: "a"), count: 1000)) }
        #expect(s.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Whole blocks are compressed in place, the rest buffered: any split of the input, contiguous or
    /// not, gives the one-shot digest.
    @Test func anySplitGivesTheSameDigest() {
        var g = SeededRandom(seed: 7)
        let bytes = (0..<5000).map { _ in UInt8(truncatingIfNeeded: g.next()) }
        let whole = SHA256.hex(bytes)
        for trial in 0..<20 {
            var s = SHA256()
            var i = 0
            while i < bytes.count {
                let n = min(bytes.count - i, Int(g.next() % 200))
                if trial % 2 == 0 { s.update(bytes[i..<i + n]) } else { s.update(bytes[i..<i + n].lazy.map { $0 }) }
                i += n
            }
            #expect(s.finalizeHex() == whole)
        }
    }
}

@Suite struct ShortScientificTests {
    @Test func paperRatesAndOthers() {
        let rates = (1...10).map { Double(1 << $0) * 1e10 }
        #expect(rates.map(shortScientific) == ["2e10", "4e10", "8e10", "1.6e11", "3.2e11", "6.4e11", "1.28e12",
                                               "2.56e12", "5.12e12", "1.024e13"])
        #expect(shortScientific(1.6e14) == "1.6e14" && shortScientific(-2.5e-7) == "-2.5e-7" && shortScientific(0) == "0.0")
        for x in [1.0 / 3, 0.1, 123456.789, 9.999999e-5] { #expect(Double(shortScientific(x)) == x) }
    }
}
