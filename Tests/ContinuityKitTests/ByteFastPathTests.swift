import Testing

@testable import ContinuityKit

/// The byte-by-byte readers of ASCII text agree with the character-by-character ones they stand in for.
@Suite("Byte fast paths")
struct ByteFastPathTests {
    /// Deterministic pseudo-random strings over `alphabet`.
    struct Generator {
        var seed: UInt64 = 0x2545_F491_4F6C_DD1D
        mutating func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        mutating func text(_ alphabet: [String], maxLength: Int) -> String {
            var out = ""
            for _ in 0..<next(maxLength + 1) { out += alphabet[next(alphabet.count)] }
            return out
        }
    }

    @Test("UTF-8 is judged valid exactly when the standard library's decoder takes it")
    func validUTF8() {
        func agrees(_ bytes: [UInt8]) -> Bool {
            bytes.withUnsafeBufferPointer { UTF8Text.isValid($0) } == (String(validating: bytes, as: UTF8.self) != nil)
        }
        let cases: [[UInt8]] = [
            [], Array("plain ASCII, longer than a word of eight bytes".utf8), Array("é€🔥\u{10FFFF}\u{FFFF}".utf8),
            [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xC2, 0x80], [0xDF, 0xBF], [0xC2],
            [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80],
            [0xEF, 0xBF, 0xBF], [0xE1, 0x80], [0xE1, 0x80, 0x41], [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80],
            [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xFE],
            Array("abcdefgh".utf8) + [0xE2, 0x82] + Array("ijklmnop".utf8),
        ]
        for bytes in cases { #expect(agrees(bytes), "\(bytes)") }
        // Random bytes, mostly ASCII, some of every kind.
        var generator = Generator()
        for _ in 0..<2_000 {
            let bytes = (0..<generator.next(24)).map { _ in
                UInt8(generator.next(4) == 0 ? 0x80 + generator.next(0x80) : generator.next(0x80))
            }
            #expect(agrees(bytes), "\(bytes)")
        }
        #expect(UTF8Text.repaired([0x61, 0xFF, 0x62]) == Array("a\u{FFFD}b".utf8))
        #expect(UTF8Text.repaired(Array("é".utf8)) == Array("é".utf8))
    }

    @Test("scalars are read from UTF-8 with their width; stray and cut-short bytes are none")
    func scalars() {
        let text = "a\u{7F}é\u{800}€\u{FFFF}🔥\u{10FFFF}"
        let bytes = Array(text.utf8)
        var index = 0
        var read: [Unicode.Scalar] = []
        while index < bytes.count {
            let (scalar, width) = UTF8Text.scalar(in: bytes, at: index)
            #expect(width == scalar.map { String($0).utf8.count })
            read += scalar.map { [$0] } ?? []
            index += width
        }
        #expect(read == Array(text.unicodeScalars))
        #expect(UTF8Text.scalar(in: [0xA9, 0x41], at: 0) == (nil, 1))
        #expect(UTF8Text.scalar(in: [0x41, 0xE2, 0x82], at: 1) == (nil, 2))
        // A surrogate written in UTF-8 is no scalar.
        #expect(UTF8Text.scalar(in: [0xED, 0xA0, 0x80], at: 0) == (nil, 3))
    }

    @Test("repeated headings get numbered ids, in order, also past the first 32 headings of a document")
    func repeatedHeadingIDs() {
        let titles = (0..<45).map { $0 % 3 == 0 ? "Step" : "Check \($0 % 5)" }
        let body = Markdown.parse(titles.map { "## \($0)\n\ntext\n" }.joined(separator: "\n"))
        // The same numbering, worked out plainly.
        var seen: [String: Int] = [:]
        let expected = titles.map { title -> String in
            let slug = Markdown.slug(title)
            defer { seen[slug, default: 0] += 1 }
            return seen[slug].map { "\(slug)-\($0)" } ?? slug
        }
        #expect(body.headings.map(\.slug) == expected)
        #expect(expected.contains("step-14"))
        for slug in expected { #expect(body.html.contains("<h2 id=\"\(slug)\">")) }
    }

    @Test("slugs of ASCII headings")
    func slugs() {
        var g = Generator()
        let alphabet = ["a", "Z", "q", "0", "9", " ", "-", "_", ".", "!", "#", "(", "`", "\t", "~"]
        for _ in 0..<2000 {
            let text = g.text(alphabet, maxLength: 20)
            #expect(Markdown.asciiSlug(text) == Markdown.scalarSlug(text), "\(text.debugDescription)")
        }
        #expect(Markdown.asciiSlug("Café") == nil)
        #expect(Markdown.slug("Café Été") == Markdown.scalarSlug("Café Été"))
    }

    @Test("picture labels of ASCII titles cut on bytes as on characters")
    func pictureLabels() {
        var g = Generator()
        let alphabet = ["a", "Z", " ", "\t", "-", ".", "x", "\r", "\n", "é"]
        for _ in 0..<3000 {
            let text = g.text(alphabet, maxLength: 40)
            for limit in [1, 5, 24] {
                #expect(
                    DependencyDiagram.shorten(text, to: limit) == DependencyDiagram.shortenedCharacters(text, to: limit),
                    "\(text.debugDescription) to \(limit)")
            }
        }
        #expect(DependencyDiagram.shortenedASCII("Café au lait and more", to: 8) == nil)
        #expect(DependencyDiagram.shorten("Order Management: Cloud region outage", to: 24) == "Order Management: Cloud…")
    }

    @Test("the last slash of a path, found on bytes, is where the UTF-8 view finds it", arguments: [
        "", "/", "a", "a/b", "runbooks/dns.md", "/x/y/", "é/ü/ï", "pages/notes/ça va.md", "no-slash-é",
    ])
    func lastSlash(_ path: String) {
        #expect(path.lastSlash() == path.utf8.lastIndex(of: UInt8(ascii: "/")))
    }

    @Test("links resolved against their document's folder")
    func resolvedLinks() {
        var g = Generator()
        let alphabet = ["a", "b", "/", "/", ".", "..", "../", "./", "x.md", "-"]
        for _ in 0..<3000 {
            let source = g.text(alphabet, maxLength: 6)
            let target = g.text(alphabet, maxLength: 6)
            guard let link = MarkdownLinkTarget(target + ".md") else { continue }
            #expect(link.pathWithoutExtension == target)
            let characters = link.resolvedCharacters(from: source)
            let bytes = MarkdownLinkTarget.resolvedASCII(target, from: source)
            // The byte path leaves links that climb out to the character path.
            if let bytes { #expect(bytes == characters, "\(source) \(target)") } else { #expect(characters == nil) }
        }
    }

    @Test("link destinations")
    func linkDestinations() {
        var g = Generator()
        let alphabet = ["a", "/", ".", ".md", "md", "#", ":", "x", "https:", "..", " ", "é", "\r\n"]
        for _ in 0..<4000 {
            let text = g.text(alphabet, maxLength: 6)
            if let ascii = MarkdownLinkTarget.parseASCII(text) {
                #expect(ascii == MarkdownLinkTarget.parseCharacters(text), "\(text.debugDescription)")
            }
        }
        #expect(MarkdownLinkTarget.parseASCII("é.md") == nil)
    }

    @Test("ids, dates and durations")
    func values() {
        var g = Generator()
        let idAlphabet = ["a", "z", "0", "9", "-", "A", "_", " ", "é", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]
        for _ in 0..<3000 {
            let id = g.text(idAlphabet, maxLength: 5)
            #expect(Identifier.isValid(id) == Identifier.isValidScalars(id), "\(id)")
        }
        let dateAlphabet = ["0", "1", "2", "9", "-", "-", "a", " ", "٣"]
        for _ in 0..<5000 {
            let text = g.text(dateAlphabet, maxLength: 11)
            if let ascii = CalendarDate.asciiFields(text) {
                let characters = CalendarDate.characterFields(text)
                #expect(characters.map { [$0.0, $0.1, $0.2] } == [ascii.0, ascii.1, ascii.2], "\(text)")
            }
        }
        #expect(CalendarDate("2026-02-29") == nil)
        #expect(CalendarDate("2028-02-29") != nil)
        let periodAlphabet = ["0", "1", "7", "9", "m", "h", "d", "w", "P", "T", "H", " "]
        for _ in 0..<5000 {
            let text = g.text(periodAlphabet, maxLength: 12)
            if let ascii = Period.parseShortASCII(text) { #expect(Period.parseShort(text) == ascii, "\(text)") }
        }
    }

    @Test("text made in pieces equals text made at once, valid or not")
    func utf8Pieces() {
        var g = Generator()
        let pieces: [[UInt8]] = [
            Array(repeating: 97, count: 70), Array("plain ascii text, ".utf8), Array("—".utf8), Array("é".utf8),
            Array("😀".utf8), [0xFF], [0xE2, 0x80], [0xC3], [0x80], Array(repeating: 32, count: 200), [10],
        ]
        for round in 0..<600 {
            var bytes: [UInt8] = []
            for _ in 0..<g.next(40) { bytes += pieces[g.next(round % 3 == 0 ? pieces.count : 5)] }
            bytes.withUnsafeBufferPointer { buffer in
                // Compared byte for byte: String's == would call canonically equivalent texts equal.
                #expect(
                    UTF8Text.string(buffer, repairing: false).map { Array($0.utf8) }
                        == String(validating: buffer, as: UTF8.self).map { Array($0.utf8) })
                #expect(
                    UTF8Text.string(buffer, repairing: true).map { Array($0.utf8) }
                        == Array(String(decoding: buffer, as: UTF8.self).utf8))
            }
        }
    }

    @Test("a mapping's value is found by its key: same length, other text; canonically equal; not a scalar")
    func mappingKeys() throws {
        let yaml = "tiers: 1\ntitle: 2\n? [a]\n: 3\ncaf\u{E9}: 4\n\"\": 5\n"
        guard case .value(let node?) = YAMLReader.read(yaml, path: "f.md") else {
            Issue.record("not read")
            return
        }
        for exact in [false, true] {
            func value(_ key: String) -> YAMLNode? { exact ? node.value(exactKey: key) : node[key] }
            #expect(value("title")?.scalarText == "2")
            #expect(value("tiers")?.scalarText == "1")
            #expect(value("tier") == nil && value("titles") == nil && value("tit") == nil)
            #expect(value("")?.scalarText == "5")
            #expect(value("[a]") == nil)
        }
        // A key written with a combining accent is the same string, with another byte count.
        #expect(node["cafe\u{301}"]?.scalarText == "4")
        // The Kelvin sign is K: a key of three bytes found by one of one byte, and the other way round.
        guard case .value(let kelvin?) = YAMLReader.read("\u{212A}: 6\nK\u{212A}: 7\n", path: "f.md") else {
            Issue.record("not read")
            return
        }
        #expect(kelvin["K"]?.scalarText == "6")
        #expect(kelvin["\u{212A}K"]?.scalarText == "7")
        #expect(kelvin["k"] == nil && kelvin["KKK"] == nil)
        #expect(!"K".equalsOnlyItsBytes && !"a;b".equalsOnlyItsBytes && !"`".equalsOnlyItsBytes && !"caf\u{E9}".equalsOnlyItsBytes)
        #expect("last_reviewed".equalsOnlyItsBytes && "depends-on 2".equalsOnlyItsBytes && "".equalsOnlyItsBytes)
        // Every byte position of a longer text, one word at a time and in the tail.
        for position in 0..<19 {
            var bytes = Array(repeating: UInt8(ascii: "a"), count: 19)
            for byte in [UInt8(ascii: "K"), UInt8(ascii: ";"), UInt8(ascii: "`"), 0xC3] {
                bytes[position] = byte
                let text = String(decoding: byte == 0xC3 ? bytes + [0xA9] : bytes, as: UTF8.self)
                #expect(!text.equalsOnlyItsBytes, "\(position) \(byte)")
            }
        }
    }
}

