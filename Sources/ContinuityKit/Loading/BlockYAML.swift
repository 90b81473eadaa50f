/// A reader for the plain block YAML that front matter and registries are nearly always written in:
/// block mappings and sequences, one-line scalars (plain, single- or double-quoted without escapes)
/// and one-line flow lists of scalars, with comments and blank lines anywhere.
///
/// It gives the same `YAMLNode` tree, with the same positions, as composing the text with Yams and
/// converting it (`YAMLReader.convert`), in a fraction of the time: composing was most of the cost of
/// loading a plan. Anything else — block scalars (`|`, `>`), flow mappings, multi-line scalars,
/// escapes, tags, anchors, document markers, duplicate keys, tabs, control or line-separator
/// characters, nesting deeper than `maxDepth`, any syntax error — makes it decline (return nil),
/// and Yams reads the text as before, with its own diagnostics. Declining is always safe; accepting
/// must never differ from Yams (`BlockYAMLTests` compares the two on every document it accepts).
enum BlockYAML {
    /// Deeper nesting is left to Yams, so that hostile input cannot exhaust a thread's stack here.
    static let maxDepth = 64
    /// libyaml's limit on the length of a key written without `?`.
    static let maxKeyBytes = 1024

    /// The document's tree, or nil when the text uses anything this reader leaves to Yams.
    static func read(_ yaml: String, path: String, lineOffset: Int) -> YAMLNode? {
        var yaml = yaml
        return yaml.withUTF8 { bytes -> YAMLNode? in
            guard let lines = contentLines(bytes) else { return nil }
            let parser = Parser(bytes: bytes, lines: lines, path: path, lineOffset: lineOffset)
            return parser.document()
        }
    }

    /// A line with something other than spaces and a comment on it.
    struct Line {
        /// Byte offsets of the line's first byte and of its end (its line feed, or the end of text).
        var start: Int
        var end: Int
        /// Leading spaces.
        var indent: Int
        /// 1-based line number in the text.
        var number: Int
        var contentStart: Int { start + indent }
    }

    /// The content lines, or nil when a byte or a line is outside what `Parser` reads: control
    /// characters other than line feed (tabs and carriage returns included), DEL, C1 controls and
    /// NEL, the Unicode line and paragraph separators, byte order marks and noncharacters U+FFFE/F
    /// (libyaml treats these as breaks or refuses them), and document markers or directives.
    static func contentLines(_ bytes: UnsafeBufferPointer<UInt8>) -> [Line]? {
        var lines: [Line] = []
        var start = 0
        var number = 1
        let count = bytes.count
        while start <= count {
            var end = start
            while end < count {
                let b = bytes[end]
                if b == 10 { break }
                if b < 0x20 || b == 0x7F { return nil }
                if b == 0xC2, end + 1 < count, bytes[end + 1] < 0xA0 { return nil }
                if b == 0xE2, end + 2 < count, bytes[end + 1] == 0x80, bytes[end + 2] == 0xA8 || bytes[end + 2] == 0xA9 {
                    return nil
                }
                if b == 0xEF, end + 2 < count,
                    (bytes[end + 1] == 0xBB && bytes[end + 2] == 0xBF)
                        || (bytes[end + 1] == 0xBF && (bytes[end + 2] == 0xBE || bytes[end + 2] == 0xBF))
                {
                    return nil
                }
                end += 1
            }
            var indent = 0
            while start + indent < end, bytes[start + indent] == 32 { indent += 1 }
            let first = start + indent
            if first < end, bytes[first] != 35 {  // not blank, not a comment
                if indent == 0 {
                    if bytes[first] == 37 { return nil }  // % directive
                    if end - first >= 3, bytes[first] == bytes[first + 1], bytes[first] == bytes[first + 2],
                        bytes[first] == 45 || bytes[first] == 46
                    {  // --- or ...
                        return nil
                    }
                }
                lines.append(Line(start: start, end: end, indent: indent, number: number))
            }
            start = end + 1
            number += 1
        }
        return lines
    }

    struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        let lines: [Line]
        let path: String
        let lineOffset: Int

        func document() -> YAMLNode? {
            guard let first = lines.first,
                let (node, next) = blockNode(line: 0, at: first.contentStart, depth: 0),
                next == lines.count
            else { return nil }
            return node
        }

        // MARK: Block collections

        /// The mapping or sequence that starts at `position` on content line `index`, and the index of
        /// the first content line after it. A scalar alone on its line is declined.
        func blockNode(line index: Int, at position: Int, depth: Int) -> (YAMLNode, Int)? {
            guard depth < BlockYAML.maxDepth else { return nil }
            if isEntry(line: index, at: position) {
                return sequence(line: index, at: position, depth: depth)
            }
            return mapping(line: index, at: position, depth: depth)
        }

        /// Whether `position` holds a block sequence entry: `-` then a space or the end of the line.
        func isEntry(line index: Int, at position: Int) -> Bool {
            let end = lines[index].end
            return bytes[position] == 45 && (position + 1 == end || bytes[position + 1] == 32)
        }

        /// A block mapping whose first key starts at `position`; later keys start at the same column.
        func mapping(line first: Int, at position: Int, depth: Int) -> (YAMLNode, Int)? {
            let indent = position - lines[first].start
            var pairs: [YAMLNode.Pair] = []
            var keys = KeySet()
            var index = first
            var keyStart = position
            while true {
                guard let (key, colon) = self.key(line: index, at: keyStart) else { return nil }
                guard let text = key.scalarText, keys.insert(text) else { return nil }
                let afterColon = colon + 1
                let rest = skipSpaces(afterColon, line: index)
                let value: YAMLNode
                var next: Int
                if rest == lines[index].end || bytes[rest] == 35 {
                    // The value is on the following lines, or empty.
                    next = index + 1
                    if next < lines.count, lines[next].indent > indent {
                        guard let (nested, after) = blockNode(line: next, at: lines[next].contentStart, depth: depth + 1)
                        else { return nil }
                        (value, next) = (nested, after)
                    } else if next < lines.count, lines[next].indent == indent, isEntry(line: next, at: lines[next].contentStart) {
                        // A sequence may sit at its key's indentation.
                        guard let (nested, after) = sequence(line: next, at: lines[next].contentStart, depth: depth + 1)
                        else { return nil }
                        (value, next) = (nested, after)
                    } else {
                        value = YAMLNode(.scalar("", .null), at: location(line: index, at: afterColon))
                    }
                } else {
                    guard let inline = inlineValue(line: index, at: rest) else { return nil }
                    value = inline
                    next = index + 1
                }
                pairs.append(YAMLNode.Pair(key: key, value: value))
                index = next
                // A deeper line would continue a scalar, or be an error: Yams decides.
                guard index < lines.count, lines[index].indent >= indent else { break }
                guard lines[index].indent == indent else { return nil }
                keyStart = lines[index].contentStart
                if isEntry(line: index, at: keyStart) { return nil }
            }
            return (YAMLNode(.mapping(pairs), at: location(line: first, at: position)), index)
        }

        /// A block sequence whose first `-` is at `position`.
        func sequence(line first: Int, at position: Int, depth: Int) -> (YAMLNode, Int)? {
            let indent = position - lines[first].start
            var items: [YAMLNode] = []
            var index = first
            var dash = position
            while true {
                let afterDash = dash + 1
                let rest = skipSpaces(afterDash, line: index)
                let item: YAMLNode
                var next: Int
                if rest == lines[index].end || bytes[rest] == 35 {
                    next = index + 1
                    if next < lines.count, lines[next].indent > indent {
                        guard let (nested, after) = blockNode(line: next, at: lines[next].contentStart, depth: depth + 1)
                        else { return nil }
                        (item, next) = (nested, after)
                    } else {
                        item = YAMLNode(.scalar("", .null), at: location(line: index, at: afterDash))
                    }
                } else if isEntry(line: index, at: rest) {
                    return nil  // "- - a": left to Yams
                } else if let (_, _) = key(line: index, at: rest) {
                    // "- key: value": a mapping whose keys line up with this first one.
                    guard let (nested, after) = mapping(line: index, at: rest, depth: depth + 1) else { return nil }
                    (item, next) = (nested, after)
                } else {
                    guard let inline = inlineValue(line: index, at: rest) else { return nil }
                    item = inline
                    next = index + 1
                }
                items.append(item)
                index = next
                guard index < lines.count, lines[index].indent >= indent else { break }
                guard lines[index].indent == indent else { return nil }
                dash = lines[index].contentStart
                // Only the key of a mapping this sequence is the value of may follow at this indentation;
                // anywhere else, the line is declined by the sequence's parent.
                if !isEntry(line: index, at: dash) { break }
            }
            return (YAMLNode(.sequence(items), at: location(line: first, at: position)), index)
        }

        // MARK: Keys and one-line values

        /// The key at `position` and the offset of its `:`, when the line holds `key:` followed by a
        /// space or the end of the line.
        func key(line index: Int, at position: Int) -> (YAMLNode, Int)? {
            let end = lines[index].end
            var after: Int
            let key: YAMLNode
            if bytes[position] == 34 || bytes[position] == 39 {
                guard let (node, close) = quoted(line: index, at: position) else { return nil }
                key = node
                after = close
            } else {
                guard startsPlain(position, end: end) else { return nil }
                var cursor = position
                while true {
                    guard cursor < end else { return nil }
                    let b = bytes[cursor]
                    if b == 58, cursor + 1 == end || bytes[cursor + 1] == 32 { break }  // ": " or ":" at the end
                    if b == 35, bytes[cursor - 1] == 32 { return nil }  // a comment: no key on this line
                    cursor += 1
                }
                // "key :" (spaces before the colon) is left to Yams.
                guard bytes[cursor - 1] != 32 else { return nil }
                key = plain(line: index, from: position, to: cursor)
                after = cursor
            }
            guard after < end, bytes[after] == 58, after + 1 == end || bytes[after + 1] == 32,
                after - position <= BlockYAML.maxKeyBytes
            else { return nil }
            return (key, after)
        }

        /// A scalar or flow list that runs to the end of the line (or to a comment).
        func inlineValue(line index: Int, at position: Int) -> YAMLNode? {
            let end = lines[index].end
            let node: YAMLNode
            let after: Int
            switch bytes[position] {
            case 91:  // [
                guard let (list, close) = flowSequence(line: index, at: position) else { return nil }
                (node, after) = (list, close)
            case 34, 39:  // " '
                guard let (scalar, close) = quoted(line: index, at: position) else { return nil }
                (node, after) = (scalar, close)
            default:
                guard startsPlain(position, end: end) else { return nil }
                var cursor = position
                var last = position  // one past the last non-space byte
                while cursor < end {
                    let b = bytes[cursor]
                    if b == 58, cursor + 1 == end || bytes[cursor + 1] == 32 { return nil }  // "a: b: c"
                    if b == 35, bytes[cursor - 1] == 32 { break }
                    cursor += 1
                    if b != 32 { last = cursor }
                }
                return plain(line: index, from: position, to: last)
            }
            let rest = skipSpaces(after, line: index)
            guard rest == end || (bytes[rest] == 35 && rest > after) else { return nil }
            return node
        }

        /// `[a, "b", 'c']` closed on the same line, holding scalars only; the offset after `]`.
        func flowSequence(line index: Int, at open: Int) -> (YAMLNode, Int)? {
            let end = lines[index].end
            var items: [YAMLNode] = []
            var cursor = skipSpaces(open + 1, line: index)
            if cursor < end, bytes[cursor] == 93 {
                return (YAMLNode(.sequence([]), at: location(line: index, at: open)), cursor + 1)
            }
            while true {
                guard cursor < end else { return nil }
                let after: Int
                if bytes[cursor] == 34 || bytes[cursor] == 39 {
                    guard let (scalar, close) = quoted(line: index, at: cursor) else { return nil }
                    items.append(scalar)
                    after = close
                } else {
                    guard startsPlain(cursor, end: end) else { return nil }
                    let start = cursor
                    var last = cursor
                    scan: while cursor < end {
                        switch bytes[cursor] {
                        case 44, 93: break scan  // , ]
                        case 91, 123, 125, 58, 35, 63: return nil  // [ { } : # ?
                        case 32: cursor += 1
                        default:
                            cursor += 1
                            last = cursor
                        }
                    }
                    items.append(plain(line: index, from: start, to: last))
                    after = cursor
                }
                cursor = skipSpaces(after, line: index)
                guard cursor < end else { return nil }
                if bytes[cursor] == 93 { return (YAMLNode(.sequence(items), at: location(line: index, at: open)), cursor + 1) }
                guard bytes[cursor] == 44 else { return nil }
                cursor = skipSpaces(cursor + 1, line: index)
                // "[a, ]" and "[a,,b]" are left to Yams.
                guard cursor < end, bytes[cursor] != 93, bytes[cursor] != 44 else { return nil }
            }
        }

        /// A quoted scalar closed on its line, with no escapes; the offset after the closing quote.
        func quoted(line index: Int, at open: Int) -> (YAMLNode, Int)? {
            let end = lines[index].end
            let quote = bytes[open]
            var cursor = open + 1
            var text: [UInt8] = []
            var doubled = false
            while true {
                guard cursor < end else { return nil }
                let b = bytes[cursor]
                if b == quote {
                    // In single quotes, '' is one quote.
                    if quote == 39, cursor + 1 < end, bytes[cursor + 1] == 39 {
                        if !doubled {
                            text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(open + 1)..<cursor]))
                            doubled = true
                        }
                        text.append(39)
                        cursor += 2
                        continue
                    }
                    break
                }
                if b == 92, quote == 34 { return nil }  // escapes are left to Yams
                if doubled { text.append(b) }
                cursor += 1
            }
            let string = doubled
                ? String(decoding: text, as: UTF8.self)
                : String(decoding: UnsafeBufferPointer(rebasing: bytes[(open + 1)..<cursor]), as: UTF8.self)
            return (YAMLNode(.scalar(string, .string), at: location(line: index, at: open)), cursor + 1)
        }

        /// Whether a plain scalar may start at `position`: not with an indicator, and `-` only before
        /// something other than a space.
        func startsPlain(_ position: Int, end: Int) -> Bool {
            switch bytes[position] {
            case 45:  // -
                return position + 1 < end && bytes[position + 1] != 32
            case 44, 91, 93, 123, 125, 35, 38, 42, 33, 124, 62, 39, 34, 37, 64, 96, 63, 58, 60, 61, 32:
                // , [ ] { } # & * ! | > ' " % @ ` ? : < = and space
                return false
            default:
                return true
            }
        }

        func plain(line index: Int, from start: Int, to end: Int) -> YAMLNode {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            return YAMLNode(.scalar(text, ScalarTypes.classify(text)), at: location(line: index, at: start))
        }

        func skipSpaces(_ position: Int, line index: Int) -> Int {
            var position = position
            while position < lines[index].end, bytes[position] == 32 { position += 1 }
            return position
        }

        /// Yams' position of a byte: its line, and its column counted in Unicode scalars, both 1-based.
        func location(line index: Int, at position: Int) -> SourceLocation {
            let line = lines[index]
            var column = 1
            var cursor = line.start
            while cursor < position {
                if bytes[cursor] & 0xC0 != 0x80 { column += 1 }
                cursor += 1
            }
            return SourceLocation(path: path, line: line.number + lineOffset, column: column)
        }
    }
}

/// The keys of one mapping, for finding a repeated one: most mappings have a few keys, compared by a hash
/// of their bytes (FNV-1a) in a short list rather than hashed into a set that grows as they come. Keys are equal as
/// strings are (canonically equivalent spellings are one key, and "K" is the Kelvin sign): a key with a
/// byte outside ASCII is compared with every other.
struct KeySet {
    private var hashes: [UInt64] = []
    private var keys: [String] = []
    /// The hash of keys that are compared with every other.
    private static let any = UInt64.max

    /// True when `key` was not in the set (and now is).
    mutating func insert(_ key: String) -> Bool {
        var key = key
        let hash = key.withUTF8 { bytes in
            var hash = FastHash.fnvOffset
            for byte in bytes {
                if byte >= 0x80 { return Self.any }
                hash = FastHash.fnvStep(hash, byte)
            }
            return hash
        }
        for (k, other) in hashes.enumerated() where other == hash || other == Self.any || hash == Self.any {
            if keys[k] == key { return false }
        }
        hashes.append(hash)
        keys.append(key)
        return true
    }
}
