import CSystem
import Foundation

/// The second line of defence for the public site. The public site is rendered from `PublicPlan`, which
/// cannot reach internal data; this guard still reads every rendered public file for the values that
/// only internal data holds — people's names, phones and emails, vendors' phones and emails, sites'
/// districts — and reports each hit with the value's source.
public enum LeakGuard {
    struct Secret {
        enum Kind { case text, phone }
        var kind: Kind
        /// The value as written; for phones, the digits to look for.
        var value: String
        /// What the value is, "the name", "a phone"…, of which entity, and a detail shown after it: the
        /// message is made only for a value found, not for each of the plan's thousands.
        var thing: StaticString
        var owner: StaticString
        var id: String
        var detail: String? = nil
        var location: SourceLocation

        var what: String { "\(thing) of \(owner) '\(id)'" + (detail.map { " (\($0))" } ?? "") }
    }

    static func secrets(of plan: Plan) -> [Secret] {
        var secrets: [Secret] = []
        for person in plan.people {
            secrets.append(Secret(kind: .text, value: person.name, thing: "the name", owner: "person", id: person.id, location: person.origin["name"]))
            if let email = person.email {
                secrets.append(Secret(kind: .text, value: email, thing: "the email", owner: "person", id: person.id, location: person.origin["email"]))
            }
            for phone in person.phones {
                secrets.append(Secret(kind: .phone, value: phone.digits, thing: "a phone", owner: "person", id: person.id, detail: phone.text, location: person.origin["phone"]))
            }
        }
        for vendor in plan.vendors {
            if let email = vendor.email {
                secrets.append(Secret(kind: .text, value: email, thing: "the email", owner: "vendor", id: vendor.id, location: vendor.origin["email"]))
            }
            for phone in vendor.phones {
                secrets.append(Secret(kind: .phone, value: phone.digits, thing: "a phone", owner: "vendor", id: vendor.id, detail: phone.text, location: vendor.origin["phone"]))
            }
        }
        for site in plan.sites {
            if let district = site.district {
                secrets.append(Secret(kind: .text, value: district, thing: "the district", owner: "site", id: site.id, location: site.origin["district"]))
            }
        }
        return secrets.filter { !$0.value.trimmingWhitespaces().isEmpty }
    }

    /// Reads the public files among `files` (paths under `public/`) and reports every secret found.
    public static func scan(_ files: [OutputFile], plan: Plan) -> [Diagnostic] {
        let secrets = secrets(of: plan)
        // What is looked for, worked out once for all files: a text's bytes with its spaces folded as the
        // files' are; a phone's national part, so "020 7946 0101" matches "+44 20 7946 0101".
        let needles = secrets.map { secret in
            switch secret.kind {
            case .text: normalizeSpaces(Array(secret.value.utf8))
            case .phone: Array(secret.value.suffix(max(8, secret.value.count - 3)).utf8)
            }
        }
        var diagnostics: [Diagnostic] = []
        for file in files where file.path.hasPrefix("public/") && isText(file.path) {
            let textBytes = visibleText(file.bytes)
            let words = WordStarts(textBytes)
            let digitRuns = phoneDigitRuns(textBytes)
            for (secret, needle) in zip(secrets, needles) {
                let found: Bool
                switch secret.kind {
                case .text: found = words.containsWord(needle)
                case .phone: found = digitRuns.contains { contains(needle, in: $0) }
                }
                if found {
                    diagnostics.append(
                        .error(
                            .publicLeak, "\(file.path) contains \(secret.what): internal data must not reach the public site",
                            at: secret.location,
                            hint: "remove it from the public content (summary.md, public_summary, public pages, continuity.yaml's public keys)"))
                }
            }
        }
        return diagnostics
    }

    static func isText(_ path: String) -> Bool {
        [".html", ".htm", ".css", ".js", ".json", ".txt", ".xml", ".svg"].contains { path.hasSuffix($0) }
    }

    /// The text with tags removed, entities decoded and white space folded, so a value split by markup
    /// or written with entities is still found. Works on the UTF-8 bytes: every byte that matters here is
    /// ASCII, and no byte of a longer character is.
    static func visibleText(_ html: [UInt8]) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(html.count)
        var inTag = false
        for byte in html {
            if inTag {
                if byte == UInt8(ascii: ">") { inTag = false }
                // Attribute values (link targets, titles) count too: keep them, spaced.
                else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") { text.append(32) } else { text.append(byte) }
                continue
            }
            if byte == UInt8(ascii: "<") { inTag = true; text.append(32); continue }
            text.append(byte)
        }
        return normalizeSpaces(decodeEntities(text))
    }

    /// The text with character references (`&amp;`, `&#32;`, `&#x20;`) replaced by what they stand for;
    /// a reference ends within twelve characters of its `&`, others are kept as written.
    static func decodeEntities(_ text: [UInt8]) -> [UInt8] {
        guard text.contains(UInt8(ascii: "&")) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            guard text[index] == UInt8(ascii: "&") else {
                out.append(text[index])
                index += 1
                continue
            }
            // The `;` among the eleven characters after the `&`.
            var semi: Int?
            var characters = 1
            var scan = index + 1
            while scan < text.count {
                if !continuesCharacter(text, at: scan) {
                    characters += 1
                    if characters > 12 { break }
                }
                if text[scan] == UInt8(ascii: ";") { semi = scan; break }
                scan += 1
            }
            guard let semi else {
                out.append(UInt8(ascii: "&"))
                index += 1
                continue
            }
            if let value = character(for: String(decoding: text[(index + 1)..<semi], as: UTF8.self)) {
                out.append(contentsOf: value.utf8)
            } else {
                out.append(contentsOf: text[index...semi])
            }
            index = semi + 1
        }
        return out
    }

    /// What the character reference `&name;` stands for; nil when it is not one.
    static func character(for name: String) -> String? {
        let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " "]
        if let value = named[name] { return value }
        let code: UInt32?
        if name.hasPrefix("#x") || name.hasPrefix("#X") {
            code = UInt32(name.dropFirst(2), radix: 16)
        } else if name.hasPrefix("#") {
            code = UInt32(name.dropFirst())
        } else {
            code = nil
        }
        return code.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
    }

    /// The words of UTF-8 `text` (split at white space, as `Character.isWhitespace` sees it) joined by
    /// single spaces.
    static func normalizeSpaces(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var index = 0
        var pendingSpace = false
        while index < text.count {
            let width = whitespaceWidth(text, at: index)
            if width > 0 {
                pendingSpace = !out.isEmpty
                index += width
                // Marks that join the white space make one character with it, and go with it.
                while index < text.count, continuesCharacter(text, at: index) { index += 1 }
                continue
            }
            if pendingSpace {
                out.append(32)
                pendingSpace = false
            }
            out.append(text[index])
            index += 1
        }
        return out
    }

    /// Whether the byte at `index` continues the character before it, as `Character` groups text: a byte
    /// inside a scalar, a line feed after a carriage return, a mark or joiner (grapheme extenders,
    /// spacing marks, U+200D). Other rules of grapheme clusters (Hangul syllables, flags) never join a
    /// space or an `&`, which is what this is asked about.
    static func continuesCharacter(_ text: [UInt8], at index: Int) -> Bool {
        let byte = text[index]
        if byte < 0x80 { return byte == 10 && index > 0 && text[index - 1] == 13 }
        if byte & 0xC0 == 0x80 { return true }
        guard let scalar = UTF8Text.scalar(in: text, at: index).scalar else { return false }
        return scalar.properties.isGraphemeExtend || scalar.value == 0x200D || scalar.properties.generalCategory == .spacingMark
    }

    /// The length in bytes of the white space character at `index` (Unicode's White_Space property), or 0.
    static func whitespaceWidth(_ text: [UInt8], at index: Int) -> Int {
        let byte = text[index]
        if byte < 0x80 { return byte == 32 || (byte >= 9 && byte <= 13) ? 1 : 0 }
        let (scalar, width) = UTF8Text.scalar(in: text, at: index)
        return scalar?.properties.isWhitespace == true ? width : 0
    }

    /// Whether `word` occurs in `text` not as part of a longer word ("Ann" is not found in "Annual").
    static func containsWord(_ word: String, in text: String) -> Bool {
        containsWord(Array(word.utf8), in: Array(text.utf8))
    }

    /// A byte that continues a word: ASCII letters and digits, and every byte of a non-ASCII letter.
    static func isWordByte(_ b: UInt8) -> Bool { b >= 0x80 || (b >= 48 && b <= 57) || ((b | 0x20) >= 97 && (b | 0x20) <= 122) }

    /// The places where words start in a text, by their first four bytes. A value that begins with a
    /// word byte can only stand alone where a word starts: with thousands of values to look for, each is
    /// compared at those few places instead of searched for through the whole text.
    struct WordStarts {
        let text: [UInt8]
        private var starts: [UInt32: [Int]] = [:]

        init(_ text: [UInt8]) {
            self.text = text
            guard text.count >= 4 else { return }
            for index in 0...(text.count - 4)
            where LeakGuard.isWordByte(text[index]) && (index == 0 || !LeakGuard.isWordByte(text[index - 1])) {
                starts[Self.key(text, at: index), default: []].append(index)
            }
        }

        private static func key(_ bytes: [UInt8], at index: Int) -> UInt32 {
            UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8 | UInt32(bytes[index + 3])
        }

        /// `LeakGuard.containsWord(word, in: text)`.
        func containsWord(_ word: [UInt8]) -> Bool {
            guard word.count >= 4, LeakGuard.isWordByte(word[0]) else { return LeakGuard.containsWord(word, in: text) }
            guard let candidates = starts[Self.key(word, at: 0)] else { return false }
            let endsInWord = LeakGuard.isWordByte(word[word.count - 1])
            return text.withUnsafeBufferPointer { text in
                word.withUnsafeBufferPointer { word in
                    candidates.contains { start in
                        let end = start + word.count
                        guard end <= text.count, memcmp(text.baseAddress! + start, word.baseAddress!, word.count) == 0 else {
                            return false
                        }
                        return !(endsInWord && end < text.count && LeakGuard.isWordByte(text[end]))
                    }
                }
            }
        }
    }

    static func containsWord(_ word: [UInt8], in text: [UInt8]) -> Bool {
        guard let first = word.first, let final = word.last, word.count <= text.count else { return false }
        return text.withUnsafeBytes { text in
            word.withUnsafeBytes { word in
                // Each occurrence in turn (found by the C library's `memmem`), until one stands alone.
                var start = 0
                while start + word.count <= text.count,
                    let found = continuity_find_bytes(text.baseAddress! + start, text.count - start, word.baseAddress!, word.count)
                {
                    let i = found - text.baseAddress!
                    let before = i > 0 ? text[i - 1] : 32
                    let after = i + word.count < text.count ? text[i + word.count] : 32
                    if !(isWordByte(first) && isWordByte(before)), !(isWordByte(final) && isWordByte(after)) {
                        return true
                    }
                    start = i + 1
                }
                return false
            }
        }
    }

    /// Whether `bytes` occur anywhere in `text`.
    static func contains(_ bytes: [UInt8], in text: [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return true }
        guard bytes.count <= text.count else { return false }
        return text.withUnsafeBytes { text in
            bytes.withUnsafeBytes { bytes in
                continuity_find_bytes(text.baseAddress!, text.count, bytes.baseAddress!, bytes.count) != nil
            }
        }
    }

    /// The digits of every run of characters a phone number is written with (digits, spaces and
    /// `-.()+/`), where the run has at least eight.
    static func phoneDigitRuns(_ text: [UInt8]) -> [[UInt8]] {
        var runs: [[UInt8]] = []
        var digits: [UInt8] = []
        for byte in text {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits.append(byte)
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"),
                UInt8(ascii: "+"), UInt8(ascii: "/"):
                continue
            default:
                if digits.count >= 8 { runs.append(digits) }
                digits.removeAll(keepingCapacity: true)
            }
        }
        if digits.count >= 8 { runs.append(digits) }
        return runs
    }
}
