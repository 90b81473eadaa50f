import CCmark
import CSystem
import Foundation

/// A Markdown body parsed once by libcmark: its HTML (safe mode: raw HTML and `javascript:` links
/// dropped), its headings and its links, with file positions.
public struct MarkdownBody: Sendable, Hashable {
    public struct Heading: Sendable, Hashable {
        public var level: Int
        public var text: String
        /// The `id` given to the heading in the HTML, and the `#fragment` that links use.
        public var slug: String
        public var line: Int
    }

    public struct Link: Sendable, Hashable {
        /// The destination as written in the Markdown.
        public var destination: String
        public var line: Int
        public var column: Int
    }

    /// The rendered HTML as valid UTF-8: pages copy it as it is. Links to `*.md` files are rewritten to
    /// the `.html` pages they become, and headings carry `id` attributes. Empty when the body was parsed
    /// for its outline only.
    public var htmlBytes: [UInt8]
    public var headings: [Heading]
    public var links: [Link]
    /// The plain text of the body (for search and leak checks). Empty when the body was parsed for its
    /// outline only.
    public var plainText: String

    /// The rendered HTML as text.
    public var html: String { String(decoding: htmlBytes, as: UTF8.self) }

    public init(htmlBytes: [UInt8], headings: [Heading], links: [Link], plainText: String) {
        self.htmlBytes = htmlBytes
        self.headings = headings
        self.links = links
        self.plainText = plainText
    }

    public init(html: String, headings: [Heading], links: [Link], plainText: String) {
        self.init(htmlBytes: Array(html.utf8), headings: headings, links: links, plainText: plainText)
    }

    public static let empty = MarkdownBody(htmlBytes: [], headings: [], links: [], plainText: "")
}

public enum Markdown {
    /// What a parse keeps of a body.
    public enum Detail: Sendable {
        /// Headings, links, HTML and plain text: what the sites are rendered from.
        case full
        /// Headings and links only: what the checks read. Skips rendering the HTML and gathering the text.
        case outline
    }

    /// libcmark's allocator table pointed at the per-thread arena (`continuity_arena_calloc`…): a parse
    /// makes hundreds of small nodes and growing buffers, all given back together once it is read.
    nonisolated(unsafe) static let arenaMemory: UnsafeMutablePointer<cmark_mem> = {
        let memory = UnsafeMutablePointer<cmark_mem>.allocate(capacity: 1)
        memory.initialize(
            to: cmark_mem(
                calloc: continuity_arena_calloc, realloc: continuity_arena_realloc, free: continuity_arena_free))
        return memory
    }()

    /// Parses `source`, whose first line is line `firstLine` of its file.
    public static func parse(_ source: String, firstLine: Int = 1, detail: Detail = .full) -> MarkdownBody {
        let full = detail == .full
        let options = CMARK_OPT_VALIDATE_UTF8
        var source = source
        // The tree, the parser's buffers and the rendered HTML live in this thread's arena until the
        // parse returns; everything kept is copied out first. Nothing is freed one by one (the arena's
        // `free` does nothing), so neither the parser nor the tree is walked again to free it.
        let mark = continuity_arena_mark_now()
        defer { continuity_arena_release(mark) }
        guard let parser = cmark_parser_new_with_mem(options, arenaMemory) else { return .empty }
        source.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_parser_feed(parser, chars.baseAddress, chars.count)
            }
        }
        guard let document = cmark_parser_finish(parser) else { return .empty }

        var headings: [MarkdownBody.Heading] = []
        var links: [MarkdownBody.Link] = []
        // The plain text's UTF-8, made a String once at the end.
        var plain: [UInt8] = []
        if full { plain.reserveCapacity(source.utf8.count) }
        var slugs = SlugSet()
        let lineOffset = firstLine - 1

        guard let iterator = cmark_iter_new(document) else { return .empty }
        defer { cmark_iter_free(iterator) }
        var lastBlockLine = 1
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            let line = Int(cmark_node_get_start_line(node))
            if line > 0, type.rawValue <= CMARK_NODE_LAST_BLOCK.rawValue { lastBlockLine = line }
            guard event == CMARK_EVENT_ENTER else {
                if full, type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING || type == CMARK_NODE_ITEM {
                    plain.append(10)
                }
                continue
            }
            switch type {
            case CMARK_NODE_HEADING:
                let text = inlineText(node)
                headings.append(
                    MarkdownBody.Heading(
                        level: Int(cmark_node_get_heading_level(node)), text: text,
                        slug: slugs.unique(slug(text)), line: line + lineOffset))
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                let column = Int(cmark_node_get_start_column(node))
                links.append(
                    MarkdownBody.Link(
                        destination: url, line: (line > 0 ? line : lastBlockLine) + lineOffset,
                        column: max(column, 1)))
                if full, let rewritten = pageURL(for: url) {
                    _ = cmark_node_set_url(node, rewritten)
                }
            case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK:
                if full, let literal = cmark_node_get_literal(node) { appendCString(literal, to: &plain) }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                if full { plain.append(32) }
            default:
                break
            }
        }
        guard full else { return MarkdownBody(htmlBytes: [], headings: headings, links: links, plainText: "") }
        guard let rendered = cmark_render_html(document, CMARK_OPT_DEFAULT) else { return .empty }
        let html = UnsafeBufferPointer(start: rendered, count: strlen(rendered)).withMemoryRebound(to: UInt8.self) {
            addHeadingIDs($0, headings)
        }
        let plainText = plain.withUnsafeBufferPointer { UTF8Text.string($0, repairing: true) ?? "" }
        return MarkdownBody(htmlBytes: html, headings: headings, links: links, plainText: plainText)
    }

    /// Appends the bytes of a C string.
    static func appendCString(_ text: UnsafePointer<CChar>, to bytes: inout [UInt8]) {
        text.withMemoryRebound(to: UInt8.self, capacity: 1) { start in
            bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: strlen(text)))
        }
    }

    /// The text of a node's inline children.
    static func inlineText(_ node: OpaquePointer) -> String {
        var text = ""
        var child = cmark_node_first_child(node)
        while let current = child {
            let type = cmark_node_get_type(current)
            if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE {
                if let literal = cmark_node_get_literal(current) { text += String(cString: literal) }
            } else if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK {
                text += " "
            } else {
                text += inlineText(current)
            }
            child = cmark_node_next(current)
        }
        return text
    }

    /// `other.md#x` → `other.html#x` for relative links to Markdown documents, whose pages mirror the
    /// content folder's layout. Other destinations stay as they are.
    public static func pageURL(for destination: String) -> String? {
        guard let target = MarkdownLinkTarget(destination) else { return nil }
        return target.pathWithoutExtension + ".html" + (target.fragment.map { "#" + $0 } ?? "")
    }

    /// Inserts `id="slug"` into the opening tag of each heading, in document order. cmark escapes `<`
    /// in text and drops raw HTML in safe mode, so `<h1>`…`<h6>` in its output are headings.
    /// It works over the UTF-8 of the HTML (cmark's output buffer).
    static func addHeadingIDs(_ bytes: UnsafeBufferPointer<UInt8>, _ headings: [MarkdownBody.Heading]) -> [UInt8] {
        do {
            guard !headings.isEmpty else { return UTF8Text.repaired(Array(bytes)) }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + headings.count * 32)
            var next = 0
            var copied = 0
            var i = 0
            // Each `<` in turn (the C library's `memchr`), until every heading has its id.
            while next < headings.count, i + 3 < bytes.count,
                let found = memchr(bytes.baseAddress! + i, 60, bytes.count - i)
            {
                i = bytes.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                let digit = UInt8(truncatingIfNeeded: 48 + headings[next].level)
                if i + 3 < bytes.count, bytes[i + 1] == 104, bytes[i + 2] == digit, bytes[i + 3] == 62 {  // "h" digit ">"
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<i]))
                    out.append(contentsOf: [60, 104, digit, 32, 105, 100, 61, 34])  // <hN id="
                    out.append(contentsOf: headings[next].slug.utf8)
                    out.append(contentsOf: [34, 62])  // ">
                    next += 1
                    i += 4
                    copied = i
                } else {
                    i += 1
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
            return UTF8Text.repaired(out)
        }
    }

    /// The fragment a heading gets: lower case, letters, digits, `-` and `_` kept, spaces to `-`.
    public static func slug(_ text: String) -> String {
        asciiSlug(text) ?? scalarSlug(text)
    }

    /// `slug`, scalar by scalar.
    static func scalarSlug(_ text: String) -> String {
        var out = ""
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_" {
                out.unicodeScalars.append(scalar)
            } else if scalar == " " {
                out += "-"
            }
        }
        return out.isEmpty ? "section" : out
    }

    /// `slug` for ASCII text, byte by byte (ASCII letters are the only ASCII alphabetic scalars); nil
    /// for other text.
    static func asciiSlug(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            var ascii = true
            // Written straight into the new string's storage: the slug is never longer than the text.
            let slug = String(unsafeUninitializedCapacity: bytes.count) { out in
                var count = 0
                for byte in bytes {
                    guard byte < 0x80 else {
                        ascii = false
                        return 0
                    }
                    let lower = byte >= 65 && byte <= 90 ? byte + 32 : byte
                    if (lower >= 97 && lower <= 122) || (lower >= 48 && lower <= 57) || lower == 45 || lower == 95 {
                        out[count] = lower
                        count += 1
                    } else if lower == 32 {
                        out[count] = 45
                        count += 1
                    }
                }
                return count
            }
            guard ascii else { return nil }
            return slug.isEmpty ? "section" : slug
        }
    }

    /// The slugs given so far in a document, and how often each was asked for. Most documents have a
    /// few headings, looked up in order (quicker than hashing them); past 32, in a dictionary.
    struct SlugSet {
        var few: [(slug: String, count: Int)] = []
        var many: [String: Int]?

        mutating func unique(_ slug: String) -> String {
            let count: Int?
            if many == nil, few.count >= 32 {
                many = Dictionary(uniqueKeysWithValues: few.map { ($0.slug, $0.count) })
                few = []
            }
            if many != nil {
                count = many![slug]
                many![slug] = (count ?? 0) + 1
            } else if let index = few.firstIndex(where: { $0.slug == slug }) {
                count = few[index].count
                few[index].count += 1
            } else {
                count = nil
                few.append((slug, 1))
            }
            return count.map { "\(slug)-\($0)" } ?? slug
        }
    }
}

/// A relative link to a Markdown document in the content folder: `runbook.md`, `../pages/x.md#s`.
public struct MarkdownLinkTarget: Sendable, Hashable {
    /// The path as written, without `.md` and fragment.
    public var pathWithoutExtension: String
    public var fragment: String?

    public init?(_ destination: String) {
        guard case .target(let path, let fragment) = Self.parseASCII(destination) ?? Self.parseCharacters(destination)
        else { return nil }
        pathWithoutExtension = path
        self.fragment = fragment
    }

    enum Parse: Equatable {
        /// The path without `.md`, and the fragment.
        case target(String, String?)
        case notATarget
    }

    static func parseCharacters(_ destination: String) -> Parse {
        let parts = destination.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(parts[0])
        // A colon would make it a URL with a scheme (`https:`, `mailto:`), not a file in the plan.
        guard path.hasSuffix(".md"), !path.hasPrefix("/"), !path.contains(":") else { return .notATarget }
        return .target(String(path.dropLast(3)), parts.count > 1 ? String(parts[1]) : nil)
    }

    /// `parseCharacters` over the bytes of ASCII text without CR (where each byte is a character); nil
    /// for other text.
    static func parseASCII(_ destination: String) -> Parse? {
        var destination = destination
        return destination.withUTF8 { bytes -> Parse? in
            var hash: Int?  // the first "#"
            for (i, byte) in bytes.enumerated() {
                guard byte < 0x80, byte != 13 else { return nil }
                if hash == nil, byte == 35 { hash = i }
            }
            let end = hash ?? bytes.count
            let path = UnsafeBufferPointer(rebasing: bytes[..<end])
            guard end >= 3, path[end - 3] == 46, path[end - 2] == 109, path[end - 1] == 100,  // ".md"
                path[0] != 47, !path.contains(58)  // "/", ":"
            else { return .notATarget }
            let fragment = hash.map { String(decoding: UnsafeBufferPointer(rebasing: bytes[($0 + 1)...]), as: UTF8.self) }
            return .target(String(decoding: UnsafeBufferPointer(rebasing: path[..<(end - 3)]), as: UTF8.self), fragment)
        }
    }

    /// The content-relative path the link points at, resolved against the linking file's folder, or
    /// nil when it climbs out of the content folder.
    public func resolved(from sourcePath: String) -> String? {
        Self.resolvedASCII(pathWithoutExtension, from: sourcePath) ?? resolvedCharacters(from: sourcePath)
    }

    /// `resolved(from:)`, character by character.
    func resolvedCharacters(from sourcePath: String) -> String? {
        var components = sourcePath.split(separator: "/").dropLast().map(String.init)
        for part in (pathWithoutExtension + ".md").split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                guard !components.isEmpty else { return nil }
                components.removeLast()
            default: components.append(String(part))
            }
        }
        return components.joined(separator: "/")
    }

    /// `resolved(from:)` over the bytes of ASCII paths, where each byte is a character; nil when either
    /// path is not ASCII or the link climbs out of the content folder (the character path decides then).
    static func resolvedASCII(_ pathWithoutExtension: String, from sourcePath: String) -> String? {
        var source = sourcePath
        var target = pathWithoutExtension
        return source.withUTF8 { source in
            target.withUTF8 { target -> String? in
                guard !source.contains(where: { $0 >= 0x80 }), !target.contains(where: { $0 >= 0x80 }) else { return nil }
                var path = PathComponents(capacity: source.count + target.count + 4)
                // The source's folders: its components but the last, empty ones dropped as `split` drops them.
                var previous: Range<Int>?
                var start = 0
                for index in 0...source.count where index == source.count || source[index] == 47 {
                    if index > start {
                        if let folder = previous { path.push(source[folder]) }
                        previous = start..<index
                    }
                    start = index + 1
                }
                // The target's components, `.md` added to the last.
                start = 0
                for index in 0...target.count where index == target.count || target[index] == 47 {
                    let part = target[start..<index]
                    start = index + 1
                    if index == target.count {
                        path.push(part, suffix: [46, 109, 100])  // ".md"
                    } else if part.isEmpty || part.elementsEqual([46]) {
                        continue
                    } else if part.elementsEqual([46, 46]) {
                        guard path.pop() else { return nil }
                    } else {
                        path.push(part)
                    }
                }
                return String(decoding: path.bytes, as: UTF8.self)
            }
        }
    }
}
