/// Applies compiled schema nodes to a value.
///
/// `errors` doubles as the mode: when it is `nil`, evaluation only answers valid or not and stops at
/// the first problem (used for `not`, `if`, `contains` and to try `anyOf`/`oneOf` alternatives); when
/// it is an array, every problem is appended with its message.
struct SchemaEvaluator {
    let nodes: [SchemaNode.Box]
    /// The instance location being evaluated, kept only while errors are collected: a check that only
    /// answers valid or not reports nothing, and nothing it calls collects errors.
    private var path: [JSONPointer.Component] = []

    init(nodes: [SchemaNode.Box]) { self.nodes = nodes }

    private var here: JSONPointer { JSONPointer(path) }

    private func at(_ component: JSONPointer.Component) -> JSONPointer { JSONPointer(path + [component]) }

    /// Appends an error when errors are collected. The message and hint are made only then: without a
    /// list (trying `anyOf` alternatives, most of which fail), nobody reads them.
    private func report(
        _ errors: inout [SchemaError]?, _ node: SchemaNode.Box, _ keyword: String, _ message: @autoclosure () -> String,
        instance: JSONPointer? = nil, subject: SchemaError.Subject = .value, key: String? = nil,
        hint: @autoclosure () -> String? = nil, causes: [SchemaError] = [], schemaPath: JSONPointer? = nil
    ) {
        guard errors != nil else { return }
        errors!.append(
            SchemaError(
                instancePath: instance ?? here, subject: subject, keyword: keyword,
                schemaPath: schemaPath ?? node.node.path.appending(key: keyword), message: message(), key: key,
                hint: hint(), causes: causes))
    }

    /// Evaluates `node` against `value`; whether it is valid.
    mutating func evaluate(_ index: Int, _ value: JSONValue, _ errors: inout [SchemaError]?) -> Bool {
        let node = nodes[index]
        if let constant = node.node.constant {
            if !constant {
                report(&errors, node, "false", "no value is allowed here", schemaPath: node.node.path)
            }
            return constant
        }
        var valid = true
        // Each check returns false when it failed; without an error list the first failure ends it.
        func go(_ ok: Bool) -> Bool {
            if !ok { valid = false }
            return ok || errors != nil
        }

        if let ref = node.node.ref, !go(evaluate(ref, value, &errors)) { return false }
        if let types = node.node.types, !go(checkType(node, types, value, &errors)) { return false }
        if let values = node.node.enumValues, !values.contains(value) {
            valid = false
            report(&errors, node, "enum", enumMessage(values, value))
            if errors == nil { return false }
        }
        if let constant = node.node.constValue, constant != value {
            valid = false
            report(&errors, node, "const", "value must be \(SchemaEvaluator.show(constant))")
            if errors == nil { return false }
        }

        switch value {
        case .number(let number):
            if !go(checkNumber(node, number, &errors)) { return false }
        case .string(let text):
            if !go(checkString(node, text, &errors)) { return false }
        case .array(let items):
            if !go(checkArray(node, items, &errors)) { return false }
        case .object(let object):
            if !go(checkObject(node, object, &errors)) { return false }
        default:
            break
        }

        for child in node.node.allOf where !go(evaluate(child, value, &errors)) { return false }
        if let alternatives = node.node.anyOf, !go(checkAnyOf(node, alternatives, value, &errors)) { return false }
        if let alternatives = node.node.oneOf, !go(checkOneOf(node, alternatives, value, &errors)) { return false }
        if let negated = node.node.not {
            var none: [SchemaError]?
            if evaluate(negated, value, &none) {
                valid = false
                report(&errors, node, "not", "value must not match the schema in 'not'")
                if errors == nil { return false }
            }
        }
        if let condition = node.node.ifSchema {
            var none: [SchemaError]?
            let branch = evaluate(condition, value, &none) ? node.node.thenSchema : node.node.elseSchema
            if let branch, !go(evaluate(branch, value, &errors)) { return false }
        }
        return valid
    }

    // MARK: Type, enum, const

    private func checkType(
        _ node: SchemaNode.Box, _ types: [JSONType], _ value: JSONValue, _ errors: inout [SchemaError]?
    ) -> Bool {
        if types.contains(where: { $0.matches(value) }) { return true }
        guard errors != nil else { return false }
        let expected = types.map(\.phrase)
        let list =
            expected.count <= 1
            ? expected.joined() : expected.dropLast().joined(separator: ", ") + " or " + (expected.last ?? "")
        report(&errors, node, "type", "expected \(list), found \(value.kindDescription)")
        return false
    }

    private func enumMessage(_ values: [JSONValue], _ value: JSONValue) -> String {
        let strings = values.compactMap(\.stringValue)
        if strings.count == values.count {
            var message = "value must be one of: " + strings.joined(separator: ", ")
            if let text = value.stringValue, let suggestion = Suggestion.closest(to: text, among: strings) {
                message += " (did you mean '\(suggestion)'?)"
            }
            return message
        }
        return "value must be one of: " + values.map(\.jsonText).joined(separator: ", ")
    }

    /// A value inside a message: text in quotes, anything else as JSON.
    static func show(_ value: JSONValue) -> String {
        if let text = value.stringValue { return "'\(text)'" }
        return value.jsonText
    }

    // MARK: Numbers

    private func checkNumber(_ node: SchemaNode.Box, _ number: JSONNumber, _ errors: inout [SchemaError]?) -> Bool {
        var valid = true
        func fail(_ keyword: String, _ message: String) {
            valid = false
            report(&errors, node, keyword, message + ", found \(number)")
        }
        if let limit = node.node.minimum, number < limit { fail("minimum", "must be at least \(limit)") }
        if valid || errors != nil, let limit = node.node.exclusiveMinimum, number <= limit {
            fail("exclusiveMinimum", "must be greater than \(limit)")
        }
        if valid || errors != nil, let limit = node.node.maximum, number > limit {
            fail("maximum", "must be at most \(limit)")
        }
        if valid || errors != nil, let limit = node.node.exclusiveMaximum, number >= limit {
            fail("exclusiveMaximum", "must be less than \(limit)")
        }
        if valid || errors != nil, let divisor = node.node.multipleOf, !number.isMultiple(of: divisor) {
            fail("multipleOf", "must be a multiple of \(divisor)")
        }
        return valid
    }

    // MARK: Strings

    private func checkString(_ node: SchemaNode.Box, _ text: String, _ errors: inout [SchemaError]?) -> Bool {
        var valid = true
        if node.node.minLength != nil || node.node.maxLength != nil {
            let length = text.unicodeScalars.count
            if let limit = node.node.minLength, length < limit {
                valid = false
                report(
                    &errors, node, "minLength",
                    "must be at least \(SchemaEvaluator.plural(limit, "character")) long, found \(length)")
                if errors == nil { return false }
            }
            if let limit = node.node.maxLength, length > limit {
                valid = false
                report(
                    &errors, node, "maxLength",
                    "must be at most \(SchemaEvaluator.plural(limit, "character")) long, found \(length)")
                if errors == nil { return false }
            }
        }
        if let pattern = node.node.pattern, !pattern.matches(text) {
            valid = false
            report(&errors, node, "pattern", "does not match the pattern \(pattern.source)")
            if errors == nil { return false }
        }
        if let format = node.node.format, !format.matches(text) {
            valid = false
            report(&errors, node, "format", format.failureMessage)
        }
        return valid
    }

    static func plural(_ count: Int, _ noun: String) -> String {
        count == 1 ? "1 \(noun)" : "\(count) \(noun)s"
    }

    // MARK: Arrays

    private mutating func checkArray(_ node: SchemaNode.Box, _ items: [JSONValue], _ errors: inout [SchemaError]?) -> Bool {
        var valid = true
        if let limit = node.node.minItems, items.count < limit {
            valid = false
            report(
                &errors, node, "minItems",
                "expected at least \(SchemaEvaluator.plural(limit, "item")), found \(items.count)")
            if errors == nil { return false }
        }
        if let limit = node.node.maxItems, items.count > limit {
            valid = false
            report(
                &errors, node, "maxItems",
                "expected at most \(SchemaEvaluator.plural(limit, "item")), found \(items.count)")
            if errors == nil { return false }
        }
        if node.node.uniqueItems {
            var seen: [JSONValue: Int] = [:]
            for (i, item) in items.enumerated() {
                if let first = seen[item] {
                    valid = false
                    report(
                        &errors, node, "uniqueItems", "duplicate of item \(first); the items must all differ",
                        instance: at(.index(i)))
                    if errors == nil { return false }
                } else {
                    seen[item] = i
                }
            }
        }
        for (i, item) in items.enumerated() {
            let schema: Int
            if i < node.node.prefixItems.count {
                schema = node.node.prefixItems[i]
            } else if let rest = node.node.items {
                schema = rest
            } else {
                break
            }
            if errors != nil { path.append(.index(i)) }
            defer { if errors != nil { path.removeLast() } }
            if nodes[schema].node.constant == false {
                valid = false
                report(
                    &errors, node, "items",
                    "item \(i) is not allowed: at most \(SchemaEvaluator.plural(node.node.prefixItems.count, "item")) may be given",
                    schemaPath: nodes[schema].node.path)
                if errors == nil { return false }
            } else if !evaluate(schema, item, &errors) {
                valid = false
                if errors == nil { return false }
            }
        }
        if let contains = node.node.contains {
            var matches = 0
            for item in items {
                var none: [SchemaError]?
                if evaluate(contains, item, &none) { matches += 1 }
            }
            let least = node.node.minContains ?? 1
            if matches < least {
                valid = false
                let message =
                    matches == 0 && least == 1
                    ? "no item matches the schema in 'contains'"
                    : "expected at least \(SchemaEvaluator.plural(least, "item")) matching the schema in 'contains', found \(matches)"
                report(&errors, node, node.node.minContains == nil ? "contains" : "minContains", message)
                if errors == nil { return false }
            }
            if let most = node.node.maxContains, matches > most {
                valid = false
                report(
                    &errors, node, "maxContains",
                    "expected at most \(SchemaEvaluator.plural(most, "item")) matching the schema in 'contains', found \(matches)"
                )
            }
        }
        return valid
    }

    // MARK: Objects

    private mutating func checkObject(_ node: SchemaNode.Box, _ object: JSONObject, _ errors: inout [SchemaError]?) -> Bool
    {
        var valid = true
        for key in node.node.required where object[key] == nil {
            valid = false
            report(&errors, node, "required", "missing required key '\(key)'", key: key, hint: "add '\(key):'")
            if errors == nil { return false }
        }
        for (trigger, needed) in node.node.dependentRequired where object[trigger] != nil {
            for key in needed where object[key] == nil {
                valid = false
                report(
                    &errors, node, "dependentRequired", "missing key '\(key)', required when '\(trigger)' is present",
                    key: key, hint: "add '\(key):' or remove '\(trigger)'")
                if errors == nil { return false }
            }
        }
        if let limit = node.node.minProperties, object.count < limit {
            valid = false
            report(
                &errors, node, "minProperties",
                "expected at least \(SchemaEvaluator.plural(limit, "key")), found \(object.count)")
            if errors == nil { return false }
        }
        if let limit = node.node.maxProperties, object.count > limit {
            valid = false
            report(
                &errors, node, "maxProperties",
                "expected at most \(SchemaEvaluator.plural(limit, "key")), found \(object.count)")
            if errors == nil { return false }
        }
        if let namesSchema = node.node.propertyNamesSchema {
            for member in object {
                if errors != nil { path.append(.key(member.key)) }
                defer { if errors != nil { path.removeLast() } }
                var nameErrors: [SchemaError]? = errors == nil ? nil : []
                if !evaluate(namesSchema, .string(member.key), &nameErrors) {
                    valid = false
                    guard errors != nil else { return false }
                    for var error in nameErrors ?? [] {
                        error.subject = .key
                        error.key = member.key
                        error.message = "key '\(member.key)': \(error.message)"
                        errors?.append(error)
                    }
                }
            }
        }
        let checksMembers =
            !node.node.properties.isEmpty || !node.node.patternProperties.isEmpty || node.node.additionalProperties != nil
        guard checksMembers else { return valid }
        for member in object {
            var matched = false
            let key = member.key
            if errors != nil { path.append(.key(key)) }
            defer { if errors != nil { path.removeLast() } }
            if let schema = node.node.properties[ExactString(key)] {
                matched = true
                if !checkMember(node, "properties", schema, key, member.value, &errors) {
                    valid = false
                    if errors == nil { return false }
                }
            }
            for (pattern, schema) in node.node.patternProperties where pattern.matches(key) {
                matched = true
                if !checkMember(node, "patternProperties", schema, key, member.value, &errors) {
                    valid = false
                    if errors == nil { return false }
                }
            }
            if !matched, let schema = node.node.additionalProperties {
                if !checkMember(node, "additionalProperties", schema, key, member.value, &errors) {
                    valid = false
                    if errors == nil { return false }
                }
            }
        }
        return valid
    }

    /// A member's value against its subschema; a `false` subschema reports the key itself.
    private mutating func checkMember(
        _ node: SchemaNode.Box, _ keyword: String, _ schema: Int, _ key: String, _ value: JSONValue,
        _ errors: inout [SchemaError]?
    ) -> Bool {
        guard nodes[schema].node.constant != false else {
            if errors == nil { return false }
            if keyword == "additionalProperties" {
                let suggestion = Suggestion.closest(to: key, among: node.node.propertyNames)
                let allowed = node.node.propertyNames.joined(separator: ", ")
                report(
                    &errors, node, keyword,
                    "unknown key '\(key)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                    subject: .key, key: key,
                    hint: suggestion == nil && !allowed.isEmpty ? "allowed keys: \(allowed)" : nil,
                    schemaPath: nodes[schema].node.path)
            } else {
                report(
                    &errors, node, keyword, "key '\(key)' is not allowed here", subject: .key, key: key,
                    schemaPath: nodes[schema].node.path)
            }
            return false
        }
        return evaluate(schema, value, &errors)
    }

    // MARK: anyOf, oneOf

    private mutating func checkAnyOf(
        _ node: SchemaNode.Box, _ alternatives: [Int], _ value: JSONValue, _ errors: inout [SchemaError]?
    ) -> Bool {
        for alternative in alternatives {
            var none: [SchemaError]?
            if evaluate(alternative, value, &none) { return true }
        }
        if errors != nil {
            report(
                &errors, node, "anyOf", "does not match any of the allowed alternatives",
                causes: causes(alternatives, value))
        }
        return false
    }

    private mutating func checkOneOf(
        _ node: SchemaNode.Box, _ alternatives: [Int], _ value: JSONValue, _ errors: inout [SchemaError]?
    ) -> Bool {
        var matching: [Int] = []
        for (i, alternative) in alternatives.enumerated() {
            var none: [SchemaError]?
            if evaluate(alternative, value, &none) {
                matching.append(i)
                if matching.count > 1, errors == nil { return false }
            }
        }
        if matching.count == 1 { return true }
        if errors != nil {
            if matching.isEmpty {
                report(
                    &errors, node, "oneOf", "does not match any of the allowed alternatives",
                    causes: causes(alternatives, value))
            } else {
                let which = matching.map(String.init).joined(separator: ", ")
                report(&errors, node, "oneOf", "matches alternatives \(which) of 'oneOf', but exactly one may match")
            }
        }
        return false
    }

    private mutating func causes(_ alternatives: [Int], _ value: JSONValue) -> [SchemaError] {
        var all: [SchemaError] = []
        for alternative in alternatives {
            var found: [SchemaError]? = []
            _ = evaluate(alternative, value, &found)
            all += found ?? []
        }
        return all
    }
}
