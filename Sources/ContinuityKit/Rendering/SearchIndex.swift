import Foundation
import Synchronization

/// The internal site's search index, written at build time as `internal/assets/search-index.js`.
///
/// The internal site is opened from `file://`, where a page cannot fetch a file, so the index is a
/// script that assigns one global, `continuitySearchIndex`; the theme's `search.js` loads it with a
/// `<script>` element and searches it. The index holds data only: the markup of results is built by
/// the script.
///
/// The global is an object of arrays, written in a fixed order (the same plan gives the same bytes):
///
/// - `kinds`: the label of each kind of entry ("Runbook", "Person"…);
/// - `docs`: one `[kind, title, href, snippet, headings?]` per entry. `href` is relative to the site
///   root; `headings`, when present, lists indices into `headings`. Entries are sorted by kind, then
///   title, which is the order of results that score the same;
/// - `headings`: distinct `[text, slug]` pairs, so that a result can link to the section that matched;
/// - `terms`: every distinct term, folded (see `fold`), sorted by UTF-16 code unit as JavaScript
///   compares strings, so the terms that start with a prefix are one range found by binary search;
/// - `postings`: for each term, the entries that hold it and in which field, encoded by `encode`.
///
/// Bodies are indexed up to `bodyLimit` characters and not stored: an entry keeps a short snippet.
enum SearchIndex {
    /// Where the index is written, relative to the internal site.
    static let path = "assets/search-index.js"
    /// The name of the global the script assigns.
    static let global = "continuitySearchIndex"
    /// How much of a Markdown body is indexed, in Unicode scalars.
    static let bodyLimit = 8_000
    /// The length of a snippet, in characters, before the ellipsis.
    static let snippetLength = 140

    /// Where a term was found. A term found in several fields of an entry counts in the best one;
    /// results rank title and id hits above heading hits above body hits.
    enum Field: UInt8, Sendable {
        case body = 1
        case heading = 2
        case title = 3
    }

    /// Kinds of entry, in the order entries of the same score are listed.
    enum Kind: Int, CaseIterable, Sendable {
        case section, scenario, runbook, role, person, site, vendor, page

        var label: String {
            switch self {
            case .section: return "Section"
            case .scenario: return "Scenario"
            case .runbook: return "Runbook"
            case .role: return "Role"
            case .person: return "Person"
            case .site: return "Site"
            case .vendor: return "Vendor"
            case .page: return "Page"
            }
        }
    }

    /// One search result: a page of the site or a place on a list page.
    struct Entry: Sendable {
        var kind: Kind
        var title: String
        /// Relative to the internal site's root.
        var href: String
        var snippet: String
        /// Headings a result can link to.
        var headings: [MarkdownBody.Heading] = []
        /// The text indexed besides the title (which is indexed as a title), by field.
        var text: [(field: Field, text: String)]
    }

    /// The index file of the internal site.
    static func file(for plan: Plan) -> OutputFile {
        OutputFile(path: "internal/" + path, bytes: script(entries(plan)))
    }

    // MARK: - Entries

    /// Every entry of the plan, in result order for equal scores: by kind, then folded title, then href.
    static func entries(_ plan: Plan) -> [Entry] {
        let paths = InternalPaths(root: "")
        var entries: [Entry] = []

        func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
        let sections: [(InternalSite.SectionPage, String)] = [
            (.home, [count(plan.runbooks.count, "runbook", "runbooks"), count(plan.scenarios.count, "scenario", "scenarios")]
                .joined(separator: " · ")),
            (.roles, count(plan.roles.count, "emergency role", "emergency roles") + ", with primary and alternates"),
            (.people, count(plan.people.count, "person", "people") + ", with phone numbers"),
            (.sites, count(plan.sites.count, "site", "sites") + ", with their alternates"),
            (.vendors, count(plan.vendors.count, "vendor or third party", "vendors and third parties")),
        ]
        for (section, snippet) in sections {
            entries.append(
                Entry(kind: .section, title: section.title, href: section.path, snippet: snippet,
                      text: [(.title, section.keywords)]))
        }

        for runbook in plan.runbooks {
            let facts = ["Tier \(runbook.tier)", "RTO \(runbook.rto.display)"].joined(separator: " · ")
            entries.append(
                Entry(
                    kind: .runbook, title: runbook.title, href: paths.runbook(runbook.id),
                    snippet: join(facts, snippet(of: runbook.body)), headings: runbook.body.headings,
                    text: [(.title, runbook.id)] + runbook.body.headings.map { (.heading, $0.text) }
                        + runbook.tags.map { (.heading, $0) } + [(.body, body(runbook.body))]))
        }
        for scenario in plan.scenarios {
            entries.append(
                Entry(
                    kind: .scenario, title: scenario.title, href: paths.scenario(scenario.id),
                    snippet: join(scenario.scope.label, snippet(of: scenario.body, or: scenario.publicSummary)),
                    headings: scenario.body.headings,
                    text: [(.title, scenario.id), (.heading, scenario.scope.label)]
                        + scenario.body.headings.map { (.heading, $0.text) }
                        + [(.body, scenario.publicSummary ?? ""), (.body, body(scenario.body))]))
        }
        for page in plan.pages {
            entries.append(
                Entry(
                    kind: .page, title: page.title, href: paths.page(page.id), snippet: snippet(of: page.body),
                    headings: page.body.headings,
                    text: [(.title, page.id)] + page.body.headings.map { (.heading, $0.text) } + [(.body, body(page.body))]))
        }

        let held = plan.rolesHeld()
        for role in plan.roles {
            let primary = role.primary.flatMap { plan.person($0.id) }
            let alternates = plan.people(role.alternates)
            let snippet = [
                primary.map { "Primary: \($0.name)" },
                alternates.isEmpty ? nil : "Alternates: " + alternates.map(\.name).joined(separator: ", "),
            ].compactMap { $0 }.joined(separator: " · ")
            entries.append(
                Entry(
                    kind: .role, title: role.title, href: paths.role(role.id), snippet: snippet,
                    text: [(.title, role.id)] + role.responsibilities.map { (.body, $0) }
                        + ([primary].compactMap { $0 } + alternates).map { (.body, $0.name) }))
        }
        for person in plan.people {
            let site = person.site.flatMap { plan.site($0.id) }
            let roles = (held[person.id] ?? []).map { $0.role.title + ($0.alternate ? " (alternate)" : "") }
            entries.append(
                Entry(
                    kind: .person, title: person.name, href: paths.person(person.id),
                    snippet: unique([person.title].compactMap { $0 } + roles + [site?.name].compactMap { $0 })
                        .joined(separator: " · "),
                    text: [(.title, person.id), (.heading, person.title ?? "")] + roles.map { (.heading, $0) }
                        + [(.body, person.email ?? ""), (.body, site?.name ?? "")] + person.phones.map { (.body, $0.text) }))
        }
        for site in plan.sites {
            entries.append(
                Entry(
                    kind: .site, title: site.name, href: paths.site(site.id),
                    snippet: join(site.kind?.label, "\(site.city), \(site.region)"),
                    text: [(.title, site.id), (.heading, site.kind?.label ?? ""), (.heading, site.city), (.heading, site.region),
                           (.body, site.district ?? "")]))
        }
        for vendor in plan.vendors {
            entries.append(
                Entry(
                    kind: .vendor, title: vendor.name, href: paths.vendor(vendor.id),
                    snippet: vendor.provides.joined(separator: ", "),
                    text: [(.title, vendor.id)] + vendor.provides.map { (.heading, $0) }
                        + [(.body, vendor.email ?? "")] + vendor.phones.map { (.body, $0.text) }))
        }

        let keys = entries.map { fold($0.title) }
        return entries.indices.sorted {
            (entries[$0].kind.rawValue, keys[$0], entries[$0].href) < (entries[$1].kind.rawValue, keys[$1], entries[$1].href)
        }.map { entries[$0] }
    }

    /// The indexed part of a body: its first `bodyLimit` scalars.
    static func body(_ body: MarkdownBody) -> String {
        // A scalar takes at least one byte: a text of `bodyLimit` bytes or fewer is whole.
        guard body.plainText.utf8.count > bodyLimit else { return body.plainText }
        return String(String.UnicodeScalarView(body.plainText.unicodeScalars.prefix(bodyLimit)))
    }

    /// The first words of a body's text, headings left out, shortened to `snippetLength` at a word.
    static func snippet(of body: MarkdownBody, or fallback: String? = nil) -> String {
        // Lines are found on the UTF-8 bytes, and only until there is enough text (a character takes at
        // most 4 bytes): bodies are long. A line that is a heading's text is left out: compared byte for
        // byte when it and the headings are ASCII and there are few headings, else as strings
        // (canonically equivalent spellings are the same text).
        var text = body.plainText
        var bytes: [UInt8] = []
        let fewASCIIHeadings = body.headings.count <= 16 && body.headings.allSatisfy { $0.text.utf8.allSatisfy { $0 < 0x80 } }
        var headingSet: Set<String>?
        func isHeading(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
            if fewASCIIHeadings, !line.contains(where: { $0 >= 0x80 }) {
                return body.headings.contains { $0.text.utf8.count == line.count && $0.text.utf8.elementsEqual(line) }
            }
            if headingSet == nil { headingSet = Set(body.headings.map(\.text)) }
            return headingSet!.contains(String(decoding: line, as: UTF8.self))
        }
        text.withUTF8 { text in
            var lineStart = 0
            while lineStart < text.count, bytes.count <= snippetLength * 4 {
                let lineEnd = memchr(text.baseAddress! + lineStart, Int32(UInt8(ascii: "\n")), text.count - lineStart)
                    .map { UnsafeRawPointer(text.baseAddress!).distance(to: UnsafeRawPointer($0)) } ?? text.count
                let line = UnsafeBufferPointer(rebasing: text[lineStart..<lineEnd])
                if !isHeading(line) {
                    bytes.append(contentsOf: line)
                    bytes.append(UInt8(ascii: " "))
                }
                lineStart = lineEnd + 1
            }
        }
        // Runs of white space become one space, until there is more than a snippet. The bytes are whole
        // lines of a string: valid UTF-8. What is kept is never longer than what is read.
        var length = 0
        let flat = bytes.withUnsafeBufferPointer { bytes in
            [UInt8](unsafeUninitializedCapacity: bytes.count) { flat, count in
                count = 0
                var space = false
                var index = 0
                while index < bytes.count {
                    let byte = bytes[index]
                    let width: Int
                    let isSpace: Bool
                    if byte < 0x80 {
                        width = 1
                        isSpace = byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
                    } else {
                        let decoded = UTF8Text.scalar(in: bytes, at: index)
                        width = decoded.width
                        isSpace = decoded.scalar?.properties.isWhitespace ?? false
                    }
                    if isSpace {
                        space = length > 0
                        index += width
                        continue
                    }
                    if space {
                        flat[count] = UInt8(ascii: " ")
                        count += 1
                        space = false
                    }
                    if width == 1 {
                        flat[count] = byte
                        count += 1
                    } else {
                        for k in index..<min(index + width, bytes.count) {
                            flat[count] = bytes[k]
                            count += 1
                        }
                    }
                    index += width
                    length += 1
                    if length > snippetLength * 2 { break }
                }
            }
        }
        if length == 0, let fallback { return shorten(fallback) }
        return flat.withUnsafeBufferPointer { shortenedASCII($0) } ?? shorten(String(decoding: flat, as: UTF8.self))
    }

    /// `text`, or its first `snippetLength` characters cut at a word, with an ellipsis.
    static func shorten(_ text: String) -> String {
        // A character takes at least one byte.
        guard text.utf8.count > snippetLength else { return text }
        var text = text
        if let short = text.withUTF8({ shortenedASCII($0) }) { return short }
        guard text.count > snippetLength else { return text }
        let cut = text.prefix(snippetLength)
        var kept = cut.lastIndex(where: \.isWhitespace).map { cut[..<$0] } ?? cut
        while let last = kept.last, last.isPunctuation || last.isWhitespace { kept = kept.dropLast() }
        return kept + "…"
    }

    /// `shorten` of ASCII text without a CR LF (which has a character per byte); nil for other text.
    static func shortenedASCII(_ text: UnsafeBufferPointer<UInt8>) -> String? {
        var previous: UInt8 = 0
        for byte in text {
            if byte >= 0x80 || (previous == UInt8(ascii: "\r") && byte == UInt8(ascii: "\n")) { return nil }
            previous = byte
        }
        guard text.count > snippetLength else { return String(decoding: text, as: UTF8.self) }
        func isWhitespace(_ byte: UInt8) -> Bool { byte == 32 || (byte >= 9 && byte <= 13) }
        func isPunctuation(_ byte: UInt8) -> Bool { Character(Unicode.Scalar(byte)).isPunctuation }
        let cut = UnsafeBufferPointer(rebasing: text[..<snippetLength])
        var end = cut.lastIndex(where: isWhitespace) ?? cut.count
        while end > 0, isPunctuation(cut[end - 1]) || isWhitespace(cut[end - 1]) { end -= 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: cut[..<end]), as: UTF8.self) + "…"
    }

    /// The strings in order, each once.
    static func unique(_ strings: [String]) -> [String] {
        var seen: Set<String> = []
        return strings.filter { seen.insert($0).inserted }
    }

    static func join(_ first: String?, _ second: String) -> String {
        [first, second].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " — ")
    }

    // MARK: - Terms

    /// A text as search compares it: lower case, diacritics removed, a few letters that do not
    /// decompose spelled out (ß → ss, ø → o). `search.js` folds queries the same way.
    static func fold(_ text: String) -> String {
        if let ascii = foldedASCII(text) { return ascii }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { appendFolded(scalar, to: &out) }
        return String(out)
    }

    /// `fold` of ASCII text, its capitals lowered byte by byte; nil for other text.
    static func foldedASCII(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            return String(unsafeUninitializedCapacity: bytes.count) { out in
                for (k, byte) in bytes.enumerated() { out[k] = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }
                return bytes.count
            }
        }
    }

    /// The terms of a text: runs of letters, digits and marks, folded.
    static func terms(in text: String) -> [String] {
        struct Collect: TermSink {
            var terms: [String] = []
            mutating func add(_ term: UnsafeBufferPointer<UInt8>, hash: UInt64) {
                terms.append(String(decoding: term, as: UTF8.self))
            }
        }
        var collect = Collect()
        forEachTerm(in: text, into: &collect)
        return collect.terms
    }

    /// Calls `body` with each term of `text`, in order. Works on UTF-8: ASCII, most of any plan, takes
    /// no Unicode lookup, and characters that are neither letters, digits nor marks end a term. An ASCII
    /// word that is a whole term, the usual case, is lowered into a small buffer and handed over from
    /// there; other terms are put together in `token`.
    static func forEachTerm<Sink: TermSink>(in text: String, into sink: inout Sink) {
        var text = text
        text.withUTF8 { bytes in
            var token: [UInt8] = []
            token.reserveCapacity(64)
            func flush(_ token: inout [UInt8], _ sink: inout Sink) {
                if !token.isEmpty {
                    token.withUnsafeBufferPointer { sink.add($0, hash: termHash($0)) }
                    token.removeAll(keepingCapacity: true)
                }
            }
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { lowered in
                // `shortKey` reads 8 bytes from the start whatever the word's length.
                lowered.initialize(repeating: 0)
                Self.asciiTermBytes.withUnsafeBufferPointer { folded in
                    var i = 0
                    let raw = UnsafeRawPointer(bytes.baseAddress)
                    while i < bytes.count {
                        let byte = bytes[i]
                        if byte < 0x80 {
                            guard folded[Int(byte)] != 0 else {
                                flush(&token, &sink)
                                i += 1
                                continue
                            }
                            // Most words: shorter than 8 bytes, ASCII, with 8 bytes to read from their
                            // start. All 8 bytes are classified and lowered at once; the word ends at the
                            // first that is not a letter or digit.
                            if token.isEmpty, i &+ 8 <= bytes.count, let raw {
                                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                                let (wordBytes, letters) = Self.asciiWordBytes(word)
                                let stops = ~wordBytes & 0x8080_8080_8080_8080
                                if stops != 0 {
                                    let count = stops.trailingZeroBitCount &>> 3
                                    // A non-ASCII byte after it may join the term (a letter or a mark).
                                    if bytes[i &+ count] < 0x80 {
                                        let lowered = word | (letters &>> 2)
                                        sink.add(shortKey: lowered & ((1 &<< UInt64(count &* 8)) &- 1), count: count)
                                        i &+= count
                                        continue
                                    }
                                } else if i &+ 8 == bytes.count || (bytes[i &+ 8] < 0x80 && folded[Int(bytes[i &+ 8])] == 0) {
                                    // A word of exactly 8 bytes.
                                    sink.add(shortKey: word | (letters &>> 2), count: 8)
                                    i &+= 8
                                    continue
                                }
                            }
                            // The ASCII word, lowered into `lowered` as far as it fits; a longer one is
                            // only measured past that.
                            var end = i
                            let stored = min(bytes.count, i &+ lowered.count)
                            while end < stored {
                                let lower = folded[Int(bytes[end])]
                                if lower == 0 { break }
                                lowered[end &- i] = lower
                                end &+= 1
                            }
                            if end == stored {
                                while end < bytes.count, folded[Int(bytes[end])] != 0 { end &+= 1 }
                            }
                            if token.isEmpty, end - i <= lowered.count, end == bytes.count || bytes[end] < 0x80 {
                                // A whole term: nothing before it joins it, and an ASCII byte after it ends it.
                                let term = UnsafeBufferPointer(rebasing: lowered[0..<(end - i)])
                                if term.count <= 8 {
                                    sink.add(shortKey: shortKey(lowered.baseAddress!, count: term.count), count: term.count)
                                } else {
                                    sink.add(term, hash: termHash(term))
                                }
                                i = end
                                continue
                            }
                            // Part of a longer term.
                            for k in i..<end { token.append(folded[Int(bytes[k])]) }
                            i = end
                            continue
                        }
                        // A scalar of 2 to 4 bytes; the string is valid UTF-8.
                        let (decoded, width) = UTF8Text.scalar(in: bytes, at: i)
                        i += width
                        guard let scalar = decoded, isWordScalar(scalar) else {
                            // Punctuation, symbols and spaces fold to the same kinds: they end the term.
                            flush(&token, &sink)
                            continue
                        }
                        for part in Self.folded(scalar) {
                            if isWordScalar(part) {
                                token.append(contentsOf: part.utf8)
                            } else {
                                flush(&token, &sink)
                            }
                        }
                    }
                }
            }
            flush(&token, &sink)
        }
    }

    /// A term's hash for the index's tables: FNV-1a over its bytes; `termSlot` folds the well-mixed high
    /// bits into the low ones.
    static func termHash(_ term: UnsafeBufferPointer<UInt8>) -> UInt64 {
        term.reduce(FastHash.fnvOffset, FastHash.fnvStep)
    }

    /// For the 8 bytes of `word`, the high bit of each byte that is an ASCII letter or digit (`wordBytes`)
    /// and of each that is an ASCII letter (`letters`). Each byte is compared with the ranges by adding a
    /// constant to its low 7 bits, which cannot carry into the next byte: `x + (0x80 - low)` has the high
    /// bit set when `x ≥ low`, `x + (0x7F - high)` when `x > high`.
    @inline(__always) static func asciiWordBytes(_ word: UInt64) -> (wordBytes: UInt64, letters: UInt64) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let low7 = word & ~highs
        let digits = (low7 &+ ones &* (0x80 - 0x30)) & ~(low7 &+ ones &* (0x7F - 0x39))
        let folded = low7 | (ones &* 0x20)  // 'A'…'Z' → 'a'…'z'; nothing else lands in that range
        let ascii = ~word & highs
        let letters = (folded &+ ones &* (0x80 - 0x61)) & ~(folded &+ ones &* (0x7F - 0x7A)) & ascii
        return ((digits & ascii) | letters, letters)
    }

    /// A term of 1 to 8 bytes as one number: its bytes, the first in the lowest 8 bits, and zeros above
    /// the last. No byte of a term is 0, so different terms have different keys and no key is 0.
    /// `start` must have 8 readable bytes.
    @inline(__always) static func shortKey(_ start: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        let word = UInt64(littleEndian: UnsafeRawPointer(start).loadUnaligned(as: UInt64.self))
        return count == 8 ? word : word & ((1 &<< UInt64(8 &* count)) &- 1)
    }

    /// `shortKey` of a term of 1 to 8 bytes that may not be followed by 8 readable bytes.
    static func shortKey(_ term: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var key: UInt64 = 0
        for (k, byte) in term.enumerated() { key |= UInt64(byte) &<< UInt64(8 &* k) }
        return key
    }

    /// The slot of a `shortKey` in a table of 2^(64 - `shift`) slots: the top bits of the key times an odd
    /// constant, which every byte of the key reaches (the low bits depend on the first bytes only, so
    /// "recover" and "recovery" would share them).
    @inline(__always) static func shortSlot(_ key: UInt64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }
    @inline(__always) static func termSlot(_ hash: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
    }

    /// For each byte value, the byte lowered when it is an ASCII letter or digit, 0 for any other.
    static let asciiTermBytes: [UInt8] = (0..<256).map { value in
        let byte = UInt8(value)
        guard byte < 0x80, isASCIIWordByte(byte) else { return 0 }
        return byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }

    static func isASCIIWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
    }

    /// The folded form of one scalar; those of Latin letters, the most frequent outside ASCII, are
    /// computed once.
    static func folded(_ scalar: Unicode.Scalar) -> String.UnicodeScalarView {
        if scalar.value < 0x250 { return latinFolds[Int(scalar.value)] }
        var out = String.UnicodeScalarView()
        appendFolded(scalar, to: &out)
        return out
    }

    static let latinFolds: [String.UnicodeScalarView] = (0..<0x250).map { value in
        var out = String.UnicodeScalarView()
        if let scalar = Unicode.Scalar(UInt32(value)) { appendFolded(scalar, to: &out) }
        return out
    }

    /// Letters, marks and numbers, by general category, as `search.js` matches `[\p{L}\p{N}\p{M}]`.
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber, .spacingMark, .enclosingMark, .nonspacingMark:
            return true
        default:
            return false
        }
    }

    /// Letters that canonical decomposition leaves alone, spelled as a reader would type them.
    static let spelledOut: [Unicode.Scalar: String] = [
        "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ı": "i", "þ": "th",
        "ς": "σ",
    ]

    /// Lower case, then canonical decomposition without nonspacing marks, then `spelledOut`: the
    /// steps of `fold` in `search.js`, one scalar at a time.
    static func appendFolded(_ scalar: Unicode.Scalar, to out: inout String.UnicodeScalarView) {
        if scalar.value < 0x80 {
            let value = scalar.value
            out.append((0x41...0x5A).contains(value) ? Unicode.Scalar(UInt8(value + 0x20)) : scalar)
            return
        }
        let decomposed = scalar.properties.lowercaseMapping.decomposedStringWithCanonicalMapping
        for part in decomposed.unicodeScalars where part.properties.generalCategory != .nonspacingMark {
            if let spelled = spelledOut[part] {
                out.append(contentsOf: spelled.unicodeScalars)
            } else {
                out.append(part)
            }
        }
    }

    // MARK: - Index

    /// Every term of the entries, and for each the postings `entry << 2 | field`, in entry order. A term
    /// found in several fields of an entry counts in the best one.
    ///
    /// Tokenizing is the costly part. Entries are read in parallel, in contiguous runs; each run numbers
    /// its own terms and keeps, per term, the best field seen in the current entry in an array rather
    /// than a dictionary per entry. The runs are then merged in order, so postings stay in entry order.
    static func postings(_ entries: [Entry]) -> PostingsRun {
        let runCount = min(entries.count, 64)
        let runs = parallelMap(0..<runCount) { runIndex in
            var run = PostingsRun()
            for entry in (runIndex * entries.count / runCount)..<((runIndex + 1) * entries.count / runCount) {
                run.field = .title
                forEachTerm(in: entries[entry].title, into: &run)
                for (field, text) in entries[entry].text {
                    run.field = field
                    forEachTerm(in: text, into: &run)
                }
                run.finish(entry: entry)
            }
            return run
        }
        // The runs merged in order, term by term through the same kind of table: no `String` is made.
        guard var merged = runs.first else { return PostingsRun() }
        for run in runs.dropFirst() {
            run.bytes.withUnsafeBufferPointer { bytes in
                for term in run.postings.indices {
                    let number = merged.number(
                        of: run.term(term, in: bytes), hash: run.hashes[term])
                    merged.postings[number].append(contentsOf: run.postings[term])
                }
            }
        }
        return merged
    }

    /// The terms of a run of entries, numbered in the order first seen, and their postings (see
    /// `postings`).
    struct PostingsRun: TermSink {
        /// The terms' bytes, one after the other; term `n` is `bytes[starts[n]..<starts[n + 1]]`.
        var bytes: [UInt8] = []
        var starts: [Int] = [0]
        var postings: [[UInt32]] = []
        /// Each term's `termHash`.
        var hashes: [UInt64] = []
        /// An open-addressing table of term numbers (-1 for empty) by a hash of the bytes: a term is
        /// found without making a `String` of it.
        var slots = [Int32](repeating: -1, count: 1024)
        /// Terms of at most 8 bytes, most words, also in a table of their own by `shortKey` (0 for empty),
        /// found by comparing one number: every such term of the run is in it.
        var shortKeys = [UInt64](repeating: 0, count: 1024)
        /// The term number of each key of `shortKeys`.
        var shortNumbers = [Int32](repeating: -1, count: 1024)
        /// 64 minus the power of two of the short table's size (`shortSlot`).
        var shortShift: UInt64 = 64 - 10
        /// How many terms the short table holds.
        var shortCount = 0
        /// The field of the text being read.
        var field = Field.body
        /// Per term, the entry it was last found in, plus one, shifted left by 2, and in the low bits the
        /// best field it was found in there: a term seen again in the same entry, the common case, is
        /// told apart by reading this alone, and nothing is reset between entries.
        var marks: [UInt32] = []
        /// The entry being read, plus one, shifted left by 2.
        var entryMark: UInt32 = 1 << 2
        /// The terms of the entry being read, in the order first found.
        var touched: [Int] = []

        /// Term `number`'s bytes, within `bytes`, this run's `bytes`.
        func term(_ number: Int, in bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: bytes[starts[number]..<starts[number + 1]])
        }

        /// The term numbers in the order JavaScript sorts the terms (`precedesInUTF16`).
        var sortedTerms: [Int] {
            bytes.withUnsafeBufferPointer { bytes in
                postings.indices.sorted { a, b in
                    precedesInUTF16(term(a, in: bytes), term(b, in: bytes))
                }
            }
        }

        mutating func add(_ term: UnsafeBufferPointer<UInt8>, hash: UInt64) {
            mark(number(of: term, hash: hash))
        }

        mutating func add(shortKey key: UInt64, count: Int) {
            let mask = shortKeys.count - 1
            var slot = shortSlot(key, shift: shortShift)
            let found: Int = shortKeys.withUnsafeBufferPointer { keys in
                while true {
                    let candidate = keys[slot]
                    if candidate == key { return slot }
                    if candidate == 0 { return -1 }
                    slot = (slot + 1) & mask
                }
            }
            if found >= 0 { return mark(Int(shortNumbers[found])) }
            // Not in the table: a new term, which `number(of:hash:)` also enters there.
            mark(SearchIndex.withShortTerm(key, count: count) { number(of: $0, hash: termHash($0)) })
        }

        /// Counts term `number` as found in the current entry, in the current field.
        @inline(__always) private mutating func mark(_ number: Int) {
            let mark = marks[number]
            if mark & ~3 != entryMark {
                marks[number] = entryMark | UInt32(field.rawValue)
                touched.append(number)
            } else if mark & 3 < UInt32(field.rawValue) {
                marks[number] = entryMark | UInt32(field.rawValue)
            }
        }

        /// The number of `term`, whose `termHash` is `hash`, given to it now if it is new.
        mutating func number(of term: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int {
            let mask = slots.count - 1
            var slot = termSlot(hash, mask: mask)
            // The probe reads the tables through pointers: it runs for every word of every entry.
            let found: Int = slots.withUnsafeBufferPointer { slots in
                hashes.withUnsafeBufferPointer { hashes in
                    starts.withUnsafeBufferPointer { starts in
                        bytes.withUnsafeBufferPointer { bytes in
                            while true {
                                let candidate = Int(slots[slot])
                                if candidate < 0 { return -1 }
                                if hashes[candidate] == hash, starts[candidate + 1] - starts[candidate] == term.count,
                                    Self.equal(bytes, at: starts[candidate], term)
                                {
                                    return candidate
                                }
                                slot = (slot + 1) & mask
                            }
                        }
                    }
                }
            }
            if found >= 0 { return found }
            let number = postings.count
            slots[slot] = Int32(number)
            bytes.append(contentsOf: term)
            starts.append(bytes.count)
            postings.append([])
            hashes.append(hash)
            marks.append(0)
            if postings.count * 2 > slots.count { grow() }
            if term.count <= 8 { enterShort(SearchIndex.shortKey(term), number: number) }
            return number
        }

        /// Enters a new term of at most 8 bytes in the short table.
        private mutating func enterShort(_ key: UInt64, number: Int) {
            shortCount += 1
            if shortCount * 2 > shortKeys.count {
                let keys = shortKeys, numbers = shortNumbers
                shortKeys = [UInt64](repeating: 0, count: keys.count * 2)
                shortNumbers = [Int32](repeating: -1, count: keys.count * 2)
                shortShift -= 1
                for (slot, key) in keys.enumerated() where key != 0 { place(key, number: numbers[slot]) }
            }
            place(key, number: Int32(number))
        }

        private mutating func place(_ key: UInt64, number: Int32) {
            let mask = shortKeys.count - 1
            var slot = shortSlot(key, shift: shortShift)
            while shortKeys[slot] != 0 { slot = (slot + 1) & mask }
            shortKeys[slot] = key
            shortNumbers[slot] = number
        }

        /// True when the `term.count` bytes of `bytes` at `start` are `term`'s; short terms, most of
        /// them, are compared in place.
        @inline(__always) static func equal(
            _ bytes: UnsafeBufferPointer<UInt8>, at start: Int, _ term: UnsafeBufferPointer<UInt8>
        ) -> Bool {
            let count = term.count
            guard count > 0 else { return true }
            let start = bytes.baseAddress! + start, other = term.baseAddress!
            if count > 16 { return memcmp(start, other, count) == 0 }
            for k in 0..<count where start[k] != other[k] { return false }
            return true
        }

        /// Doubles the table, so that it stays at most half full.
        private mutating func grow() {
            slots = [Int32](repeating: -1, count: slots.count * 2)
            let mask = slots.count - 1
            for number in postings.indices {
                var slot = termSlot(hashes[number], mask: mask)
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(number)
            }
        }

        /// Records the current entry's terms as postings.
        mutating func finish(entry: Int) {
            for number in touched {
                postings[number].append(UInt32(entry) << 2 | marks[number] & 3)
            }
            touched.removeAll(keepingCapacity: true)
            entryMark &+= 1 << 2
        }
    }

    /// The script that assigns the index to its global, as UTF-8.
    static func script(_ entries: [Entry]) -> [UInt8] {
        let postings = postings(entries)
        let terms = postings.sortedTerms

        // Each distinct heading once; each entry's headings as numbers into that list, entry after entry
        // (`headingNumbers[headingStarts[e]..<headingStarts[e + 1]]`), so that each is looked up once.
        var headingIndex: [MarkdownBody.Heading.Key: Int] = [:]
        var headings: [MarkdownBody.Heading.Key] = []
        var headingNumbers: [Int] = []
        var headingStarts = [0]
        headingStarts.reserveCapacity(entries.count + 1)
        for entry in entries {
            for heading in entry.headings {
                let key = heading.key
                if let number = headingIndex[key] {
                    headingNumbers.append(number)
                } else {
                    headingIndex[key] = headings.count
                    headingNumbers.append(headings.count)
                    headings.append(key)
                }
            }
            headingStarts.append(headingNumbers.count)
        }

        var out: [UInt8] = []
        out.reserveCapacity(entries.count * 256 + terms.count * 32)
        func put(_ text: StaticString) { text.withUTF8Buffer { out.append(contentsOf: $0) } }
        func put(_ number: Int) { DecimalText.append(number, to: &out) }
        func json(_ text: String) { JSONValue.writeString(text, to: &out, scriptSafe: true) }
        func list<T>(_ items: [T], _ write: (T) -> Void) {
            for (k, item) in items.enumerated() {
                if k > 0 { put(",") }
                write(item)
            }
        }
        put("/* The search index of the internal site: internal and confidential. */\n")
        out.append(contentsOf: "var \(global) = {\n".utf8)
        put("\"version\": 1,\n\"kinds\": [")
        list(Kind.allCases) { json($0.label) }
        put("],\n\"docs\": [\n")
        for (index, entry) in entries.enumerated() {
            put("[")
            put(entry.kind.rawValue)
            put(",")
            json(entry.title)
            put(",")
            json(entry.href)
            put(",")
            json(entry.snippet)
            if headingStarts[index] < headingStarts[index + 1] {
                put(",[")
                for k in headingStarts[index]..<headingStarts[index + 1] {
                    if k > headingStarts[index] { put(",") }
                    put(headingNumbers[k])
                }
                put("]")
            }
            put(index == entries.count - 1 ? "]\n" : "],\n")
        }
        put("],\n\"headings\": [")
        list(headings) { heading in
            put("[")
            json(heading.text)
            put(",")
            json(heading.slug)
            put("]")
        }
        put("],\n\"terms\": [")
        postings.bytes.withUnsafeBufferPointer { bytes in
            list(terms) { term in
                JSONValue.writeString(
                    utf8: postings.term(term, in: bytes), to: &out,
                    scriptSafe: true)
            }
        }
        put("],\n\"postings\": [")
        list(terms) { term in
            put("\"")
            encode(postings.postings[term], into: &out)
            put("\"")
        }
        put("]\n};\n")
        return out
    }

    /// Whether `a` sorts before `b` by UTF-16 code unit, as JavaScript compares strings. UTF-8 bytes
    /// sort by code point, which is the same order unless the first difference is between a character
    /// from U+E000 on and one outside the Basic Multilingual Plane: then the UTF-16 units decide.
    static func precedesInUTF16(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in b.withUTF8 { y in precedesInUTF16(x, y) } }
    }

    /// The same for valid UTF-8.
    static func precedesInUTF16(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        let common = min(x.count, y.count)
        var k = 0
        while k < common, x[k] == y[k] { k += 1 }
        if k == common { return x.count < y.count }
        if x[k] < 0xEE && y[k] < 0xEE { return x[k] < y[k] }
        return String(decoding: x, as: UTF8.self).utf16.lexicographicallyPrecedes(String(decoding: y, as: UTF8.self).utf16)
    }

    /// Digits of the postings code: the first 32 end a number, the last 32 continue it. None needs
    /// escaping in a JavaScript string.
    static let digits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_".utf8)

    /// A term's postings, each `entry << 2 | field` in entry order, as the gap from the previous entry
    /// (shifted left by 2, the field in the low bits), 5 bits a digit, low bits first. Terms found in
    /// many entries have small gaps, so most postings take one or two digits.
    static func encode(_ postings: [UInt32], into out: inout [UInt8]) {
        var previous: UInt32 = 0
        for posting in postings {
            let doc = posting >> 2
            var value = (doc - previous) << 2 | (posting & 3)
            previous = doc
            while value >= 32 {
                out.append(digits[Int(32 + (value & 31))])
                value >>= 5
            }
            out.append(digits[Int(value)])
        }
    }

    /// A JSON string literal that is also safe in any JavaScript or HTML context: `<`, `>` and `&` (so
    /// no `</script>` or `<!--`), U+2028 and U+2029 (line ends to older JavaScript) and control
    /// characters are escaped as `\uXXXX`.
    static func json(_ text: String) -> String {
        var out = ""
        JSONValue.writeString(text, to: &out, scriptSafe: true)
        return out
    }
}

/// Receives the terms of a text, in order.
protocol TermSink {
    /// A term's UTF-8 bytes, valid only during the call, and their `SearchIndex.termHash`.
    mutating func add(_ term: UnsafeBufferPointer<UInt8>, hash: UInt64)
    /// A term of `count` bytes, 1 to 8, given as its `SearchIndex.shortKey`.
    mutating func add(shortKey key: UInt64, count: Int)
}

extension TermSink {
    mutating func add(shortKey key: UInt64, count: Int) {
        SearchIndex.withShortTerm(key, count: count) { add($0, hash: SearchIndex.termHash($0)) }
    }
}

extension SearchIndex {
    /// Calls `body` with the bytes of the term whose `shortKey` is `key`.
    static func withShortTerm<Result>(
        _ key: UInt64, count: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        withUnsafeBytes(of: key.littleEndian) { raw in
            body(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count))
        }
    }
}

extension MarkdownBody.Heading {
    /// What a search result needs of a heading.
    struct Key: Hashable {
        var text: String
        var slug: String

        /// The same bytes: canonically equal spellings are different headings here, as their slugs are.
        static func == (a: Key, b: Key) -> Bool {
            ExactString(a.text) == ExactString(b.text) && ExactString(a.slug) == ExactString(b.slug)
        }

        /// Both texts' XXH64 as one word (see `ExactString`).
        func hash(into hasher: inout Hasher) {
            hasher.combine(text.withBytes { FastHash.hash($0) } ^ slug.withBytes { FastHash.hash($0, seed: 1) })
        }
    }

    var key: Key { Key(text: text, slug: slug) }
}
