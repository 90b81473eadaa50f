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
        var what: String
        var location: SourceLocation
    }

    static func secrets(of plan: Plan) -> [Secret] {
        var secrets: [Secret] = []
        for person in plan.people {
            secrets.append(Secret(kind: .text, value: person.name, what: "the name of person '\(person.id)'", location: person.origin["name"]))
            if let email = person.email {
                secrets.append(Secret(kind: .text, value: email, what: "the email of person '\(person.id)'", location: person.origin["email"]))
            }
            for phone in person.phones {
                secrets.append(Secret(kind: .phone, value: phone.digits, what: "a phone of person '\(person.id)' (\(phone.text))", location: person.origin["phone"]))
            }
        }
        for vendor in plan.vendors {
            if let email = vendor.email {
                secrets.append(Secret(kind: .text, value: email, what: "the email of vendor '\(vendor.id)'", location: vendor.origin["email"]))
            }
            for phone in vendor.phones {
                secrets.append(Secret(kind: .phone, value: phone.digits, what: "a phone of vendor '\(vendor.id)' (\(phone.text))", location: vendor.origin["phone"]))
            }
        }
        for site in plan.sites {
            if let district = site.district {
                secrets.append(Secret(kind: .text, value: district, what: "the district of site '\(site.id)'", location: site.origin["district"]))
            }
        }
        return secrets.filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// Reads the public files among `files` (paths under `public/`) and reports every secret found.
    public static func scan(_ files: [OutputFile], plan: Plan) -> [Diagnostic] {
        let secrets = secrets(of: plan)
        // What is looked for, worked out once for all files: a text's bytes with its spaces folded as the
        // files' are; a phone's national part, so "020 7946 0101" matches "+44 20 7946 0101".
        let needles = secrets.map { secret in
            switch secret.kind {
            case .text: Array(normalizeSpaces(secret.value).utf8)
            case .phone: Array(secret.value.suffix(max(8, secret.value.count - 3)).utf8)
            }
        }
        var diagnostics: [Diagnostic] = []
        for file in files where file.path.hasPrefix("public/") && isText(file.path) {
            let text = visibleText(String(decoding: file.bytes, as: UTF8.self))
            let textBytes = Array(text.utf8)
            let digitRuns = phoneDigitRuns(text).map { Array($0.utf8) }
            for (secret, needle) in zip(secrets, needles) {
                let found: Bool
                switch secret.kind {
                case .text: found = containsWord(needle, in: textBytes)
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
    /// or written with entities is still found.
    static func visibleText(_ html: String) -> String {
        var out = ""
        out.reserveCapacity(html.utf8.count)
        var inTag = false
        for c in html {
            if inTag {
                if c == ">" { inTag = false }
                // Attribute values (link targets, titles) count too: keep them, spaced.
                else if c == "\"" || c == "'" { out.append(" ") } else { out.append(c) }
                continue
            }
            if c == "<" { inTag = true; out.append(" "); continue }
            out.append(c)
        }
        return normalizeSpaces(decodeEntities(out))
    }

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let tail = rest[amp...]
            guard let semi = tail.prefix(12).firstIndex(of: ";") else {
                out.append("&")
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let name = String(tail[tail.index(after: tail.startIndex)..<semi])
            let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " "]
            if let value = named[name] {
                out += value
            } else if name.hasPrefix("#x") || name.hasPrefix("#X"), let code = UInt32(name.dropFirst(2), radix: 16),
                let scalar = Unicode.Scalar(code)
            {
                out.unicodeScalars.append(scalar)
            } else if name.hasPrefix("#"), let code = UInt32(name.dropFirst()), let scalar = Unicode.Scalar(code) {
                out.unicodeScalars.append(scalar)
            } else {
                out += tail[...semi]
            }
            rest = rest[rest.index(after: semi)...]
        }
        out += rest
        return out
    }

    static func normalizeSpaces(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Whether `word` occurs in `text` not as part of a longer word ("Ann" is not found in "Annual").
    static func containsWord(_ word: String, in text: String) -> Bool {
        containsWord(Array(word.utf8), in: Array(text.utf8))
    }

    static func containsWord(_ word: [UInt8], in text: [UInt8]) -> Bool {
        guard let first = word.first, let final = word.last, word.count <= text.count else { return false }
        // A byte that continues a word: ASCII letters and digits, and every byte of a non-ASCII letter.
        func isWordByte(_ b: UInt8) -> Bool { b >= 0x80 || (b >= 48 && b <= 57) || ((b | 0x20) >= 97 && (b | 0x20) <= 122) }
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

    /// The digits of every run of characters a phone number is written with.
    static func phoneDigitRuns(_ text: String) -> [String] {
        text.split { !($0.isASCII && ($0.isNumber || " -.()+/".contains($0))) }
            .map { $0.filter(\.isNumber) }
            .filter { $0.count >= 8 }
    }
}
