/// The kinds of content that have a schema.
public enum SchemaKind: String, Sendable, Hashable, CaseIterable {
    case config, person, role, site, vendor, scenario, runbook, page, summary

    /// The built-in schema's JSON text, as shipped.
    public var builtInText: String {
        let bytes: [UInt8]
        switch self {
        case .config: bytes = PackageResources.config_schema_json
        case .person: bytes = PackageResources.person_schema_json
        case .role: bytes = PackageResources.role_schema_json
        case .site: bytes = PackageResources.site_schema_json
        case .vendor: bytes = PackageResources.vendor_schema_json
        case .scenario: bytes = PackageResources.scenario_schema_json
        case .runbook: bytes = PackageResources.runbook_schema_json
        case .page: bytes = PackageResources.page_schema_json
        case .summary: bytes = PackageResources.summary_schema_json
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The schema of every kind: the built-in one, combined (`allOf`) with the organization's extension
/// from `content/schema/<kind>.schema.yaml` when there is one. Keys an extension declares are allowed
/// in that kind and reach the templates.
public struct SchemaSet: Sendable {
    var schemas: [SchemaKind: JSONSchema]
    /// The keys each kind's extension declares, in the extension's order.
    public private(set) var extensionKeys: [SchemaKind: [String]] = [:]

    /// The built-in schemas, compiled. They ship with the tool, so a failure is a broken installation.
    public static func builtIn() throws -> SchemaSet {
        var schemas: [SchemaKind: JSONSchema] = [:]
        for kind in SchemaKind.allCases {
            schemas[kind] = try compile(builtInDocument(kind), origin: "built-in \(kind.rawValue) schema")
        }
        return SchemaSet(schemas: schemas)
    }

    static func builtInDocument(_ kind: SchemaKind) throws -> JSONValue {
        do {
            return try JSONValue(parsing: kind.builtInText)
        } catch {
            throw EnvironmentError("the built-in \(kind.rawValue) schema is not valid JSON: \(error)")
        }
    }

    static func compile(_ document: JSONValue, origin: String) throws -> JSONSchema {
        do {
            return try JSONSchema(document)
        } catch {
            throw EnvironmentError("\(origin) cannot be compiled: \(error)")
        }
    }

    /// The built-in schemas with the extensions found in the content folder. A bad extension is a
    /// content problem: it is reported and left out.
    public static func with(extensions: [YAMLDocument]) throws -> (SchemaSet, [Diagnostic]) {
        var set = try builtIn()
        var diagnostics: [Diagnostic] = []
        for document in extensions.sorted(by: { $0.path < $1.path }) {
            let name = String(document.path.split(separator: "/").last ?? "")
            let kindName = name.hasSuffix(".schema.yaml") ? String(name.dropLast(".schema.yaml".count)) : name
            guard let kind = SchemaKind(rawValue: kindName) else {
                diagnostics.append(
                    .error(
                        .badSchemaExtension,
                        "'\(name)' extends no kind; name it after one of \(SchemaKind.allCases.map { "\($0.rawValue).schema.yaml" }.joined(separator: ", "))",
                        at: SourceLocation(path: document.path)))
                continue
            }
            guard let root = document.root else { continue }
            let located = LocatedJSON(root)
            guard case .object(let extensionObject) = located.value else {
                diagnostics.append(.error(.badSchemaExtension, "a schema extension must be a mapping", at: root.location))
                continue
            }
            // The extension must compile on its own, so its problems point into its own file.
            do {
                _ = try JSONSchema(located.value)
            } catch {
                for problem in error.problems {
                    diagnostics.append(
                        .error(
                            .badSchemaExtension, "schema extension: \(problem.message)",
                            at: located.location(of: problem.schemaPath) ?? root.location))
                }
                continue
            }
            do {
                let combined = try combine(builtInDocument(kind), with: extensionObject)
                set.schemas[kind] = try compile(combined, origin: document.path)
                set.extensionKeys[kind] = extensionObject["properties"]?.objectValue?.keys ?? []
            } catch let error as EnvironmentError {
                diagnostics.append(.error(.badSchemaExtension, error.message, at: root.location))
            }
        }
        return (set, diagnostics)
    }

    /// `{"$defs": both, "allOf": [built-in, extension]}`, with the extension's properties admitted by the
    /// built-in schema's `additionalProperties: false`.
    static func combine(_ builtIn: JSONValue, with extensionObject: JSONObject) throws -> JSONValue {
        guard case .object(var base) = builtIn else { throw EnvironmentError("the built-in schema is not an object") }
        var ext = extensionObject
        var defs = base["$defs"]?.objectValue ?? JSONObject()
        for member in ext["$defs"]?.objectValue ?? JSONObject() {
            guard defs[member.key] == nil else {
                throw EnvironmentError("'$defs/\(member.key)' is already defined by the built-in schema; choose another name")
            }
            defs[member.key] = member.value
        }
        var properties = base["properties"]?.objectValue ?? JSONObject()
        for key in ext["properties"]?.objectValue?.keys ?? [] where properties[key] == nil {
            properties[key] = .bool(true)
        }
        base["properties"] = .object(properties)
        for key in ["$defs", "$id", "$schema"] {
            base[key] = nil
            ext[key] = nil
        }
        var combined = JSONObject()
        combined["$defs"] = .object(defs)
        combined["allOf"] = .array([.object(base), .object(ext)])
        return .object(combined)
    }

    /// Validates one entity's YAML against its kind's schema. `subject` names the entity in messages.
    public func validate(_ node: YAMLNode, kind: SchemaKind, subject: String) -> [Diagnostic] {
        guard let schema = schemas[kind] else { return [] }
        let value = LocatedJSON.value(of: node, droppingNullMembers: true)
        // Most documents are valid: that is answered first, stopping at the first problem and making no
        // messages; only an invalid one is evaluated again for every error.
        guard !schema.isValid(value) else { return [] }
        let errors = schema.validate(value)
        guard !errors.isEmpty else { return [] }
        let located = LocatedJSON(node, droppingNullMembers: true)
        return errors.flatMap { diagnostics(for: $0, located: located, subject: subject, schema: schema) }
    }

    func diagnostics(for error: SchemaError, located: LocatedJSON, subject: String, schema: JSONSchema) -> [Diagnostic] {
        // For "one of these forms" failures, report what went wrong in the form the value attempted.
        if error.keyword == "anyOf" || error.keyword == "oneOf", !error.causes.isEmpty {
            let attempted = error.causes.filter { $0.keyword != "type" }
            if !attempted.isEmpty {
                return attempted.flatMap { diagnostics(for: $0, located: located, subject: subject, schema: schema) }
            }
            let expected = (error.schemaPath.parent ?? error.schemaPath).resolve(in: schema.document)?["description"]?.stringValue
            let found = error.instancePath.resolve(in: located.value)?.kindDescription ?? "another value"
            return [
                .error(
                    .wrongType,
                    "\(place(error.instancePath, subject: subject))expected \(expected.map { $0.prefix(1).lowercased() + $0.dropFirst().trimmingCharacters(in: .punctuationCharacters) } ?? "another form"), found \(found)",
                    at: located.location(of: error))
            ]
        }
        return [
            Diagnostic(
                code(for: error.keyword), .error, place(error.instancePath, subject: subject) + error.message,
                at: located.location(of: error), hint: error.hint)
        ]
    }

    /// "runbook 'dns': " at the top level; "'policy.tiers[1]': " deeper down.
    func place(_ pointer: JSONPointer, subject: String) -> String {
        var text = ""
        for component in pointer.components {
            switch component {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let i): text += "[\(i)]"
            }
        }
        return text.isEmpty ? "\(subject): " : "'\(text)': "
    }

    func code(for keyword: String) -> DiagnosticCode {
        switch keyword {
        case "required", "dependentRequired": return .missingKey
        case "type": return .wrongType
        case "enum", "const": return .notInEnum
        case "format", "pattern": return .badFormat
        case "additionalProperties", "propertyNames", "false": return .unknownKey
        case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf": return .outOfRange
        default: return .schemaMismatch
        }
    }
}
