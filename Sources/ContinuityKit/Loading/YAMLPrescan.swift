import Foundation

/// A light scan of YAML text for the constructs content may not use: anchors (`&name`), aliases
/// (`*name`) and tabs in indentation. It follows quoting, comments, flow collections and block
/// scalars well enough to tell `R&D` (text) from `&ref` (an anchor) without composing the document.
enum YAMLPrescan {
    enum Kind: Equatable { case anchor, alias, tab }

    struct Problem: Equatable {
        var kind: Kind
        var line: Int
        var column: Int
    }

    /// The scan, over the UTF-8 bytes: a line of ASCII is scanned byte by byte (each byte is one
    /// character there), any other line as characters. Text with a CR LF pair, which is one character
    /// and so does not end a line, takes `scanCharacters`.
    static func scan(_ yaml: String) -> Problem? {
        var yaml = yaml
        // Every problem is at a `&`, a `*` or a tab: text with none of them, most front matter, has none.
        let suspect = yaml.withUTF8 { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return memchr(base, 38, buffer.count) != nil || memchr(base, 42, buffer.count) != nil
                || memchr(base, 9, buffer.count) != nil  // & * tab
        }
        guard suspect else { return nil }
        let crlf = yaml.withUTF8 { buffer in
            buffer.indices.dropFirst().contains { buffer[$0] == 10 && buffer[$0 - 1] == 13 }
        }
        if crlf { return scanCharacters(yaml) }
        return yaml.withUTF8 { buffer -> Problem? in
            var state = State()
            var lineNumber = 0
            var start = 0
            while true {
                var end = start
                var ascii = true
                while end < buffer.count, buffer[end] != 10 {
                    if buffer[end] >= 0x80 { ascii = false }
                    end += 1
                }
                lineNumber += 1
                let line = UnsafeBufferPointer(rebasing: buffer[start..<end])
                let problem: Problem?
                if ascii {
                    problem = scanLine(line, lineNumber: lineNumber, &state)
                } else {
                    problem = scanLine(
                        String(decoding: line, as: UTF8.self).map(code), lineNumber: lineNumber, &state)
                }
                if let problem { return problem }
                if end == buffer.count { return nil }
                start = end + 1
            }
        }
    }

    /// A character as the scan compares it: its ASCII code, or a code above 0xFFFF that says only
    /// whether it counts as a number.
    static func code(_ c: Character) -> UInt32 {
        if c.isASCII, let scalar = c.unicodeScalars.first, c.unicodeScalars.count == 1 { return scalar.value }
        return c.isNumber ? numberCode : otherCode
    }

    static let numberCode: UInt32 = 0x1_0001
    static let otherCode: UInt32 = 0x1_0000

    /// What carries from one line to the next.
    struct State {
        var quote: UInt32?
        var flowDepth = 0
        var blockScalarParent: Int?
    }

    /// One line, as `scanCharacters` reads it; `chars` holds one element per character.
    static func scanLine<C: RandomAccessCollection>(_ chars: C, lineNumber: Int, _ state: inout State) -> Problem?
    where C.Element: FixedWidthInteger, C.Index == Int {
        func isNumber(_ c: C.Element) -> Bool { (c >= 48 && c <= 57) || UInt32(truncatingIfNeeded: c) == numberCode }
        let count = chars.count
        var indent = 0
        while indent < count, chars[indent] == 32 { indent += 1 }
        let isBlank = chars.allSatisfy { $0 == 32 || $0 == 9 }
        if let parent = state.blockScalarParent {
            if isBlank || indent > parent { return nil }
            state.blockScalarParent = nil
        }
        if state.quote == nil, state.flowDepth == 0, !isBlank, indent < count, chars[indent] == 9 {
            return Problem(kind: .tab, line: lineNumber, column: indent + 1)
        }
        var atNodeStart = state.quote == nil
        var nodeColumn = indent
        var i = 0
        func next(_ k: Int) -> C.Element? { k < count ? chars[k] : nil }
        func isBreakOrSpace(_ c: C.Element?) -> Bool { c == nil || c == 32 || c == 9 }
        scanning: while i < count {
            let c = chars[i]
            if let q = state.quote {
                if q == 34 {
                    if c == 92 { i += 2; continue }  // backslash
                    if c == 34 { state.quote = nil }
                } else if c == 39 {
                    if next(i + 1) == 39 { i += 2; continue }
                    state.quote = nil
                }
                i += 1
                continue
            }
            if c == 32 || c == 9 { i += 1; continue }
            if c == 35, i == 0 || chars[i - 1] == 32 || chars[i - 1] == 9 { break }  // #
            if atNodeStart {
                switch c {
                case 38: return Problem(kind: .anchor, line: lineNumber, column: i + 1)  // &
                case 42: return Problem(kind: .alias, line: lineNumber, column: i + 1)  // *
                case 33:  // !
                    while i < count, chars[i] != 32 { i += 1 }
                    continue scanning
                case 34, 39:  // " '
                    state.quote = UInt32(truncatingIfNeeded: c)
                    nodeColumn = i
                    atNodeStart = false
                    i += 1
                    continue scanning
                case 124 where state.flowDepth == 0, 62 where state.flowDepth == 0:  // | >
                    let rest = chars[(i + 1)...].prefix { $0 != 35 }
                    if rest.allSatisfy({ isNumber($0) || $0 == 43 || $0 == 45 || $0 == 32 || $0 == 9 }) {
                        state.blockScalarParent = nodeColumn
                        break scanning
                    }
                case 45 where isBreakOrSpace(next(i + 1)), 63 where isBreakOrSpace(next(i + 1)),
                    58 where isBreakOrSpace(next(i + 1)):  // - ? :
                    nodeColumn = i
                    i += 1
                    continue scanning
                case 91, 123:  // [ {
                    state.flowDepth += 1
                    i += 1
                    continue scanning
                case 93, 125:  // ] }
                    state.flowDepth = max(0, state.flowDepth - 1)
                    atNodeStart = false
                    i += 1
                    continue scanning
                default:
                    break
                }
                atNodeStart = false
                nodeColumn = i
            }
            switch c {
            case 58 where isBreakOrSpace(next(i + 1))
                || (state.flowDepth > 0 && (next(i + 1) == 44 || next(i + 1) == 93 || next(i + 1) == 125)):  // :
                atNodeStart = true
            case 44 where state.flowDepth > 0:  // ,
                atNodeStart = true
            case 91 where state.flowDepth > 0, 123 where state.flowDepth > 0:
                state.flowDepth += 1
                atNodeStart = true
            case 93 where state.flowDepth > 0, 125 where state.flowDepth > 0:
                state.flowDepth -= 1
            default:
                break
            }
            i += 1
        }
        return nil
    }

    /// The scan over characters, for text with CR LF pairs.
    static func scanCharacters(_ yaml: String) -> Problem? {
        var quote: Character?
        var flowDepth = 0
        var blockScalarParent: Int?
        var lineNumber = 0
        for rawLine in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let chars = Array(rawLine)
            let indent = chars.prefix { $0 == " " }.count
            let isBlank = chars.allSatisfy { $0 == " " || $0 == "\t" }
            if let parent = blockScalarParent {
                if isBlank || indent > parent { continue }
                blockScalarParent = nil
            }
            if quote == nil, flowDepth == 0, !isBlank, indent < chars.count, chars[indent] == "\t" {
                return Problem(kind: .tab, line: lineNumber, column: indent + 1)
            }
            var atNodeStart = quote == nil
            var nodeColumn = indent
            var i = 0
            func next(_ k: Int) -> Character? { k < chars.count ? chars[k] : nil }
            func isBreakOrSpace(_ c: Character?) -> Bool { c == nil || c == " " || c == "\t" }
            scanning: while i < chars.count {
                let c = chars[i]
                if let q = quote {
                    if q == "\"" {
                        if c == "\\" { i += 2; continue }
                        if c == "\"" { quote = nil }
                    } else if c == "'" {
                        if next(i + 1) == "'" { i += 2; continue }
                        quote = nil
                    }
                    i += 1
                    continue
                }
                if c == " " || c == "\t" { i += 1; continue }
                if c == "#", i == 0 || chars[i - 1] == " " || chars[i - 1] == "\t" { break }
                if atNodeStart {
                    switch c {
                    case "&": return Problem(kind: .anchor, line: lineNumber, column: i + 1)
                    case "*": return Problem(kind: .alias, line: lineNumber, column: i + 1)
                    case "!":
                        while i < chars.count, chars[i] != " " { i += 1 }
                        continue scanning
                    case "\"", "'":
                        quote = c
                        nodeColumn = i
                        atNodeStart = false
                        i += 1
                        continue scanning
                    case "|" where flowDepth == 0, ">" where flowDepth == 0:
                        let rest = chars[(i + 1)...].prefix { $0 != "#" }
                        if rest.allSatisfy({ $0.isNumber || $0 == "+" || $0 == "-" || $0 == " " || $0 == "\t" }) {
                            blockScalarParent = nodeColumn
                            break scanning
                        }
                    case "-" where isBreakOrSpace(next(i + 1)), "?" where isBreakOrSpace(next(i + 1)),
                        ":" where isBreakOrSpace(next(i + 1)):
                        nodeColumn = i
                        i += 1
                        continue scanning
                    case "[", "{":
                        flowDepth += 1
                        i += 1
                        continue scanning
                    case "]", "}":
                        flowDepth = max(0, flowDepth - 1)
                        atNodeStart = false
                        i += 1
                        continue scanning
                    default:
                        break
                    }
                    atNodeStart = false
                    nodeColumn = i
                }
                switch c {
                case ":" where isBreakOrSpace(next(i + 1)) || (flowDepth > 0 && [",", "]", "}"].contains(next(i + 1))):
                    atNodeStart = true
                case "," where flowDepth > 0:
                    atNodeStart = true
                case "[" where flowDepth > 0, "{" where flowDepth > 0:
                    flowDepth += 1
                    atNodeStart = true
                case "]" where flowDepth > 0, "}" where flowDepth > 0:
                    flowDepth -= 1
                default:
                    break
                }
                i += 1
            }
        }
        return nil
    }
}
