import Foundation
import Testing

@testable import ContinuityKit

/// `BlockYAML` reads the common block subset of YAML without Yams. Whatever it accepts must be exactly
/// what Yams composes (values, types and positions); whatever it declines goes to Yams.
@Suite("Block YAML reader")
struct BlockYAMLTests {
    static func yams(_ yaml: String, lineOffset: Int = 0) -> YAMLNode?? {
        if case .value(let node) = YAMLReader.composed(yaml, path: "f.md", lineOffset: lineOffset) { return .some(node) }
        return .none
    }

    /// The reader's tree for `yaml` agrees with Yams', or the reader declined. Returns whether it accepted.
    @discardableResult
    static func agrees(_ yaml: String, lineOffset: Int = 0, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Bool {
        guard let fast = BlockYAML.read(yaml, path: "f.md", lineOffset: lineOffset) else { return false }
        let composed = yams(yaml, lineOffset: lineOffset)
        #expect(composed == .some(fast), "accepted what Yams reads otherwise:\n\(yaml)", sourceLocation: sourceLocation)
        return true
    }

    static let accepted: [String] = [
        // Front matter as runbooks write it.
        """
        title: "Order Management: Loss of primary data centre"
        tier: 2
        owner: order-management-service-owner
        rto: 2d
        depends_on:
          - collaboration-suite-power-failure-04344
          - general-ledger-close-data-corruption-06444
        sites: [lon-dc1]
        scenarios: [cloud-region, cyber-ddos, 'dc loss', "x y"]
        contacts:
        - mia-novak
        - george-rossi
        last_reviewed: 2026-07-18
        tags: []
        """,
        // Registries: a list of mappings, comments, blank lines, quoted phones, flow lists.
        """
        # People.
        - id: amelia-smith   # the first
          name: Amelia Smith
          title: Communications Manager

          phone: ["+44 20 7946 0101", "+44 7700 900029"]
          email: amelia.smith@example.com
        -   id: zoë
            name: 'Zoë O''Brien'
            note: C# and R&D, 50% [sic] {ok}
            empty:
            nested:
              deeper:
                - 1
                - 2.5
                -
                - yes
              other: ~
        """,
        // Scalars of every type, keys that are numbers or words, URLs and colons inside values.
        """
        1: one
        yes: true
        url: https://status.example.com:8443/path?q=1
        time: 10:30
        neg: -12
        hex: 0x1F
        float: 1e3
        date: 2026-05-01T10:00:00Z
        nothing: null
        "quoted key": value
        'single': "double 'inner'"
        unicode: Zürich — Genève ✓
        trailing: text with spaces   
        comment: # only a comment
        list:
          - a
          # between items
          - b
        """,
        "  indented: 1\n  mapping: 2\n",
        "- a\n- b\n",
        "-\n  - nested\n  - list\n- x\n",
        "key:\n  -\n    k: v\n",
    ]

    @Test("documents of the common forms are read, and read exactly as Yams reads them")
    func acceptsCommonForms() {
        for (index, yaml) in Self.accepted.enumerated() {
            #expect(Self.agrees(yaml, lineOffset: index), "declined:\n\(yaml)")
        }
    }

    @Test("front matter and registries of the example plan are read, as Yams reads them")
    func examplePlan() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../content")
        let files = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
        var accepted = 0
        var total = 0
        for case let url as URL in files where ["md", "yaml"].contains(url.pathExtension) {
            let text = try String(contentsOf: url, encoding: .utf8)
            let yaml: String
            if url.pathExtension == "md" {
                guard case .split(let split) = FrontMatter.split(text) else { continue }
                yaml = split.yaml
            } else {
                yaml = text
            }
            total += 1
            if Self.agrees(yaml) { accepted += 1 }
        }
        // Block scalars (scenario summaries) and flow mappings (policy tiers) are Yams' to read.
        #expect(total > 30)
        #expect(accepted * 10 >= total * 7, "accepted \(accepted) of \(total)")
    }

    @Test("anything outside the subset is declined and left to Yams", arguments: [
        "a: |\n  text\n", "a: >-\n  text\n", "a: {b: 1}\n", "a: [b, [c]]\n", "a: [b,\n  c]\n",
        "a: multi\n  line\n", "a: \"esc\\n\"\n", "a: 'open\n  close'\n", "a: !!str 3\n", "a: &x 1\n",
        "a: *x\n", "---\na: 1\n", "a: 1\n...\n", "%YAML 1.1\n---\na: 1\n", "a: 1\na: 2\n", "a: 1\n\"a\": 2\n",
        "a:\tb\n", "a: 1\r\nb: 2\r\n", "\u{FEFF}a: 1\n", "a: x\u{2028}y\n", "a: x\u{85}y\n", "a: b: c\n",
        "a : 1\n", "? a\n: 1\n", "- - a\n", "a: [b, ]\n", "a: [b,,c]\n", "a:\n  b: 1\n c: 2\n", "a: 1\n  b: 2\n",
        "- a\nb: 1\n", "a:\n  - x\n  y: 1\n", "plain scalar\n", "", "# only a comment\n", "a: -\n", "a: \"x\"y\n",
        "a: 'x'#c\n", "<<: {b: 1}\n", "a:\n    - x\n  - y\n", "key: value\n- item\n", "a:\n  text on its own\n",
        "a: x\u{FFFE}y\n", "a: x\u{7F}y\n", String(repeating: "k", count: 1100) + ": 1\n",
    ])
    func declines(_ yaml: String) {
        #expect(BlockYAML.read(yaml, path: "f.md", lineOffset: 0) == nil)
        // …and the reader as a whole still answers as Yams does.
        let whole: YAMLNode?? =
            if case .value(let node) = YAMLReader.read(yaml, path: "f.md") { .some(node) } else { .none }
        if YAMLPrescan.scan(yaml) == nil { #expect(whole == Self.yams(yaml)) }
    }

    @Test("a repeated key is found as strings compare: by bytes in ASCII, canonically otherwise")
    func repeatedKeys() {
        var keys = KeySet()
        var inserted: [Bool] = []
        for key in ["owner", "deputy", "rto", "Owner", "owner", "rto"] { inserted.append(keys.insert(key)) }
        #expect(inserted == [true, true, true, true, false, false])
        // The same text, composed or not; the Kelvin sign is K, the Angstrom sign is Å.
        inserted = []
        for key in ["caf\u{E9}", "cafe\u{301}", "K", "\u{212A}", "\u{212B}x", "\u{C5}x"] { inserted.append(keys.insert(key)) }
        #expect(inserted == [true, false, true, false, true, false])
        // Past the keys of a usual mapping as well.
        var many = KeySet()
        inserted = []
        for k in 0..<100 { inserted.append(many.insert("key-\(k)")) }
        inserted.append(many.insert("key-57"))
        #expect(inserted == Array(repeating: true, count: 100) + [false])
        // A document that repeats a key is left to Yams, which reports it.
        #expect(BlockYAML.read("a: 1\nb: 2\na: 3\n", path: "f.md", lineOffset: 0) == nil)
    }

    @Test("nesting deeper than the limit is left to Yams")
    func depth() {
        var yaml = ""
        for level in 0...BlockYAML.maxDepth { yaml += String(repeating: " ", count: level) + "k\(level):\n" }
        #expect(BlockYAML.read(yaml, path: "f.md", lineOffset: 0) == nil)
        var shallow = ""
        for level in 0..<8 { shallow += String(repeating: " ", count: level) + "k\(level):\n" }
        #expect(Self.agrees(shallow))
    }

    /// Small random edits of valid documents, with the characters YAML gives meaning to: every
    /// variant the reader accepts must equal Yams' reading (and Yams must accept it too).
    @Test("edited documents: whatever is accepted agrees with Yams")
    func mutations() {
        var random = SplitMix(seed: 0xC0_FFEE)
        let alphabet = Array(" \n-:#'\"[],{}&*!|>?%@`\\\tx1é.~").map(String.init) + ["  ", "- ", ": ", " #", "\n  ", "\n- "]
        var accepted = 0
        var tried = 0
        for seed in Self.accepted {
            for _ in 0..<400 {
                var bytes = Array(seed.unicodeScalars)
                for _ in 0..<(1 + Int(random.next() % 3)) {
                    let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count))
                    switch random.next() % 3 {
                    case 0:
                        bytes.insert(contentsOf: alphabet[Int(random.next() % UInt64(alphabet.count))].unicodeScalars, at: position)
                    case 1:
                        if !bytes.isEmpty { bytes.remove(at: position) }
                    default:
                        if !bytes.isEmpty {
                            bytes.replaceSubrange(position...position, with: alphabet[Int(random.next() % UInt64(alphabet.count))].unicodeScalars)
                        }
                    }
                }
                var text = ""
                text.unicodeScalars.append(contentsOf: bytes)
                tried += 1
                if YAMLPrescan.scan(text) == nil, Self.agrees(text) { accepted += 1 }
            }
        }
        // The edits must leave plenty of documents inside the subset, or this test proves nothing.
        #expect(accepted * 4 > tried, "accepted \(accepted) of \(tried)")
    }
}

/// A small deterministic random number generator, so that a failure can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
