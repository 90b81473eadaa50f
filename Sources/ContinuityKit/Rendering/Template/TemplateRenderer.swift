/// Renders a `Template` into UTF-8 bytes, looking names up in a stack of view values.
struct TemplateRenderer {
    let library: TemplateLibrary
    /// Where partials rendered for shared views are kept and found; nil renders everything.
    let fragments: FragmentCache?
    private(set) var output: [UInt8]
    /// The values sections have entered, innermost last. Names are looked up in objects only.
    private var stack: [TemplateContent]
    /// The lowest position in `stack` any lookup has consulted since it was last reset: a partial's output
    /// depends on nothing but the view it was rendered for when this stayed at or above that view.
    private var reach = Int.max

    init(library: TemplateLibrary, root: any TemplateValue, capacity: Int, fragments: FragmentCache? = nil) {
        self.library = library
        self.fragments = fragments
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
            case nil: return
            case .text(let text): write(text, escaped: escaped)
            case .utf8(let bytes):
                if escaped { HTMLEscaping.append(bytes, to: &output) } else { output.append(contentsOf: bytes) }
            case .flag(let flag): write(flag ? "true" : "false", escaped: escaped)
            case .object(let object): write(String(describing: object), escaped: escaped)
            case .list(let list): write(String(describing: list), escaped: escaped)
            }
        case .section(let name, let content):
            guard let value = lookup(name) else { return }
            switch value {
            case .flag(let flag):
                if flag { render(content, indentation: indentation, overrides: overrides) }
            case .list(let list):
                list.forEachContent { element in
                    stack.append(element)
                    render(content, indentation: indentation, overrides: overrides)
                    stack.removeLast()
                }
            case .object, .text, .utf8:
                stack.append(value)
                render(content, indentation: indentation, overrides: overrides)
                stack.removeLast()
            }
        case .invertedSection(let name, let content):
            switch lookup(name) {
            case nil:
                render(content, indentation: indentation, overrides: overrides)
            case .flag(let flag):
                if !flag { render(content, indentation: indentation, overrides: overrides) }
            case .list(let list):
                guard list.isEmpty else { return }
                stack.append(.list(list))
                render(content, indentation: indentation, overrides: overrides)
                stack.removeLast()
            case .text, .utf8, .object:
                return
            }
        case .partial(let name, let indented, let inherited):
            guard let partial = library[name] else { return }
            if inherited == nil, let fragments, case .object(let view)? = stack.last,
                let identity = view.fragmentIdentity
            {
                renderFragment(
                    partial, key: FragmentCache.Key(
                        object: ObjectIdentifier(identity), partial: name, indentation: indentation + (indented ?? [])),
                    view: view, overrides: overrides, in: fragments)
                return
            }
            var merged = overrides
            if let inherited {
                // Blocks overridden further out win over the ones given here.
                merged = (overrides ?? [:]).merging(inherited) { outer, _ in outer }
            }
            render(partial, indentation: indentation + (indented ?? []), overrides: merged)
        case .block(let name, let defaultContent, let indented):
            // What a block shows depends on the overrides in force, which a fragment's key does not hold:
            // no partial around a block is kept, whether or not this page overrides it.
            reach = -1
            render(overrides?[name] ?? defaultContent, indentation: indentation + indented, overrides: overrides)
        }
    }

    /// Renders `partial` for `view`, the innermost value, or copies its output from the cache; stores the
    /// output when it depends on nothing outside `view` (no lookup went further out, and no block was
    /// met).
    private mutating func renderFragment(
        _ partial: Template, key: FragmentCache.Key, view: any TemplateValue, overrides: [String: Template]?,
        in fragments: FragmentCache
    ) {
        let viewPosition = stack.count - 1
        if let bytes = fragments[key] {
            output.append(contentsOf: bytes)
            reach = min(reach, viewPosition)
            return
        }
        let outerReach = reach
        reach = Int.max
        let mark = output.count
        render(partial, indentation: key.indentation, overrides: overrides)
        if reach >= viewPosition { fragments.store(Array(output[mark...]), for: key, view: view) }
        reach = min(outerReach, reach)
    }

    // MARK: Lookup

    /// True when the value is present and not empty.
    private static func isPresent(_ content: TemplateContent?) -> Bool {
        switch content {
        case nil: false
        case .text(let text): !text.isEmpty
        case .utf8(let bytes): !bytes.isEmpty
        case .flag(let flag): flag
        case .list(let list): !list.isEmpty
        case .object: true
        }
    }

    private mutating func lookup(_ name: Template.Name) -> TemplateContent? {
        guard let first = name.parts.first else {
            reach = min(reach, stack.count - 1)
            return stack.last
        }
        let single = name.parts.count == 1
        var found: TemplateContent?
        var index = stack.count - 1
        while index >= 0 {
            reach = min(reach, index)
            defer { index -= 1 }
            guard case .object(let object) = stack[index] else {
                if name.anchored { return nil }
                continue
            }
            if single, name.isPresenceTest {
                // `name?` is answered by the innermost object.
                return .flag(Self.isPresent(object.field(first)?.templateContent))
            }
            if let value = object.field(first) {
                found = value.templateContent
                break
            }
            if name.anchored { return nil }
        }
        guard !single else { return found }
        var current = found
        for part in name.parts.dropFirst() {
            guard case .object(let object) = current else { return name.isPresenceTest ? .flag(false) : nil }
            current = object.field(part)?.templateContent
        }
        return name.isPresenceTest ? .flag(Self.isPresent(current)) : current
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

enum HTMLEscaping {
    /// Appends `text` with `&`, `<`, `>`, `"` and `'` written as character references.
    static func append(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { append($0, to: &output) }
    }

    /// The same for UTF-8 bytes.
    static func append(_ bytes: [UInt8], to output: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0, to: &output) }
    }

    static func append(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
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
