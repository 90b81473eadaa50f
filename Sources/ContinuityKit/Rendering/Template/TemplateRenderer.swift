/// Renders a `Template` into UTF-8 bytes, looking names up in a stack of view values.
struct TemplateRenderer {
    let library: TemplateLibrary
    private(set) var output: [UInt8]
    /// The values sections have entered, innermost last.
    private var stack: [Frame]

    private enum Frame {
        case object(any TemplateValue)
        /// A value without fields (a string or number in a list, an empty list): names are not looked up in it.
        case other(Any)

        var value: Any {
            switch self {
            case .object(let object): object
            case .other(let value): value
            }
        }
    }

    init(library: TemplateLibrary, root: any TemplateValue, capacity: Int) {
        self.library = library
        output = []
        output.reserveCapacity(capacity)
        stack = [.object(root)]
    }

    /// Renders `template`. When `indentation` is not empty (inside a standalone partial), every piece of output
    /// that starts a line is preceded by it.
    mutating func render(_ template: Template, indentation: [UInt8], overrides: [String: Template]?) {
        guard !indentation.isEmpty else {
            for node in template.nodes { render(node, indentation: indentation, overrides: overrides) }
            return
        }
        let start = output.count
        for node in template.nodes {
            guard output.count > start, output[output.count - 1] == UInt8(ascii: "\n") else {
                render(node, indentation: indentation, overrides: overrides)
                continue
            }
            // Indent in advance; take it back if the node wrote nothing.
            output.append(contentsOf: indentation)
            let mark = output.count
            render(node, indentation: indentation, overrides: overrides)
            if output.count == mark { output.removeLast(indentation.count) }
        }
    }

    private mutating func render(_ node: Template.Node, indentation: [UInt8], overrides: [String: Template]?) {
        switch node {
        case .text(let bytes):
            output.append(contentsOf: bytes)
        case .value(let name, let escaped):
            switch lookup(name) {
            case .missing: return
            case .text(let text): write(text, escaped: escaped)
            case .flag(let flag): write(flag ? "true" : "false", escaped: escaped)
            case .object(let value as Any), .list(let value as Any), .other(let value):
                write(String(describing: value), escaped: escaped)
            }
        case .section(let name, let content):
            switch lookup(name) {
            case .missing: return
            case .flag(let flag):
                if flag { render(content, indentation: indentation, overrides: overrides) }
            case .list(let list):
                list.forEachElement { element in
                    stack.append(Self.frame(element))
                    render(content, indentation: indentation, overrides: overrides)
                    stack.removeLast()
                }
            case .object(let object):
                stack.append(.object(object))
                render(content, indentation: indentation, overrides: overrides)
                stack.removeLast()
            case .text(let value as Any), .other(let value):
                stack.append(.other(value))
                render(content, indentation: indentation, overrides: overrides)
                stack.removeLast()
            }
        case .invertedSection(let name, let content):
            switch lookup(name) {
            case .missing:
                render(content, indentation: indentation, overrides: overrides)
            case .flag(let flag):
                if !flag { render(content, indentation: indentation, overrides: overrides) }
            case .list(let list):
                guard list.isEmpty else { return }
                stack.append(.other(list))
                render(content, indentation: indentation, overrides: overrides)
                stack.removeLast()
            case .text, .object, .other:
                return
            }
        case .partial(let name, let indented, let inherited):
            guard let partial = library[name] else { return }
            var merged = overrides
            if let inherited {
                // Blocks overridden further out win over the ones given here.
                merged = (overrides ?? [:]).merging(inherited) { outer, _ in outer }
            }
            render(partial, indentation: indentation + (indented ?? []), overrides: merged)
        case .block(let name, let defaultContent, let indented):
            render(overrides?[name] ?? defaultContent, indentation: indentation + indented, overrides: overrides)
        }
    }

    // MARK: Lookup

    /// A looked-up value, sorted by what a template can do with it.
    private enum Resolved {
        case missing
        case text(String)
        case flag(Bool)
        case list(any TemplateList)
        case object(any TemplateValue)
        case other(Any)

        init(_ value: Any?) {
            guard let value else {
                self = .missing
                return
            }
            if let text = value as? String {
                self = .text(text)
            } else if let flag = value as? Bool {
                self = .flag(flag)
            } else if let object = value as? any TemplateValue {
                self = .object(object)
            } else if let list = value as? any TemplateList {
                self = .list(list)
            } else if let optional = value as? any AnyOptionalValue {
                // An `Optional` hidden in an `Any`: its value, or nothing.
                self = Resolved(optional.wrappedAny)
            } else {
                self = .other(value)
            }
        }

        /// True when the value is present and not empty.
        var isPresent: Bool {
            switch self {
            case .missing: false
            case .text(let text): !text.isEmpty
            case .flag(let flag): flag
            case .list(let list): !list.isEmpty
            case .object, .other: true
            }
        }
    }

    private static func frame(_ value: Any) -> Frame {
        if let object = value as? any TemplateValue { return .object(object) }
        return .other(value)
    }

    private func lookup(_ name: Template.Name) -> Resolved {
        guard let first = name.parts.first else {
            guard let top = stack.last else { return .missing }
            switch top {
            case .object(let object): return .object(object)
            case .other(let value): return Resolved(value)
            }
        }
        let single = name.parts.count == 1
        var found: Any?
        for frame in stack.reversed() {
            guard case .object(let object) = frame else {
                if name.anchored { return .missing }
                continue
            }
            if single, name.isPresenceTest {
                // `name?` is answered by the innermost object.
                return .flag(Resolved(object.field(first)).isPresent)
            }
            if let value = object.field(first) {
                found = value
                break
            }
            if name.anchored { return .missing }
        }
        var current = Resolved(found)
        for part in name.parts.dropFirst() {
            guard case .object(let object) = current else { return name.isPresenceTest ? .flag(false) : .missing }
            current = Resolved(object.field(part))
        }
        return name.isPresenceTest && !single ? .flag(current.isPresent) : current
    }

    // MARK: Output

    private mutating func write(_ text: String, escaped: Bool) {
        if escaped {
            HTMLEscaping.append(text, to: &output)
        } else {
            var text = text
            text.withUTF8 { output.append(contentsOf: $0) }
        }
    }
}

/// A list a section repeats over. Every `Array` is one; its elements are the values of the repetitions.
protocol TemplateList {
    var isEmpty: Bool { get }
    func forEachElement(_ body: (Any) -> Void)
}

extension Array: TemplateList {
    func forEachElement(_ body: (Any) -> Void) {
        for element in self { body(element) }
    }
}

/// Lets a value of unknown type be tested for being an `Optional`.
protocol AnyOptionalValue {
    var wrappedAny: Any? { get }
}

extension Optional: AnyOptionalValue {
    var wrappedAny: Any? { self.map { $0 as Any } }
}

enum HTMLEscaping {
    /// Appends `text` with `&`, `<`, `>`, `"` and `'` written as character references.
    static func append(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices {
                let replacement: StaticString
                switch bytes[index] {
                case UInt8(ascii: "&"): replacement = "&amp;"
                case UInt8(ascii: "<"): replacement = "&lt;"
                case UInt8(ascii: ">"): replacement = "&gt;"
                case UInt8(ascii: "\""): replacement = "&quot;"
                case UInt8(ascii: "'"): replacement = "&#39;"
                default: continue
                }
                if runStart < index { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
                replacement.withUTF8Buffer { output.append(contentsOf: $0) }
                runStart = index + 1
            }
            if runStart < bytes.count {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
            }
        }
    }
}
