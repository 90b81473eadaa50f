/// A template compiled for rendering: its tree laid out as one flat list of operations, with the literal
/// text in one buffer and names, partials and blocks in tables the operations point into by number.
///
/// Rendering walks the operations in order; a section's body is the run of operations that follows it,
/// up to the operation it names. An operation holds no references, so stepping through thousands of
/// them per page copies plain numbers instead of retaining the nodes of a tree. The operations, the text
/// and the names are kept in memory of the program's own (not arrays, whose buffers would be retained at
/// each access), written once in `init` and only read after: the program can be shared by threads.
final class TemplateProgram: @unchecked Sendable {
    struct Operation: Sendable {
        enum Kind: UInt8, Sendable {
            /// `text[first..<second]`.
            case text
            /// The value `names[first]`, escaped.
            case value
            /// The value `names[first]`, as is.
            case rawValue
            /// A section on `names[first]`; its body runs to operation `second`.
            case section
            /// An inverted section on `names[first]`; its body runs to operation `second`.
            case invertedSection
            /// `partials[first]`.
            case partial
            /// `blocks[first]`; its default content runs to operation `second`.
            case block
        }

        var kind: Kind
        var first: Int32
        var second: Int32
    }

    struct Partial: Sendable {
        var name: String
        /// The whitespace before a standalone tag, added to each line the partial writes.
        var indentation: [UInt8]
        /// The blocks a parent tag overrides, nil for a plain partial.
        var overrides: [String: TemplateProgram]?
    }

    struct Block: Sendable {
        var name: String
        var indentation: [UInt8]
    }

    /// A name as lookups use it. Its parts are `FieldName`s where they are one; a part outside that list is
    /// kept as text, in `partTexts`. A name holds no reference: reading it from the table copies numbers.
    struct Name {
        struct Part {
            var field: FieldName?
            /// When `field` is nil, the index of the part's text in `partTexts`.
            var text: Int32
        }

        /// True for `.`, the current value.
        var isCurrent: Bool
        var first: Part
        /// The parts after the first, for a dotted name: a range of `restParts`.
        var rest: Range<Int32>
        var anchored: Bool
        var isPresenceTest: Bool
    }

    let operations: UnsafeMutableBufferPointer<Operation>
    let text: UnsafeMutableBufferPointer<UInt8>
    let names: UnsafeMutableBufferPointer<Name>
    /// The parts of dotted names after their first.
    let restParts: [Name.Part]
    /// The text of name parts that are not `FieldName`s.
    let partTexts: [String]
    let partials: [Partial]
    /// For each of `partials`, the number of its program in the library it was registered in, -1 when the
    /// library has no such template; set by `link` as templates are registered, read while rendering.
    let partialTargets: UnsafeMutableBufferPointer<Int32>
    let blocks: [Block]

    init(_ template: Template) {
        var builder = Builder()
        builder.append(template)
        operations = .allocate(capacity: builder.operations.count)
        _ = operations.initialize(from: builder.operations)
        text = .allocate(capacity: builder.text.count)
        _ = text.initialize(from: builder.text)
        var restParts: [Name.Part] = []
        var partTexts: [String] = []
        func part(_ text: String) -> Name.Part {
            if let field = FieldName(rawValue: text) { return Name.Part(field: field, text: -1) }
            partTexts.append(text)
            return Name.Part(field: nil, text: Int32(partTexts.count - 1))
        }
        let compiled = builder.names.map { name -> Name in
            let first = name.parts.first.map(part) ?? Name.Part(field: nil, text: -1)
            let start = Int32(restParts.count)
            restParts += name.parts.dropFirst().map(part)
            return Name(
                isCurrent: name.parts.isEmpty, first: first, rest: start..<Int32(restParts.count),
                anchored: name.anchored, isPresenceTest: name.isPresenceTest)
        }
        names = .allocate(capacity: compiled.count)
        _ = names.initialize(from: compiled)
        self.restParts = restParts
        self.partTexts = partTexts
        partials = builder.partials
        partialTargets = .allocate(capacity: partials.count)
        partialTargets.initialize(repeating: -1)
        blocks = builder.blocks
    }

    /// Points each partial reference, here and in the blocks a parent tag overrides, at the program of
    /// that name in `numbers`.
    func link(_ numbers: [String: Int]) {
        for (index, partial) in partials.enumerated() {
            partialTargets[index] = numbers[partial.name].map(Int32.init) ?? -1
            for override in (partial.overrides ?? [:]).values { override.link(numbers) }
        }
    }

    deinit {
        partialTargets.deallocate()
        operations.deallocate()
        text.deallocate()
        names.deinitialize().deallocate()
    }

    private struct Builder {
        var operations: [Operation] = []
        var text: [UInt8] = []
        var names: [Template.Name] = []
        var nameNumbers: [Template.Name: Int32] = [:]
        var partials: [Partial] = []
        var blocks: [Block] = []

        mutating func number(_ name: Template.Name) -> Int32 {
            if let number = nameNumbers[name] { return number }
            let number = Int32(names.count)
            names.append(name)
            nameNumbers[name] = number
            return number
        }

        /// Appends an operation whose body is `body`, then sets where the body ends.
        mutating func appendEnclosing(_ kind: Operation.Kind, _ first: Int32, body: Template) {
            let index = operations.count
            operations.append(Operation(kind: kind, first: first, second: 0))
            append(body)
            operations[index].second = Int32(operations.count)
        }

        mutating func append(_ template: Template) {
            for node in template.nodes {
                switch node {
                case .text(let bytes):
                    operations.append(Operation(kind: .text, first: Int32(text.count), second: Int32(text.count + bytes.count)))
                    text.append(contentsOf: bytes)
                case .value(let name, let escaped):
                    operations.append(Operation(kind: escaped ? .value : .rawValue, first: number(name), second: 0))
                case .section(let name, let content):
                    appendEnclosing(.section, number(name), body: content)
                case .invertedSection(let name, let content):
                    appendEnclosing(.invertedSection, number(name), body: content)
                case .partial(let name, let indentation, let overrides):
                    operations.append(Operation(kind: .partial, first: Int32(partials.count), second: 0))
                    partials.append(
                        Partial(
                            name: name, indentation: indentation ?? [],
                            overrides: overrides?.mapValues { TemplateProgram($0) }))
                case .block(let name, let defaultContent, let indentation):
                    let number = Int32(blocks.count)
                    blocks.append(Block(name: name, indentation: indentation))
                    appendEnclosing(.block, number, body: defaultContent)
                }
            }
        }
    }
}
