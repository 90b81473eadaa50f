/// A YAML node with its position in the content file: a Sendable value copied out of Yams' tree, so
/// that later stages never touch the parser's types.
public struct YAMLNode: Sendable, Hashable {
    public enum ScalarTag: String, Sendable, Hashable {
        case string, int, float, bool, null, timestamp
    }

    public struct Pair: Sendable, Hashable {
        public var key: YAMLNode
        public var value: YAMLNode
    }

    public enum Content: Sendable, Hashable {
        case scalar(String, ScalarTag)
        case mapping([Pair])
        case sequence([YAMLNode])
    }

    public var content: Content
    public var location: SourceLocation

    public init(_ content: Content, at location: SourceLocation) {
        self.content = content
        self.location = location
    }

    /// The scalar's text, whatever its resolved type.
    public var scalarText: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    public var pairs: [Pair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    public var items: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    public var isNull: Bool {
        if case .scalar(_, .null) = content { return true }
        return false
    }

    /// The value of a key in a mapping node.
    public subscript(key: String) -> YAMLNode? {
        pairs?.first { $0.key.scalarText == key }?.value
    }

    /// `self[key]` for a key that only a text of the same bytes equals (`String.equalsOnlyItsBytes`, as
    /// every key of the built-in schemas): keys of another length, most of them, are passed over without
    /// comparing texts.
    func value(exactKey key: String) -> YAMLNode? {
        assert(key.equalsOnlyItsBytes, "'\(key)' is equal to texts of other bytes")
        guard case .mapping(let pairs) = content else { return nil }
        let count = key.utf8.count
        for index in pairs.indices {
            guard case .scalar(let text, _) = pairs[index].key.content, text.utf8.count == count, text == key else { continue }
            return pairs[index].value
        }
        return nil
    }

    /// What the node is, in words, for messages ("a list", "the number 3").
    public var kindDescription: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(_, .null): return "an empty value"
        case .scalar(let text, .int), .scalar(let text, .float): return "the number \(text)"
        case .scalar(let text, .bool): return "the boolean \(text)"
        case .scalar(let text, _): return "the text \"\(text)\""
        }
    }
}
