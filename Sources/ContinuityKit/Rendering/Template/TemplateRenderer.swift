/// Renders a `Template` into UTF-8 bytes, looking names up in a stack of view values.
struct TemplateRenderer {
    let library: TemplateLibrary
    private(set) var output: [UInt8]
    /// The values sections have entered, innermost last. Names are looked up in objects only.
    private var stack: [TemplateContent]

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
            case nil: return
            case .text(let text): write(text, escaped: escaped)
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
            case .object, .text:
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
            case .text, .object:
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

    /// True when the value is present and not empty.
    private static func isPresent(_ content: TemplateContent?) -> Bool {
        switch content {
        case nil: false
        case .text(let text): !text.isEmpty
        case .flag(let flag): flag
        case .list(let list): !list.isEmpty
        case .object: true
        }
    }

    private func lookup(_ name: Template.Name) -> TemplateContent? {
        guard let first = name.parts.first else { return stack.last }
        let single = name.parts.count == 1
        var found: TemplateContent?
        var index = stack.count - 1
        while index >= 0 {
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
