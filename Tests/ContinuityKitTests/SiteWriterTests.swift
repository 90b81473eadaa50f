import Foundation
import Testing
@testable import ContinuityKit

/// The writer keeps what has not changed: a rebuild of the same bytes writes nothing, a small change
/// rewrites only the files whose bytes differ, and a failure leaves the previous output as it was.
@Suite("Writing sites", .serialized)
struct SiteWriterTests {
    static let basic = Repo.fixtures.appendingPathComponent("basic/content")

    func build(_ content: URL, into output: URL) throws -> PipelineResult {
        try Pipeline.build(
            PipelineOptions(
                content: content, theme: Repo.defaultTheme, output: output,
                today: CalendarDate(year: 2026, month: 11, day: 22) ?? CalendarDate(unixTime: 0),
                buildDate: CalendarDate("2026-11-01")))
    }

    /// Every entry below a folder (and the folder itself, as ""), as relative path → inode and times.
    func identities(_ folder: URL) throws -> [String: Identity] {
        var result = ["": try Identity(folder)]
        let enumerator = try #require(FileManager.default.enumerator(atPath: folder.path))
        for case let relative as String in enumerator {
            result[relative] = try Identity(folder.appendingPathComponent(relative))
        }
        return result
    }

    struct Identity: Equatable {
        var inode: UInt64
        var modified: Date

        init(_ url: URL) throws {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
            modified = attributes[.modificationDate] as? Date ?? .distantPast
        }
    }

    func entries(beside output: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: output.deletingLastPathComponent().path)
            .filter { $0 != output.lastPathComponent && $0 != "content" }
    }

    @Test("a rebuild with nothing changed writes nothing: every inode and modification time stays")
    func noChangeRebuild() throws {
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("_site")
        _ = try build(Self.basic, into: output)
        let before = try identities(output)
        let bytes = try readTree(output)
        #expect(before.count > 20)
        Thread.sleep(forTimeInterval: 0.02)  // a rewritten file would get a later time
        let result = try build(Self.basic, into: output)
        #expect(result.wrote)
        #expect(try identities(output) == before)
        #expect(try readTree(output) == bytes)
        #expect(try entries(beside: output).isEmpty, "staging folders left behind")
    }

    @Test("the writer reports an identical site as kept and does not replace the folder")
    func noChangeReport() throws {
        let folder = try TemporaryFolder()
        let writer = SiteWriter(output: folder.url.appendingPathComponent("_site"))
        let files = (0..<50).map { OutputFile(path: "pages/\($0).html", text: "page \($0)\n") }
        let first = try writer.write(files)
        #expect(first == SiteWriter.Report(written: 51, kept: 0, removed: 0, replaced: true, flushed: false))
        let second = try writer.write(files)
        #expect(second == SiteWriter.Report(written: 0, kept: 51, removed: 0, replaced: false, flushed: false))
    }

    @Test("after a change to one runbook, only the files whose bytes changed are new files")
    func oneRunbookChanged() throws {
        let folder = try TemporaryFolder()
        let content = folder.url.appendingPathComponent("content")
        try FileManager.default.copyItem(at: Self.basic, to: content)
        let output = folder.url.appendingPathComponent("_site")
        _ = try build(content, into: output)
        let bytesBefore = try readTree(output)
        let before = try identities(output)
        Thread.sleep(forTimeInterval: 0.02)

        let runbook = content.appendingPathComponent("runbooks/invoicing.md")
        let text = try String(contentsOf: runbook, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "Enter the manual invoices.", with: "Enter the invoices sent by hand.").utf8)
            .write(to: runbook)
        let result = try build(content, into: output)
        #expect(result.wrote)

        let bytesAfter = try readTree(output)
        let after = try identities(output)
        #expect(Set(bytesAfter.keys) == Set(bytesBefore.keys))
        let changed = bytesAfter.keys.filter { bytesAfter[$0] != bytesBefore[$0] }.sorted()
        // The runbook's page, and the two pages that include its body: the handbook and the search index.
        #expect(changed == ["internal/assets/search-index.js", "internal/handbook.html", "internal/runbooks/invoicing.html"])
        for (path, data) in bytesAfter {
            if bytesBefore[path] == data {
                #expect(after[path] == before[path], "\(path) is unchanged but was written again")
            } else {
                #expect(after[path]?.inode != before[path]?.inode, "\(path) changed but kept its inode")
            }
        }
        #expect(try entries(beside: output).isEmpty, "staging or previous folders left behind")
    }

    @Test("a file added to or removed from the output is put right by the next build")
    func strayAndMissingFiles() throws {
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("_site")
        _ = try build(Self.basic, into: output)
        let expected = try readTree(output)
        try Data("stray".utf8).write(to: output.appendingPathComponent("internal/notes.txt"))
        _ = try build(Self.basic, into: output)
        #expect(try readTree(output) == expected)

        try FileManager.default.removeItem(at: output.appendingPathComponent("internal/roles.html"))
        try FileManager.default.createDirectory(
            at: output.appendingPathComponent("public/empty"), withIntermediateDirectories: false)
        _ = try build(Self.basic, into: output)
        #expect(try readTree(output) == expected)
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("public/empty").path))
        #expect(try entries(beside: output).isEmpty)
    }

    @Test("a write that fails part-way leaves the previous output exactly as it was")
    func failedWriteKeepsPrevious() throws {
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("_site")
        let writer = SiteWriter(output: output)
        let files = (0..<200).map { OutputFile(path: "runbooks/\($0).html", text: "runbook \($0)\n") }
        try writer.write(files)
        let bytes = try readTree(output)
        let before = try identities(output)
        // "runbooks/7.html" as a folder and as a file: one of them cannot be created.
        var broken = files.map { OutputFile(path: $0.path, text: "changed \($0.path)\n") }
        broken.append(OutputFile(path: "runbooks/7.html/inner.html", text: "x"))
        #expect(throws: EnvironmentError.self) { try writer.write(broken) }
        #expect(try readTree(output) == bytes)
        #expect(try identities(output) == before)
        #expect(try entries(beside: output).isEmpty, "staging folder left behind")
    }

    @Test("many files written in parallel come out exactly as given, and the report counts the change")
    func parallelWrite() throws {
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("_site")
        let writer = SiteWriter(output: output)
        let files = (0..<3000).map { index in
            OutputFile(
                path: "section-\(index % 7)/part-\(index % 3)/page-\(index).html",
                text: String(repeating: "line \(index)\n", count: index % 50 + 1))
        }
        try writer.write(files)
        var expected = Dictionary(uniqueKeysWithValues: files.map { ($0.path, Data($0.bytes)) })
        expected[SiteWriter.marker] = Data("generated by continuity\n".utf8)
        #expect(try readTree(output) == expected)

        // 10 files change, 5 go away, 3 are new.
        var next = files
        for index in 0..<10 { next[index * 100].bytes += Array("more\n".utf8) }
        next.removeLast(5)
        next += (0..<3).map { OutputFile(path: "new/\($0).html", text: "new \($0)\n") }
        let report = try writer.write(next)
        #expect(report == SiteWriter.Report(written: 13, kept: next.count + 1 - 13, removed: 5, replaced: true, flushed: true))
        expected = Dictionary(uniqueKeysWithValues: next.map { ($0.path, Data($0.bytes)) })
        expected[SiteWriter.marker] = Data("generated by continuity\n".utf8)
        #expect(try readTree(output) == expected)
    }

    @Test("a file of several megabytes, written in pieces, has every byte in order; a rebuild keeps it")
    func largeFile() throws {
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("_site")
        let writer = SiteWriter(output: output)
        // 3 MB and 7 bytes: three whole pieces and a short one, each piece's bytes distinct from the next's.
        let count = 3 << 20 + 7
        let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 20) }
        let files = [OutputFile(path: "internal/handbook.html", bytes: bytes)]
        try writer.write(files)
        #expect(try Data(contentsOf: output.appendingPathComponent("internal/handbook.html")) == Data(bytes))
        #expect(try writer.write(files) == SiteWriter.Report(written: 0, kept: 2, removed: 0, replaced: false, flushed: false))
    }

    /// Writes `small` as whole files and `pieces` as one file given in parts, then finishes.
    func writeInPieces(_ writer: SiteWriter, pieces: [[UInt8]], path: String = "internal/handbook.html") throws -> SiteWriter.Report {
        let session = try writer.begin()
        try session.add(OutputFile(path: "internal/index.html", text: "home\n"))
        try session.add(path) { piece in
            for part in pieces { piece(part) }
        }
        return try session.finish()
    }

    @Test("a file given in parts is compared as it comes: kept when equal, else written whole, whatever differs")
    func fileInPieces() throws {
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("_site")
        let writer = SiteWriter(output: output)
        let handbook = output.appendingPathComponent("internal/handbook.html")
        // Parts of 100 kB, each with bytes of its own.
        let parts = (0..<5).map { part in (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ part) } }
        #expect(try writeInPieces(writer, pieces: parts) == SiteWriter.Report(written: 3, kept: 0, removed: 0, replaced: true, flushed: false))
        #expect(try Data(contentsOf: handbook) == Data(parts.joined()))

        // The same bytes in other parts: kept, the previous file itself.
        let before = try identities(output)
        let regrouped = [Array(parts[0...1].joined()), [], Array(parts[2...4].joined())]
        #expect(try writeInPieces(writer, pieces: regrouped) == SiteWriter.Report(written: 0, kept: 3, removed: 0, replaced: false, flushed: false))
        #expect(try identities(output) == before)

        var changed = parts
        changed[3][50_000] ^= 1
        let cases: [(String, [[UInt8]])] = [
            ("a byte inside the fourth part", changed),
            ("shorter: the previous file goes on", Array(parts[0...3])),
            ("longer: the previous file ends first", parts + [Array("more".utf8)]),
            ("the first part", [Array("other".utf8)] + parts.dropFirst()),
            ("nothing at all", []),
            ("back to the first", parts),
        ]
        for (name, pieces) in cases {
            let report = try writeInPieces(writer, pieces: pieces)
            #expect(report.written == 1 && report.kept == 2, "\(name)")
            #expect(try Data(contentsOf: handbook) == Data(pieces.joined()), "\(name)")
            #expect(try entries(beside: output).isEmpty, "\(name): staging folder left behind")
        }
    }

    @Test("a file given in parts whose maker fails leaves the previous output as it was")
    func fileInPiecesFails() throws {
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("_site")
        let writer = SiteWriter(output: output)
        _ = try writeInPieces(writer, pieces: [Array("one".utf8), Array("two".utf8)])
        let bytes = try readTree(output)
        let before = try identities(output)
        struct Stop: Error {}
        let session = try writer.begin()
        try session.add(OutputFile(path: "internal/index.html", text: "changed\n"))
        #expect(throws: Stop.self) {
            try session.add("internal/handbook.html") { piece in
                piece(Array("changed".utf8))
                throw Stop()
            }
        }
        // Finishing all the same does not swap in a site without the file.
        #expect(throws: EnvironmentError.self) { try session.finish() }
        #expect(try readTree(output) == bytes)
        #expect(try identities(output) == before)
        #expect(try entries(beside: output).isEmpty, "staging folder left behind")
        // A path taken twice, or not valid, is refused as for whole files.
        let again = try writer.begin()
        try again.add(OutputFile(path: "internal/handbook.html", text: "x"))
        try again.add("internal/handbook.html") { $0(Array("y".utf8)) }
        try again.add("../outside.html") { $0(Array("y".utf8)) }
        #expect(throws: EnvironmentError.self) { try again.finish() }
        #expect(try readTree(output) == bytes)
    }

    @Test("a file given in parts that cannot be created fails the build and leaves the previous output as it was")
    func fileInPiecesCannotBeCreated() throws {
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("_site")
        let writer = SiteWriter(output: output)
        _ = try writeInPieces(writer, pieces: [Array("one".utf8)])
        let bytes = try readTree(output)
        let before = try identities(output)
        // "internal" is now a file: the parts differ from the previous handbook from the first, and the new
        // file cannot be made under it.
        let session = try writer.begin()
        try session.add(OutputFile(path: "internal", text: "a file\n"))
        try session.add("internal/handbook.html") { piece in
            piece(Array("two".utf8))
            piece(Array("three".utf8))
        }
        #expect(throws: EnvironmentError.self) { try session.finish() }
        #expect(try readTree(output) == bytes)
        #expect(try identities(output) == before)
        #expect(try entries(beside: output).isEmpty, "staging folder left behind")
    }

    @Test("a missing output or one holding only the marker takes a first site, not flushed; an output that cannot be listed as a folder is replaced, flushed")
    func firstSites() throws {
        let folder = try TemporaryFolder()
        func flushed(into output: URL, text: String = "site\n") throws -> Bool {
            let session = try SiteWriter(output: output).begin()
            try session.add(OutputFile(path: "index.html", text: text))
            return try session.finish().flushed
        }
        #expect(try flushed(into: folder.url.appendingPathComponent("missing")) == false)

        let markerOnly = folder.url.appendingPathComponent("marker-only")
        try FileManager.default.createDirectory(at: markerOnly, withIntermediateDirectories: true)
        try Data("generated by continuity\n".utf8).write(to: markerOnly.appendingPathComponent(SiteWriter.marker))
        #expect(try flushed(into: markerOnly) == false)
        #expect(try flushed(into: markerOnly, text: "another site\n"), "the folder now holds a site")

        // A link is not listed as a folder: what it leads to is unknown, so it is treated as a site.
        let link = folder.url.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: markerOnly)
        #expect(try flushed(into: link, text: "a third site\n"))
    }

    @Test("a site that replaces another is flushed as it is written, and the flushes end before the swap or the abandon")
    func backgroundFlushes() throws {
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("_site")
        var writer = SiteWriter(output: output)
        writer.flushEvery = 1
        let files = (0..<300).map { OutputFile(path: "runbooks/\($0).html", text: String(repeating: "runbook \($0)\n", count: 50)) }
        // A first site has nothing to protect: it is not flushed (see `firstSites` for what counts as one).
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try Data("generated by continuity\n".utf8).write(to: output.appendingPathComponent(SiteWriter.marker))
        let first = try writer.begin()
        DispatchQueue.concurrentPerform(iterations: files.count) {
            try? first.add(OutputFile(path: files[$0].path, text: "first \($0)\n"))
        }
        #expect(first.backgroundFlushes.started == 0)
        #expect(try first.finish().flushed == false)

        let session = try writer.begin()
        DispatchQueue.concurrentPerform(iterations: files.count) { try? session.add(files[$0]) }
        try session.add("handbook.html") { piece in for part in 0..<20 { piece(Array("part \(part)\n".utf8)) } }
        #expect(session.backgroundFlushes.started > 0)
        #expect(try session.finish().flushed)
        #expect(session.backgroundFlushes.ended == session.backgroundFlushes.started, "a flush outlived finish()")
        var expected = Dictionary(uniqueKeysWithValues: files.map { ($0.path, Data($0.bytes)) })
        expected["handbook.html"] = Data((0..<20).map { "part \($0)\n" }.joined().utf8)
        expected[SiteWriter.marker] = Data("generated by continuity\n".utf8)
        #expect(try readTree(output) == expected)

        // Abandoned while flushes may still run: nothing is left beside the output, which is unchanged.
        let before = try identities(output)
        let abandoned = try writer.begin()
        DispatchQueue.concurrentPerform(iterations: files.count) {
            try? abandoned.add(OutputFile(path: files[$0].path, text: "changed \($0)\n"))
        }
        #expect(abandoned.backgroundFlushes.started > 0)
        abandoned.cancel()
        #expect(abandoned.backgroundFlushes.ended == abandoned.backgroundFlushes.started, "a flush outlived cancel()")
        #expect(try identities(output) == before)
        #expect(try entries(beside: output).isEmpty, "staging folder left behind")
    }

    @Test("files handed to a session from several threads, in any order, give the same site and report")
    func sessionFromThreads() throws {
        let folder = try TemporaryFolder()
        let files = (0..<600).map { index in
            OutputFile(path: "s\(index % 5)/d\(index % 4)/p\(index).html", text: "page \(index)\n")
        }
        let expectedOutput = folder.url.appendingPathComponent("expected")
        let expectedFirst = try SiteWriter(output: expectedOutput).write(files)
        let firstTree = try readTree(expectedOutput)
        var changed = files
        for index in stride(from: 0, to: 600, by: 37) { changed[index].bytes += Array("changed\n".utf8) }
        changed.removeLast(7)
        let expectedSecond = try SiteWriter(output: expectedOutput).write(changed)
        let secondTree = try readTree(expectedOutput)

        for round in 0..<4 {
            let output = folder.url.appendingPathComponent("round-\(round)")
            var writer = SiteWriter(output: output)
            // A queue that holds a few files at most: threads that find it full write their own.
            if round == 3 { writer.queueLimit = 40 }
            for (site, report, tree) in [(files, expectedFirst, firstTree), (changed, expectedSecond, secondTree)] {
                let session = try writer.begin()
                let shuffled = site.shuffled()
                DispatchQueue.concurrentPerform(iterations: 4) { part in
                    for file in shuffled[(part * shuffled.count / 4)..<((part + 1) * shuffled.count / 4)] {
                        try? session.add(file)
                    }
                }
                // One thread writes at a time and the others hand their files over: none may be left over.
                #expect(session.waitingFileCount == 0)
                #expect(try session.finish() == report)
                #expect(try readTree(output) == tree)
            }
            let session = try writer.begin()
            try session.finish()
            #expect(throws: EnvironmentError.self) { try session.add(files[0]) }
        }
    }

    @Test("a cancelled session leaves the previous output exactly as it was")
    func sessionCancelled() throws {
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("_site")
        let writer = SiteWriter(output: output)
        let files = (0..<50).map { OutputFile(path: "pages/\($0).html", text: "page \($0)\n") }
        try writer.write(files)
        let bytes = try readTree(output)
        let before = try identities(output)
        let session = try writer.begin()
        for file in files.prefix(20) { try session.add(file) }
        try session.add(OutputFile(path: "pages/new.html", text: "new"))
        #expect(!(try entries(beside: output).isEmpty), "a changed file makes the staging folder")
        session.cancel()
        #expect(try readTree(output) == bytes)
        #expect(try identities(output) == before)
        #expect(try entries(beside: output).isEmpty, "staging folder left behind")
    }

    @Test("a file's path must stay inside the site", arguments: [
        ("index.html", true), ("a/b/c.html", true), ("...", true), (".a/b..", true), ("a./.b", true), ("x", true),
        ("", false), ("/abs.html", false), ("a//b", false), ("a/", false), (".", false), ("..", false), ("a/../b", false),
        ("./a", false), ("a/.", false), ("../x.html", false), ("../\u{301}x", false), ("a/\u{301}/b", true),
    ])
    func validPaths(_ path: String, _ valid: Bool) throws {
        #expect(SiteWriter.Session.isValidPath(path) == valid)
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("site")
        let written = Result { try SiteWriter(output: output).write([OutputFile(path: path, text: "x\n")]) }
        if valid {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(path).path))
        } else {
            #expect(throws: EnvironmentError.self) { try written.get() }
            #expect(!FileManager.default.fileExists(atPath: output.path))
        }
    }

    @Test("a path used as a file and as a folder fails the same way whatever the order")
    func conflictIsDeterministic() throws {
        let folder = try TemporaryFolder()
        let writer = SiteWriter(output: folder.url.appendingPathComponent("_site"))
        var messages = Set<String>()
        for order in [["a/b.html", "a/b.html/c.html", "z.html"], ["z.html", "a/b.html/c.html", "a/b.html"]] {
            let session = try writer.begin()
            for path in order { try session.add(OutputFile(path: path, text: path)) }
            do {
                try session.finish()
                Issue.record("no failure")
            } catch let error as EnvironmentError {
                messages.insert(error.description)
            }
            #expect(try entries(beside: writer.output).isEmpty)
        }
        #expect(messages.count == 1, "\(messages)")
        #expect(messages.first?.contains("a/b.html") == true)
    }
}
