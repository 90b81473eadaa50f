/// Reads the keys of one YAML mapping into typed values, collecting a diagnostic for each missing key,
/// wrong type, bad format and unknown key.
struct FieldReader {
    let node: YAMLNode
    /// What the mapping is, for messages: "runbook 'dns'", "role #3".
    let subject: String
    private(set) var diagnostics: [Diagnostic] = []
    /// Where the mapping and each of its keys are, for the entity read from it.
    let origin: Origin

    /// Keys a schema extension declares for this kind: allowed, and passed through as extra fields.
    let extensionKeys: [String]

    init(_ node: YAMLNode, subject: String, extensionKeys: [String] = []) {
        self.node = node
        self.subject = subject
        self.extensionKeys = extensionKeys
        var keys: [Origin.Key] = []
        keys.reserveCapacity(node.pairs?.count ?? 0)
        for pair in node.pairs ?? [] {
            if let key = pair.key.scalarText { keys.append(Origin.Key(key, pair.value.location)) }
        }
        origin = Origin(node.location, keys: keys)
    }

    var location: SourceLocation { node.location }

    mutating func report(_ d: Diagnostic) { diagnostics.append(d) }

    /// The value of `key`, or a diagnostic if it is required and absent. An explicit `null` counts as absent.
    /// `key` is a key of a built-in schema, which only its own bytes equal (`YAMLNode.value(exactKey:)`).
    mutating func value(_ key: String, required: Bool) -> YAMLNode? {
        if let value = node.value(exactKey: key), !value.isNull { return value }
        if required {
            let keyLocation = node.pairs?.first { $0.key.scalarText == key }?.key.location
            report(
                .error(
                    .missingKey, "\(subject) is missing required key '\(key)'", at: keyLocation ?? node.location,
                    hint: "add '\(key):'"))
        }
        return nil
    }

    private mutating func wrongType(_ key: String, _ value: YAMLNode, expected: String) {
        report(.error(.wrongType, "'\(key)' must be \(expected), found \(value.kindDescription)", at: value.location))
    }

    private mutating func badFormat(_ key: String, _ value: YAMLNode, _ what: String, example: String) {
        report(
            .error(
                .badFormat, "'\(key)' is not a valid \(what): \"\(value.scalarText ?? "")\"", at: value.location,
                hint: "write it like \(example)"))
    }

    /// A text value. Numbers and booleans are accepted as their text where text is expected.
    mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let value = value(key, required: required) else { return nil }
        guard let text = value.scalarText else {
            wrongType(key, value, expected: "text")
            return nil
        }
        return text
    }

    mutating func int(_ key: String, required: Bool = false, range: ClosedRange<Int>? = nil) -> Int? {
        guard let value = value(key, required: required) else { return nil }
        guard case .scalar(let text, .int) = value.content, let number = Int(text) else {
            wrongType(key, value, expected: "a whole number")
            return nil
        }
        if let range, !range.contains(number) {
            report(
                .error(
                    .outOfRange, "'\(key)' must be between \(range.lowerBound) and \(range.upperBound), found \(number)",
                    at: value.location))
            return nil
        }
        return number
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let value = value(key, required: false) else { return nil }
        guard case .scalar(let text, .bool) = value.content else {
            wrongType(key, value, expected: "true or false")
            return nil
        }
        return ["true", "yes", "on"].contains(text.lowercased())
    }

    /// A text value in a format: parsed, or reported as the wrong type or a bad format.
    private mutating func formatted<T>(
        _ key: String, _ value: YAMLNode, what: String, example: String, _ parse: (String) -> T?
    ) -> T? {
        guard let text = value.scalarText else {
            wrongType(key, value, expected: "a \(what)")
            return nil
        }
        guard let parsed = parse(text) else {
            badFormat(key, value, what, example: example)
            return nil
        }
        return parsed
    }

    mutating func period(_ key: String, required: Bool = false) -> Period? {
        guard let value = value(key, required: required) else { return nil }
        return formatted(key, value, what: "duration", example: "30m, 4h, 2d, 1w or PT4H") { Period($0) }
    }

    mutating func date(_ key: String, required: Bool = false) -> CalendarDate? {
        guard let value = value(key, required: required) else { return nil }
        return formatted(key, value, what: "date", example: "2026-05-01 (YYYY-MM-DD)") { CalendarDate($0) }
    }

    mutating func email(_ key: String) -> String? {
        guard let value = value(key, required: false) else { return nil }
        return formatted(key, value, what: "email address", example: "name@example.com") {
            EmailAddress.isValid($0) ? $0 : nil
        }
    }

    /// One phone number or a list of them.
    mutating func phones(_ key: String) -> [PhoneNumber] {
        guard let value = value(key, required: false) else { return [] }
        return (value.items ?? [value]).compactMap { item in
            formatted(key, item, what: "phone number", example: "\"+1 555 010 0100\" (+, country code, 8-15 digits)") {
                PhoneNumber($0)
            }
        }
    }

    mutating func phone(_ key: String) -> PhoneNumber? {
        guard let value = value(key, required: false) else { return nil }
        guard value.scalarText != nil else {
            wrongType(key, value, expected: "a phone number")
            return nil
        }
        return phones(key).first
    }

    /// A value from a fixed set.
    mutating func choice<T: RawRepresentable & CaseIterable>(
        _ key: String, _ type: T.Type, required: Bool = false
    ) -> T? where T.RawValue == String {
        guard let value = value(key, required: required) else { return nil }
        return choice(key, value, type)
    }

    private mutating func choice<T: RawRepresentable & CaseIterable>(
        _ key: String, _ value: YAMLNode, _ type: T.Type
    ) -> T? where T.RawValue == String {
        guard let text = value.scalarText else {
            wrongType(key, value, expected: "one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        guard let result = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue)
            let suggestion = Suggestion.closest(to: text, among: allowed)
            report(
                .error(
                    .notInEnum,
                    "'\(key)' must be one of \(allowed.joined(separator: ", ")); found \"\(text)\""
                        + (suggestion.map { " (did you mean '\($0)'?)" } ?? ""),
                    at: value.location))
            return nil
        }
        return result
    }

    /// A list of text values; a single text value is read as a list of one.
    mutating func strings(_ key: String, required: Bool = false) -> [String] {
        scalars(key, required: required, expected: "a list of text").map(\.text)
    }

    mutating func choices<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) -> [T]
    where T.RawValue == String {
        locatedChoices(key, type).map(\.value)
    }

    /// A list of values from a fixed set, each with the place it was written.
    mutating func locatedChoices<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) -> [(
        value: T, location: SourceLocation
    )] where T.RawValue == String {
        guard let value = value(key, required: false) else { return [] }
        guard let items = value.items else {
            wrongType(key, value, expected: "a list")
            return []
        }
        return items.compactMap { item in choice(key, item, type).map { ($0, item.location) } }
    }

    /// A list of ids naming other entities. A single id is accepted as a list of one.
    mutating func refs(_ key: String, required: Bool = false) -> [Ref] {
        scalars(key, required: required, expected: "a list of ids").compactMap { item in
            guard Identifier.isValid(item.text) else {
                report(
                    .error(
                        .badFormat, "'\(item.text)' in '\(key)' is not a valid id", at: item.location,
                        hint: "ids are lower-case letters, digits and dashes, starting with a letter or digit"))
                return nil
            }
            return Ref(item.text, at: item.location)
        }
    }

    mutating func ref(_ key: String, required: Bool = false) -> Ref? {
        guard let value = value(key, required: required) else { return nil }
        guard let text = value.scalarText else {
            wrongType(key, value, expected: "an id")
            return nil
        }
        guard Identifier.isValid(text) else {
            report(
                .error(
                    .badFormat, "'\(text)' in '\(key)' is not a valid id", at: value.location,
                    hint: "ids are lower-case letters, digits and dashes, starting with a letter or digit"))
            return nil
        }
        return Ref(text, at: value.location)
    }

    private mutating func scalars(_ key: String, required: Bool, expected: String) -> [(
        text: String, location: SourceLocation
    )] {
        guard let value = value(key, required: required) else { return [] }
        if let text = value.scalarText { return [(text, value.location)] }
        guard let items = value.items else {
            wrongType(key, value, expected: expected)
            return []
        }
        return items.compactMap { item in
            guard let text = item.scalarText, !item.isNull else {
                wrongType(key, item, expected: expected)
                return nil
            }
            return (text, item.location)
        }
    }

    /// A nested mapping.
    mutating func mapping(_ key: String, required: Bool = false) -> YAMLNode? {
        guard let value = value(key, required: required) else { return nil }
        guard value.pairs != nil else {
            wrongType(key, value, expected: "a mapping")
            return nil
        }
        return value
    }

    /// A list of mappings.
    mutating func mappings(_ key: String) -> [YAMLNode] {
        guard let value = value(key, required: false) else { return [] }
        guard let items = value.items else {
            wrongType(key, value, expected: "a list")
            return []
        }
        return items.filter { item in
            guard item.pairs != nil else {
                wrongType(key, item, expected: "a mapping")
                return false
            }
            return true
        }
    }

    /// The values of the keys the extension declares, in the extension's order.
    func extras() -> [ExtraField] {
        extensionKeys.compactMap { key in
            guard let value = node[key], !value.isNull else { return nil }
            if let text = value.scalarText { return ExtraField(key: key, value: text) }
            if let items = value.items { return ExtraField(key: key, value: items.compactMap(\.scalarText).joined(separator: ", ")) }
            return nil
        }
    }

    /// Reports every key not in `allowed`, with the closest allowed key as a suggestion.
    mutating func rejectUnknownKeys(_ builtIn: [String]) {
        assert(builtIn.allSatisfy(\.equalsOnlyItsBytes), "built-in keys are equal only to their own bytes")
        for pair in node.pairs ?? [] {
            guard let key = pair.key.scalarText else {
                report(.error(.wrongType, "keys must be text, found \(pair.key.kindDescription)", at: pair.key.location))
                continue
            }
            // A key of another length differs from a built-in key, which only its own bytes equal (see
            // `YAMLNode.value(exactKey:)`); extension keys are compared as strings.
            let count = key.utf8.count
            guard !builtIn.contains(where: { $0.utf8.count == count && $0 == key }), !extensionKeys.contains(key) else { continue }
            let allowed = builtIn + extensionKeys
            let suggestion = Suggestion.closest(to: key, among: allowed)
            report(
                .error(
                    .unknownKey,
                    "unknown key '\(key)' in \(subject)" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                    at: pair.key.location,
                    hint: suggestion == nil ? "allowed keys: \(allowed.joined(separator: ", "))" : nil))
        }
    }
}

/// "Did you mean …?" by edit distance.
public enum Suggestion {
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let limit = max(1, min(3, word.count / 3))
        var best: (String, Int)?
        for candidate in candidates.sorted() {
            let d = distance(word.lowercased(), candidate.lowercased())
            if d <= limit, d < best?.1 ?? Int.max { best = (candidate, d) }
        }
        return best?.0
    }

    /// Edit distance counting insertions, deletions, substitutions and swaps of neighbours (optimal
    /// string alignment), so the typo `alpah` is one edit from `alpha`.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = Array(0...b.count)
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], before[j - 2] + 1)
                }
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
