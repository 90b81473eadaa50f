import Testing
@testable import ContinuityKit

@Suite("Front matter splitting")
struct FrontMatterTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var text: String
        var yaml: String?
        var yamlLine: Int = 2
        var body: String?
        var bodyLine: Int?
        var unterminated = false
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "plain", text: "---\ntitle: A\n---\nBody\n", yaml: "title: A\n", body: "Body\n", bodyLine: 4),
        Case(name: "dots close", text: "---\na: 1\n...\nx", yaml: "a: 1\n", body: "x", bodyLine: 4),
        Case(name: "trailing spaces on delimiters", text: "---  \na: 1\n--- \nx", yaml: "a: 1\n", body: "x", bodyLine: 4),
        Case(name: "empty block", text: "---\n---\nx\n", yaml: "", body: "x\n", bodyLine: 3),
        Case(name: "no body", text: "---\na: 1\n---", yaml: "a: 1\n", body: "", bodyLine: 4),
        Case(name: "multi-line yaml", text: "---\na: 1\nb:\n  - c\n---\n\n# H\n", yaml: "a: 1\nb:\n  - c\n", body: "\n# H\n", bodyLine: 6),
        Case(name: "dashes inside a value are not a delimiter", text: "---\na: ---x\n---\n", yaml: "a: ---x\n", body: "", bodyLine: 4),
        Case(name: "unterminated", text: "---\ntitle: A\nbody\n", unterminated: true),
        Case(name: "only the opening line", text: "---", unterminated: true),
        Case(name: "no front matter", text: "# Title\n"),
        Case(name: "four dashes is not an opening", text: "----\na: 1\n---\n"),
        Case(name: "leading blank line is not an opening", text: "\n---\na: 1\n---\n"),
    ]

    @Test(arguments: cases)
    func split(_ c: Case) {
        switch FrontMatter.split(c.text) {
        case .split(let split):
            #expect(split.yaml == c.yaml)
            #expect(split.yamlLine == c.yamlLine)
            #expect(split.body == c.body)
            #expect(split.bodyLine == c.bodyLine)
        case .unterminated(let line):
            #expect(c.unterminated)
            #expect(line == 1)
        case .missing:
            #expect(c.yaml == nil && !c.unterminated)
        }
    }

    @Test("CRLF and a byte order mark are normalized before splitting, keeping line numbers")
    func crlfAndBOM() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("---\r\ntitle: A\r\nrto: 4h\r\n---\r\nBody\r\n".utf8)
        guard case .value(let file) = SourceFile.decode(bytes, path: "runbooks/a.md") else {
            Issue.record("decoding failed")
            return
        }
        #expect(file.text == "---\ntitle: A\nrto: 4h\n---\nBody\n")
        guard case .split(let split) = FrontMatter.split(file.text) else {
            Issue.record("not split")
            return
        }
        guard case .value(let node?) = YAMLReader.read(split.yaml, path: "runbooks/a.md", firstLine: split.yamlLine)
        else {
            Issue.record("YAML not read")
            return
        }
        let rto = try #require(node["rto"])
        #expect(rto.location == SourceLocation(path: "runbooks/a.md", line: 3, column: 6))
        #expect(node["title"]?.location.column == 8)
    }

    @Test("invalid UTF-8 is reported at its line and column")
    func invalidUTF8() {
        let bytes = Array("---\ntitle: ab".utf8) + [0xC3, 0x28] + Array("\n---\n".utf8)
        guard case .problem(let d) = SourceFile.decode(bytes, path: "x.md") else {
            Issue.record("accepted invalid UTF-8")
            return
        }
        #expect(d.code == .invalidUTF8)
        #expect(d.location == SourceLocation(path: "x.md", line: 2, column: 10))
    }

    @Test("overlong encodings and surrogates are invalid UTF-8", arguments: [
        [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0xE2, 0x82],
    ] as [[UInt8]])
    func invalidSequences(_ bad: [UInt8]) {
        #expect(SourceFile.firstInvalidUTF8(ArraySlice(Array("ok ".utf8) + bad)) == 3)
    }

    @Test("valid multi-byte text passes")
    func validUTF8() {
        #expect(SourceFile.firstInvalidUTF8(ArraySlice(Array("Zürich – 東京 🚒".utf8))) == nil)
    }

    @Test("an empty or blank file is a diagnostic")
    func emptyFile() {
        for text in ["", "  \n\n"] {
            guard case .problem(let d) = SourceFile.decode(Array(text.utf8), path: "a.md") else {
                Issue.record("accepted an empty file")
                continue
            }
            #expect(d.code == .emptyFile)
        }
    }
}
