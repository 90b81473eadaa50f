import Testing
@testable import ContinuityKit

@Suite("YAML reading")
struct YAMLReaderTests {
    func problem(_ yaml: String, firstLine: Int = 1) -> Diagnostic? {
        if case .problem(let d) = YAMLReader.read(yaml, path: "f.yaml", firstLine: firstLine) { return d }
        return nil
    }

    @Test("positions are file lines: the front matter offset is added")
    func positions() throws {
        guard case .value(let node?) = YAMLReader.read("a: 1\nlist:\n  - x\n  - y\n", path: "r.md", firstLine: 2) else {
            Issue.record("not read")
            return
        }
        #expect(node["a"]?.location == SourceLocation(path: "r.md", line: 2, column: 4))
        let items = try #require(node["list"]?.items)
        #expect(items.map(\.location.line) == [4, 5])
        #expect(items[1].location.column == 5)
    }

    @Test("scalars keep their resolved type")
    func tags() throws {
        guard case .value(let node?) = YAMLReader.read("n: 3\nb: true\ns: '3'\nd: 2026-01-01\nz: ~\n", path: "f") else {
            Issue.record("not read")
            return
        }
        #expect(node["n"]?.content == .scalar("3", .int))
        #expect(node["b"]?.content == .scalar("true", .bool))
        #expect(node["s"]?.content == .scalar("3", .string))
        #expect(node["d"]?.scalarText == "2026-01-01")
        #expect(node["z"]?.isNull == true)
    }

    @Test("plain scalars are typed by YAML 1.1 rules; quoted ones stay text", arguments: [
        ("yes", YAMLNode.ScalarTag.bool), ("Off", .bool), ("'yes'", .string), ("~", .null), ("null", .null),
        ("-12", .int), ("0x1F", .int), ("1_000", .int), ("1.5", .float), ("2e3", .float), (".inf", .float),
        ("4h", .string), ("1.2.3", .string), ("2026-05-01", .timestamp), ("2026-05-01T10:00:00Z", .timestamp),
        ("+44 20 7946 0100", .string), ("\"3\"", .string), ("e3", .string), ("-x", .string),
    ])
    func scalarTypes(_ yaml: String, _ tag: YAMLNode.ScalarTag) throws {
        guard case .value(let node?) = YAMLReader.read("k: \(yaml)\n", path: "f") else {
            Issue.record("not read")
            return
        }
        guard case .scalar(_, let actual) = try #require(node["k"]).content else {
            Issue.record("not a scalar")
            return
        }
        #expect(actual == tag)
    }

    @Test("anchors and aliases are refused before composing, at their position", arguments: [
        ("a: &x 1\nb: *x\n", 1, 4, "anchors"),
        ("a: 1\nb: *x\n", 2, 4, "aliases"),
        ("? *x\n: 1\n", 1, 3, "aliases"),
        ("list: [1, *x]\n", 1, 11, "aliases"),
        ("- &a\n  k: v\n", 1, 3, "anchors"),
        ("*a : b\n", 1, 1, "aliases"),
        ("a: !!str &x b\n", 1, 10, "anchors"),
    ])
    func aliases(_ yaml: String, _ line: Int, _ column: Int, _ word: String) throws {
        let d = try #require(problem(yaml, firstLine: 1))
        #expect(d.code == .yamlAlias)
        #expect(d.message.contains(word))
        #expect(d.location?.line == line)
        #expect(d.location?.column == column)
    }

    @Test("ampersands and asterisks inside text are not anchors", arguments: [
        "a: R&D\n", "a: 'x *y'\n", "a: \"*quoted\"\n", "a: 5 * 3\n", "a: |\n  *not an alias*\n  &text\nb: 1\n",
        "a: >-\n  & more\n", "# *comment\na: 1 # &c\n", "a: [x&y, 'z*']\n", "a: '&'\n", "t: \"a \\\" *b\"\n",
        "- |\n  &x\n- y\n",
    ])
    func notAliases(_ yaml: String) {
        if let d = problem(yaml) { Issue.record("refused: \(d.message)") }
    }

    @Test("an alias used as a key is refused quickly instead of hanging the composer")
    func aliasKeys() throws {
        var yaml = "a: &a [x]\n"
        for i in 0..<50 { yaml += "k\(i): {*a : *a}\n" }
        #expect(try #require(problem(yaml)).code == .yamlAlias)
    }

    @Test("tab indentation is named as such")
    func tabs() throws {
        let d = try #require(problem("a:\n\tb: 1\n", firstLine: 5))
        #expect(d.code == .tabIndentation)
        #expect(d.location?.line == 6)
    }

    @Test("syntax errors carry the position libyaml reports, offset to the file")
    func syntax() throws {
        let d = try #require(problem("title: A\nrto: [4h\nowner: x\n", firstLine: 2))
        #expect(d.code == .yamlSyntax)
        #expect((d.location?.line ?? 0) >= 3)
    }

    @Test("duplicate keys point at the second, with a note at the first")
    func duplicates() throws {
        let d = try #require(problem("title: A\nrto: 4h\nrto: 2h\n", firstLine: 2))
        #expect(d.code == .duplicateKey)
        #expect(d.location?.line == 4)
        #expect(d.notes.first?.location?.line == 3)
    }

    @Test("front matter over the limit is refused before composing")
    func tooLarge() throws {
        let yaml = "a: " + String(repeating: "x", count: SourceLimits.maxYAMLBytes) + "\n"
        let d = try #require(problem(yaml))
        #expect(d.code == .fileTooLarge)
        #expect(d.message.contains("256 KiB"))
    }

    @Test("a registry file may be larger than front matter: a large organization's people.yaml loads")
    func largeRegistry() throws {
        let folder = try TemporaryFolder()
        var files = minimalPlan
        // About 600 KiB of people: over the front matter limit, under the registry one.
        let extra = (0..<3_000).map { i in
            "- id: extra-\(i)\n  name: Extra Person \(i) \(String(repeating: "z", count: 140))\n  phone: \"+1 555 020 \(String(format: "%04d", i))\"\n"
        }.joined()
        files["people.yaml"] = files["people.yaml"]! + "\n" + extra
        #expect(files["people.yaml"]!.utf8.count > SourceLimits.maxYAMLBytes)
        try folder.write(files)
        let (plan, diagnostics) = try model(folder.url)
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics.map(\.message))")
        #expect(plan?.people.count == 3_003)

        // Over the registry limit (and under the 10 MiB file limit): refused before composing.
        let padding = String(repeating: "# padding line of a very large registry file\n", count: 8 * 1024 * 1024 / 45 + 10)
        try folder.write(["people.yaml": files["people.yaml"]! + padding])
        let (_, refused) = try model(folder.url)
        let tooLarge = try #require(refused.first { $0.code == .fileTooLarge })
        #expect(tooLarge.location?.path == "people.yaml")
        #expect(tooLarge.message.contains("8 MiB"))
    }

    @Test("the byte scan for anchors, aliases and tabs agrees with the character scan")
    func prescanAgreesWithCharacterScan() {
        // Deterministic pseudo-random YAML-like text over the characters the scan cares about, with
        // non-ASCII letters, a non-ASCII digit and a combining mark after syntax characters.
        let alphabet: [String] = [
            " ", " ", " ", "\t", "\n", "\n", "a", "b", "1", "&", "*", "!", "\"", "'", "|", ">", "-", "?", ":", "[", "]",
            "{", "}", ",", "#", "\\", "é", "²", "&\u{301}", "-\u{301}", "\r", "+", "R&D", "key: ", "- ", "'it''s'",
        ]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        var found = 0
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<random(60) { text += alphabet[random(alphabet.count)] }
            let bytes = YAMLPrescan.scan(text)
            #expect(bytes == YAMLPrescan.scanCharacters(text), "\(text.debugDescription)")
            if bytes != nil { found += 1 }
        }
        #expect(found > 100)
    }
}
