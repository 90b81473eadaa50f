import Foundation

/// A JSON value, as JSON Schema sees it.
///
/// Equality follows JSON Schema: numbers compare by mathematical value (`1 == 1.0`), strings by
/// Unicode code points (no normalization), arrays element by element, objects by their members
/// regardless of key order. Hashing agrees with that equality.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x.utf8.elementsEqual(y.utf8)
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)): return x == y
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null:
            hasher.combine(0)
        case .bool(let value):
            hasher.combine(1)
            hasher.combine(value)
        case .number(let value):
            hasher.combine(2)
            hasher.combine(value)
        case .string(let value):
            hasher.combine(3)
            ExactString(value).hash(into: &hasher)
        case .array(let items):
            hasher.combine(4)
            hasher.combine(items)
        case .object(let object):
            hasher.combine(5)
            hasher.combine(object)
        }
    }

    /// The JSON type name: `null`, `boolean`, `number`, `string`, `array`, `object`.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// What the value is, in the words plan authors use for YAML ("a list", "the number 3", "the text
    /// \"one\""); long texts are shortened.
    public var kindDescription: String {
        switch self {
        case .null: return "an empty value"
        case .bool(let value): return "the boolean \(value)"
        case .number(let value): return "the number \(value)"
        case .string(let value):
            let shown = value.count > 60 ? value.prefix(57) + "…" : Substring(value)
            return "the text \"\(shown)\""
        case .array(let items): return items.isEmpty ? "an empty list" : "a list"
        case .object(let object): return object.isEmpty ? "an empty mapping" : "a mapping"
        }
    }

    /// The value as compact JSON text, keys in their document order.
    public var jsonText: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let value): out += value.description
        case .string(let value): JSONValue.writeString(value, to: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let object):
            out += "{"
            for (i, member) in object.members.enumerated() {
                if i > 0 { out += "," }
                JSONValue.writeString(member.key, to: &out)
                out += ":"
                member.value.write(to: &out)
            }
            out += "}"
        }
    }

    /// Writes a JSON string literal. `scriptSafe` also escapes `<`, `>`, `&`, U+2028, U+2029 and DEL as
    /// `\uXXXX`, so the literal is safe inside a `<script>` and in any JavaScript (no `</script>` or
    /// `<!--`, no line ends older engines reject).
    static func writeString(_ text: String, to out: inout String, scriptSafe: Bool = false) {
        var bytes: [UInt8] = []
        writeString(text, to: &bytes, scriptSafe: scriptSafe)
        out += String(decoding: bytes, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The same, appending UTF-8. Works on the bytes: only ASCII characters and U+2028/U+2029 (`E2 80 A8`
    /// and `E2 80 A9`) are escaped, and runs between them are copied at once.
    static func writeString(_ text: String, to out: inout [UInt8], scriptSafe: Bool = false) {
        var text = text
        text.withUTF8 { writeString(utf8: $0, to: &out, scriptSafe: scriptSafe) }
    }

    /// The same for text given as valid UTF-8.
    static func writeString(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8], scriptSafe: Bool = false) {
        func escape(_ value: UInt32) {
            out.append(UInt8(ascii: "\\"))
            out.append(UInt8(ascii: "u"))
            for shift: UInt32 in [12, 8, 4, 0] { out.append(hexDigits[Int((value >> shift) & 0xF)]) }
        }
        out.append(UInt8(ascii: "\""))
        var copied = 0
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            var length = 1
            var replacement: UInt8?  // the letter after a backslash
            var escaped: UInt32?  // a code point written as \uXXXX
            switch byte {
            case UInt8(ascii: "\""): replacement = byte
            case UInt8(ascii: "\\"): replacement = byte
            case UInt8(ascii: "\n"): replacement = UInt8(ascii: "n")
            case UInt8(ascii: "\r"): replacement = UInt8(ascii: "r")
            case UInt8(ascii: "\t"): replacement = UInt8(ascii: "t")
            case 0..<0x20: escaped = UInt32(byte)
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), 0x7F:
                if scriptSafe { escaped = UInt32(byte) }
            case 0xE2:
                if scriptSafe, i + 2 < bytes.count, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 {
                    escaped = bytes[i + 2] == 0xA8 ? 0x2028 : 0x2029
                    length = 3
                }
            default: break
            }
            if replacement != nil || escaped != nil {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<i]))
                if let replacement {
                    out.append(UInt8(ascii: "\\"))
                    out.append(replacement)
                } else if let escaped {
                    escape(escaped)
                }
                copied = i + length
            }
            i += length
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
        out.append(UInt8(ascii: "\""))
    }

    /// The string, if the value is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number, if the value is one.
    public var numberValue: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The object, if the value is one.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The array, if the value is one.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The member of an object, if the value is an object that has it.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }
}

/// A JSON object: members in document order, each key once, with constant-time lookup by key.
public struct JSONObject: Sendable, Hashable, Sequence {
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }

        public static func == (a: Member, b: Member) -> Bool {
            a.key.utf8.elementsEqual(b.key.utf8) && a.value == b.value
        }

        public func hash(into hasher: inout Hasher) {
            ExactString(key).hash(into: &hasher)
            hasher.combine(value)
        }
    }

    /// The members in document order.
    public private(set) var members: [Member] = []
    /// Positions by key, made once the object has more than `linearLimit` members: front matter and
    /// schemas hold small objects, where comparing the lengths of a few dozen keys and the bytes of those
    /// as long (`memcmp`) is quicker than hashing one.
    private var index: [ExactString: Int]?
    static let linearLimit = 32

    public init() {}

    /// An object from key–value pairs in order. A key given twice keeps its first position and its
    /// last value.
    public init(_ pairs: some Sequence<(String, JSONValue)>) {
        for (key, value) in pairs { self[key] = value }
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }

    /// The value of a key; setting a new key appends it, setting `nil` removes it.
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { members[$0].value } }
        set {
            if let position = position(of: key) {
                if let newValue {
                    members[position].value = newValue
                } else {
                    members.remove(at: position)
                    makeIndex()
                }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
                if index != nil {
                    index?[ExactString(key)] = members.count - 1
                } else if members.count > Self.linearLimit {
                    makeIndex()
                }
            }
        }
    }

    /// Where `key` is among the members, compared by UTF-8 bytes as `ExactString` compares them (written
    /// out here: making an `ExactString` per member cost 1.5% of a build's instructions).
    private func position(of key: String) -> Int? {
        if let index { return index[ExactString(key)] }
        let length = key.utf8.count
        return members.firstIndex { $0.key.utf8.count == length && ExactString($0.key) == ExactString(key) }
    }

    private mutating func makeIndex() {
        guard members.count > Self.linearLimit else {
            index = nil
            return
        }
        var positions: [ExactString: Int] = [:]
        positions.reserveCapacity(members.count)
        for (i, member) in members.enumerated() { positions[ExactString(member.key)] = i }
        index = positions
    }

    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }

    /// Equal when both have the same keys with equal values, whatever the order.
    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        guard a.members.count == b.members.count else { return false }
        return a.members.allSatisfy { member in b[member.key].map { $0 == member.value } ?? false }
    }

    /// Order-independent, to agree with `==`.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for member in members { combined = combined &+ member.hashValue }
        hasher.combine(members.count)
        hasher.combine(combined)
    }
}

/// A string compared and hashed by its UTF-8 bytes (Unicode code points), not by Swift's canonical
/// equivalence: JSON Schema treats `"é"` and `"e\u{301}"` as different strings and keys.
struct ExactString: Sendable, Hashable {
    let value: String

    init(_ value: String) { self.value = value }

    static func == (a: ExactString, b: ExactString) -> Bool {
        guard a.value.utf8.count == b.value.utf8.count else { return false }
        return a.value.withBytes { a in
            b.value.withBytes { b in a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
        }
    }

    /// The bytes' XXH64, given to the hasher as one word: keys are short, and hashing them whole through
    /// the hasher cost more than the lookups they serve.
    func hash(into hasher: inout Hasher) {
        hasher.combine(value.withBytes { FastHash.hash($0) })
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    /// From the shortest decimal text of the `Double` (`19.99` stays `19.99`); a non-finite literal
    /// (which JSON cannot hold) becomes `null`.
    public init(floatLiteral value: Double) {
        self = JSONNumber("\(value)").map { .number($0) } ?? .null
    }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
}
