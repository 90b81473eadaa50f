import Foundation
import Mustache
import Synchronization
import Testing
@testable import ContinuityKit

/// A view built from a dictionary, for template tests.
struct TemplateFields: TemplateValue {
    var values: [String: any TemplateData]
    init(_ values: [String: any TemplateData]) { self.values = values }
    func field(_ name: FieldName) -> TemplateContent? { values[name.rawValue]?.templateContent }
    func field(named name: String) -> TemplateContent? { values[name]?.templateContent }
}

extension TemplateValue {
    /// The value of the field named `text`, asked as the renderer asks it.
    func field(text: String) -> TemplateContent? {
        FieldName(rawValue: text).map { field($0) } ?? field(named: text)
    }
}

/// Hands a view to swift-mustache, the reference the engine is compared with, with the same meaning of
/// `name?` (true when present and not empty, answered by the innermost view).
struct MustacheReference: MustacheParent {
    var view: any TemplateValue

    func child(named name: String) -> Any? {
        guard name.hasSuffix("?") else { return view.field(text: name).map(Self.convert) }
        switch view.field(text: String(name.dropLast())) {
        case nil: return false
        case .text(let text): return !text.isEmpty
        case .utf8(let bytes): return !bytes.isEmpty
        case .number: return true
        case .flag(let flag): return flag
        case .list(let list): return !list.isEmpty
        case .object: return true
        }
    }

    static func convert(_ content: TemplateContent) -> Any {
        switch content {
        case .text(let text): return text
        case .utf8(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .number(let number): return String(number)
        case .flag(let flag): return flag
        case .object(let object): return MustacheReference(view: object)
        case .list(let list):
            var items: [Any] = []
            list.forEachContent { items.append(convert($0)) }
            return items
        }
    }
}

private func render(
    _ templates: [String: String], _ view: any TemplateValue, main: String = "main", fragments: FragmentCache? = nil
) throws -> String {
    var library = TemplateLibrary()
    for (name, text) in templates { library.register(try TemplateParser.parse(text), named: name) }
    return String(decoding: try #require(library.render(view, template: main, fragments: fragments)), as: UTF8.self)
}

/// `render` handing the output over in parts of at least `pieceSize` bytes: the parts, then the rest.
private func renderInPieces(
    _ templates: [String: String], _ view: any TemplateValue, main: String = "main", fragments: FragmentCache? = nil,
    pieceSize: Int
) throws -> (parts: [String], rest: String) {
    var library = TemplateLibrary()
    for (name, text) in templates { library.register(try TemplateParser.parse(text), named: name) }
    var parts: [String] = []
    let rest = try #require(
        library.render(view, template: main, fragments: fragments, pieceSize: pieceSize) {
            parts.append(String(decoding: $0, as: UTF8.self))
        })
    return (parts, String(decoding: rest, as: UTF8.self))
}

private func reference(_ templates: [String: String], _ view: any TemplateValue, main: String = "main") throws -> String {
    var library = MustacheLibrary()
    for (name, text) in templates { try library.register(text, named: name) }
    return try #require(library.render(MustacheReference(view: view), withTemplate: main))
}

private let person: TemplateFields = TemplateFields([
    "name": "Ann <Lead> & \"Co\" 'x'", "phones": [TemplateFields(["text": "+1 555", "tel": "tel:+1555"]), TemplateFields(["text": "+2", "tel": "tel:+2"])],
    "empty": [TemplateFields](), "none": "", "yes": true, "no": false, "tags": ["a", "b<c"],
    "nested": TemplateFields(["inner": TemplateFields(["deep": "found"]), "flag": true]),
    "html": HTMLBytes(bytes: Array("<b>é&</b>".utf8)), "noHTML": HTMLBytes(bytes: []),
    "count": 1_234_567, "zero": 0, "minus": -7,
])

/// Templates whose output is given, covering what the theme uses and the whitespace rules.
private let templateCases: [(name: String, templates: [String: String], expected: String)] = [
    ("escaping", ["main": "{{name}}|{{{name}}}|{{& name}}"],
     "Ann &lt;Lead&gt; &amp; &quot;Co&quot; &#39;x&#39;|Ann <Lead> & \"Co\" 'x'|Ann <Lead> & \"Co\" 'x'"),
    ("lists and the current value", ["main": "{{#phones}}<a href=\"{{tel}}\">{{text}}</a>{{/phones}};{{#tags}}[{{.}}]{{/tags}}"],
     "<a href=\"tel:+1555\">+1 555</a><a href=\"tel:+2\">+2</a>;[a][b&lt;c]"),
    ("flags, empty lists and missing names", ["main": "{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}!N{{/no}}{{#empty}}E{{/empty}}{{^empty}}!E{{/empty}}{{#missing}}M{{/missing}}{{^missing}}!M{{/missing}}{{missing}}"],
     "Y!N!E!M"),
    ("presence tests", ["main": "{{#empty?}}E{{/empty?}}{{#phones?}}P{{/phones?}}{{#none?}}N{{/none?}}{{#name?}}A{{/name?}}{{^missing?}}!M{{/missing?}}"],
     "PA!M"),
    ("an empty string enters its section: it is present", ["main": "{{#none}}[{{.}}]{{/none}}"], "[]"),
    ("dotted names and names found further out", ["main": "{{nested.inner.deep}}|{{#nested}}{{#inner}}{{deep}}/{{name}}{{/inner}}{{/nested}}|{{#nested.flag}}F{{/nested.flag}}{{nested.nothing.deep}}"],
     "found|found/Ann &lt;Lead&gt; &amp; &quot;Co&quot; &#39;x&#39;|F"),
    ("standalone tags leave no line", ["main": "<ul>\n  {{#phones}}\n  <li>{{text}}</li>\n  {{/phones}}\n</ul>\n"],
     "<ul>\n  <li>+1 555</li>\n  <li>+2</li>\n</ul>\n"),
    ("a standalone partial is indented like its tag", ["main": "<div>\n    {{> item}}\n</div>\n", "item": "<p>\n{{name}}\n</p>\n"],
     "<div>\n    <p>\n    Ann &lt;Lead&gt; &amp; &quot;Co&quot; &#39;x&#39;\n    </p>\n</div>\n"),
    ("an inline partial is not", ["main": "a {{> item}} b", "item": "x\ny"], "a x\ny b"),
    ("comments and delimiter changes", ["main": "a{{! note }}b\n  {{! standalone }}\n{{=<% %>=}}<%name%>|{{name}}"],
     "ab\nAnn &lt;Lead&gt; &amp; &quot;Co&quot; &#39;x&#39;|{{name}}"),
    ("inheritance: the child's blocks replace the parent's defaults",
     ["main": "{{<layout}}\n{{$title}}Child{{/title}}\n{{$body}}\n  <p>{{name}}</p>\n{{/body}}\n{{/layout}}\n",
      "layout": "<h1>{{$title}}Default{{/title}}</h1>\n<main>\n  {{$body}}none{{/body}}\n</main>\n{{$footer}}<footer>F</footer>{{/footer}}\n"],
     // The block's last line break is kept, and the tag's own line break follows it.
     "<h1>Child</h1>\n<main>\n  <p>Ann &lt;Lead&gt; &amp; &quot;Co&quot; &#39;x&#39;</p>\n\n</main>\n<footer>F</footer>\n"),
    ("blocks pass through partials to nested parents",
     ["main": "{{<outer}}{{$x}}X{{/x}}{{/outer}}", "outer": "[{{<inner}}{{$x}}outer{{/x}}{{/inner}}]", "inner": "({{$x}}inner{{/x}})"],
     "[(X)]"),
    ("text given as UTF-8 bytes behaves as text",
     ["main": "{{html}}|{{{html}}}|{{#html?}}H{{/html?}}{{#noHTML?}}N{{/noHTML?}}{{^noHTML}}!N{{/noHTML}}{{#html}}[{{.}}]{{/html}}"],
     "&lt;b&gt;é&amp;&lt;/b&gt;|<b>é&</b>|H[&lt;b&gt;é&amp;&lt;/b&gt;]"),
    ("numbers show as their decimal text and, like text, are present whatever their value",
     ["main": "{{count}}|{{{minus}}}|{{#zero}}[{{.}}]{{/zero}}{{^zero}}none{{/zero}}{{#count?}}C{{/count?}}{{#zero?}}Z{{/zero?}}"],
     "1234567|-7|[0]CZ"),
    ("CRLF line ends", ["main": "a\r\n{{#yes}}\r\nb\r\n{{/yes}}\r\nc"], "a\r\nb\r\nc"),
]


@Suite("Template engine: Mustache with inheritance, rendered to bytes")
struct TemplateEngineTests {
    @Test("each case renders as expected", arguments: templateCases.indices)
    func cases(_ index: Int) throws {
        let (_, templates, expected) = templateCases[index]
        let output = try render(templates, person)
        #expect(output == expected, "\(templateCases[index].name): \(output.debugDescription)")
    }

    @Test("each case renders byte for byte as swift-mustache renders it", arguments: templateCases.indices)
    func sameAsReference(_ index: Int) throws {
        let (_, templates, _) = templateCases[index]
        #expect(try render(templates, person) == reference(templates, person), "\(templateCases[index].name)")
    }

    @Test("each case rendered in parts of any size gives the same bytes, parted only after items of lists",
          arguments: templateCases.indices)
    func inPieces(_ index: Int) throws {
        let (_, templates, _) = templateCases[index]
        let whole = try render(templates, person)
        for size in [1, 8, 1 << 20] {
            let (parts, rest) = try renderInPieces(templates, person, pieceSize: size)
            #expect(parts.joined() + rest == whole, "\(templateCases[index].name), parts of \(size)")
            #expect(!parts.contains { $0.count < size })
        }
    }

    @Test("a long list is handed over in parts as it is rendered; indented partials and kept fragments whole")
    func partsOfALongList() throws {
        let templates = [
            "main": "<ol>\n{{#items}}\n  {{> item}}\n{{/items}}\n</ol>\n{{#card}}{{> card}}{{/card}}\n",
            // Indented (standalone) at every line, with a list inside that must not be cut.
            "item": "<li>{{n}}\n{{#tags}}\n<i>{{.}}</i>\n{{/tags}}\n</li>\n",
            "card": "{{#list}}[{{name}}{{.}}]{{/list}}",
        ]
        let view = TemplateFields([
            "items": (0..<500).map { TemplateFields(["n": "\($0)", "tags": ["a", "b"]]) },
            "card": SharedCard(["name": "Ann", "list": ["1", "2", "3"]]),
        ])
        let whole = try render(templates, view, fragments: FragmentCache())
        let (parts, rest) = try renderInPieces(templates, view, fragments: FragmentCache(), pieceSize: 100)
        #expect(parts.joined() + rest == whole)
        #expect(whole == (try reference(templates, view)))
        // Parted only between items: each part ends an item's last line, never inside the indented partial.
        #expect(parts.count > 50)
        #expect(parts.allSatisfy { $0.hasSuffix("  </li>\n") })
    }

    @Test("HTML escaping replaces the five characters wherever they stand, and copies the rest", arguments: [
        ("", ""), ("plain text é", "plain text é"), ("<", "&lt;"), ("a&b", "a&amp;b"), ("end>", "end&gt;"),
        ("\"q\" 'a'", "&quot;q&quot; &#39;a&#39;"), ("=?@[]{}~", "=?@[]{}~"), ("x<y>z&\"'", "x&lt;y&gt;z&amp;&quot;&#39;"),
    ])
    func escaping(_ text: String, _ expected: String) {
        var output: [UInt8] = Array("[".utf8)
        HTMLEscaping.append(text, to: &output)
        #expect(String(decoding: output, as: UTF8.self) == "[" + expected)
    }

    @Test("HTML escaping agrees with replacing character by character, at every place in words of eight bytes")
    func escapingAtEveryPlace() {
        // Each special character, and bytes next to them in value, at every offset of texts up to 40
        // bytes long, among ASCII and multi-byte characters.
        let alphabet: [Character] = ["a", " ", "&", "<", ">", "\"", "'", "%", "=", ";", "?", "é", "€", "😀", "\u{7F}"]
        var random = SplitMix(seed: 7)
        for _ in 0..<3_000 {
            let text = String((0..<Int(random.next() % 41)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            var output: [UInt8] = []
            HTMLEscaping.append(text, to: &output)
            let expected = text.map { character -> String in
                switch character {
                case "&": "&amp;"
                case "<": "&lt;"
                case ">": "&gt;"
                case "\"": "&quot;"
                case "'": "&#39;"
                default: String(character)
                }
            }.joined()
            #expect(String(decoding: output, as: UTF8.self) == expected, "\(text.debugDescription)")
        }
        // One special character alone at each place of a long plain text.
        for (special, reference) in [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\"", "&quot;"), ("'", "&#39;")] {
            for place in 0..<24 {
                let before = String(repeating: "x", count: place), after = String(repeating: "y", count: 23 - place)
                var output: [UInt8] = []
                HTMLEscaping.append(before + special + after, to: &output)
                #expect(String(decoding: output, as: UTF8.self) == before + reference + after)
            }
        }
    }

    @Test("mistakes in templates are errors with their line and column")
    func errors() {
        let mistakes: [(String, String, Int, Int)] = [
            ("a\n{{#open}}\nb", "the section 'open' is never closed", 3, 2),
            ("{{#a}}x{{/b}}", "'{{/b}}' closes a section, but the open one is 'a'", 1, 11),
            ("x\n  {{/a}}", "'{{/a}}' closes a section that was never opened", 2, 6),
            ("{{name", "a tag is not closed with '}}'", 1, 7),
            ("{{na me}}", "unexpected character in a tag name (names use letters, digits and . - _ ?)", 1, 6),
            ("{{{name}}", "'{{{' needs a closing '}}}'", 1, 10),
            ("{{<p}}{{name}}{{/p}}", "inside '{{<p}}' only '{{$block}}' definitions may appear", 1, 1),
            ("{{%PRAGMA}}", "pragmas ('{{%…}}') are not supported", 1, 3),
            ("{{upper(name)}}", "unexpected character in a tag name (names use letters, digits and . - _ ?)", 1, 8),
            ("{{>*dynamic}}", "unexpected character in a tag name (names use letters, digits and . - _ ?)", 1, 4),
            ("a {{! never closed", "a comment is not closed", 1, 19),
            ("{{=<% %>}}", "a delimiter change is written '{{=<open> <close>=}}'", 1, 11),
        ]
        for (source, message, line, column) in mistakes {
            #expect(throws: TemplateError.self) { try TemplateParser.parse(source) }
            do {
                _ = try TemplateParser.parse(source)
            } catch {
                #expect(error.message == message, "\(source)")
                #expect((error.line, error.column) == (line, column), "\(source): \(error)")
            }
        }
    }

    @Test("a theme whose template uses a partial or parent it does not have is refused, naming both")
    func missingPartial() throws {
        func theme(_ templates: [String: String]) throws -> Theme {
            let files = templates.map { OutputFile(path: $0.key + ".mustache", text: $0.value) }
                + Theme.requiredTemplates.filter { templates[$0] == nil }.map { OutputFile(path: $0 + ".mustache", text: "x") }
            return try Theme.make(templates: files, assets: [], origin: "test")
        }
        _ = try theme(["layout": "{{$body}}{{/body}}", "internal/home": "{{<layout}}{{$body}}{{> card}}{{/body}}{{/layout}}", "card": "c"])
        let uses: [(String, String)] = [
            ("{{#items}}{{> partials/missing}}{{/items}}", "partials/missing"),
            ("{{<no-layout}}{{/no-layout}}", "no-layout"),
            ("{{<layout}}{{$body}}{{^x}}{{> gone}}{{/x}}{{/body}}{{/layout}}", "gone"),
        ]
        for (text, missing) in uses {
            #expect {
                try theme(["layout": "{{$body}}{{/body}}", "internal/home": text])
            } throws: { error in
                "\(error)".contains("internal/home.mustache uses '\(missing)'")
            }
        }
    }

    @Test("every name the built-in theme looks up is a FieldName, which the views answer by number")
    func builtInNamesAreFieldNames() throws {
        func names(_ template: Template) -> [String] {
            template.nodes.flatMap { node -> [String] in
                switch node {
                case .text: return []
                case .value(let name, _): return name.parts
                case .section(let name, let body), .invertedSection(let name, let body): return name.parts + names(body)
                case .partial(_, _, let overrides): return (overrides ?? [:]).values.flatMap(names)
                case .block(_, let body, _): return names(body)
                }
            }
        }
        let templates = try Theme.builtIn().templates.templates
        let all = templates.values.flatMap(names)
        #expect(all.count > 200)
        #expect(all.filter { FieldName(rawValue: $0) == nil }.sorted() == [])
        // A name outside the list is kept as text, asked with `field(named:)`.
        let program = TemplateProgram(try TemplateParser.parse("{{nav.planet}}"))
        let name = program.names[0]
        #expect(name.first.field == .nav)
        #expect(program.restParts[Int(name.rest.lowerBound)...].map(\.field) == [nil])
        #expect(program.partTexts == ["planet"])
    }

    @Test("every page of the example plan renders as swift-mustache renders it")
    func examplePlanSameAsReference() throws {
        let plan = try #require(try model(Repo.exampleContent).0)
        let theme = try Theme.builtIn()
        var library = MustacheLibrary()
        for (path, bytes) in DefaultTheme.files where path.hasPrefix("templates/") {
            let name = String(path.dropFirst("templates/".count).dropLast(".mustache".count))
            try library.register(String(decoding: bytes, as: UTF8.self), named: name)
        }
        let reference = library
        let ours = Mutex<[String: [UInt8]]>([:])
        let theirs = Mutex<[String: [UInt8]]>([:])
        try InternalSite.render(plan, theme: theme, buildDate: CalendarDate("2026-11-01"), findings: []) { file in
            ours.withLock { $0[file.path] = file.bytes }
        }
        try InternalSite.render(
            plan, theme: theme, buildDate: CalendarDate("2026-11-01"), findings: [],
            emit: { file in theirs.withLock { $0[file.path] = file.bytes } },
            draw: { view, template in Array((reference.render(MustacheReference(view: view), withTemplate: template) ?? "").utf8) })
        let (a, b) = (ours.withLock { $0 }, theirs.withLock { $0 })
        #expect(a.count > 30)
        #expect(a.keys.sorted() == b.keys.sorted())
        for path in a.keys.sorted() where a[path] != b[path] {
            Issue.record("\(path) differs from swift-mustache's rendering")
        }
    }

    @Test("a partial rendered for a shared view is kept only when its output depends on that view alone")
    func fragments() throws {
        let card = SharedCard(["name": "Ann", "phone": "+1 555"])
        let templates = [
            "main": "{{#pages}}<{{title}}>{{#card}}{{> own}}|{{> outer}}|{{> own}}{{/card}}\n{{/pages}}",
            "own": "{{name}} {{phone}}",
            // `title` is not the card's: it comes from the page around it.
            "outer": "{{name}} on {{title}}",
        ]
        let view = TemplateFields(["pages": [
            TemplateFields(["title": "Page 1", "card": card]), TemplateFields(["title": "Page 2", "card": card]),
        ]])
        let cache = FragmentCache()
        let output = try render(templates, view, fragments: cache)
        #expect(output == "<Page 1>Ann +1 555|Ann on Page 1|Ann +1 555\n<Page 2>Ann +1 555|Ann on Page 2|Ann +1 555\n")
        // `own` is kept and copied: the card was asked for `name` once for it and twice for `outer`.
        #expect(cache.count == 1)
        #expect(card.lookups.withLock { $0["name"] } == 3)
        #expect(output == (try reference(templates, view)))
    }

    @Test("a partial that shows a block is never kept: each page shows its own override or the default")
    func fragmentsWithBlocks() throws {
        let card = SharedCard(["name": "Ann"])
        // The overrides read nothing outside the card: only the block itself tells the pages apart.
        let templates = [
            "plain": "{{#card}}{{> card}}{{/card}}",
            "one": "{{<layout}}{{$extra}}one{{/extra}}{{/layout}}",
            "two": "{{<layout}}{{$extra}}two{{/extra}}{{/layout}}",
            "layout": "{{#card}}{{> card}}{{/card}}",
            "card": "{{name}}: {{$extra}}none{{/extra}}",
        ]
        let cache = FragmentCache()
        let view = TemplateFields(["card": card])
        // The page without an override first, as a cache filled by it would then serve the others.
        for (page, expected) in [("plain", "Ann: none"), ("one", "Ann: one"), ("two", "Ann: two"), ("plain", "Ann: none")] {
            let output = try render(templates, view, main: page, fragments: cache)
            #expect(output == expected)
            #expect(output == (try reference(templates, view, main: page)))
        }
        #expect(cache.count == 0)
    }

    @Test("many shared views, in two partials and two indentations, each kept once and found again")
    func manyFragments() throws {
        // Enough entries to grow every part of the cache's tables several times over.
        let cards = (0..<600).map { SharedCard(["name": "Person \($0)", "phone": "+1 555 \($0)"]) }
        let templates = [
            "main": "{{#pages}}{{#cards}}{{> own}};{{> short}}\n  {{> short}}\n{{/cards}}{{/pages}}",
            "own": "{{name}} {{phone}}",
            "short": "{{name}}\n",
        ]
        let page = TemplateFields(["cards": cards])
        let view = TemplateFields(["pages": [page, page, page]])
        let cache = FragmentCache()
        let output = try render(templates, view, fragments: cache)
        // Per card: `own`, `short` inline and `short` indented by two spaces.
        #expect(cache.count == 3 * cards.count)
        // Each kept partial asked the card once, on the first page only.
        #expect(cards.allSatisfy { $0.lookups.withLock { $0 } == ["name": 3, "phone": 1] })
        #expect(output == (try reference(templates, view)))
    }

    @Test("a card kept inside another partial does not let the outer one be kept when it read the page")
    func nestedFragments() throws {
        let person = SharedCard(["name": "Ann"])
        let role = SharedCard(["role": "Lead", "primary": person])
        let templates = [
            "main": "{{#pages}}[{{#role}}{{> role}}{{/role}}]{{/pages}}",
            // `title` comes from the page, before the person's own partial, which is kept.
            "role": "{{role}} on {{title}}: {{#primary}}{{> person}}{{/primary}}",
            "person": "{{name}}",
        ]
        let view = TemplateFields(["pages": [
            TemplateFields(["title": "one", "role": role]), TemplateFields(["title": "two", "role": role]),
        ]])
        let cache = FragmentCache()
        let output = try render(templates, view, fragments: cache)
        #expect(output == "[Lead on one: Ann][Lead on two: Ann]")
        #expect(output == (try reference(templates, view)))
        #expect(cache.count == 1)
    }
}

/// A view made once and shown on many pages, like a role card; it counts the names asked of it.
private final class SharedCard: TemplateValue {
    let values: [String: any TemplateData]
    let lookups = Mutex<[String: Int]>([:])
    init(_ values: [String: any TemplateData]) { self.values = values }
    var fragmentIdentity: AnyObject? { self }
    func field(_ name: FieldName) -> TemplateContent? { field(named: name.rawValue) }
    func field(named name: String) -> TemplateContent? {
        lookups.withLock { $0[name, default: 0] += 1 }
        return values[name]?.templateContent
    }
}
