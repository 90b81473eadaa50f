import Foundation
import Testing
@testable import ContinuityKit

/// The search index script, read back: the object it assigns, parsed as JSON.
struct ParsedIndex {
    var script: String
    var kinds: [String]
    var docs: [[Any]]
    var headings: [[String]]
    var terms: [String]
    var postings: [String]

    init(_ script: String) throws {
        self.script = script
        let start = try #require(script.range(of: "var \(SearchIndex.global) = ")).upperBound
        let end = try #require(script.range(of: ";\n", options: .backwards)).lowerBound
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(script[start..<end].utf8)) as? [String: Any])
        kinds = try #require(object["kinds"] as? [String])
        docs = try #require(object["docs"] as? [[Any]])
        headings = try #require(object["headings"] as? [[String]])
        terms = try #require(object["terms"] as? [String])
        postings = try #require(object["postings"] as? [String])
    }

    /// The entry with this href.
    func doc(_ href: String) -> [Any]? { docs.first { $0[2] as? String == href } }
    func title(_ doc: Int) -> String { docs[doc][1] as? String ?? "" }

    /// A term's postings, decoded: entry number and field (1 body, 2 heading, 3 title).
    func postings(of term: String) -> [(doc: Int, field: Int)] {
        guard let index = terms.firstIndex(of: term) else { return [] }
        let value = Dictionary(uniqueKeysWithValues: SearchIndex.digits.enumerated().map { ($1, $0) })
        var result: [(Int, Int)] = []
        var doc = 0
        var number = 0
        var shift = 0
        for byte in postings[index].utf8 {
            let digit = value[byte] ?? 0
            number |= (digit & 31) << shift
            if digit < 32 {
                doc += number >> 2
                result.append((doc, number & 3))
                number = 0
                shift = 0
            } else {
                shift += 5
            }
        }
        return result
    }

    /// The titles of the entries holding `term`, by field.
    func titles(of term: String, in field: SearchIndex.Field) -> [String] {
        postings(of: term).filter { $0.field == Int(field.rawValue) }.map { title($0.doc) }
    }
}

/// The index of a content folder.
func searchIndex(_ content: URL) throws -> ParsedIndex {
    let (plan, diagnostics) = try model(content, bodies: .full)
    let loaded = try #require(plan, "\(diagnostics)")
    return try ParsedIndex(SearchIndex.file(for: loaded).text)
}

extension OutputFile {
    var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// A plan for search: the minimal plan, plus a runbook each with "failover" in its title, a heading
/// and its body, a person with diacritics and a runbook with a hostile title.
let searchPlan: [String: String] = minimalPlan.merging([
    "people.yaml": minimalPlan["people.yaml", default: ""] + """

        - id: zoe
          name: Zoë Ångström
          title: Straße Koordinatorin
          phone: "+1 555 010 0004"
        """,
    "runbooks/drill.md": """
        ---
        title: Failover drill
        tier: 2
        owner: lead
        rto: 3d
        last_reviewed: 2026-01-01
        ---
        ## Activation
        Every quarter.
        ## Recovery
        ## Reconstitution
        """,
    "runbooks/dns.md": """
        ---
        title: DNS
        tier: 2
        owner: lead
        rto: 3d
        last_reviewed: 2026-01-01
        ---
        ## Activation
        ## Failover
        Switch the resolvers.
        ## Recovery
        ## Reconstitution
        """,
    "runbooks/payroll.md": """
        ---
        title: Payroll
        tier: 2
        owner: lead
        rto: 3d
        last_reviewed: 2026-01-01
        ---
        ## Activation
        Start the failover of payroll to the bureau.
        ## Recovery
        ## Reconstitution
        """,
    "runbooks/hostile.md": """
        ---
        title: "Quote \\" back \\\\ </script><script>alert(1)</script> <!-- & \\u2028 \\u2029 end"
        tier: 3
        owner: lead
        rto: 3d
        last_reviewed: 2026-01-01
        ---
        ## Activation
        ## Recovery
        ## Reconstitution
        """,
]) { _, new in new }

let hostileTitle = "Quote \" back \\ </script><script>alert(1)</script> <!-- & \u{2028} \u{2029} end"

@Suite("Search index")
struct SearchIndexTests {
    static let basic = Repo.fixtures.appendingPathComponent("basic/content")

    @Test("every kind of entry is indexed, with its kind, title, link and snippet")
    func entries() throws {
        let index = try searchIndex(Self.basic)
        let expected: [(href: String, kind: String, title: String, snippet: String)] = [
            ("people.html", "Section", "Contact directory", "3 people, with phone numbers"),
            ("roles.html", "Section", "Roles", "2 emergency roles, with primary and alternates"),
            ("index.html", "Section", "Continuity plan", "3 runbooks · 1 scenario"),
            ("runbooks/tracking.html", "Runbook", "Shipment tracking", "Tier 0 · RTO 2 h — Start when tracking has"),
            ("scenarios/office-loss.html", "Scenario", "Loss of the Dock Office", "Facility — The Dock Office cannot"),
            ("pages/handbook.html", "Page", "Staff handbook", "Where to go when the office is closed."),
            ("roles.html#role-ops-lead", "Role", "Operations Lead", "Primary: Mira Oduya · Alternates: Rania Khan"),
            ("people.html#person-mora", "Person", "Mira Oduya", "Head of Operations · Operations Lead · Dock Office"),
            ("sites.html#site-dock-office", "Site", "Dock Office", "Office — Bristol, uk-south"),
            ("vendors.html#vendor-linkway", "Vendor", "Linkway Telecom", "Internet access"),
        ]
        for entry in expected {
            let doc = try #require(index.doc(entry.href), "no entry for \(entry.href)")
            #expect(index.kinds[doc[0] as? Int ?? -1] == entry.kind)
            #expect(doc[1] as? String == entry.title)
            #expect((doc[3] as? String)?.hasPrefix(entry.snippet) == true, "\(entry.href): \(doc[3])")
        }
        // 5 sections, 3 runbooks, 1 scenario, 2 pages, 2 roles, 3 people, 2 sites, 1 vendor.
        #expect(index.docs.count == 19)
        // Entries are in result order for equal scores: kind, then title.
        let order = index.docs.map { ($0[0] as? Int ?? 0, SearchIndex.fold($0[1] as? String ?? "")) }
        #expect(zip(order, order.dropFirst()).allSatisfy { $0 <= $1 })
        // A runbook's headings can be linked to.
        let tracking = try #require(index.doc("runbooks/tracking.html"))
        let headings = (tracking[4] as? [Int] ?? []).map { index.headings[$0] }
        #expect(headings == [["Activation", "activation"], ["Recovery", "recovery"], ["Reconstitution", "reconstitution"]])
    }

    @Test("titles and ids, headings and bodies, people and roles are indexed in their field")
    func fields() throws {
        let index = try searchIndex(Self.basic)
        #expect(index.titles(of: "tracking", in: .title) == ["Shipment tracking"])
        #expect(index.titles(of: "recovery", in: .heading).contains("Shipment tracking"))
        #expect(index.titles(of: "failover", in: .body) == ["Shipment tracking"])
        #expect(index.titles(of: "trackctl", in: .body) == ["Shipment tracking"])
        // Ids count as titles: the people directory finds a person by id.
        #expect(index.titles(of: "mora", in: .title) == ["Mira Oduya"])
        #expect(index.titles(of: "oduya", in: .title) == ["Mira Oduya"])
        #expect(index.titles(of: "oduya", in: .body) == ["Operations Lead"])
        #expect(index.titles(of: "operations", in: .heading).contains("Mira Oduya"))
        #expect(index.titles(of: "contacts", in: .title) == ["Contact directory"])
        // A term counts once per entry, in its best field: "tracking" is also in that runbook's body.
        #expect(index.postings(of: "tracking").filter { index.title($0.doc) == "Shipment tracking" }.count == 1)
    }

    @Test("terms are sorted as JavaScript compares strings, once each, so a prefix is one range")
    func sortedTerms() throws {
        let index = try searchIndex(Self.basic)
        #expect(zip(index.terms, index.terms.dropFirst()).allSatisfy { $0.utf16.lexicographicallyPrecedes($1.utf16) })
        #expect(index.terms.count == index.postings.count)
        let fail = index.terms.filter { $0.hasPrefix("fail") }
        let first = try #require(index.terms.firstIndex(of: "fail"))
        #expect(Array(index.terms[first..<(first + fail.count)]) == fail)
        #expect(fail == ["fail", "failover"])
        // Every posting points at an entry, in entry order.
        for term in index.terms {
            let docs = index.postings(of: term).map(\.doc)
            #expect(!docs.isEmpty && docs == docs.sorted() && Set(docs).count == docs.count && docs.allSatisfy { $0 < index.docs.count })
        }
    }

    @Test(
        "terms are folded: lower case, no diacritics, split at anything but letters and digits",
        arguments: [
            ("Café Zürich", ["cafe", "zurich"]),
            ("STRASSE Straße", ["strasse", "strasse"]),
            ("Łódź Ørsted Æsir", ["lodz", "orsted", "aesir"]),
            ("payments-gateway-02094.md", ["payments", "gateway", "02094", "md"]),
            ("ΟΔΟΣ οδός", ["οδοσ", "οδοσ"]),
            ("İstanbul", ["istanbul"]),
            ("東京 office", ["東京", "office"]),
            ("don't — stop🔥now", ["don", "t", "stop", "now"]),
            ("naïve coöperate", ["naive", "cooperate"]),
        ])
    func folding(_ text: String, _ terms: [String]) {
        #expect(SearchIndex.terms(in: text) == terms)
    }

    @Test("a title folds alike on the ASCII path and scalar by scalar")
    func foldPaths() {
        let ascii = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self)
        var scalarByScalar = String.UnicodeScalarView()
        for scalar in ascii.unicodeScalars { SearchIndex.appendFolded(scalar, to: &scalarByScalar) }
        #expect(SearchIndex.foldedASCII(ascii) == String(scalarByScalar))
        #expect(SearchIndex.fold("Payments GATEWAY: Loss of DC-1") == "payments gateway: loss of dc-1")
        #expect(SearchIndex.foldedASCII("Café") == nil)
        #expect(SearchIndex.fold("Café ZÜRICH") == "cafe zurich")
    }

    @Test("a term reached by the quick ASCII path and by the general one is one term, with one hash")
    func hashesAgree() {
        // "word" alone (quick path), before a dash (general path), upper case; an 80-letter word, too long
        // for the quick path's buffer, alone and before a dash.
        let long = String(repeating: "ab", count: 40)
        let text = "word word— WORD \(long) \(long)— \(long.uppercased())"
        var run = SearchIndex.PostingsRun()
        SearchIndex.forEachTerm(in: text, into: &run)
        #expect(run.postings.count == 2)
        for term in ["word", long] {
            let bytes = Array(term.utf8)
            let number = bytes.withUnsafeBufferPointer { run.number(of: $0, hash: SearchIndex.termHash($0)) }
            #expect(number < 2, "\(term) was not found under its hash")
        }
    }

    @Test("terms of up to 8 bytes, found by their packed bytes, are the terms the general table finds")
    func shortTerms() {
        // Lengths 1, 7, 8 (the longest short term) and 9, each alone (the short table for up to 8 bytes),
        // before a dash (the general path, which enters it there too) and in capitals.
        let words = ["a", "abcdefg", "abcdefgh", "abcdefghi", "0"]
        let text = words.map { "\($0) \($0)— \($0.uppercased())" }.joined(separator: " ")
        var run = SearchIndex.PostingsRun()
        SearchIndex.forEachTerm(in: text, into: &run)
        #expect(run.postings.count == words.count)
        for word in words {
            let bytes = Array(word.utf8)
            let number = bytes.withUnsafeBufferPointer { run.number(of: $0, hash: SearchIndex.termHash($0)) }
            #expect(number < words.count, "\(word) was entered twice")
        }
        // Thousands of short words, many sharing their first bytes, through both tables as they grow:
        // each is one term, numbered in the order first seen, whichever path met it first.
        let many = (0..<6_000).map { n in String(n, radix: 36) + (n % 3 == 0 ? "x" : "") }
        var big = SearchIndex.PostingsRun()
        for (k, word) in many.enumerated() {
            SearchIndex.forEachTerm(in: k % 2 == 0 ? word : word + "—", into: &big)
        }
        // Again, in capitals, and each followed by a longer term ("é" folds to "e" and joins the word).
        for word in many.reversed() { SearchIndex.forEachTerm(in: word.uppercased() + " " + word + "é", into: &big) }
        var expected: [String] = []
        var known: Set<String> = []
        for word in many + many.reversed().map({ $0 + "e" }) where known.insert(word).inserted { expected.append(word) }
        var terms: [String] = []
        big.bytes.withUnsafeBufferPointer { bytes in
            for term in big.postings.indices { terms.append(String(decoding: big.term(term, in: bytes), as: UTF8.self)) }
        }
        #expect(terms == expected)
        #expect(Array("abc".utf8).withUnsafeBufferPointer { SearchIndex.shortKey($0) } == 0x63_62_61)
    }

    @Test("the term scanner, 8 ASCII bytes at a time where it can, splits and folds as scalar-by-scalar folding does")
    func scannerAgainstScalars() {
        // Words of 1 to 20 pieces, ASCII and not, between separators of every kind, so that words start
        // and end at every offset of an 8-byte read, next to non-ASCII letters and marks that join them,
        // and near the end of the text, where fewer than 8 bytes are left.
        let pieces = [
            "a", "Z", "q", "M", "0", "9", "x", "E", "é", "ß", "Ω", "\u{301}", "東", "İ", "ǅ", "½",
        ]
        let separators = [" ", "-", ".", "@", "[", "`", "{", "/", ":", "_", "\n", "—", "🔥", "\u{0}", "~", "  "]
        func reference(_ text: String) -> [String] {
            var terms: [String] = []
            var current = String.UnicodeScalarView()
            func flush() {
                if !current.isEmpty { terms.append(String(current)) }
                current = String.UnicodeScalarView()
            }
            for scalar in text.unicodeScalars {
                guard SearchIndex.isWordScalar(scalar) else {
                    flush()
                    continue
                }
                for part in SearchIndex.folded(scalar) {
                    if SearchIndex.isWordScalar(part) { current.append(part) } else { flush() }
                }
            }
            flush()
            return terms
        }
        var random = SplitMix(seed: 0x5EA2C4)
        for round in 0..<400 {
            var text = ""
            for _ in 0..<Int.random(in: 0...12, using: &random) {
                let asciiOnly = Bool.random(using: &random)
                for _ in 0..<Int.random(in: 1...20, using: &random) {
                    text += asciiOnly ? pieces[Int.random(in: 0..<8, using: &random)] : pieces.randomElement(using: &random)!
                }
                text += separators.randomElement(using: &random)!
            }
            if round % 2 == 0, !text.isEmpty { text.removeLast() }
            let expected = reference(text)
            #expect(SearchIndex.terms(in: text) == expected, "\(text.debugDescription)")
            // The index's own sink, with its table of short terms: the same terms, each once, in order.
            var run = SearchIndex.PostingsRun()
            SearchIndex.forEachTerm(in: text, into: &run)
            var found: [String] = []
            run.bytes.withUnsafeBufferPointer { bytes in
                for term in run.postings.indices { found.append(String(decoding: run.term(term, in: bytes), as: UTF8.self)) }
            }
            var seen: Set<String> = []
            #expect(found == expected.filter { seen.insert($0).inserted }, "\(text.debugDescription)")
        }
    }

    @Test("postings agree with a plain dictionary of each entry's terms, over runs that grow their tables")
    func postingsAgainstDictionary() {
        // A fixed pseudo-random stream (no seed from the clock: a failure can be run again).
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        // 3,000 words of 1 to 10 characters, many sharing their first bytes; a few with a non-ASCII letter.
        let vocabulary = (0..<3_000).map { k -> String in
            let word = String((0..<(1 + next(10))).map { _ in letters[next(k % 7 == 0 ? 3 : letters.count)] })
            return k % 97 == 0 ? word + "é" : word
        }
        let fields: [SearchIndex.Field] = [.body, .heading, .title]
        let entries = (0..<300).map { e in
            SearchIndex.Entry(
                kind: .runbook, title: "t\(e)", href: "r\(e).html", snippet: "",
                text: (0..<3).map { f in
                    (fields[f], (0..<(20 + next(60))).map { _ in
                        let word = vocabulary[next(vocabulary.count)]
                        return next(5) == 0 ? word.uppercased() : word
                    }.joined(separator: next(3) == 0 ? "—" : " "))
                })
        }
        // The reference: per term, each entry once, in its best field.
        var reference: [String: [UInt32]] = [:]
        for (e, entry) in entries.enumerated() {
            var best: [String: UInt8] = [:]
            for term in SearchIndex.terms(in: entry.title) { best[term] = SearchIndex.Field.title.rawValue }
            for (field, text) in entry.text {
                for term in SearchIndex.terms(in: text) { best[term] = max(best[term] ?? 0, field.rawValue) }
            }
            for (term, field) in best { reference[term, default: []].append(UInt32(e) << 2 | UInt32(field)) }
        }
        let run = SearchIndex.postings(entries)
        var found: [String: [UInt32]] = [:]
        run.bytes.withUnsafeBufferPointer { bytes in
            for term in run.postings.indices {
                found[String(decoding: run.term(term, in: bytes), as: UTF8.self)] = run.postings[term]
            }
        }
        #expect(found.count == run.postings.count, "a term was numbered twice")
        #expect(found.count > 2_000)
        #expect(found.count == reference.count)
        let wrong = reference.keys.filter { found[$0] != reference[$0] }.sorted()
        #expect(wrong.isEmpty, "\(wrong.count) terms with other postings, such as \(wrong.prefix(5))")
    }

    /// Entries are sorted, and terms too: neither the order of the content nor a dictionary's order
    /// reaches the file. (The golden tree holds the index too, recorded by another process.)
    @Test("the same plan gives the same bytes, whatever order its entries come in")
    func deterministic() throws {
        let (loaded, _) = try model(Repo.exampleContent, bodies: .full)
        let plan = try #require(loaded)
        let first = SearchIndex.file(for: plan)
        // Role order stays: it is the order a person's roles are listed in.
        let reordered = Plan(
            configuration: plan.configuration, people: plan.people.reversed(), roles: plan.roles,
            sites: plan.sites.reversed(), vendors: plan.vendors.reversed(), scenarios: plan.scenarios.reversed(),
            runbooks: plan.runbooks.reversed(), pages: plan.pages.reversed(), summary: plan.summary)
        #expect(SearchIndex.file(for: reordered) == first)
        #expect(SearchIndex.file(for: plan) == first)
    }

    @Test("a snippet leaves out lines that are a heading's text, however the heading is spelled")
    func snippetSkipsHeadings() {
        // A precomposed é in the heading, e and a combining accent in the line: the same text.
        let body = Markdown.parse("# Café\n\nCafe\u{301}\n\n## K\n\nK and more.\n\nFirst words.\n")
        #expect(body.headings.map(\.text) == ["Café", "K"])
        #expect(SearchIndex.snippet(of: body) == "K and more. First words.")
        // A heading written with the Kelvin sign is the letter K to a reader, and to String.
        let kelvin = Markdown.parse("# \u{212A}\n\nK\n\nText.\n")
        #expect(SearchIndex.snippet(of: kelvin) == "Text.")
    }

    @Test("a heading shared by entries is listed once; spellings that differ in bytes each keep their own")
    func headingTable() throws {
        func heading(_ text: String, _ slug: String) -> MarkdownBody.Heading {
            MarkdownBody.Heading(level: 2, text: text, slug: slug, line: 1)
        }
        let composed = "Caf\u{E9}", decomposed = "Cafe\u{301}"
        let entries = (0..<3).map { k in
            SearchIndex.Entry(
                kind: .runbook, title: "R\(k)", href: "runbooks/r\(k).html", snippet: "",
                headings: [heading("Activation", "activation"), heading(k == 2 ? decomposed : composed, k == 2 ? decomposed.lowercased() : composed.lowercased())],
                text: [])
        }
        let index = try ParsedIndex(String(decoding: SearchIndex.script(entries), as: UTF8.self))
        #expect(index.headings.map { $0[0].unicodeScalars.map(\.value) } == [
            "Activation".unicodeScalars.map(\.value), composed.unicodeScalars.map(\.value),
            decomposed.unicodeScalars.map(\.value),
        ])
        #expect(index.docs.map { $0[4] as? [Int] ?? [] } == [[0, 1], [0, 1], [0, 2]])
    }

    @Test("a snippet folds every kind of white space into one space")
    func snippetFoldsWhiteSpace() {
        let body = Markdown.parse("Tab\there,\u{00A0}no-break\u{3000}ideographic  double.\nNext  line: Zoë\u{2003}Ångström.\n")
        #expect(SearchIndex.snippet(of: body) == "Tab here, no-break ideographic double. Next line: Zoë Ångström.")
        #expect(SearchIndex.snippet(of: Markdown.parse("## Only\n"), or: "Fallback") == "Fallback")
    }

    @Test("a long snippet is cut at a word, without trailing punctuation, as characters would cut it")
    func shortenAsCharacters() {
        // What `shorten` must give, worked out on characters.
        func reference(_ text: String) -> String {
            guard text.count > SearchIndex.snippetLength else { return text }
            let cut = text.prefix(SearchIndex.snippetLength)
            var kept = cut.lastIndex(where: \.isWhitespace).map { cut[..<$0] } ?? cut
            while let last = kept.last, last.isPunctuation || last.isWhitespace { kept = kept.dropLast() }
            return kept + "…"
        }
        // The same texts on every run.
        var g = ByteFastPathTests.Generator()
        let alphabets: [[String]] = [
            ["a", "b", "c", " ", ",", ".", ";", "$", "+", "-", "(", ")", "!", "?", "_", "~", "\t", "\r", "\n", "\u{0B}"],
            ["a", "é", " ", ",", "\u{00A0}", "\r\n", "—", "e\u{301}", "🔥", "."],
        ]
        for alphabet in alphabets {
            for length in stride(from: 100, through: 220, by: 3) {
                let text = (0..<length).map { _ in alphabet[g.next(alphabet.count)] }.joined()
                #expect(SearchIndex.shorten(text) == reference(text), "\(text.debugDescription)")
            }
        }
        #expect(SearchIndex.shorten(String(repeating: "x", count: 200)) == String(repeating: "x", count: 140) + "…")
    }

    @Test("hostile titles are escaped: quotes, backslashes, </script>, <!--, U+2028 and U+2029")
    func escaping() throws {
        let folder = try TemporaryFolder()
        try folder.write(searchPlan)
        let index = try searchIndex(folder.url)
        #expect(index.docs.contains { $0[1] as? String == hostileTitle }, "the title does not survive the round trip")
        #expect(index.doc("people.html#person-zoe")?[1] as? String == "Zoë Ångström")
        for needle in ["</script", "</SCRIPT", "<script", "<!--", "\u{2028}", "\u{2029}"] {
            #expect(!index.script.contains(needle), "the index holds \(needle) unescaped")
        }
        #expect(SearchIndex.json("a\"b\\c</script>\u{2028}\u{1}\té🔥") == #""a\"b\\c\u003c/script\u003e\u2028\u0001\té🔥""#)
    }

    @Test("terms sort by UTF-16 code unit, as JavaScript compares strings, also where code point order differs")
    func termOrder() {
        // U+FF5E is below U+1F525 as a code point, but its UTF-16 unit is above the surrogate D83D.
        let words = ["～", "🔥", "zebra", "zeb", "é", "\u{E000}", "a", "", "\u{2028}x", "ab"]
        let expected = words.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
        #expect(words.sorted(by: SearchIndex.precedesInUTF16) == expected)
        #expect(SearchIndex.precedesInUTF16("🔥", "～"))
        #expect(!SearchIndex.precedesInUTF16("～", "🔥"))
        #expect(!SearchIndex.precedesInUTF16("ab", "ab"))
    }

    @Test("bodies are indexed up to the limit, and not stored")
    func bodyLimit() throws {
        let folder = try TemporaryFolder()
        let filler = String(repeating: "Keep the incident log up to date. ", count: SearchIndex.bodyLimit / 30)
        try folder.write(minimalPlan.merging([
            "runbooks/long.md": """
                ---
                title: Long
                tier: 2
                owner: lead
                rto: 3d
                last_reviewed: 2026-01-01
                ---
                ## Activation
                Aardvarkstart begins this runbook. \(filler)
                ## Recovery
                Zebrafinchend is past the limit.
                ## Reconstitution
                """
        ]) { _, new in new })
        let index = try searchIndex(folder.url)
        #expect(index.titles(of: "aardvarkstart", in: .body) == ["Long"])
        #expect(index.postings(of: "zebrafinchend").isEmpty)
        #expect(index.titles(of: "reconstitution", in: .heading).contains("Long"), "headings are indexed whole")
        let snippet = try #require(index.doc("runbooks/long.html")?[3] as? String)
        #expect(snippet.count < SearchIndex.snippetLength + 30 && snippet.hasSuffix("…"), "\(snippet)")
        #expect(!index.script.contains("past the limit"))
    }

    /// Sizes the index of a generated plan of 500 runbooks of about 4 KB each and holds it to the
    /// budget: 15 MB for 10,000 runbooks. Words are drawn from a vocabulary of 20,000, the frequent
    /// ones often, as in prose: each body has about 300 distinct words.
    @Test("the index of a generated plan stays within budget")
    func size() throws {
        let folder = try TemporaryFolder()
        var files = minimalPlan
        let syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "dre", "pla", "stor", "gen", "fal", "cor"]
        var seed: UInt64 = 42
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        let vocabulary = (0..<20_000).map { _ in (0..<(2 + next(3))).map { _ in syllables[next(syllables.count)] }.joined() }
        func word() -> String {
            let uniform = Double(next(1 << 20)) / Double(1 << 20)
            return vocabulary[Int(Double(vocabulary.count) * pow(uniform, 5))]
        }
        let runbooks = 500
        var distinct = 0
        for n in 0..<runbooks {
            var body = "## Activation\n"
            for section in ["Recovery", "Reconstitution"] {
                for _ in 0..<6 { body += (0..<50).map { _ in word() }.joined(separator: " ") + ".\n\n" }
                body += "## \(section)\n"
            }
            distinct += Set(SearchIndex.terms(in: body)).count
            files["runbooks/r\(n).md"] = """
                ---
                title: \(word().capitalized) \(word()) \(n)
                tier: 2
                owner: lead
                rto: 3d
                last_reviewed: 2026-01-01
                ---
                \(body)
                """
        }
        try folder.write(files)
        let index = try searchIndex(folder.url)
        #expect(index.docs.count > runbooks)
        #expect((250...400).contains(distinct / runbooks), "\(distinct / runbooks) distinct words a runbook")
        let perRunbook = index.script.utf8.count / runbooks
        #expect(perRunbook < 1_500, "\(perRunbook) bytes a runbook: 10,000 runbooks would pass 15 MB")
    }
}

// MARK: - The browser script, run in Node

/// `node`, when it is installed: the tests of search.js run it without a browser.
enum Node {
    static let executable: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("node") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    struct Result: Decodable {
        struct Search: Decodable {
            struct Hit: Decodable {
                var kind: String
                var title: String
                var href: String
                var snippet: String
                var section: String?
            }
            var total: Int
            var results: [Hit]
        }
        var titles: [String]
        var searches: [Search]
        var terms: [[String]]
    }

    /// Runs `Fixtures/search-harness.js`: the queries against the index, and search.js's terms of each text.
    static func run(index: URL, queries: [String], texts: [String] = []) throws -> Result {
        let node = try #require(executable)
        let folder = try TemporaryFolder()
        let request = folder.url.appendingPathComponent("request.json")
        let object: [String: Any] = [
            "index": index.path, "search": Repo.defaultTheme.appendingPathComponent("assets/search.js").path,
            "queries": queries, "texts": texts,
        ]
        try JSONSerialization.data(withJSONObject: object).write(to: request)
        let output = folder.url.appendingPathComponent("output.json")
        #expect(FileManager.default.createFile(atPath: output.path, contents: nil))
        let process = Process()
        process.executableURL = node
        process.arguments = [Repo.fixtures.appendingPathComponent("search-harness.js").path, request.path]
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "node failed")
        return try JSONDecoder().decode(Result.self, from: Data(contentsOf: output))
    }
}

@Suite("Search script", .enabled(if: Node.executable != nil, "node is not installed: search.js is not tested"))
struct SearchScriptTests {
    /// Builds `files` as a site and runs the queries on its index with search.js.
    func search(_ files: [String: String], _ queries: [String], texts: [String] = []) throws -> Node.Result {
        let folder = try TemporaryFolder()
        try folder.write(files.reduce(into: [:]) { $0["content/" + $1.key] = $1.value })
        let output = folder.url.appendingPathComponent("_site")
        let result = try Pipeline.build(
            PipelineOptions(content: folder.url.appendingPathComponent("content"), output: output,
                            today: CalendarDate(year: 2026, month: 6, day: 1)!))
        #expect(result.wrote, "\(result.diagnostics)")
        return try Node.run(index: output.appendingPathComponent("internal/" + SearchIndex.path), queries: queries, texts: texts)
    }

    @Test("a prefix finds whole words, title hits first, then headings (linked), then bodies")
    func ranking() throws {
        let result = try search(searchPlan, ["fail", "failover"])
        for search in result.searches {
            #expect(search.total == 3)
            #expect(search.results.map(\.title) == ["Failover drill", "DNS", "Payroll"])
            #expect(search.results.map(\.href) == ["runbooks/drill.html", "runbooks/dns.html#failover", "runbooks/payroll.html"])
            #expect(search.results.map(\.section) == [nil, "Failover", nil])
            #expect(search.results.allSatisfy { $0.kind == "Runbook" })
        }
    }

    @Test("every word must match, in any field, as a prefix")
    func allWords() throws {
        let result = try search(searchPlan, ["fail drill", "fail payr", "fail bureau", "fail zebra", "payroll BUR", ""])
        #expect(result.searches.map { $0.results.map(\.title) } == [
            ["Failover drill"], ["Payroll"], ["Payroll"], [], ["Payroll"], [],
        ])
        #expect(result.searches.map(\.total) == [1, 1, 1, 0, 1, 0])
    }

    @Test("people, roles and the directory are found, each with its kind and link")
    func peopleAndRoles() throws {
        let result = try search(searchPlan, ["zoe ang", "ÅNGSTRÖM", "strasse", "ann", "lead", "contacts"])
        let zoe = Node.Result.Search.Hit(kind: "Person", title: "Zoë Ångström", href: "people.html#person-zoe", snippet: "Straße Koordinatorin", section: nil)
        for search in result.searches[0..<3] {
            #expect(search.results.first.map { [$0.kind, $0.title, $0.href, $0.snippet] } == [zoe.kind, zoe.title, zoe.href, zoe.snippet])
        }
        #expect(result.searches[3].results.first?.href == "people.html#person-ann")
        #expect(result.searches[3].results.contains { $0.kind == "Role" && $0.title == "Lead" }, "roles are found by their holders")
        #expect(result.searches[4].results.first.map { [$0.kind, $0.href] } == ["Role", "roles.html#role-lead"])
        #expect(result.searches[5].results.first.map { [$0.kind, $0.title, $0.href] } == ["Section", "Contact directory", "people.html"])
    }

    @Test("the index loads in a browser's script scope, and hostile titles come back intact")
    func hostile() throws {
        let result = try search(searchPlan, ["alert script"])
        #expect(result.titles.contains(hostileTitle))
        #expect(result.searches[0].results.map(\.title) == [hostileTitle])
    }

    @Test("search.js folds and splits text as the index does")
    func sameTerms() throws {
        let texts = [
            "Café Zürich", "STRASSE Straße", "Łódź Ørsted Æsir œuvre þorn", "ΟΔΟΣ οδός", "İstanbul Iİıi", "東京 office",
            "don't — stop🔥now", "naïve coöperate", "ǅemal ﬁle", "x\u{301}y e\u{301}", "Ⅻ ½ ²", "한국어 देवनागरी",
        ]
        let result = try search(minimalPlan, [], texts: texts)
        #expect(result.terms == texts.map(SearchIndex.terms(in:)))
    }
}
