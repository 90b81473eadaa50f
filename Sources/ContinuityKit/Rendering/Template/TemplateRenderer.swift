/// Renders a compiled template (`TemplateProgram`) into UTF-8 bytes, looking names up in a stack of view
/// values.
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
    /// Given, it is handed the output made so far whenever that holds at least `pieceSize` bytes at the end
    /// of an item of a list, and the output starts again empty: a page of many megabytes is then never
    /// whole in memory. Not while an indented partial or a kept fragment is being rendered (`pinned`),
    /// which look back at what they wrote.
    var piece: (([UInt8]) -> Void)?
    var pieceSize = 1 << 20
    private var pinned = 0

    init(library: TemplateLibrary, root: any TemplateValue, capacity: Int, fragments: FragmentCache? = nil) {
        self.library = library
        self.fragments = fragments
        output = []
        output.reserveCapacity(capacity)
        stack = [.object(root)]
    }

    /// Renders all of `program`.
    mutating func render(_ program: TemplateProgram, indentation: [UInt8], overrides: [String: TemplateProgram]?) {
        render(program, 0..<program.operations.count, indentation: indentation, overrides: overrides)
    }

    /// Renders the operations of `program` in `range`, a whole template or a body. When `indentation` is not
    /// empty (inside a standalone partial), every piece of output that starts a line is preceded by it.
    private mutating func render(
        _ program: TemplateProgram, _ range: Range<Int>, indentation: [UInt8], overrides: [String: TemplateProgram]?
    ) {
        var index = range.lowerBound
        guard !indentation.isEmpty else {
            while index < range.upperBound {
                index = perform(program, at: index, indentation: indentation, overrides: overrides)
            }
            return
        }
        pinned += 1
        defer { pinned -= 1 }
        let start = output.count
        while index < range.upperBound {
            guard output.count > start, output[output.count - 1] == UInt8(ascii: "\n") else {
                index = perform(program, at: index, indentation: indentation, overrides: overrides)
                continue
            }
            // Indent in advance; take it back if the operation wrote nothing.
            output.append(contentsOf: indentation)
            let mark = output.count
            index = perform(program, at: index, indentation: indentation, overrides: overrides)
            if output.count == mark { output.removeLast(indentation.count) }
        }
    }

    /// Performs the operation at `index` (with its body, if it has one) and returns the index of the next.
    private mutating func perform(
        _ program: TemplateProgram, at index: Int, indentation: [UInt8], overrides: [String: TemplateProgram]?
    ) -> Int {
        let operation = program.operations[index]
        let first = Int(operation.first)
        let end = Int(operation.second)
        switch operation.kind {
        case .text:
            output.append(contentsOf: UnsafeBufferPointer(rebasing: program.text[first..<end]))
            return index + 1
        case .value, .rawValue:
            let escaped = operation.kind == .value
            switch lookup(program.names[first], in: program) {
            case nil: break
            case .text(let text): write(text, escaped: escaped)
            case .utf8(let bytes):
                if escaped { HTMLEscaping.append(bytes, to: &output) } else { output.append(contentsOf: bytes) }
            case .number(let number): DecimalText.append(number, to: &output)
            case .flag(let flag): write(flag ? "true" : "false", escaped: escaped)
            case .object(let object): write(String(describing: object), escaped: escaped)
            case .list(let list): write(String(describing: list), escaped: escaped)
            }
            return index + 1
        case .section:
            let body = (index + 1)..<end
            guard let value = lookup(program.names[first], in: program) else { return end }
            switch value {
            case .flag(let flag):
                if flag { render(program, body, indentation: indentation, overrides: overrides) }
            case .list(let list):
                list.forEachContent { element in
                    // Moved onto the stack: the list made the value for this call.
                    stack.append(consume element)
                    render(program, body, indentation: indentation, overrides: overrides)
                    stack.removeLast()
                    if let piece, pinned == 0, output.count >= pieceSize {
                        piece(output)
                        output.removeAll(keepingCapacity: true)
                    }
                }
            case .object, .text, .utf8, .number:
                stack.append(value)
                render(program, body, indentation: indentation, overrides: overrides)
                stack.removeLast()
            }
            return end
        case .invertedSection:
            let body = (index + 1)..<end
            switch lookup(program.names[first], in: program) {
            case nil:
                render(program, body, indentation: indentation, overrides: overrides)
            case .flag(let flag):
                if !flag { render(program, body, indentation: indentation, overrides: overrides) }
            case .list(let list):
                guard list.isEmpty else { return end }
                stack.append(.list(list))
                render(program, body, indentation: indentation, overrides: overrides)
                stack.removeLast()
            case .text, .utf8, .number, .object:
                break
            }
            return end
        case .partial:
            let target = program.partialTargets[first]
            guard target >= 0 else { return index + 1 }
            let partial = library.program(number: target)
            if program.partials[first].overrides == nil, let fragments, case .object(let view)? = stack.last,
                let identity = view.fragmentIdentity
            {
                let own = program.partials[first].indentation
                renderFragment(
                    partial, key: FragmentCache.Key(
                        object: ObjectIdentifier(identity), partial: Int(target),
                        indentation: own.isEmpty ? indentation : indentation + own),
                    view: view, overrides: overrides, in: fragments)
                return index + 1
            }
            let reference = program.partials[first]
            var merged = overrides
            if let inherited = reference.overrides {
                // Blocks overridden further out win over the ones given here.
                merged = (overrides ?? [:]).merging(inherited) { outer, _ in outer }
            }
            render(partial, indentation: indentation + reference.indentation, overrides: merged)
            return index + 1
        case .block:
            let block = program.blocks[first]
            // What a block shows depends on the overrides in force, which a fragment's key does not hold:
            // no partial around a block is kept, whether or not this page overrides it.
            reach = -1
            if let override = overrides?[block.name] {
                render(override, indentation: indentation + block.indentation, overrides: overrides)
            } else {
                render(program, (index + 1)..<end, indentation: indentation + block.indentation, overrides: overrides)
            }
            return end
        }
    }

    /// Renders `partial` for `view`, the innermost value, or copies its output from the cache; stores the
    /// output when it depends on nothing outside `view` (no lookup went further out, and no block was
    /// met).
    private mutating func renderFragment(
        _ partial: TemplateProgram, key: FragmentCache.Key, view: any TemplateValue, overrides: [String: TemplateProgram]?,
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
        pinned += 1
        render(partial, indentation: key.indentation, overrides: overrides)
        pinned -= 1
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
        case .number: true
        case .flag(let flag): flag
        case .list(let list): !list.isEmpty
        case .object: true
        }
    }

    /// What `object` answers to `part`, a part of a name of `program`.
    @inline(__always) private static func field(
        _ part: TemplateProgram.Name.Part, in program: TemplateProgram, of object: any TemplateValue
    ) -> TemplateContent? {
        if let field = part.field { return object.field(field) }
        return part.text >= 0 ? object.field(named: program.partTexts[Int(part.text)]) : nil
    }

    private mutating func lookup(_ name: TemplateProgram.Name, in program: TemplateProgram) -> TemplateContent? {
        guard !name.isCurrent else {
            reach = min(reach, stack.count - 1)
            return stack.last
        }
        let first = name.first
        let single = name.rest.isEmpty
        // The values are read where they stand, through a pointer: copying each out of the array on the
        // way down cost a retain and a release per level.
        var lowest = reach
        defer { reach = lowest }
        // The answer, or nil with `final` when a name that looks only in the current value missed.
        var final = single
        let found: TemplateContent? = stack.withUnsafeBufferPointer { values in
            var index = values.count - 1
            while index >= 0 {
                lowest = min(lowest, index)
                defer { index -= 1 }
                guard case .object(let object) = values[index] else {
                    if name.anchored {
                        final = true
                        return nil
                    }
                    continue
                }
                if single, name.isPresenceTest {
                    // `name?` is answered by the innermost object.
                    return .flag(Self.isPresent(Self.field(first, in: program, of: object)))
                }
                if let value = Self.field(first, in: program, of: object) { return value }
                if name.anchored {
                    final = true
                    return nil
                }
            }
            return nil
        }
        guard !final else { return found }
        var current = found
        for part in name.rest {
            guard case .object(let object) = current else { return name.isPresenceTest ? .flag(false) : nil }
            current = Self.field(program.restParts[Int(part)], in: program, of: object)
        }
        return name.isPresenceTest ? .flag(Self.isPresent(current)) : current
    }

    // MARK: Output

    private mutating func write(_ text: String, escaped: Bool) {
        if escaped {
            HTMLEscaping.append(text, to: &output)
        } else {
            output.append(contentsOf: text.utf8)
        }
    }
}

enum HTMLEscaping {
    /// Whether any of the eight bytes of `word` is `&`, `<`, `>`, `"` or `'`: each compared with all eight
    /// at once (a byte of `word ^ c` is zero where the byte is `c`; `(v - 0x01…) & ~v & 0x80…` is not
    /// zero exactly when `v` has a zero byte).
    @inline(__always) static func mayNeedEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        return (hasZero(word ^ (ones &* 0x26)) | hasZero(word ^ (ones &* 0x3C)) | hasZero(word ^ (ones &* 0x3E))
            | hasZero(word ^ (ones &* 0x22)) | hasZero(word ^ (ones &* 0x27))) != 0
    }

    /// Appends `text` with `&`, `<`, `>`, `"` and `'` written as character references.
    static func append(_ text: String, to output: inout [UInt8]) {
        // Read in place, not through a mutable copy of the string, which took a retain and a release.
        text.withBytes { append($0.assumingMemoryBound(to: UInt8.self), to: &output) }
    }

    /// The same for UTF-8 bytes.
    static func append(_ bytes: [UInt8], to output: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0, to: &output) }
    }

    static func append(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        // Most texts have nothing to escape: copied whole once that is known. Eight bytes at a time are
        // tested for any of the five at once; the word that has one, and the tail, byte by byte. The five
        // bytes lie between `"` and `>`, so a letter is passed over with one comparison.
        var first = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while first &+ 8 <= bytes.count, !mayNeedEscaping(raw.loadUnaligned(fromByteOffset: first, as: UInt64.self)) {
                first &+= 8
            }
        }
        while first < bytes.count {
            let byte = bytes[first]
            if byte <= UInt8(ascii: ">"),
                byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
                    || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
            {
                break
            }
            first += 1
        }
        guard first < bytes.count else { return output.append(contentsOf: bytes) }
        var runStart = 0
        for index in first..<bytes.count {
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
