import Foundation

/// A JSON type name as `type` uses it.
enum JSONType: String, Sendable, Hashable, CaseIterable {
    case null, boolean, object, array, number, string, integer

    func matches(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.null, .null), (.boolean, .bool), (.object, .object), (.array, .array), (.number, .number),
            (.string, .string):
            return true
        case (.integer, .number(let number)):
            return number.isInteger
        default:
            return false
        }
    }

    /// In the words of the messages: "a whole number", "a list".
    var phrase: String {
        switch self {
        case .null: return "an empty value"
        case .boolean: return "true or false"
        case .object: return "a mapping"
        case .array: return "a list"
        case .number: return "a number"
        case .string: return "text"
        case .integer: return "a whole number"
        }
    }
}

/// A `pattern` compiled once. ECMA-262 patterns are adapted to ICU (see `ECMAPattern`).
struct CompiledPattern: Sendable {
    let source: String
    let regex: NSRegularExpression

    func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, options: [], range: NSRange(location: 0, length: text.utf16.count)) != nil
    }
}

/// One compiled schema: a boolean schema, or the keywords of an object schema. Subschemas are indices
/// into `JSONSchema.nodes`, so recursive schemas need no reference types.
struct SchemaNode: Sendable {
    /// A compiled node, shared and never changed.
    final class Box: Sendable {
        let node: SchemaNode
        init(_ node: SchemaNode) { self.node = node }
    }

    var path: JSONPointer
    /// `true` or `false` for a boolean schema.
    var constant: Bool?

    var ref: Int?
    var types: [JSONType]?
    var enumValues: [JSONValue]?
    var constValue: JSONValue?

    var allOf: [Int] = []
    var anyOf: [Int]?
    var oneOf: [Int]?
    var not: Int?
    var ifSchema: Int?
    var thenSchema: Int?
    var elseSchema: Int?

    var minimum: JSONNumber?
    var maximum: JSONNumber?
    var exclusiveMinimum: JSONNumber?
    var exclusiveMaximum: JSONNumber?
    var multipleOf: JSONNumber?

    var minLength: Int?
    var maxLength: Int?
    var pattern: CompiledPattern?
    var format: SchemaFormat?

    var prefixItems: [Int] = []
    var items: Int?
    var contains: Int?
    var minContains: Int?
    var maxContains: Int?
    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false

    var required: [String] = []
    var properties: [ExactString: Int] = [:]
    /// Property names in schema order, for suggestions.
    var propertyNames: [String] = []
    var patternProperties: [(pattern: CompiledPattern, schema: Int)] = []
    var additionalProperties: Int?
    var propertyNamesSchema: Int?
    var minProperties: Int?
    var maxProperties: Int?
    var dependentRequired: [(key: String, requires: [String])] = []

    init(path: JSONPointer) { self.path = path }

    /// The subschemas applied to the same value (not to a part of it): the edges along which a `$ref`
    /// loop could recurse without end.
    var inPlaceChildren: [Int] {
        var children = allOf + (anyOf ?? []) + (oneOf ?? [])
        for child in [ref, not, ifSchema, thenSchema, elseSchema] {
            if let child { children.append(child) }
        }
        return children
    }
}

/// Turns a schema document into `SchemaNode`s, collecting every problem.
struct SchemaCompiler {
    let document: JSONValue
    private(set) var problems: [SchemaCompileError.Problem] = []
    private var nodes: [SchemaNode] = []
    /// Compiled schema locations by their JSON pointer text, for `$ref`.
    private var locations: [String: Int] = [:]
    private var pendingRefs: [(node: Int, ref: String, path: JSONPointer)] = []
    private var rootID: String?

    static let metaschema = "https://json-schema.org/draft/2020-12/schema"

    /// Keywords that only annotate; accepted and ignored.
    static let annotations: Set<String> = [
        "$comment", "title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly",
    ]

    /// Why a keyword we know of is refused.
    static let refusals: [String: String] = [
        "unevaluatedProperties": "it needs annotation collection across subschemas, which this validator does not do",
        "unevaluatedItems": "it needs annotation collection across subschemas, which this validator does not do",
        "$dynamicRef": "dynamic references are not supported",
        "$dynamicAnchor": "dynamic references are not supported",
        "$recursiveRef": "it is a draft 2019-09 keyword and dynamic references are not supported",
        "$recursiveAnchor": "it is a draft 2019-09 keyword and dynamic references are not supported",
        "$anchor": "anchors are not supported; refer to the schema with a JSON pointer such as #/$defs/name",
        "$vocabulary": "custom vocabularies and metaschemas are not supported",
        "dependentSchemas": "it is not supported; use dependentRequired, or if/then",
        "contentEncoding": "content keywords are not supported",
        "contentMediaType": "content keywords are not supported",
        "contentSchema": "content keywords are not supported",
        "definitions": "it is a keyword of older drafts; in 2020-12 write $defs",
        "dependencies": "it is a keyword of older drafts; in 2020-12 write dependentRequired",
        "additionalItems": "it is a keyword of older drafts; in 2020-12 write items (after prefixItems)",
    ]

    init(document: JSONValue) { self.document = document }

    mutating func problem(_ keyword: String, _ path: JSONPointer, _ message: String) {
        problems.append(.init(keyword: keyword, schemaPath: path, message: message))
    }

    mutating func compile() -> (nodes: [SchemaNode], root: Int, id: String?) {
        if case .object(let object) = document, let id = object["$id"] {
            if case .string(let text) = id {
                let (base, fragment) = SchemaCompiler.splitFragment(text)
                if let fragment, !fragment.isEmpty {
                    problem("$id", ["$id"], "'$id' must not have a fragment; found '\(text)'")
                }
                rootID = base
            } else {
                problem("$id", ["$id"], "'$id' must be text, found \(id.kindDescription)")
            }
        }
        let root = compileSchema(document, at: .root)
        resolveRefs()
        if problems.isEmpty { detectRefLoops() }
        return (nodes, root, rootID)
    }

    // MARK: Schemas

    mutating func compileSchema(_ value: JSONValue, at path: JSONPointer) -> Int {
        let index = nodes.count
        nodes.append(SchemaNode(path: path))
        locations[path.description] = index
        switch value {
        case .bool(let flag):
            nodes[index].constant = flag
        case .object(let object):
            var node = SchemaNode(path: path)
            for member in object {
                compileKeyword(member.key, member.value, into: &node, object: object, path: path)
            }
            nodes[index] = node
        default:
            let keyword = path.components.last.map(\.description) ?? "schema"
            problem(keyword, path, "a schema must be a mapping or true/false, found \(value.kindDescription)")
        }
        return index
    }

    mutating func compileKeyword(
        _ keyword: String, _ value: JSONValue, into node: inout SchemaNode, object: JSONObject, path: JSONPointer
    ) {
        let here = path.appending(key: keyword)
        switch keyword {
        case "$schema":
            if !path.isRoot {
                problem(keyword, here, "'$schema' is only accepted at the root of the schema")
            } else if let uri = value.stringValue,
                uri == SchemaCompiler.metaschema || uri == SchemaCompiler.metaschema + "#"
            {
                break
            } else {
                problem(
                    keyword, here,
                    "'$schema' must be \(SchemaCompiler.metaschema) (draft 2020-12), found \(value.jsonText)")
            }
        case "$id":
            if !path.isRoot {
                problem(
                    keyword, here,
                    "'$id' below the root is not supported (embedded schema resources); only the root may have an $id")
            }
        case _ where SchemaCompiler.annotations.contains(keyword):
            break
        case "$defs":
            for (name, schema) in schemaMap(keyword, value, here) {
                _ = compileSchema(schema, at: here.appending(key: name))
            }
        case "$ref":
            guard let text = value.stringValue else {
                problem(keyword, here, "'$ref' must be text, found \(value.kindDescription)")
                return
            }
            node.ref = -1
            pendingRefs.append((locations[path.description] ?? -1, text, here))
        case "type":
            node.types = types(value, here)
        case "enum":
            guard case .array(let values) = value else {
                problem(keyword, here, "'enum' must be a list of values, found \(value.kindDescription)")
                return
            }
            node.enumValues = values
        case "const":
            node.constValue = value
        case "allOf", "anyOf", "oneOf":
            let children = schemaList(keyword, value, here)
            switch keyword {
            case "allOf": node.allOf = children
            case "anyOf": node.anyOf = children
            default: node.oneOf = children
            }
        case "not": node.not = compileSchema(value, at: here)
        case "if": node.ifSchema = compileSchema(value, at: here)
        case "then": node.thenSchema = compileSchema(value, at: here)
        case "else": node.elseSchema = compileSchema(value, at: here)
        case "minimum": node.minimum = number(keyword, value, here)
        case "maximum": node.maximum = number(keyword, value, here)
        case "exclusiveMinimum": node.exclusiveMinimum = number(keyword, value, here)
        case "exclusiveMaximum": node.exclusiveMaximum = number(keyword, value, here)
        case "multipleOf":
            if let divisor = number(keyword, value, here) {
                if divisor > .zero {
                    node.multipleOf = divisor
                } else {
                    problem(keyword, here, "'multipleOf' must be greater than 0, found \(divisor)")
                }
            }
        case "minLength": node.minLength = count(keyword, value, here)
        case "maxLength": node.maxLength = count(keyword, value, here)
        case "minItems": node.minItems = count(keyword, value, here)
        case "maxItems": node.maxItems = count(keyword, value, here)
        case "minContains": node.minContains = count(keyword, value, here)
        case "maxContains": node.maxContains = count(keyword, value, here)
        case "minProperties": node.minProperties = count(keyword, value, here)
        case "maxProperties": node.maxProperties = count(keyword, value, here)
        case "pattern":
            if let text = value.stringValue {
                node.pattern = pattern(text, keyword, here)
            } else {
                problem(keyword, here, "'pattern' must be text, found \(value.kindDescription)")
            }
        case "format":
            guard let name = value.stringValue else {
                problem(keyword, here, "'format' must be text, found \(value.kindDescription)")
                return
            }
            if let format = SchemaFormat(rawValue: name) {
                node.format = format
            } else {
                problem(
                    keyword, here,
                    "unknown format '\(name)'; supported formats: "
                        + SchemaFormat.allCases.map(\.rawValue).joined(separator: ", "))
            }
        case "uniqueItems":
            if case .bool(let flag) = value {
                node.uniqueItems = flag
            } else {
                problem(keyword, here, "'uniqueItems' must be true or false, found \(value.kindDescription)")
            }
        case "prefixItems": node.prefixItems = schemaList(keyword, value, here)
        case "items": node.items = compileSchema(value, at: here)
        case "contains": node.contains = compileSchema(value, at: here)
        case "required":
            node.required = stringList(keyword, value, here)
        case "properties":
            for (name, schema) in schemaMap(keyword, value, here) {
                node.properties[ExactString(name)] = compileSchema(schema, at: here.appending(key: name))
                node.propertyNames.append(name)
            }
        case "patternProperties":
            for (source, schema) in schemaMap(keyword, value, here) {
                let child = compileSchema(schema, at: here.appending(key: source))
                if let compiled = pattern(source, keyword, here.appending(key: source)) {
                    node.patternProperties.append((compiled, child))
                }
            }
        case "additionalProperties": node.additionalProperties = compileSchema(value, at: here)
        case "propertyNames": node.propertyNamesSchema = compileSchema(value, at: here)
        case "dependentRequired":
            guard case .object(let map) = value else {
                problem(
                    keyword, here, "'dependentRequired' must be a mapping of key lists, found \(value.kindDescription)")
                return
            }
            for member in map {
                let keys = stringList(keyword, member.value, here.appending(key: member.key))
                node.dependentRequired.append((member.key, keys))
            }
        default:
            if let reason = SchemaCompiler.refusals[keyword] {
                problem(keyword, here, "unsupported keyword '\(keyword)': \(reason)")
            } else {
                problem(
                    keyword, here,
                    "unknown keyword '\(keyword)'; only the keywords listed in docs/json-schema.md are supported")
            }
        }
    }

    // MARK: Keyword values

    mutating func schemaMap(_ keyword: String, _ value: JSONValue, _ path: JSONPointer) -> [(String, JSONValue)] {
        guard case .object(let object) = value else {
            problem(keyword, path, "'\(keyword)' must be a mapping of names to schemas, found \(value.kindDescription)")
            return []
        }
        return object.members.map { ($0.key, $0.value) }
    }

    mutating func schemaList(_ keyword: String, _ value: JSONValue, _ path: JSONPointer) -> [Int] {
        guard case .array(let items) = value, !items.isEmpty else {
            problem(keyword, path, "'\(keyword)' must be a non-empty list of schemas, found \(value.kindDescription)")
            return []
        }
        return items.enumerated().map { compileSchema($0.element, at: path.appending(index: $0.offset)) }
    }

    mutating func stringList(_ keyword: String, _ value: JSONValue, _ path: JSONPointer) -> [String] {
        guard case .array(let items) = value else {
            problem(keyword, path, "'\(keyword)' must be a list of key names, found \(value.kindDescription)")
            return []
        }
        var names: [String] = []
        for item in items {
            guard let name = item.stringValue else {
                problem(keyword, path, "'\(keyword)' must list key names as text, found \(item.kindDescription)")
                continue
            }
            if names.contains(where: { $0.utf8.elementsEqual(name.utf8) }) {
                problem(keyword, path, "'\(keyword)' lists '\(name)' twice")
            }
            names.append(name)
        }
        return names
    }

    mutating func number(_ keyword: String, _ value: JSONValue, _ path: JSONPointer) -> JSONNumber? {
        guard case .number(let number) = value else {
            problem(keyword, path, "'\(keyword)' must be a number, found \(value.kindDescription)")
            return nil
        }
        return number
    }

    /// A non-negative integer (`2` or `2.0`); counts beyond `Int` read as `Int.max`.
    mutating func count(_ keyword: String, _ value: JSONValue, _ path: JSONPointer) -> Int? {
        guard case .number(let number) = value, number.isInteger, number >= .zero else {
            problem(keyword, path, "'\(keyword)' must be a whole number of at least 0, found \(value.kindDescription)")
            return nil
        }
        return number.intValue ?? .max
    }

    mutating func types(_ value: JSONValue, _ path: JSONPointer) -> [JSONType]? {
        let names: [JSONValue]
        switch value {
        case .string: names = [value]
        case .array(let items): names = items
        default:
            problem("type", path, "'type' must be a type name or a list of them, found \(value.kindDescription)")
            return nil
        }
        var types: [JSONType] = []
        for name in names {
            guard let text = name.stringValue, let type = JSONType(rawValue: text) else {
                problem(
                    "type", path,
                    "unknown type \(name.jsonText); types are "
                        + JSONType.allCases.map(\.rawValue).joined(separator: ", "))
                continue
            }
            if types.contains(type) { problem("type", path, "'type' lists \(text) twice") }
            types.append(type)
        }
        return types
    }

    mutating func pattern(_ source: String, _ keyword: String, _ path: JSONPointer) -> CompiledPattern? {
        do {
            let regex = try NSRegularExpression(pattern: ECMAPattern.icuPattern(source), options: [])
            return CompiledPattern(source: source, regex: regex)
        } catch {
            problem(keyword, path, "'\(keyword)': '\(source)' is not a valid regular expression")
            return nil
        }
    }

    // MARK: References

    /// `base#fragment` → (base, fragment); no `#` gives a nil fragment.
    static func splitFragment(_ text: String) -> (base: String, fragment: String?) {
        guard let hash = text.firstIndex(of: "#") else { return (text, nil) }
        return (String(text[..<hash]), String(text[text.index(after: hash)...]))
    }

    mutating func resolveRefs() {
        for (nodeIndex, ref, path) in pendingRefs {
            guard let target = resolve(ref, at: path) else { continue }
            if nodes.indices.contains(nodeIndex) { nodes[nodeIndex].ref = target }
        }
    }

    mutating func resolve(_ ref: String, at path: JSONPointer) -> Int? {
        let (base, fragment) = SchemaCompiler.splitFragment(ref)
        if !base.isEmpty, base != rootID {
            problem(
                "$ref", path,
                "'$ref' to '\(ref)' is not supported: only references within this schema are (#/$defs/name, a JSON pointer)"
            )
            return nil
        }
        guard let decoded = SchemaCompiler.percentDecode(fragment ?? "") else {
            problem("$ref", path, "'$ref' '\(ref)' has a malformed %-escape")
            return nil
        }
        guard let pointer = JSONPointer(parsing: decoded) else {
            if !decoded.hasPrefix("/") {
                problem(
                    "$ref", path,
                    "'$ref' to the anchor '#\(decoded)' is not supported; refer to the schema with a JSON pointer (#/$defs/name)"
                )
            } else {
                problem("$ref", path, "'$ref' '\(ref)' is not a valid JSON pointer")
            }
            return nil
        }
        if let index = locations[pointer.description] { return index }
        if pointer.resolve(in: document) != nil {
            problem("$ref", path, "'$ref' '\(ref)' points to a place that is not a schema")
        } else {
            problem("$ref", path, "'$ref' '\(ref)' points to nothing in this schema")
        }
        return nil
    }

    /// Decodes `%XX` escapes (URI fragments) as UTF-8.
    static func percentDecode(_ text: String) -> String? {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = utf8.next().flatMap(hexValue), let low = utf8.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(bytes: bytes, encoding: .utf8)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - 48
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - 87
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - 55
        default: return nil
        }
    }

    /// Refuses a cycle of subschemas applied to the same value (`$ref`, `allOf`, `anyOf`, `oneOf`,
    /// `not`, `if`/`then`/`else`): evaluating it would recurse forever without reaching into the data.
    mutating func detectRefLoops() {
        enum Mark { case unvisited, active, done }
        var marks = Array(repeating: Mark.unvisited, count: nodes.count)
        for start in nodes.indices where marks[start] == .unvisited {
            // Iterative depth-first search; `stack` holds the active path with the next child to visit.
            var stack: [(node: Int, next: Int)] = [(start, 0)]
            marks[start] = .active
            while let (node, next) = stack.last {
                let children = nodes[node].inPlaceChildren
                guard next < children.count else {
                    marks[node] = .done
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].next += 1
                let child = children[next]
                switch marks[child] {
                case .unvisited:
                    marks[child] = .active
                    stack.append((child, 0))
                case .active:
                    let cycle = stack.map(\.node).drop { $0 != child }.map { "#" + nodes[$0].path.description }
                    let refNode = stack.map(\.node).drop { $0 != child }.first { nodes[$0].ref != nil } ?? child
                    problem(
                        "$ref", nodes[refNode].path.appending(key: "$ref"),
                        "'$ref' loop that never reaches into the data: "
                            + (cycle + ["#" + nodes[child].path.description]).joined(separator: " → "))
                    return
                case .done:
                    break
                }
            }
        }
    }
}

/// ECMA-262 regular expressions (what JSON Schema patterns are) run on ICU (NSRegularExpression), with
/// the differences that matter for validation adapted: `\d` and `\w` are ASCII-only, `\s` is
/// ECMA-262's set of white space, `\u{…}` is written `\x{…}`, `$` matches only
/// at the very end (ICU's `$` also matches before a final line break), and `[` inside a class is a
/// literal.
enum ECMAPattern {
    /// ECMA-262 `\s`: white space and line terminators, including U+FEFF and excluding U+0085.
    static let whitespace =
        #"\t\n\x{0B}\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}"#

    static func icuPattern(_ pattern: String) -> String {
        var out = ""
        var inClass = false
        let scalars = Array(pattern.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            i += 1
            switch scalar {
            case "\\":
                guard i < scalars.count else {
                    out += "\\"
                    continue
                }
                let next = scalars[i]
                i += 1
                switch next {
                case "d": out += inClass ? "0-9" : "[0-9]"
                case "D": out += "[^0-9]"
                case "w": out += inClass ? "a-zA-Z0-9_" : "[a-zA-Z0-9_]"
                case "W": out += "[^a-zA-Z0-9_]"
                case "s": out += inClass ? whitespace : "[" + whitespace + "]"
                case "S": out += "[^" + whitespace + "]"
                case "u" where i < scalars.count && scalars[i] == "{":
                    out += "\\x"  // ECMA-262 `\u{1F432}` is ICU `\x{1F432}`
                default:
                    out += "\\"
                    out.unicodeScalars.append(next)
                }
            case "[":
                if inClass {
                    out += "\\["
                } else {
                    inClass = true
                    out += "["
                    // A `]` or `^]` right after the opening bracket is literal in ICU but closes an
                    // empty class in ECMA-262; both are rare, and left as ICU reads them.
                }
            case "]":
                inClass = false
                out += "]"
            case "$" where !inClass:
                out += "\\z"
            case "&" where inClass:
                out += "\\&"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
