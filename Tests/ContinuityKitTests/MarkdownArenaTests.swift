import CCmark
import CSystem
import Dispatch
import Foundation
import Synchronization
import Testing

@testable import ContinuityKit

/// Markdown is parsed with libcmark's allocator table pointed at a per-thread arena. These tests hold the
/// arena to what libcmark expects of calloc and realloc, and the HTML to what libcmark makes with its own
/// allocator.
@Suite("Markdown parsing in the arena")
struct MarkdownArenaTests {
    /// libcmark's HTML for `source` with its default allocator: the reference.
    static func reference(_ source: String) -> [UInt8] {
        var source = source
        return source.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                guard let html = cmark_markdown_to_html(chars.baseAddress, chars.count, CMARK_OPT_VALIDATE_UTF8)
                else { return [] }
                defer { free(html) }
                return Array(UnsafeRawBufferPointer(start: html, count: strlen(html)))
            }
        }
    }

    /// Documents without headings or links to `.md` files, whose HTML `Markdown.parse` leaves as
    /// libcmark made it: small ones of every kind of block and inline, and large ones whose nodes and
    /// buffers outgrow one 256 KB block (a 360 KB code block grows one buffer past it).
    static func documents() -> [String] {
        var documents = [
            "",
            "Plain *emphasis*, **strong**, `code`, [a link](https://example.com \"t\") and ![i](i.png).\n",
            "- one\n- two\n  - nested with <b>raw</b> html dropped\n\n1. first\n2. second\n",
            "> quoted\n> > twice\n\n```swift\nlet x = 1\n```\n\n    indented\n\n---\n\nlast  \nline\n",
            "[ref]\n\n[ref]: https://example.com/ref\n\nsoft\nbreak and [javascript](javascript:alert(1))\n",
            "Ünïcödé — “quotes” ∑ 😀 and a NUL \u{0} character\n",
        ]
        documents.append(String(repeating: "- item with *some* `code` and a [link](https://example.com)\n", count: 8_000))
        documents.append("```\n" + String(repeating: "x = 12345678901234567890 + y\n", count: 12_000) + "```\n")
        documents.append(String(repeating: "Paragraph of text with **bold** words.\n\n", count: 5_000))
        return documents
    }

    @Test("the HTML is libcmark's own, for small documents and for ones larger than a block")
    func sameAsLibcmark() {
        for document in Self.documents() {
            let parsed = Markdown.parse(document)
            #expect(parsed.htmlBytes == Self.reference(document), "\(document.prefix(60))")
        }
    }

    @Test("threads parsing at the same time each get their own arena")
    func parallel() {
        let documents = Self.documents()
        let expected = documents.map(Self.reference)
        let count = 64
        let matches = UnsafeMutableBufferPointer<Bool>.allocate(capacity: count)
        matches.initialize(repeating: false)
        defer { matches.deallocate() }
        nonisolated(unsafe) let results = matches
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let which = index % documents.count
            results[index] = Markdown.parse(documents[which]).htmlBytes == expected[which]
        }
        #expect(matches.allSatisfy { $0 })
    }

    @Test("threads that parse and end leave the others parsing")
    func threadsThatEnd() {
        let documents = Self.documents()
        let expected = documents.map(Self.reference)
        let matches = Mutex(0)
        // Each thread's arena is freed by its key's destructor as the thread ends: a destructor that freed
        // twice or too early would crash here. That nothing is left behind is not asserted here; it was
        // checked with valgrind (docs/BENCHMARKS.md, step 104).
        for round in 0..<8 {
            let parsed = DispatchSemaphore(value: 0)
            let thread = Thread {
                let which = round % documents.count
                if Markdown.parse(documents[which]).htmlBytes == expected[which] { matches.withLock { $0 += 1 } }
                parsed.signal()
            }
            thread.start()
            parsed.wait()
            while !thread.isFinished { usleep(1_000) }
        }
        #expect(matches.withLock { $0 } == 8)
        #expect(Markdown.parse(documents[1]).htmlBytes == expected[1])
    }

    @Test("calloc zeroes, realloc keeps the bytes whether it grows in place or moves, release gives memory back")
    func arena() {
        let mark = continuity_arena_mark_now()
        let first = continuity_arena_calloc(10, 8)!.assumingMemoryBound(to: UInt8.self)
        #expect((0..<80).allSatisfy { first[$0] == 0 })
        for index in 0..<80 { first[index] = UInt8(index) }
        // The latest allocation grows where it stands.
        let grown = continuity_arena_realloc(first, 1000)!.assumingMemoryBound(to: UInt8.self)
        #expect(grown == first)
        #expect((0..<80).allSatisfy { grown[$0] == UInt8($0) })
        for index in 80..<1000 { grown[index] = UInt8(truncatingIfNeeded: index) }
        // Another allocation after it: growing it again moves it, copying its 1000 bytes.
        let other = continuity_arena_calloc(1, 16)!
        let moved = continuity_arena_realloc(grown, 4000)!.assumingMemoryBound(to: UInt8.self)
        #expect(moved != grown && UnsafeMutableRawPointer(moved) != other)
        #expect((0..<1000).allSatisfy { moved[$0] == UInt8(truncatingIfNeeded: $0) })
        // Larger than a block: a block of its own, its bytes kept when it grows.
        let large = continuity_arena_realloc(nil, 1 << 20)!.assumingMemoryBound(to: UInt8.self)
        large[(1 << 20) - 1] = 7
        let larger = continuity_arena_realloc(large, 3 << 20)!.assumingMemoryBound(to: UInt8.self)
        #expect(larger[(1 << 20) - 1] == 7)
        // Shrinking keeps the first bytes.
        let shrunk = continuity_arena_realloc(moved, 10)!.assumingMemoryBound(to: UInt8.self)
        #expect((0..<10).allSatisfy { shrunk[$0] == UInt8($0) })
        continuity_arena_release(mark)
        // After the release the same memory is handed out again, and calloc zeroes what was written.
        let again = continuity_arena_calloc(10, 8)!.assumingMemoryBound(to: UInt8.self)
        #expect(again == first)
        #expect((0..<80).allSatisfy { again[$0] == 0 })
        continuity_arena_release(mark)
    }
}
