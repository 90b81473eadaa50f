import Yams

/// Reads YAML text into a `YAMLNode` tree with file positions, or returns the diagnostics that explain
/// why it cannot. Anchors, aliases and tab indentation are refused by a scan that runs before Yams
/// composes the document (aliases used as keys make the composer loop).
public enum YAMLReader {
    /// Yams' default encoding, read once: `Parser.Encoding.default` reads the whole process
    /// environment (for `YAMS_DEFAULT_ENCODING`) each time it is asked, which cost more than composing
    /// a front matter block.
    static let usesUTF16 = Parser.Encoding.default == .utf16
    static var encoding: Parser.Encoding { usesUTF16 ? .utf16 : .utf8 }

    /// - Parameters:
    ///   - yaml: the YAML text (a whole registry file or a front matter block).
    ///   - path: the content-relative path, for locations.
    ///   - firstLine: the file line on which `yaml` starts.
    ///   - limit: the most bytes composed: `SourceLimits.maxYAMLBytes` for front matter,
    ///     `maxRegistryYAMLBytes` for a registry file.
    public static func read(
        _ yaml: String, path: String, firstLine: Int = 1, limit: Int = SourceLimits.maxYAMLBytes
    ) -> Checked<YAMLNode?> {
        let lineOffset = firstLine - 1
        func location(_ line: Int, _ column: Int) -> SourceLocation {
            SourceLocation(path: path, line: line + lineOffset, column: column)
        }
        if yaml.utf8.count > limit {
            let readable = limit % (1024 * 1024) == 0 ? "\(limit / 1024 / 1024) MiB" : "\(limit / 1024) KiB"
            return .problem(
                .error(
                    .fileTooLarge, "YAML block is \(yaml.utf8.count) bytes; the limit is \(limit) bytes (\(readable))",
                    at: location(1, 1)))
        }
        if let problem = YAMLPrescan.scan(yaml) {
            switch problem.kind {
            case .tab:
                return .problem(
                    .error(
                        .tabIndentation, "tab character used for indentation; YAML allows only spaces",
                        at: location(problem.line, problem.column), hint: "indent with spaces"))
            case .anchor:
                return .problem(
                    .error(
                        .yamlAlias, "YAML anchors (&name) are not allowed in content",
                        at: location(problem.line, problem.column), hint: "write the value out in full"))
            case .alias:
                return .problem(
                    .error(
                        .yamlAlias, "YAML aliases (*name) are not allowed in content",
                        at: location(problem.line, problem.column), hint: "write the value out in full"))
            }
        }
        if let node = BlockYAML.read(yaml, path: path, lineOffset: lineOffset) { return .value(node) }
        return composed(yaml, path: path, lineOffset: lineOffset)
    }

    /// The text composed by Yams and converted: what `read` gives for whatever `BlockYAML` declines.
    static func composed(_ yaml: String, path: String, lineOffset: Int) -> Checked<YAMLNode?> {
        func location(_ line: Int, _ column: Int) -> SourceLocation {
            SourceLocation(path: path, line: line + lineOffset, column: column)
        }
        do {
            guard let node = try Yams.compose(yaml: yaml, .basic, .default, encoding) else { return .value(nil) }
            return .value(convert(node, path: path, lineOffset: lineOffset))
        } catch let error as YamlError {
            return .problem(diagnostic(for: error, yaml: yaml, location: location))
        } catch {
            return .problem(.error(.yamlSyntax, "YAML could not be read: \(error)", at: location(1, 1)))
        }
    }

    static func convert(_ node: Node, path: String, lineOffset: Int) -> YAMLNode {
        let mark = node.mark
        let location = SourceLocation(
            path: path, line: (mark?.line ?? 1) + lineOffset, column: mark?.column ?? 1)
        switch node {
        case .scalar(let scalar):
            // Yams composes with the basic resolver (no regular expressions per scalar); plain scalars
            // are typed here, as YAML 1.1's core rules would type them.
            let tag: YAMLNode.ScalarTag
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .int: tag = .int
            case .float: tag = .float
            case .bool: tag = .bool
            case .null: tag = .null
            case .timestamp: tag = .timestamp
            default: tag = scalar.style == .plain ? ScalarTypes.classify(scalar.string) : .string
            }
            return YAMLNode(.scalar(scalar.string, tag), at: location)
        case .mapping(let mapping):
            let pairs = mapping.map {
                YAMLNode.Pair(
                    key: convert($0.key, path: path, lineOffset: lineOffset),
                    value: convert($0.value, path: path, lineOffset: lineOffset))
            }
            return YAMLNode(.mapping(pairs), at: location)
        case .sequence(let sequence):
            return YAMLNode(.sequence(sequence.map { convert($0, path: path, lineOffset: lineOffset) }), at: location)
        case .alias:
            // The prescan refuses aliases before composing; should one slip through, it reads as empty.
            return YAMLNode(.scalar("", .null), at: location)
        }
    }

    static func diagnostic(
        for error: YamlError, yaml: String, location: (Int, Int) -> SourceLocation
    ) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = "YAML syntax error: \(problem)"
            var notes: [Diagnostic.Note] = []
            if let context {
                notes.append(Diagnostic.Note(context.text, at: location(context.mark.line, context.mark.column)))
            }
            if problem.contains("found character that cannot start any token") {
                message += " (a quoted value, or a value starting with @ or `, may need quotes)"
            }
            return .error(.yamlSyntax, message, at: location(mark.line, mark.column), notes: notes)
        case .reader(let problem, _, _, _):
            return .error(.yamlSyntax, "YAML could not be read: \(problem)", at: location(1, 1))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let places = keyLines(key, in: yaml, from: context.mark.line)
            let first = places.first.map { location($0.line, $0.column) }
            let second = places.dropFirst().first.map { location($0.line, $0.column) }
            return .error(
                .duplicateKey, "duplicate key '\(key)' in mapping",
                at: second ?? location(context.mark.line, context.mark.column),
                notes: first.map { [Diagnostic.Note("'\(key)' is first set here", at: $0)] } ?? [],
                hint: "keep one '\(key)'")
        default:
            return .error(.yamlSyntax, "YAML could not be read: \(error)", at: location(1, 1))
        }
    }

    /// Lines (from `startLine` on) where `key:` starts a mapping entry, at the indentation of the first.
    static func keyLines(_ key: String, in yaml: String, from startLine: Int) -> [(line: Int, column: Int)] {
        var found: [(Int, Int)] = []
        for (index, line) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where index + 1 >= startLine {
            let trimmed = line.drop { $0 == " " || $0 == "-" }
            let indent = line.count - trimmed.count
            for candidate in [key, "\"\(key)\"", "'\(key)'"] where trimmed.hasPrefix(candidate) {
                let rest = trimmed.dropFirst(candidate.count).drop { $0 == " " }
                if rest.hasPrefix(":"), found.isEmpty || found[0].1 == indent + 1 {
                    found.append((index + 1, indent + 1))
                }
            }
        }
        return found
    }
}

/// The type of a plain (unquoted) YAML scalar, following the YAML 1.1 rules that Yams' default resolver
/// applies: `yes`/`no`/`true`/`on`… are booleans, `~`/`null`/empty are null, and so on.
enum ScalarTypes {
    static let booleans: Set<String> = [
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
    ]
    static let nulls: Set<String> = ["", "~", "null", "Null", "NULL"]

    static func classify(_ text: String) -> YAMLNode.ScalarTag {
        // Every null and boolean word is at most 5 bytes long and starts with one of these ASCII letters
        // (or is empty); other text cannot equal one of them, and is not hashed to find out.
        switch text.utf8.count <= 5 ? text.utf8.first : 0 {
        case nil, UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "y"), UInt8(ascii: "Y"),
            UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"):
            if nulls.contains(text) { return .null }
            if booleans.contains(text) { return .bool }
        default:
            break
        }
        var text = text
        return text.withUTF8 { bytes in
            if isInteger(bytes) { return .int }
            if isFloat(bytes) { return .float }
            if isDate(bytes) { return .timestamp }
            return .string
        }
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    static func isInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var body = bytes[...]
        if let first = body.first, first == 43 || first == 45 { body = body.dropFirst() }  // + -
        guard let first = body.first else { return false }
        if body.count > 2, first == 48, [120, 111, 98].contains(body[body.startIndex + 1]) {  // 0x 0o 0b
            return body.dropFirst(2).allSatisfy { isDigit($0) || $0 == 95 || (65...70).contains($0) || (97...102).contains($0) }
        }
        return isDigit(first) && body.allSatisfy { isDigit($0) || $0 == 95 }
    }

    static func isFloat(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // The special words all start with '.', '-' or '+'.
        if let first = bytes.first, first == 46 || first == 45 || first == 43 {
            let text = String(decoding: bytes, as: UTF8.self)
            if [".inf", ".Inf", ".INF", "-.inf", "+.inf", "-.Inf", "+.Inf", ".nan", ".NaN", ".NAN"].contains(text) {
                return true
            }
        }
        var body = bytes[...]
        if let first = body.first, first == 43 || first == 45 { body = body.dropFirst() }
        var digits = 0
        var dots = 0
        var exponent = false
        var previous: UInt8 = 0
        for b in body {
            if isDigit(b) || b == 95 {
                digits += 1
            } else if b == 46, dots == 0, !exponent {
                dots += 1
            } else if b == 101 || b == 69, !exponent, digits > 0 {
                exponent = true
            } else if (b == 43 || b == 45), previous == 101 || previous == 69 {
            } else {
                return false
            }
            previous = b
        }
        return digits > 0 && (dots == 1 || exponent) && previous != 101 && previous != 69
    }

    /// `YYYY-MM-DD` and the longer timestamp forms that start with it.
    static func isDate(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 8, bytes[0...3].allSatisfy(isDigit), bytes[4] == 45 else { return false }
        return bytes.count == 10 ? isDigit(bytes[5]) && isDigit(bytes[6]) && bytes[7] == 45 && isDigit(bytes[8]) && isDigit(bytes[9])
            : bytes.count > 10 && (bytes[10] == 84 || bytes[10] == 116 || bytes[10] == 32)
    }
}
