/// A parsed Mustache template: text and tags turned into a tree once. The library compiles each tree into
/// a `TemplateProgram`, which is what is rendered, many times.
///
/// The language is Mustache (https://mustache.github.io/mustache.5.html) with inheritance:
/// `{{name}}` (HTML-escaped), `{{{name}}}` and `{{&name}}` (as is), `{{#name}}…{{/name}}` sections,
/// `{{^name}}…{{/name}}` inverted sections, `{{> partial}}`, `{{< parent}}` with `{{$block}}…{{/block}}`,
/// `{{! comments }}` and `{{=<% %>=}}` delimiter changes. Names may be dotted (`nav.home`) or `.` for the
/// current value; `name?` is true when the value is present and not empty (see `TemplateValue`).
/// Standalone tags (alone on their line) leave no blank line behind, and a standalone partial is
/// indented like its tag.
struct Template: Sendable {
    var nodes: [Node]

    /// The names of the partials and parents this template uses, at any depth.
    var partialNames: [String] {
        nodes.flatMap { node -> [String] in
            switch node {
            case .text, .value: return []
            case .section(_, let content), .invertedSection(_, let content): return content.partialNames
            case .partial(let name, _, let overrides):
                return [name] + (overrides ?? [:]).sorted { $0.key < $1.key }.flatMap(\.value.partialNames)
            case .block(_, let content, _): return content.partialNames
            }
        }
    }

    indirect enum Node: Sendable {
        /// Literal bytes of the template.
        case text([UInt8])
        /// A value; escaped for HTML unless written `{{{name}}}` or `{{&name}}`.
        case value(Name, escaped: Bool)
        case section(Name, Template)
        case invertedSection(Name, Template)
        /// `{{> name}}` (no overrides) or `{{< name}}…{{/name}}` (with the blocks it overrides). The indentation
        /// is the whitespace before a standalone tag, added to each line the partial writes.
        case partial(String, indentation: [UInt8]?, overrides: [String: Template]?)
        /// `{{$name}}default{{/name}}` in a template: the override for `name` if the child template gave one.
        case block(String, defaultContent: Template, indentation: [UInt8])
    }

    /// A parsed tag name: its dotted parts, and whether it asks "present and not empty?" (`name?`).
    struct Name: Sendable, Hashable {
        /// Empty for `.`, the current value.
        var parts: [String]
        /// A leading `.` (`.title`): look only in the current value, not in enclosing ones.
        var anchored: Bool
        var isPresenceTest: Bool

        init(_ text: String) {
            var text = Substring(text)
            isPresenceTest = text.count > 1 && text.hasSuffix("?")
            if isPresenceTest { text = text.dropLast() }
            anchored = text.hasPrefix(".")
            parts = text.split(separator: ".").map(String.init)
        }
    }
}

/// A mistake in a template, with its position (1-based line and column) and the line's text.
struct TemplateError: Error, Sendable, CustomStringConvertible {
    var message: String
    var line: Int
    var column: Int
    var lineText: String

    var description: String { "\(line):\(column): \(message) in line \"\(lineText)\"" }
}

/// Named templates; partials and parents are looked up here by name.
struct TemplateLibrary: Sendable {
    private(set) var templates: [String: Template] = [:]
    /// The same templates compiled for rendering, in the order first registered; `numbers` finds one by
    /// name. A program's partials point into this list by number (see `TemplateProgram.partialTargets`).
    private var programs: [TemplateProgram] = []
    private var numbers: [String: Int] = [:]

    mutating func register(_ template: Template, named name: String) {
        templates[name] = template
        if let number = numbers[name] {
            programs[number] = TemplateProgram(template)
        } else {
            numbers[name] = programs.count
            programs.append(TemplateProgram(template))
        }
        // A partial may be registered after the templates that use it, or replaced: every reference is
        // resolved again.
        for program in programs { program.link(numbers) }
    }

    subscript(name: String) -> Template? { templates[name] }

    func program(_ name: String) -> TemplateProgram? { numbers[name].map { programs[$0] } }

    /// The program a partial reference resolved to (`TemplateProgram.partialTargets`).
    func program(number: Int32) -> TemplateProgram { programs[Int(number)] }

    /// Renders the template `name` with `value` as the outermost context; nil when there is no such template.
    /// With `fragments`, partials rendered for shared views are taken from and kept in that cache.
    func render(
        _ value: any TemplateValue, template name: String, sizeHint: Int = 4096, fragments: FragmentCache? = nil
    ) -> [UInt8]? {
        guard let program = program(name) else { return nil }
        var renderer = TemplateRenderer(library: self, root: value, capacity: sizeHint, fragments: fragments)
        renderer.render(program, indentation: [], overrides: nil)
        return renderer.output
    }

    /// The same, handing the output to `piece` in parts of at least `pieceSize` bytes as it is made (see
    /// `TemplateRenderer.piece`); returns the rest, which follows the last part.
    func render(
        _ value: any TemplateValue, template name: String, fragments: FragmentCache? = nil, pieceSize: Int = 1 << 20,
        pieces piece: ([UInt8]) -> Void
    ) -> [UInt8]? {
        guard let program = program(name) else { return nil }
        return withoutActuallyEscaping(piece) { piece in
            var renderer = TemplateRenderer(library: self, root: value, capacity: pieceSize * 2, fragments: fragments)
            renderer.piece = piece
            renderer.pieceSize = pieceSize
            renderer.render(program, indentation: [], overrides: nil)
            return renderer.output
        }
    }
}
