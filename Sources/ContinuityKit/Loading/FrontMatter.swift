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
        let utf8 = text.utf8
        guard let firstEnd = lineEnd(utf8, from: utf8.startIndex),
            isDelimiter(utf8[utf8.startIndex..<firstEnd], allowDots: false)
        else {
            if !utf8.contains(10), isDelimiter(utf8[...], allowDots: false) { return .unterminated(openingLine: 1) }
            return .missing
        }
        let yamlStart = utf8.index(after: firstEnd)
        var cursor = yamlStart
        var line = 2
        while cursor < utf8.endIndex {
            let end = lineEnd(utf8, from: cursor) ?? utf8.endIndex
            if isDelimiter(utf8[cursor..<end], allowDots: true) {
                let yaml = String(text[yamlStart..<cursor])
                let bodyStart = end < utf8.endIndex ? utf8.index(after: end) : end
                return .split(
                    FrontMatterSplit(yaml: yaml, yamlLine: 2, body: String(text[bodyStart...]), bodyLine: line + 1))
            }
            if end == utf8.endIndex { break }
            cursor = utf8.index(after: end)
            line += 1
        }
        return .unterminated(openingLine: 1)
    }

    private static func lineEnd(_ utf8: String.UTF8View, from start: String.Index) -> String.Index? {
        utf8[start...].firstIndex(of: 10)
    }

    private static func isDelimiter(_ line: Substring.UTF8View, allowDots: Bool) -> Bool {
        var end = line.endIndex
        while end > line.startIndex {
            let before = line.index(before: end)
            guard line[before] == 32 || line[before] == 9 else { break }
            end = before
        }
        let bytes = line[line.startIndex..<end]
        return bytes.elementsEqual([45, 45, 45]) || (allowDots && bytes.elementsEqual([46, 46, 46]))
    }
}
