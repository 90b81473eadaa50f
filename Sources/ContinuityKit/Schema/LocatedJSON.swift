/// A YAML tree as a `JSONValue` for schema validation, with the file position of every value and
/// every mapping key, so that a `SchemaError` maps back to a line and column.
///
/// Scalars convert by their resolved YAML type, as `FieldReader` reads them: `int` and `float` become
/// exact numbers (`1_000` is 1000, `+5` is 5, `0x1F` is 31), `bool` becomes true or false (`yes`/`on` are
/// true), `null` becomes null, and text and timestamps (`2026-01-01`) become strings. YAML's `.inf` and
/// `.nan`, which JSON cannot hold, stay text. A mapping key that is not a scalar (a YAML complex key)
/// becomes the JSON text of the key, so schemas see it and report it.
public struct LocatedJSON: Sendable, Hashable {
    public var value: JSONValue
    /// Where each value starts, by its place in `value`.
    public var valueLocations: [JSONPointer: SourceLocation]
    /// Where each mapping key is written, by the place of the member it names.
    public var keyLocations: [JSONPointer: SourceLocation]

    /// - Parameters:
    ///   - node: the YAML tree.
    ///   - droppingNullMembers: leave out mapping members whose value is null (`key:` or `key: ~`), so
    ///     that `required` treats an explicit null as absent, as the plan's readers do. Their key
    ///     positions are kept.
    public init(_ node: YAMLNode, droppingNullMembers: Bool = false) {
        var valueLocations: [JSONPointer: SourceLocation] = [:]
        var keyLocations: [JSONPointer: SourceLocation] = [:]
        var path: [JSONPointer.Component] = []

        func convert(_ node: YAMLNode) -> JSONValue {
            valueLocations[JSONPointer(path)] = node.location
            switch node.content {
            case .scalar(let text, let tag):
                return LocatedJSON.scalar(text, tag)
            case .sequence(let items):
                var array: [JSONValue] = []
                array.reserveCapacity(items.count)
                for (i, item) in items.enumerated() {
                    path.append(.index(i))
                    array.append(convert(item))
                    path.removeLast()
                }
                return .array(array)
            case .mapping(let pairs):
                var object = JSONObject()
                for pair in pairs {
                    let key = pair.key.scalarText ?? LocatedJSON.complexKey(pair.key)
                    path.append(.key(key))
                    keyLocations[JSONPointer(path)] = pair.key.location
                    if droppingNullMembers, pair.value.isNull {
                        valueLocations[JSONPointer(path)] = pair.value.location
                    } else {
                        object[key] = convert(pair.value)
                    }
                    path.removeLast()
                }
                return .object(object)
            }
        }

        value = convert(node)
        self.valueLocations = valueLocations
        self.keyLocations = keyLocations
    }

    /// The value `LocatedJSON(node, droppingNullMembers:)` holds, without recording positions: what a
    /// schema validates, the positions being needed only for its errors.
    public static func value(of node: YAMLNode, droppingNullMembers: Bool = false) -> JSONValue {
        switch node.content {
        case .scalar(let text, let tag):
            return scalar(text, tag)
        case .sequence(let items):
            var array: [JSONValue] = []
            array.reserveCapacity(items.count)
            for item in items { array.append(value(of: item, droppingNullMembers: droppingNullMembers)) }
            return .array(array)
        case .mapping(let pairs):
            var object = JSONObject()
            for pair in pairs {
                let key = pair.key.scalarText ?? complexKey(pair.key)
                if !(droppingNullMembers && pair.value.isNull) {
                    object[key] = value(of: pair.value, droppingNullMembers: droppingNullMembers)
                }
            }
            return .object(object)
        }
    }

    /// The position a schema error points at: the key for key errors (an unknown key), the value
    /// otherwise; a place without a position of its own (a missing member) gets its nearest
    /// enclosing one.
    public func location(of error: SchemaError) -> SourceLocation? {
        location(of: error.instancePath, key: error.subject == .key)
    }

    /// The position of the value at `pointer` (or of its key, when `key` is true and it has one),
    /// falling back to the nearest enclosing value.
    public func location(of pointer: JSONPointer, key: Bool = false) -> SourceLocation? {
        if key, let location = keyLocations[pointer] { return location }
        var current: JSONPointer? = pointer
        while let place = current {
            if let location = valueLocations[place] { return location }
            current = place.parent
        }
        return nil
    }

    static func scalar(_ text: String, _ tag: YAMLNode.ScalarTag) -> JSONValue {
        switch tag {
        case .null: return .null
        case .bool: return .bool(["true", "yes", "on"].contains(text.lowercased()))
        case .string, .timestamp: return .string(text)
        case .int: return integer(text).map { .number($0) } ?? .string(text)
        case .float: return decimal(text).map { .number($0) } ?? .string(text)
        }
    }

    /// A YAML integer: optional sign, underscores between digits, `0x`/`0o`/`0b` prefixes.
    static func integer(_ text: String) -> JSONNumber? {
        var body = Substring(text.replacingAll("_", with: ""))
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        let radix: Int
        switch body.prefix(2) {
        case "0x", "0X": radix = 16
        case "0o", "0O": radix = 8
        case "0b", "0B": radix = 2
        default:
            // Decimal, leading zeros included (`007` reads as 7, as `Int("007")` does).
            let digits = body.drop { $0 == "0" }
            return JSONNumber((negative ? "-" : "") + (digits.isEmpty ? "0" : String(digits)))
        }
        guard let magnitude = Int(body.dropFirst(2), radix: radix) else { return nil }
        return JSONNumber(negative ? -magnitude : magnitude)
    }

    /// A YAML float: optional sign, underscores, and a point that may lack digits on one side (`.5`, `5.`).
    static func decimal(_ text: String) -> JSONNumber? {
        var body = text.replacingAll("_", with: "")
        var sign = ""
        if let first = body.first, first == "+" || first == "-" {
            if first == "-" { sign = "-" }
            body.removeFirst()
        }
        if body.hasPrefix(".") { body = "0" + body }
        body = body.replacingAll(".e", with: ".0e").replacingAll(".E", with: ".0E")
        if body.hasSuffix(".") { body += "0" }
        if let point = body.firstIndex(of: "."), body[..<point].count > 1, body.hasPrefix("0") {
            body = String(body.drop { $0 == "0" })
            if body.hasPrefix(".") { body = "0" + body }
        }
        return JSONNumber(sign + body)
    }

    static func complexKey(_ key: YAMLNode) -> String {
        LocatedJSON(key).value.jsonText
    }
}

extension String {
    /// Every occurrence of `target` replaced, compared character by character.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
