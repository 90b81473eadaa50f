/// A place inside a JSON value: the object keys and array indices leading to it from the root.
/// Printed as an RFC 6901 JSON pointer (`/runbooks/0/rto`; the root is the empty string).
public struct JSONPointer: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByArrayLiteral {
    public enum Component: Sendable, Hashable, Comparable, CustomStringConvertible,
        ExpressibleByStringLiteral, ExpressibleByIntegerLiteral
    {
        case key(String)
        case index(Int)

        public init(stringLiteral value: String) { self = .key(value) }
        public init(integerLiteral value: Int) { self = .index(value) }

        /// The reference token as written in a pointer: `~` and `/` escaped as `~0` and `~1`.
        public var description: String {
            switch self {
            case .key(let key):
                var token = ""
                for scalar in key.unicodeScalars {
                    switch scalar {
                    case "~": token += "~0"
                    case "/": token += "~1"
                    default: token.unicodeScalars.append(scalar)
                    }
                }
                return token
            case .index(let index): return String(index)
            }
        }

        /// Indices before keys; then by value.
        public static func < (a: Component, b: Component) -> Bool {
            switch (a, b) {
            case (.index(let x), .index(let y)): return x < y
            case (.key(let x), .key(let y)): return x < y
            case (.index, .key): return true
            case (.key, .index): return false
            }
        }
    }

    public var components: [Component]

    public init(_ components: [Component] = []) { self.components = components }
    public init(arrayLiteral elements: Component...) { components = elements }

    public static let root = JSONPointer()

    public var isRoot: Bool { components.isEmpty }

    public var description: String { components.map { "/" + $0.description }.joined() }

    public func appending(_ component: Component) -> JSONPointer {
        JSONPointer(components + [component])
    }

    public func appending(key: String) -> JSONPointer { appending(.key(key)) }
    public func appending(index: Int) -> JSONPointer { appending(.index(index)) }

    /// The pointer one level up; `nil` for the root.
    public var parent: JSONPointer? {
        components.isEmpty ? nil : JSONPointer(Array(components.dropLast()))
    }

    /// Shorter pointers first, then component by component: a stable order for reports.
    public static func < (a: JSONPointer, b: JSONPointer) -> Bool {
        for (x, y) in zip(a.components, b.components) where x != y { return x < y }
        return a.components.count < b.components.count
    }

    /// The value at this place in `value`, if there is one. A key component also reads an array
    /// index written as text, as `$ref` pointers do (`#/prefixItems/0`).
    public func resolve(in value: JSONValue) -> JSONValue? {
        var current = value
        for component in components {
            switch (component, current) {
            case (.key(let key), .object(let object)):
                guard let next = object[key] else { return nil }
                current = next
            case (.index(let index), .array(let items)):
                guard items.indices.contains(index) else { return nil }
                current = items[index]
            case (.key(let token), .array(let items)):
                guard let index = JSONPointer.arrayIndex(token), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// An array index token: `0` or digits without a leading zero.
    static func arrayIndex(_ token: String) -> Int? {
        guard !token.isEmpty, token.utf8.allSatisfy({ (48...57).contains($0) }),
            token == "0" || !token.hasPrefix("0")
        else { return nil }
        return Int(token)
    }

    /// Reads an RFC 6901 pointer (`/a/b~1c`); every token becomes a key component. `nil` when the
    /// text is neither empty nor starts with `/`, or has a `~` not followed by `0` or `1`.
    public init?(parsing text: String) {
        if text.isEmpty {
            self.init()
            return
        }
        guard text.hasPrefix("/") else { return nil }
        var components: [Component] = []
        for token in text.unicodeScalars.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var key = String.UnicodeScalarView()
            var escaping = false
            for scalar in token {
                if escaping {
                    switch scalar {
                    case "0": key.append("~")
                    case "1": key.append("/")
                    default: return nil
                    }
                    escaping = false
                } else if scalar == "~" {
                    escaping = true
                } else {
                    key.append(scalar)
                }
            }
            if escaping { return nil }
            components.append(.key(String(key)))
        }
        self.init(components)
    }
}
