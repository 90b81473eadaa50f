/// A JSON Schema (draft 2020-12), compiled once and then used to validate any number of values.
///
/// Compiling checks the whole schema document: every keyword must be one this validator implements
/// (see docs/json-schema.md). Anything else — `unevaluatedProperties`, `$dynamicRef`, `$anchor`,
/// `dependentSchemas`, a `$ref` to another document, an `$id` below the root, an unknown `format`, a
/// misspelt keyword — is refused with a `SchemaCompileError` that names the keyword and where it is,
/// rather than silently ignored. A `$ref` loop that would never reach into the data (`{"$ref": "#"}`)
/// is refused too, so validation always ends.
///
/// ```swift
/// let schema = try JSONSchema(try JSONValue(parsing: schemaText))
/// for error in schema.validate(value) { print(error) }
/// ```
public struct JSONSchema: Sendable {
    /// Each node in a box of its own: evaluating a node reads it in place rather than copying its many
    /// fields (and counting a reference for each) on every visit.
    let nodes: [SchemaNode.Box]
    let rootIndex: Int
    /// The root `$id`, when the schema has one.
    public let id: String?
    /// The schema document as given.
    public let document: JSONValue

    /// Compiles a schema document.
    public init(_ document: JSONValue) throws(SchemaCompileError) {
        var compiler = SchemaCompiler(document: document)
        let compiled = compiler.compile()
        if !compiler.problems.isEmpty { throw SchemaCompileError(problems: compiler.problems) }
        nodes = compiled.nodes.map(SchemaNode.Box.init)
        rootIndex = compiled.root
        id = compiled.id
        self.document = document
    }

    /// Every way `instance` breaks the schema, in schema order; empty when it is valid.
    public func validate(_ instance: JSONValue) -> [SchemaError] {
        var evaluator = SchemaEvaluator(nodes: nodes)
        var errors: [SchemaError]? = []
        _ = evaluator.evaluate(rootIndex, instance, &errors)
        return errors ?? []
    }

    /// Whether `instance` is valid; stops at the first problem, without building messages.
    public func isValid(_ instance: JSONValue) -> Bool {
        var evaluator = SchemaEvaluator(nodes: nodes)
        var errors: [SchemaError]?
        return evaluator.evaluate(rootIndex, instance, &errors)
    }
}

/// One way a value breaks a schema.
public struct SchemaError: Sendable, Hashable, CustomStringConvertible {
    /// What `instancePath` designates: the value there, or the key that leads to it (an unknown key, a
    /// key name that breaks `propertyNames`), so that a YAML position can be the key's.
    public enum Subject: Sendable, Hashable {
        case value
        case key
    }

    /// Where the problem is in the validated value. For `required` and `dependentRequired`, the
    /// object that lacks the key; for `additionalProperties` and `propertyNames`, the offending key.
    public var instancePath: JSONPointer
    public var subject: Subject
    /// The schema keyword that failed (`required`, `type`, `format`, `anyOf`, or `false` for a `false`
    /// schema).
    public var keyword: String
    /// Where that keyword is written in the schema document, after following `$ref`s
    /// (`/$defs/duration/format`).
    public var schemaPath: JSONPointer
    /// A sentence for plan authors: "missing required key 'rto'".
    public var message: String
    /// The object key the error is about, when there is one: the missing key of `required` and
    /// `dependentRequired`, the offending key of `additionalProperties` and `propertyNames`.
    public var key: String?
    /// A short instruction, when there is an obvious one ("allowed keys: a, b").
    public var hint: String?
    /// For `anyOf` and `oneOf` with no matching alternative: what each alternative reported.
    public var causes: [SchemaError]

    public init(
        instancePath: JSONPointer, subject: Subject = .value, keyword: String, schemaPath: JSONPointer,
        message: String, key: String? = nil, hint: String? = nil, causes: [SchemaError] = []
    ) {
        self.instancePath = instancePath
        self.subject = subject
        self.keyword = keyword
        self.schemaPath = schemaPath
        self.message = message
        self.key = key
        self.hint = hint
        self.causes = causes
    }

    /// `/runbooks/0/rto: does not match the duration format (…) [#/$defs/duration/format]`.
    public var description: String {
        let place = instancePath.isRoot ? "(root)" : instancePath.description
        return "\(place): \(message) [#\(schemaPath)]"
    }
}

/// Why a schema cannot be compiled: every refused or malformed keyword, each with its place.
public struct SchemaCompileError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The keyword refused or malformed (`unevaluatedProperties`, `$ref`, `format`, `minLength`).
        public var keyword: String
        /// Where it is in the schema document.
        public var schemaPath: JSONPointer
        public var message: String

        public init(keyword: String, schemaPath: JSONPointer, message: String) {
            self.keyword = keyword
            self.schemaPath = schemaPath
            self.message = message
        }

        /// `#/properties/a/unevaluatedProperties: unsupported keyword 'unevaluatedProperties' (…)`.
        public var description: String { "#\(schemaPath): \(message)" }
    }

    public var problems: [Problem]

    public init(problems: [Problem]) { self.problems = problems }

    public var description: String {
        "the schema cannot be used: " + problems.map(\.description).joined(separator: "; ")
    }
}
