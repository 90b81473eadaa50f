/// Turns Mustache source into a `Template`, one line at a time, so that standalone tags can take their
/// whole line with them.
struct TemplateParser {
    private let bytes: [UInt8]
    private var position = 0

    /// Where the parser stands while reading one level of the tree (a template, a section's content, …).
    private struct Level {
        /// The section this level closes with; nil at the top.
        var closing: String?
        /// Nothing but whitespace has been read on the current line so far.
        var atLineStart = true
        var open: [UInt8] = Array("{{".utf8)
        var close: [UInt8] = Array("}}".utf8)
        /// Inside `{{< parent}}…{{/parent}}`: only block definitions may appear.
        var inParentBody = false
        /// Directly inside a parent's body (not inside one of its blocks).
        var atParentTop = false
        /// Inside a block definition, the first line's indentation, which every line of it loses.
        var blockIndentation: [UInt8]?

        func entering(_ name: String, atLineStart: Bool) -> Level {
            var level = self
            level.closing = name
            level.atParentTop = false
            if !atLineStart { level.atLineStart = false }
            return level
        }
    }

    init(_ source: String) {
        bytes = Array(source.utf8)
    }

    static func parse(_ source: String) throws(TemplateError) -> Template {
        var parser = TemplateParser(source)
        return try parser.parseLevel(Level())
    }

    private mutating func parseLevel(_ start: Level) throws(TemplateError) -> Template {
        var level = start
        var nodes: [Template.Node] = []
        var indentation: [UInt8] = []
        func flushIndentation() {
            if !indentation.isEmpty {
                nodes.append(.text(indentation))
                indentation = []
            }
        }
        while position < bytes.count {
            if level.atLineStart {
                let whitespace = readBlanks()
                if level.inParentBody, !level.atParentTop {
                    if let blockIndentation = level.blockIndentation {
                        indentation = Array(whitespace.dropFirst(blockIndentation.count))
                    } else {
                        level.blockIndentation = whitespace
                    }
                } else {
                    indentation = whitespace
                }
            }
            let (text, foundTag) = readText(level)
            if !foundTag, position < bytes.count {
                // A line break ends the text.
                let breakLength = lineBreakLength(at: position)
                nodes.append(.text(indentation + text + bytes[position..<position + breakLength]))
                position += breakLength
                level.atLineStart = true
                continue
            }
            if !text.isEmpty {
                nodes.append(.text(indentation + text))
                indentation = []
                level.atLineStart = false
            }
            guard foundTag else { break }
            let tagStart = position - level.open.count
            var nextAtLineStart = false
            switch position < bytes.count ? bytes[position] : 0 {
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                let inverted = bytes[position] == UInt8(ascii: "^")
                position += 1
                let name = try readName(level)
                if takeRestOfLineIfStandalone(level) { nextAtLineStart = true } else { flushIndentation() }
                let content = try parseLevel(level.entering(name, atLineStart: nextAtLineStart))
                nodes.append(inverted ? .invertedSection(.init(name), content) : .section(.init(name), content))
            case UInt8(ascii: "/"):
                position += 1
                let nameStart = position
                let name = try readName(level)
                guard name == level.closing else {
                    position = nameStart
                    throw error(
                        level.closing.map { "'{{/\(name)}}' closes a section, but the open one is '\($0)'" }
                            ?? "'{{/\(name)}}' closes a section that was never opened")
                }
                if !takeRestOfLineIfStandalone(level) { flushIndentation() }
                return Template(nodes: nodes)
            case UInt8(ascii: "!"):
                position += 1
                try skipComment(level)
                nextAtLineStart = takeRestOfLineIfStandalone(level)
            case UInt8(ascii: "{"):
                flushIndentation()
                position += 1
                let name = try readName(level)
                guard position < bytes.count, bytes[position] == UInt8(ascii: "}") else {
                    throw error("'{{{' needs a closing '}}}'")
                }
                position += 1
                nodes.append(.value(.init(name), escaped: false))
            case UInt8(ascii: "&"):
                flushIndentation()
                position += 1
                nodes.append(.value(.init(try readName(level)), escaped: false))
            case UInt8(ascii: ">"):
                position += 1
                let name = try readName(level, partial: true)
                appendIndentation(indentation, to: &nodes)
                if takeRestOfLineIfStandalone(level) {
                    nextAtLineStart = true
                    nodes.append(.partial(name, indentation: indentation, overrides: nil))
                } else {
                    nodes.append(.partial(name, indentation: nil, overrides: nil))
                }
                indentation = []
            case UInt8(ascii: "<"):
                position += 1
                let name = try readName(level, partial: true)
                appendIndentation(indentation, to: &nodes)
                nextAtLineStart = takeRestOfLineIfStandalone(level)
                var body = level.entering(name, atLineStart: true)
                body.atLineStart = true
                body.inParentBody = true
                body.atParentTop = true
                let definitions = try parseLevel(body)
                var overrides: [String: Template] = [:]
                for node in definitions.nodes {
                    switch node {
                    case .block(let block, let content, _): overrides[block] = content
                    case .text: break
                    default:
                        position = tagStart
                        throw error("inside '{{<\(name)}}' only '{{$block}}' definitions may appear")
                    }
                }
                nodes.append(.partial(name, indentation: indentation, overrides: overrides))
                indentation = []
            case UInt8(ascii: "$"):
                position += 1
                let name = try readName(level)
                if level.atParentTop {
                    nextAtLineStart = takeRestOfLineIfStandalone(level)
                    let content = try parseLevel(level.entering(name, atLineStart: nextAtLineStart))
                    // In a parent's body, a block is a definition; the indentation is unused.
                    nodes.append(.block(name, defaultContent: content, indentation: []))
                } else {
                    appendIndentation(indentation, to: &nodes)
                    nextAtLineStart = takeRestOfLineIfStandalone(level)
                    let content = try parseLevel(level.entering(name, atLineStart: nextAtLineStart))
                    nodes.append(.block(name, defaultContent: content, indentation: indentation))
                    indentation = []
                }
            case UInt8(ascii: "="):
                position += 1
                try readDelimiters(&level)
                nextAtLineStart = takeRestOfLineIfStandalone(level)
            case UInt8(ascii: "%"):
                throw error("pragmas ('{{%…}}') are not supported")
            default:
                flushIndentation()
                nodes.append(.value(.init(try readName(level)), escaped: true))
            }
            level.atLineStart = nextAtLineStart
        }
        if let closing = level.closing {
            throw error("the section '\(closing)' is never closed")
        }
        return Template(nodes: nodes)
    }

    /// Writes the indentation before a partial, parent or block as text; the caller also keeps it, to
    /// indent the lines that tag writes.
    private func appendIndentation(_ indentation: [UInt8], to nodes: inout [Template.Node]) {
        if !indentation.isEmpty { nodes.append(.text(indentation)) }
    }

    // MARK: Reading

    private static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        isBlank(byte) || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    /// 1 for `\n`, 2 for `\r\n`, 0 when no line break starts here.
    private func lineBreakLength(at index: Int) -> Int {
        guard index < bytes.count else { return 0 }
        if bytes[index] == UInt8(ascii: "\n") { return 1 }
        if bytes[index] == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") {
            return 2
        }
        return 0
    }

    private mutating func readBlanks() -> [UInt8] {
        let start = position
        while position < bytes.count, Self.isBlank(bytes[position]) { position += 1 }
        return Array(bytes[start..<position])
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, Self.isWhitespace(bytes[position]) { position += 1 }
    }

    /// Text up to the next tag (its opening delimiter consumed: `foundTag`) or line break (not consumed).
    private mutating func readText(_ level: Level) -> (text: [UInt8], foundTag: Bool) {
        let start = position
        let first = level.open[0]
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\n") || lineBreakLength(at: position) == 2 {
                return (Array(bytes[start..<position]), false)
            }
            if byte == first, matches(level.open, at: position) {
                let text = Array(bytes[start..<position])
                position += level.open.count
                return (text, true)
            }
            position += 1
        }
        return (Array(bytes[start..<position]), false)
    }

    private func matches(_ delimiter: [UInt8], at index: Int) -> Bool {
        guard index + delimiter.count <= bytes.count else { return false }
        for offset in delimiter.indices where bytes[index + offset] != delimiter[offset] { return false }
        return true
    }

    /// After a tag on a line that had only whitespace before it: when the rest of the line is whitespace too,
    /// consumes it with its line break and returns true.
    private mutating func takeRestOfLineIfStandalone(_ level: Level) -> Bool {
        guard level.atLineStart else { return false }
        if position == bytes.count { return true }
        var index = position
        while index < bytes.count, Self.isBlank(bytes[index]) { index += 1 }
        let breakLength = lineBreakLength(at: index)
        guard breakLength > 0 else { return false }
        position = index + breakLength
        return true
    }

    private static func isNameByte(_ byte: UInt8, partial: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"),
            UInt8(ascii: "?"):
            return true
        case UInt8(ascii: "/"): return partial
        default: return false
        }
    }

    private mutating func readName(_ level: Level, partial: Bool = false) throws(TemplateError) -> String {
        skipWhitespace()
        let start = position
        while position < bytes.count, Self.isNameByte(bytes[position], partial: partial) { position += 1 }
        let name = String(decoding: bytes[start..<position], as: UTF8.self)
        skipWhitespace()
        guard matches(level.close, at: position) else {
            throw error(
                position < bytes.count && !Self.isWhitespace(bytes[position])
                    ? "unexpected character in a tag name (names use letters, digits and . - _ ?)"
                    : "a tag is not closed with '\(String(decoding: level.close, as: UTF8.self))'")
        }
        guard !name.isEmpty else { throw error("a tag has no name") }
        position += level.close.count
        return name
    }

    private mutating func skipComment(_ level: Level) throws(TemplateError) {
        while position < bytes.count {
            if matches(level.close, at: position) {
                position += level.close.count
                return
            }
            position += 1
        }
        throw error("a comment is not closed")
    }

    /// `{{=<% %>=}}`: two delimiters without whitespace or `=` in them.
    private mutating func readDelimiters(_ level: inout Level) throws(TemplateError) {
        func word() -> [UInt8] {
            let start = position
            while position < bytes.count, !Self.isWhitespace(bytes[position]), bytes[position] != UInt8(ascii: "=") {
                position += 1
            }
            return Array(bytes[start..<position])
        }
        skipWhitespace()
        let open = word()
        skipWhitespace()
        let close = word()
        skipWhitespace()
        guard !open.isEmpty, !close.isEmpty, position < bytes.count, bytes[position] == UInt8(ascii: "="),
            matches(level.close, at: position + 1)
        else { throw error("a delimiter change is written '{{=<open> <close>=}}'") }
        position += 1 + level.close.count
        level.open = open
        level.close = close
    }

    // MARK: Errors

    private func error(_ message: String) -> TemplateError {
        let end = min(position, bytes.count)
        var lineStart = end
        while lineStart > 0, bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        var lineEnd = end
        while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n"), bytes[lineEnd] != UInt8(ascii: "\r") {
            lineEnd += 1
        }
        let line = bytes[..<lineStart].count { $0 == UInt8(ascii: "\n") } + 1
        let column = String(decoding: bytes[lineStart..<end], as: UTF8.self).count + 1
        return TemplateError(
            message: message, line: line, column: column,
            lineText: String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self))
    }
}
