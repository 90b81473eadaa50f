import Testing

@testable import ContinuityKit

/// Compiles a schema written as JSON text.
func schema(_ json: String) throws -> JSONSchema {
    try JSONSchema(try JSONValue(parsing: json))
}

/// The problems of a schema that must be refused.
func refusal(_ json: String) throws -> [SchemaCompileError.Problem] {
    let document = try JSONValue(parsing: json)
    do {
        _ = try JSONSchema(document)
    } catch {
        return error.problems
    }
    Issue.record("expected the schema to be refused: \(json)")
    return []
}

@Suite("JSON values and numbers")
struct JSONValueTests {
    @Test(arguments: [
        ("1", "1.0"), ("1", "1e0"), ("100", "1e2"), ("0.5", "5e-1"), ("-0", "0"), ("0.0075", "75e-4"),
        (
            "12345678910111213141516171819202122232425262728293031",
            "1.2345678910111213141516171819202122232425262728293031e52"
        ),
    ])
    func equalNumbers(_ a: String, _ b: String) throws {
        let x = try #require(JSONNumber(a))
        let y = try #require(JSONNumber(b))
        #expect(x == y)
        #expect(x.hashValue == y.hashValue)
        #expect(JSONValue.number(x) == JSONValue.number(y))
    }

    @Test(arguments: [
        ("1", "2"), ("-2", "-1"), ("0.1", "0.11"), ("-1e308", "1e-308"),
        ("18446744073709551600", "18446744073709551615"),
        ("9.727837981879870e26", "9.727837981879871e26"), ("0", "1e-1000"),
    ])
    func orderedNumbers(_ a: String, _ b: String) throws {
        let x = try #require(JSONNumber(a))
        let y = try #require(JSONNumber(b))
        #expect(x < y)
        #expect(!(y < x))
    }

    @Test(arguments: ["", "-", "01", "1.", ".5", "+1", "1e", "1e+", "0x10", "1.5.2", "NaN", "1e2000000000"])
    func notJSONNumbers(_ text: String) {
        #expect(JSONNumber(text) == nil)
    }

    @Test(arguments: [
        ("1.0", true), ("1", true), ("1e3", true), ("1.5", false), ("1e-1", false), ("-0.0", true), ("1e308", true),
        ("12345678910111213141516171819202122232425262728293031", true),
    ])
    func integers(_ text: String, _ isInteger: Bool) throws {
        #expect(try #require(JSONNumber(text)).isInteger == isInteger)
    }

    @Test(arguments: [
        ("19.99", "0.01", true), ("19.999", "0.01", false), ("0.0075", "0.0001", true), ("0.00751", "0.0001", false),
        ("10", "2.5", true), ("1e308", "0.5", true), ("1e308", "0.123456789", false), ("12391239123", "1e-8", true),
        ("4.5", "1.5", true), ("35", "1.5", false), ("0", "7", true), ("-21", "7", true), ("1", "3", false),
        ("123456789123456789123456789", "3", true), ("123456789123456789123456788", "3", false),
        ("1e-1000", "1e-1001", true), ("1e-1001", "1e-1000", false),
    ])
    func multiples(_ value: String, _ divisor: String, _ expected: Bool) throws {
        let number = try #require(JSONNumber(value))
        #expect(number.isMultiple(of: try #require(JSONNumber(divisor))) == expected)
    }

    @Test(arguments: [
        ("19.99", "19.99"), ("1.0", "1"), ("1e3", "1000"), ("0.0075", "0.0075"), ("-12.5", "-12.5"),
        ("1e308", "1e+308"),
        ("1e-7", "1e-7"), ("1.5e-9", "1.5e-9"), ("0", "0"),
    ])
    func numberText(_ text: String, _ shown: String) throws {
        #expect(try #require(JSONNumber(text)).description == shown)
    }

    @Test func intValue() throws {
        #expect(try #require(JSONNumber("42.0")).intValue == 42)
        #expect(try #require(JSONNumber("-7")).intValue == -7)
        #expect(try #require(JSONNumber("1.5")).intValue == nil)
        #expect(try #require(JSONNumber("1e30")).intValue == nil)
    }

    @Test func parsesDocuments() throws {
        let value = try JSONValue(parsing: ##"{"b": [1, 2.50, true, null], "a": "x\u00e9\ud83d\udc32\n", "c": {}}"##)
        guard case .object(let object) = value else {
            Issue.record("expected an object")
            return
        }
        #expect(object.keys == ["b", "a", "c"])
        #expect(value["a"] == .string("xé\u{1F432}\n"))
        #expect(value["b"] == [1, 2.5, true, nil])
        #expect(value == ["c": [:], "a": "xé\u{1F432}\n", "b": [1.0, 2.5, true, nil]])
        #expect(value.jsonText == ##"{"b":[1,2.5,true,null],"a":"xé🐲\n","c":{}}"##)
    }

    @Test func objectEqualityIgnoresOrder() {
        let a: JSONValue = ["x": 1, "y": [1, 2]]
        let b: JSONValue = ["y": [1.0, 2.0], "x": 1.0]
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(Set([a, b]).count == 1)
        #expect(a != ["x": 1, "y": [2, 1]])
    }

    @Test("an object keeps its members in order, small or large, through sets and removals", arguments: [3, JSONObject.linearLimit, JSONObject.linearLimit + 1, 40])
    func objectMembers(_ count: Int) {
        var object = JSONObject()
        for i in 0..<count { object["k\(i)"] = .number(JSONNumber(i)) }
        // Keys that differ only in their canonical form, and a key set twice.
        object["\u{E9}"] = 1
        object["e\u{301}"] = 2
        object["k0"] = "again"
        #expect(object.count == count + 2)
        #expect(object.keys == (0..<count).map { "k\($0)" } + ["\u{E9}", "e\u{301}"])
        #expect(object["k0"] == "again" && object["e\u{301}"] == 2 && object["\u{E9}"] == 1 && object["k\(count)"] == nil)
        object["k1"] = nil
        object["\u{E9}"] = nil
        #expect(object.count == count)
        #expect(object["k1"] == nil && object["\u{E9}"] == nil && object["e\u{301}"] == 2)
        #expect(object["k\(count - 1)"] == .number(JSONNumber(count - 1)))
        object["new"] = true
        #expect(object.keys.last == "new" && object["new"] == true)
    }

    @Test func stringsCompareByCodePoints() {
        #expect(JSONValue.string("\u{E9}") != JSONValue.string("e\u{301}"))
        let object = JSONObject([("\u{E9}", 1), ("e\u{301}", 2)])
        #expect(object.count == 2)
        #expect(object["e\u{301}"] == 2)
    }

    @Test(arguments: [
        ("{\"a\": 1, \"a\": 2}", "duplicate key", 1, 10), ("[1, 2] x", "unexpected text", 1, 8),
        ("[1,\n 2,]", "expected a value", 2, 4),
        ("\"abc", "unterminated string", 1, 1), ("{\"a\" 1}", "expected ':'", 1, 6), ("01", "malformed number", 1, 1),
        ("\"a\tb\"", "control character", 1, 3), ("", "unexpected end", 1, 1),
        ("[1e99999999999]", "malformed number", 1, 2),
    ])
    func parseErrors(_ text: String, _ message: String, _ line: Int, _ column: Int) {
        #expect {
            _ = try JSONValue(parsing: text)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.message.contains(message) && error.line == line && error.column == column
        }
    }

    @Test func nestingIsLimited() throws {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        _ = try JSONValue(parsing: fine)
    }

    @Test func pointers() throws {
        let pointer: JSONPointer = ["runbooks", 0, "a/b~c"]
        #expect(pointer.description == "/runbooks/0/a~1b~0c")
        #expect(JSONPointer(parsing: "/runbooks/0/a~1b~0c")?.description == pointer.description)
        #expect(JSONPointer(parsing: "x") == nil)
        #expect(JSONPointer(parsing: "/a~2") == nil)
        #expect(JSONPointer.root.description == "")
        let value: JSONValue = ["runbooks": [["a/b~c": 5]]]
        #expect(pointer.resolve(in: value) == 5)
        #expect(JSONPointer(parsing: "/runbooks/0/a~1b~0c")?.resolve(in: value) == 5)
    }
}

@Suite("JSON Schema formats")
struct SchemaFormatTests {
    static let valid: [(SchemaFormat, String)] = [
        (.duration, "30m"), (.duration, "4h"), (.duration, "2d"), (.duration, "1w"), (.duration, "0m"),
        (.duration, "365d"),
        (.duration, "PT4H"), (.duration, "P2D"), (.duration, "P1DT12H"), (.duration, "P1W"), (.duration, "PT30M"),
        (.duration, "PT45S"),
        (.phone, "+1 866-467-5441"), (.phone, "+44 (20) 7946.0123"), (.phone, "+4930123456"),
        (.phone, "+123456789012345"),
        (.phone, "+12345678"),
        (.id, "a"), (.id, "core-network"), (.id, "0day"), (.id, String(repeating: "a", count: 64)),
        (.date, "2026-05-01"), (.date, "2024-02-29"), (.date, "0001-01-01"),
        (.email, "ann@example.com"), (.email, "first.last+tag@sub.example.org"), (.email, "\"a b\"@example.com"),
        (.uri, "https://example.com/"), (.uri, "https://status.example/path?q=1#x"), (.uri, "mailto:noc@example.com"),
        (.uri, "urn:isbn:0451450523"), (.uri, "http://[2001:db8::7]:8080/"),
    ]

    static let invalid: [(SchemaFormat, String)] = [
        (.duration, ""), (.duration, "4"), (.duration, "h"), (.duration, "4x"), (.duration, "-1h"), (.duration, "4.5h"),
        (.duration, "4 h"), (.duration, " 4h"), (.duration, "4h "), (.duration, "P"), (.duration, "PT"),
        (.duration, "P1H"),
        (.duration, "PT1D"), (.duration, "P1Y"), (.duration, "P1M"), (.duration, "4H"), (.duration, "1234567890h"),
        (.phone, "866-467-5441"), (.phone, "+1 555"), (.phone, "+1234567"), (.phone, "+1234567890123456"),
        (.phone, "+1 555 010 0100 ext 4"), (.phone, "+ 1 555 010 0100"), (.phone, "+1 555 010 0100-"),
        (.phone, " +1 555 010 0100"),
        (.id, ""), (.id, "-a"), (.id, "A"), (.id, "a_b"), (.id, "a.b"), (.id, "a/b"), (.id, "ａ"),
        (.id, String(repeating: "a", count: 65)),
        (.date, "2026-5-1"), (.date, "2026-02-30"), (.date, "2025-02-29"), (.date, "2026-13-01"), (.date, "2026/05/01"),
        (.date, "2026-05-01T00:00"), (.date, "2026-05-01 "),
        (.email, "ann"), (.email, "@example.com"), (.email, "ann@"), (.email, "a..b@example.com"),
        (.email, "a b@example.com"),
        (.email, "ann@exa_mple.com"), (.email, "ann@-example.com"),
        (.uri, "example.com"), (.uri, "/relative/path"), (.uri, "//example.com"), (.uri, "https://exa mple.com"),
        (.uri, "https://example.com/%zz"), (.uri, "https://example.com:port/"), (.uri, "1http://example.com"),
    ]

    @Test(arguments: valid)
    func validValues(_ format: SchemaFormat, _ text: String) throws {
        #expect(format.matches(text))
        let compiled = try schema(##"{"format": "\##(format.rawValue)"}"##)
        #expect(compiled.validate(.string(text)).isEmpty)
    }

    @Test(arguments: invalid)
    func invalidValues(_ format: SchemaFormat, _ text: String) throws {
        #expect(!format.matches(text))
        let errors = try schema(##"{"format": "\##(format.rawValue)"}"##).validate(.string(text))
        #expect(errors.count == 1)
        #expect(errors.first?.keyword == "format")
        #expect(errors.first?.message.hasPrefix("does not match the \(format.rawValue) format") == true)
    }

    @Test func durationMessage() throws {
        let errors = try schema(##"{"format": "duration"}"##).validate("four hours")
        #expect(errors.map(\.message) == ["does not match the duration format (30m, 4h, 2d, 1w or ISO 8601)"])
    }

    @Test func formatsIgnoreNonStrings() throws {
        for format in SchemaFormat.allCases {
            let compiled = try schema(##"{"format": "\##(format.rawValue)"}"##)
            for value: JSONValue in [12, 1.5, true, nil, [], [:]] {
                #expect(compiled.validate(value).isEmpty)
            }
        }
    }
}

@Suite("JSON Schema validation and refusals")
struct JSONSchemaTests {
    static let runbook = """
        {
          "type": "object",
          "required": ["title", "rto", "scope"],
          "properties": {
            "title": {"type": "string", "minLength": 1},
            "tier": {"type": "integer", "minimum": 0, "maximum": 3},
            "owner": {"$ref": "#/$defs/id"},
            "rto": {"$ref": "#/$defs/duration"},
            "scope": {"enum": ["facility", "district", "city", "region"]},
            "cost": {"type": "number", "multipleOf": 0.01},
            "steps": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}
          },
          "additionalProperties": false,
          "$defs": {
            "id": {"type": "string", "format": "id"},
            "duration": {"type": "string", "format": "duration"}
          }
        }
        """

    @Test func validDocument() throws {
        let compiled = try schema(Self.runbook)
        let value: JSONValue = [
            "title": "DNS", "tier": 1.0, "owner": "network-lead", "rto": "4h", "scope": "city", "cost": 19.99,
            "steps": ["a", "b"],
        ]
        #expect(compiled.validate(value).isEmpty)
        #expect(compiled.isValid(value))
    }

    @Test func requiredNamesTheKeyAtTheObject() throws {
        let errors = try schema(Self.runbook).validate(["title": "DNS", "scope": "city"])
        #expect(errors.count == 1)
        let error = try #require(errors.first)
        #expect(error.message == "missing required key 'rto'")
        #expect(error.instancePath == .root)
        #expect(error.keyword == "required")
        #expect(error.key == "rto")
        #expect(error.schemaPath.description == "/required")
        #expect(error.subject == .value)
    }

    @Test func additionalPropertiesPointsAtTheKey() throws {
        let errors = try schema(Self.runbook).validate(["title": "DNS", "rto": "4h", "scope": "city", "ownr": "x"])
        #expect(errors.count == 1)
        let error = try #require(errors.first)
        #expect(error.message == "unknown key 'ownr'; did you mean 'owner'?")
        #expect(error.instancePath == ["ownr"])
        #expect(error.subject == .key)
        #expect(error.key == "ownr")
        #expect(error.keyword == "additionalProperties")
        #expect(error.schemaPath.description == "/additionalProperties")
        let far = try schema(Self.runbook).validate(["title": "DNS", "rto": "4h", "scope": "city", "zzzzzz": 1])
        #expect(far.first?.message == "unknown key 'zzzzzz'")
        #expect(far.first?.hint == "allowed keys: title, tier, owner, rto, scope, cost, steps")
    }

    @Test func typeMessages() throws {
        let errors = try schema(Self.runbook).validate(["title": "DNS", "rto": "4h", "scope": "city", "tier": "one"])
        #expect(errors.map(\.message) == [#"expected a whole number, found the text "one""#])
        #expect(errors.first?.instancePath == ["tier"])
        #expect(errors.first?.schemaPath.description == "/properties/tier/type")
        let several = try schema(##"{"type": ["string", "number", "null"]}"##).validate([1])
        #expect(several.map(\.message) == ["expected text, a number or an empty value, found a list"])
        let object = try schema(##"{"type": "object"}"##).validate(true)
        #expect(object.map(\.message) == ["expected a mapping, found the boolean true"])
    }

    @Test func enumMessage() throws {
        let errors = try schema(Self.runbook).validate(["title": "DNS", "rto": "4h", "scope": "metro"])
        #expect(errors.map(\.message) == ["value must be one of: facility, district, city, region"])
        #expect(errors.first?.instancePath == ["scope"])
        let near = try schema(Self.runbook).validate(["title": "DNS", "rto": "4h", "scope": "regoin"])
        #expect(
            near.map(\.message) == ["value must be one of: facility, district, city, region (did you mean 'region'?)"])
        let mixed = try schema(##"{"enum": [1, "a", null]}"##).validate(2)
        #expect(mixed.map(\.message) == [#"value must be one of: 1, "a", null"#])
    }

    @Test func errorsThroughRefsKeepTheirPlaces() throws {
        let errors = try schema(Self.runbook).validate(
            ["title": "", "rto": "four hours", "scope": "city", "owner": "Network Lead", "steps": ["a", "b", "a"]])
        let found = errors.map { "\($0.instancePath) \($0.schemaPath) \($0.message)" }
        #expect(
            found == [
                "/title /properties/title/minLength must be at least 1 character long, found 0",
                "/rto /$defs/duration/format does not match the duration format (30m, 4h, 2d, 1w or ISO 8601)",
                "/owner /$defs/id/format does not match the id format (lowercase letters, digits and dashes, starting with a letter or digit, at most 64)",
                "/steps/2 /properties/steps/uniqueItems duplicate of item 0; the items must all differ",
            ])
    }

    @Test func numberSemantics() throws {
        let integer = try schema(##"{"type": "integer"}"##)
        #expect(integer.isValid(1.0))
        #expect(integer.isValid(.number(try #require(JSONNumber("1e308")))))
        #expect(integer.validate(1.5).map(\.message) == ["expected a whole number, found the number 1.5"])
        let cents = try schema(##"{"multipleOf": 0.01}"##)
        #expect(cents.isValid(19.99))
        #expect(cents.isValid(.number(try #require(JSONNumber("19.990")))))
        #expect(cents.validate(19.999).map(\.message) == ["must be a multiple of 0.01, found 19.999"])
        #expect(try schema(##"{"multipleOf": 0.0001}"##).isValid(0.0075))
        let range = try schema(##"{"minimum": 1, "exclusiveMaximum": 10}"##)
        #expect(range.validate(0).map(\.message) == ["must be at least 1, found 0"])
        #expect(range.validate(10).map(\.message) == ["must be less than 10, found 10"])
        #expect(range.isValid(.number(try #require(JSONNumber("9.999999999999999999999")))))
        #expect(!range.isValid(.number(try #require(JSONNumber("10.000000000000000000000")))))
    }

    @Test func anyOfExplainsEachAlternative() throws {
        let compiled = try schema(##"{"anyOf": [{"type": "integer"}, {"type": "string", "format": "duration"}]}"##)
        let errors = compiled.validate("soon")
        #expect(errors.count == 1)
        #expect(errors.first?.message == "does not match any of the allowed alternatives")
        #expect(errors.first?.causes.map(\.schemaPath.description) == ["/anyOf/0/type", "/anyOf/1/format"])
    }

    @Test func propertyNamesReportTheKey() throws {
        let errors = try schema(##"{"propertyNames": {"format": "id"}}"##).validate(["Bad_Key": 1, "good": 2])
        #expect(errors.count == 1)
        #expect(errors.first?.subject == .key)
        #expect(errors.first?.instancePath == ["Bad_Key"])
        #expect(errors.first?.message.hasPrefix("key 'Bad_Key': does not match the id format") == true)
    }

    @Test func validateAndIsValidAgree() throws {
        let compiled = try schema(Self.runbook)
        let values: [JSONValue] = [
            [:], ["title": "x", "rto": "4h", "scope": "city"], ["title": 1], [], "text", nil,
            ["title": "x", "rto": "4h", "scope": "city", "steps": [1]],
        ]
        for value in values {
            #expect(compiled.validate(value).isEmpty == compiled.isValid(value))
        }
    }

    @Test func recursionThroughDataIsAccepted() throws {
        let tree = try schema(
            ##"{"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#"}}}, "required": ["name"]}"##
        )
        var value: JSONValue = ["name": "leaf"]
        for _ in 0..<100 { value = ["name": "node", "children": [value]] }
        #expect(tree.isValid(value))
        let nested = try schema(##"{"type": "array", "items": {"$ref": "#"}}"##)
        let deepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(nested.validate(try JSONValue(parsing: deepest)).isEmpty)
        value = ["name": "root", "children": [["children": []]]]
        #expect(tree.validate(value).map(\.instancePath) == [["children", 0]])
    }

    @Test(arguments: [
        (
            ##"{"properties": {"a": {"unevaluatedProperties": false}}}"##, "unevaluatedProperties",
            "/properties/a/unevaluatedProperties"
        ),
        (##"{"$defs": {"x": {"$dynamicRef": "#meta"}}}"##, "$dynamicRef", "/$defs/x/$dynamicRef"),
        (##"{"dependentSchemas": {"a": {"required": ["b"]}}}"##, "dependentSchemas", "/dependentSchemas"),
        (##"{"items": {"$anchor": "item"}}"##, "$anchor", "/items/$anchor"),
        (##"{"allOf": [{"requried": ["a"]}]}"##, "requried", "/allOf/0/requried"),
        (##"{"definitions": {}}"##, "definitions", "/definitions"),
        (##"{"$ref": "https://example.com/schema.json"}"##, "$ref", "/$ref"),
        (##"{"$ref": "other.json#/$defs/a"}"##, "$ref", "/$ref"),
        (##"{"$ref": "#item"}"##, "$ref", "/$ref"),
        (##"{"$ref": "#/$defs/missing"}"##, "$ref", "/$ref"),
        (##"{"properties": {"a": {"$id": "a.json"}}}"##, "$id", "/properties/a/$id"),
        (##"{"$schema": "http://json-schema.org/draft-07/schema#"}"##, "$schema", "/$schema"),
        (##"{"format": "ipv4"}"##, "format", "/format"),
        (##"{"minLength": -1}"##, "minLength", "/minLength"),
        (##"{"multipleOf": 0}"##, "multipleOf", "/multipleOf"),
        (##"{"pattern": "(unclosed"}"##, "pattern", "/pattern"),
        (##"{"type": "text"}"##, "type", "/type"),
        (##"{"properties": {"a": 3}}"##, "a", "/properties/a"),
    ])
    func refusesUnsupported(_ json: String, _ keyword: String, _ path: String) throws {
        let problems = try refusal(json)
        let problem = try #require(problems.first { $0.keyword == keyword })
        #expect(problem.schemaPath.description == path)
        #expect(problem.description.hasPrefix("#\(path): "))
        if !keyword.hasPrefix("$"), keyword != "a" {
            #expect(problem.message.contains("'\(keyword)'") || problem.message.contains(keyword))
        }
    }

    @Test func refusalMessageNamesKeywordAndPath() throws {
        let problems = try refusal(##"{"properties": {"rto": {"unevaluatedProperties": false}}}"##)
        #expect(problems.count == 1)
        #expect(
            problems.first?.description
                == "#/properties/rto/unevaluatedProperties: unsupported keyword 'unevaluatedProperties': it needs annotation collection across subschemas, which this validator does not do"
        )
    }

    @Test func everyRefusalIsReported() throws {
        let problems = try refusal(
            ##"{"unevaluatedItems": false, "properties": {"a": {"format": "hostname", "foo": 1}}}"##)
        #expect(problems.map(\.keyword).sorted() == ["foo", "format", "unevaluatedItems"])
    }

    @Test(arguments: [
        ##"{"$ref": "#"}"##,
        ##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}}"##,
        ##"{"$defs": {"a": {"allOf": [{"$ref": "#/$defs/b"}]}, "b": {"anyOf": [true, {"$ref": "#/$defs/a"}]}}}"##,
        ##"{"not": {"$ref": "#"}}"##,
        ##"{"if": {"$ref": "#"}}"##,
        ##"{"properties": {"a": {"oneOf": [{"$ref": "#/properties/a"}]}}}"##,
    ])
    func refusesRefLoops(_ json: String) throws {
        let problems = try refusal(json)
        #expect(problems.count == 1)
        #expect(problems.first?.keyword == "$ref")
        #expect(problems.first?.message.contains("never reaches into the data") == true)
    }

    @Test func acceptsRootIdAndRefsThroughIt() throws {
        let compiled = try schema(
            ##"{"$id": "https://continuity.example/runbook.json", "$defs": {"n": {"type": "integer"}}, "properties": {"a": {"$ref": "https://continuity.example/runbook.json#/$defs/n"}, "b": {"$ref": "#/$defs/n"}}}"##
        )
        #expect(compiled.id == "https://continuity.example/runbook.json")
        #expect(compiled.isValid(["a": 1, "b": 2]))
        #expect(!compiled.isValid(["a": "x"]))
    }

    @Test func annotationsAreIgnored() throws {
        let compiled = try schema(
            ##"{"$schema": "https://json-schema.org/draft/2020-12/schema", "$comment": "c", "title": "t", "description": "d", "default": 1, "examples": [1], "deprecated": true, "readOnly": false, "writeOnly": false, "type": "integer"}"##
        )
        #expect(compiled.isValid(3))
        #expect(!compiled.isValid("3"))
    }

    @Test func patternsFollowECMAScript() throws {
        let id = try schema(##"{"pattern": "^[a-z]+$"}"##)
        #expect(id.isValid("abc"))
        #expect(!id.isValid("abc\n"))
        let digits = try schema(##"{"pattern": "^\\d+$"}"##)
        #expect(digits.isValid("123"))
        #expect(!digits.isValid("১২৩"))
    }
}

@Suite("YAML to JSON with positions")
struct LocatedJSONTests {
    func read(_ yaml: String) throws -> LocatedJSON {
        guard case .value(let node?) = YAMLReader.read(yaml, path: "runbooks/dns.md", firstLine: 2) else {
            Issue.record("YAML did not read")
            return LocatedJSON(YAMLNode(.scalar("", .null), at: SourceLocation(path: "")))
        }
        return LocatedJSON(node)
    }

    @Test func scalarsConvertByType() throws {
        let located = try read(
            """
            text: hello
            quoted: "12"
            int: 1_000
            hex: 0x1F
            float: 19.99
            half: .5
            yes: yes
            off: off
            empty:
            tilde: ~
            date: 2026-01-01
            inf: .inf
            list: [1, two]
            """)
        let expected: JSONValue = [
            "text": "hello", "quoted": "12", "int": 1000, "hex": 31, "float": 19.99, "half": 0.5, "yes": true,
            "off": false, "empty": nil, "tilde": nil, "date": "2026-01-01", "inf": ".inf", "list": [1, "two"],
        ]
        #expect(located.value == expected)
        #expect(located.value.objectValue?.keys.first == "text")
    }

    @Test func schemaErrorsMapToLinesAndColumns() throws {
        let located = try read(
            """
            title: DNS
            tier: one
            scope: metro
            ownr: network-lead
            steps:
              - a
              - a
            """)
        let compiled = try schema(JSONSchemaTests.runbook)
        let places = compiled.validate(located.value).map { error in
            "\(located.location(of: error).map(\.description) ?? "?") \(error.keyword)"
        }
        #expect(
            places == [
                "runbooks/dns.md:2:1 required",  // the mapping itself: missing 'rto'
                "runbooks/dns.md:3:7 type",
                "runbooks/dns.md:4:8 enum",
                "runbooks/dns.md:5:1 additionalProperties",  // the key 'ownr'
                "runbooks/dns.md:8:5 uniqueItems",
            ])
    }

    @Test func nullMembersCanCountAsAbsent() throws {
        guard case .value(let node?) = YAMLReader.read("title: DNS\nrto:\n", path: "a.md") else {
            Issue.record("YAML did not read")
            return
        }
        let compiled = try schema(##"{"required": ["title", "rto"]}"##)
        #expect(compiled.isValid(LocatedJSON(node).value))
        let strict = LocatedJSON(node, droppingNullMembers: true)
        #expect(compiled.validate(strict.value).map(\.message) == ["missing required key 'rto'"])
        #expect(strict.location(of: ["rto"], key: true)?.line == 2)
    }
}
