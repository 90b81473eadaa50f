import Foundation

/// A Markdown document split into its YAML front matter and its body.
public struct FrontMatterSplit: Sendable, Hashable {
    /// The YAML between the `---` lines, without them.
    public var yaml: String
    /// The line of the file on which the YAML starts (the line after the opening `---`).
    public var yamlLine: Int
    /// The Markdown after the closing `---`.
    public var body: String
    /// The line of the file on which the body starts.
    public var bodyLine: Int
}

public enum FrontMatter {
    public enum Outcome: Sendable, Hashable {
        case split(FrontMatterSplit)
        /// The document does not start with `---`.
        case missing
        /// The opening `---` has no closing line; the payload is the opening line.
        case unterminated(openingLine: Int)
    }

    /// Splits a document whose first line is `---` at the next line that is `---` or `...`.
    /// Trailing spaces on the delimiter lines are allowed. The text is expected to have LF line endings.
    public static func split(_ text: String) -> Outcome {
        var text = text
        switch text.withUTF8({ split($0) }) {
        case .missing: return .missing
        case .unterminated: return .unterminated(openingLine: 1)
        case .split(let yaml, let body, let bodyLine):
            // The parts begin and end at line breaks; cut from the string, their bytes are copied as they are.
            let utf8 = text.utf8
            func index(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
            return .split(
                FrontMatterSplit(
                    yaml: String(text[index(yaml.lowerBound)..<index(yaml.upperBound)]), yamlLine: 2,
                    body: String(text[index(body.lowerBound)...]), bodyLine: bodyLine))
        }
    }

    /// Where `split` cuts a text, in UTF-8 offsets.
    enum Cut {
        case missing
        case unterminated
        case split(yaml: Range<Int>, body: Range<Int>, bodyLine: Int)
    }

    /// `split` on the UTF-8 of a text, its lines found with `memchr`.
    static func split(_ bytes: UnsafeBufferPointer<UInt8>) -> Cut {
        func lineEnd(from start: Int) -> Int? {
            guard start < bytes.count, let base = bytes.baseAddress,
                let found = memchr(base + start, 10, bytes.count - start)
            else { return nil }
            return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
        }
        func isDelimiter(_ start: Int, _ end: Int, allowDots: Bool) -> Bool {
            var end = end
            while end > start, bytes[end - 1] == 32 || bytes[end - 1] == 9 { end -= 1 }
            guard end - start == 3 else { return false }
            let (a, b, c) = (bytes[start], bytes[start + 1], bytes[start + 2])
            return (a == 45 && b == 45 && c == 45) || (allowDots && a == 46 && b == 46 && c == 46)
        }
        guard let firstEnd = lineEnd(from: 0), isDelimiter(0, firstEnd, allowDots: false) else {
            if lineEnd(from: 0) == nil, isDelimiter(0, bytes.count, allowDots: false) { return .unterminated }
            return .missing
        }
        let yamlStart = firstEnd + 1
        var cursor = yamlStart
        var line = 2
        while cursor < bytes.count {
            let end = lineEnd(from: cursor) ?? bytes.count
            if isDelimiter(cursor, end, allowDots: true) {
                let bodyStart = end < bytes.count ? end + 1 : end
                return .split(yaml: yamlStart..<cursor, body: bodyStart..<bytes.count, bodyLine: line + 1)
            }
            if end == bytes.count { break }
            cursor = end + 1
            line += 1
        }
        return .unterminated
    }
}
