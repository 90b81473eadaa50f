import CSystem
import Foundation
import Testing
@testable import ContinuityKit

/// The build record lets a build with nothing changed stop early; it must never hide a change.
@Suite("Build record", .serialized)
struct BuildRecordTests {
    /// The minimal plan, a year and a half after its reviews: two warnings, no error.
    static let later = "2027-06-01"

    struct Setup {
        let folder: TemporaryFolder
        var content: URL { folder.url.appendingPathComponent("content") }
        var theme: URL { folder.url.appendingPathComponent("theme") }
        var output: URL { folder.url.appendingPathComponent("_site") }
    }

    func setup() throws -> Setup {
        let folder = try TemporaryFolder()
        try folder.write(minimalPlan.reduce(into: [String: String]()) { $0["content/" + $1.key] = $1.value })
        try folder.write(["content/notes.txt": "a file the build does not read"])
        try FileManager.default.copyItem(at: Repo.defaultTheme, to: folder.url.appendingPathComponent("theme"))
        return Setup(folder: folder)
    }

    func build(
        _ setup: Setup, today: String = later, theme: Bool = true, strict: Bool = false, useRecord: Bool = true
    ) throws -> PipelineResult {
        try Pipeline.build(
            PipelineOptions(
                content: setup.content, theme: theme ? setup.theme : nil, output: setup.output,
                today: CalendarDate(today)!, buildDate: CalendarDate("2026-11-01"), strict: strict,
                useRecord: useRecord))
    }

    func stages(_ result: PipelineResult) -> [String] { result.timings.map(\.stage) }

    @Test("the hash is XXH64")
    func hashVectors() {
        #expect(FastHash.hash(Array("".utf8)) == 0xEF46_DB37_51D8_E999)
        #expect(FastHash.hash(Array("a".utf8)) == 0xD24E_C4F1_A98C_6E5B)
        #expect(FastHash.hash(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
        #expect(FastHash.hash(Array("Nobody inspects the spammish repetition".utf8)) == 0xFBCE_A83C_8A37_8BF1)
        #expect(FastHash.hash("abc") == FastHash.hash(Array("abc".utf8)))
        #expect(FastHash.hash(Array("abc".utf8), seed: 1) != FastHash.hash(Array("abc".utf8)))
    }

    @Test("a build with nothing changed loads nothing, writes nothing and reports the same diagnostics")
    func noChange() throws {
        let setup = try setup()
        let first = try build(setup)
        #expect(first.wrote && !first.upToDate)
        #expect(first.diagnostics.warningCount == 2 && !first.diagnostics.hasErrors, "\(first.diagnostics)")
        #expect(FileManager.default.fileExists(atPath: setup.output.appendingPathComponent(SiteWriter.record).path))
        let tree = try readTree(setup.output)
        let attributes = try FileManager.default.attributesOfItem(atPath: setup.output.appendingPathComponent("internal/index.html").path)

        let second = try build(setup)
        #expect(second.upToDate && second.wrote)
        #expect(!stages(second).contains("load") && !stages(second).contains("finish"), "\(stages(second))")
        #expect(second.plan == nil)
        #expect(second.diagnostics == first.diagnostics)
        #expect(second.runbookCount == first.runbookCount && second.fileCount == first.fileCount)
        #expect(try readTree(setup.output) == tree)
        let after = try FileManager.default.attributesOfItem(atPath: setup.output.appendingPathComponent("internal/index.html").path)
        #expect(after[.systemFileNumber] as? Int == attributes[.systemFileNumber] as? Int)
        #expect(after[.modificationDate] as? Date == attributes[.modificationDate] as? Date)

        // A content file touched but not changed: its bytes are what count.
        try FileManager.default.setAttributes(
            [.modificationDate: Date()], ofItemAtPath: setup.content.appendingPathComponent("runbooks/alpha.md").path)
        #expect(try build(setup).upToDate)

        // Without the record's help, the build runs in full and finds the same.
        let full = try build(setup, useRecord: false)
        #expect(!full.upToDate && stages(full).contains("load"))
        #expect(full.diagnostics == first.diagnostics)
        #expect(try build(setup).upToDate)
    }

    static let changes = [
        "runbook body", "added runbook", "added hidden file", "removed file", "theme file",
        "today", "strict", "built-in theme", "output edited", "output deleted", "extra output file",
        "extra output folder", "record damaged",
    ]

    @Test("every change to an input or to the output makes a real build", arguments: changes)
    func changeIsSeen(_ change: String) throws {
        let setup = try setup()
        _ = try build(setup)
        #expect(try build(setup).upToDate)
        let fm = FileManager.default
        let alpha = setup.content.appendingPathComponent("runbooks/alpha.md")
        var today = Self.later
        var strict = false
        var theme = true
        switch change {
        case "runbook body":
            // Same size, same second: only the bytes tell.
            let text = try String(contentsOf: alpha, encoding: .utf8)
            try Data(text.replacingOccurrences(of: "title: Alpha", with: "title: Alphb").utf8).write(to: alpha)
        case "added runbook":
            try Data(minimalPlan["runbooks/alpha.md"]!.replacingOccurrences(of: "Alpha", with: "Beta").utf8)
                .write(to: setup.content.appendingPathComponent("runbooks/beta.md"))
        case "added hidden file":
            try Data("x".utf8).write(to: setup.content.appendingPathComponent("runbooks/.notes.md"))
        case "removed file": try fm.removeItem(at: setup.content.appendingPathComponent("notes.txt"))
        case "theme file":
            let css = setup.theme.appendingPathComponent("assets/style.css")
            try Data((try Data(contentsOf: css)) + Data("/* changed */\n".utf8)).write(to: css)
        case "today": today = "2027-06-02"
        case "strict": strict = true
        case "built-in theme": theme = false
        case "output edited":
            try Data("edited by hand".utf8).write(to: setup.output.appendingPathComponent("internal/index.html"))
        case "output deleted": try fm.removeItem(at: setup.output.appendingPathComponent("public/index.html"))
        case "extra output file": try Data("x".utf8).write(to: setup.output.appendingPathComponent("public/extra.html"))
        case "extra output folder":
            try fm.createDirectory(at: setup.output.appendingPathComponent("internal/new"), withIntermediateDirectories: false)
        case "record damaged":
            let record = setup.output.appendingPathComponent(SiteWriter.record)
            try Data(try Data(contentsOf: record).dropLast(3)).write(to: record)
        default: Issue.record("unknown change \(change)")
        }
        let result = try build(setup, today: today, theme: theme, strict: strict)
        #expect(!result.upToDate, "\(change) was not seen")
        #expect(stages(result).contains("load"))
        if strict {
            #expect(result.diagnostics.hasErrors && !result.wrote)
        } else {
            // The output is right again, and the next build trusts it.
            #expect(result.wrote)
            let again = try build(setup, today: today, theme: theme, strict: strict)
            #expect(again.upToDate, "\(change): the new record is not trusted")
            #expect(again.diagnostics == result.diagnostics)
        }
    }

    @Test("a file recorded with its hash is checked by content, even with its old size and time")
    func racyEntries() throws {
        let setup = try setup()
        _ = try build(setup)
        var record = try #require(BuildRecord.read(from: setup.output))
        #expect(record.stillDescribes(setup.output))
        let index = try #require(record.entries.firstIndex { $0.path == "internal/index.html" })
        let path = setup.output.appendingPathComponent("internal/index.html").path
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        record.entries[index].hash = FastHash.hash([UInt8](bytes))
        #expect(record.stillDescribes(setup.output))
        // Same size, same inode, same modification time, other bytes.
        var info = stat()
        #expect(stat(path, &info) == 0)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.write(contentsOf: Data(repeating: UInt8(ascii: "x"), count: 4))
        try handle.close()
        var times = [info.st_atim, info.st_mtim]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        #expect(!record.stillDescribes(setup.output))
        record.entries[index].hash = nil
        #expect(record.stillDescribes(setup.output), "without a hash, the record trusts inode, size and time")
    }

    /// A site of one page, "hello", just written into `folder` (which must outlive its use).
    func onePage(in folder: TemporaryFolder, durable: Bool) throws -> (written: SiteWriter.Written, bytes: [UInt8]) {
        let path = folder.url.appendingPathComponent("page.html").path
        var info = continuity_file_info()
        let bytes = Array("hello".utf8)
        #expect(continuity_write_new_file_info(path, bytes, bytes.count, &info) == 0)
        return (SiteWriter.Written(folder: folder.url.path, files: [("page.html", info)], durable: durable), bytes)
    }

    @Test("a file written just before the record is made is recorded with its hash")
    func recentFilesHashed() throws {
        let folder = try TemporaryFolder()
        let (written, bytes) = try onePage(in: folder, durable: true)
        let record = try #require(BuildRecord.make(fingerprint: "f", runbooks: 1, diagnostics: [], written: written))
        #expect(record.entries.first?.hash == FastHash.hash(bytes))
        #expect(BuildRecord.decode(record.encoded()) == record)
    }

    @Test("the record's file lines read back exactly, at the edges of their numbers, and a damaged line is refused")
    func fileLinesRoundTrip() throws {
        let entries = [
            BuildRecord.Entry(path: "a b/ü ✓.html", inode: UInt64.max, size: Int64.max, modified: Int64.min, hash: UInt64.max),
            BuildRecord.Entry(path: "x.html", inode: 0, size: 0, modified: -1, hash: nil),
            BuildRecord.Entry(path: "", inode: 7, size: 3, modified: 1_793_491_200_123_456_789, hash: 0xAB),
        ]
        let record = BuildRecord(fingerprint: "f", runbooks: 2, diagnostics: [], entries: entries, boot: "b")
        let bytes = record.encoded()
        #expect(BuildRecord.decode(bytes) == record)
        let text = String(decoding: bytes, as: UTF8.self)
        for (damaged, replacement) in [
            ("\(UInt64.max) ", "18446744073709551616 "), ("0 0 -1 - x.html", "0 0 -1 x.html"),
            ("0 0 -1 -", "0 0 -1 +"), ("7 3 ", "7 3x "), (" 00000000000000ab ", " 100000000000000ab "), (" 00000000000000ab ", "  "),
            (" 00000000000000ab ", " 00000000000000ag "),
            ("0 0 -1", "0  0 -1"), ("\(Int64.max) ", "9223372036854775808 "),
        ] {
            #expect(text.contains(damaged), "\(damaged)")
            #expect(BuildRecord.decode(Array(text.replacingOccurrences(of: damaged, with: replacement).utf8)) == nil, "\(replacement)")
        }
        #expect(BuildRecord.decode(Array(bytes.dropLast())) == nil, "a last line without its end")
        // The head: a boot line that is empty or missing, a record of the earlier format.
        for (damaged, replacement) in [("boot b\n", "boot \n"), ("boot b\n", ""), ("record 2\n", "record 1\n")] {
            #expect(BuildRecord.decode(Array(text.replacingOccurrences(of: damaged, with: replacement).utf8)) == nil, "\(replacement)")
        }
    }

    @Test("the record of a site not known to be on disk names the boot it was made in")
    func unflushedRecordNamesBoot() throws {
        let folder = try TemporaryFolder()
        let written = try onePage(in: folder, durable: false).written
        let bound = try #require(BuildRecord.make(fingerprint: "f", runbooks: 1, diagnostics: [], written: written, boot: "boot-a"))
        #expect(bound.boot == "boot-a")
        #expect(BuildRecord.decode(bound.encoded()) == bound)
        var durable = written
        durable.durable = true
        #expect(try #require(BuildRecord.make(fingerprint: "f", runbooks: 1, diagnostics: [], written: durable, boot: "boot-a")).boot == nil)
        // With no boot to bind it to, no record: the next build runs in full.
        #expect(BuildRecord.make(fingerprint: "f", runbooks: 1, diagnostics: [], written: written, boot: nil) == nil)
    }

    /// Replaces the output's record by `change` applied to it.
    func rewriteRecord(_ setup: Setup, _ change: (inout BuildRecord) -> Void) throws {
        let url = setup.output.appendingPathComponent(SiteWriter.record)
        var record = try #require(BuildRecord.decode([UInt8](try Data(contentsOf: url))))
        change(&record)
        try Data(record.encoded()).write(to: url)
    }

    @Test(
        "a first site is not flushed; its record holds in this boot only, and after a restart lost bytes are written again",
        .enabled(if: BuildRecord.currentBoot != nil, "the system names no boot"))
    func unflushedRecordBoundToBoot() throws {
        let setup = try setup()
        let first = try build(setup)
        #expect(first.report?.flushed == false)
        let record = try #require(BuildRecord.read(from: setup.output))
        #expect(record.boot != nil && record.boot == BuildRecord.currentBoot)
        #expect(BuildRecord.read(from: setup.output, boot: "another-boot") == nil)
        #expect(try build(setup).upToDate)

        // What a power cut can do to a site not on disk: a file keeps its inode, size and time but not its
        // bytes. Recorded without hashes, such a file passes for the one written, in this boot.
        let index = setup.output.appendingPathComponent("internal/index.html")
        let original = try Data(contentsOf: index)
        var info = stat()
        #expect(stat(index.path, &info) == 0)
        let handle = try #require(FileHandle(forWritingAtPath: index.path))
        try handle.write(contentsOf: Data(count: original.count))
        try handle.close()
        var times = [info.st_atim, info.st_mtim]
        #expect(utimensat(AT_FDCWD, index.path, &times, 0) == 0)
        try rewriteRecord(setup) { record in
            for i in record.entries.indices { record.entries[i].hash = nil }
        }
        #expect(try build(setup).upToDate)
        #expect(try Data(contentsOf: index) != original)

        // As if the machine had restarted since: the record is not trusted, the build runs in full and
        // writes the file again, this time replacing a site, flushed, with a record that holds in any boot.
        try rewriteRecord(setup) { $0.boot = "another-boot" }
        let after = try build(setup)
        #expect(!after.upToDate && stages(after).contains("load"))
        #expect(after.report?.flushed == true && after.report?.written == 1)
        #expect(try Data(contentsOf: index) == original)
        #expect(try #require(BuildRecord.read(from: setup.output, boot: "another-boot")).boot == nil)
        #expect(try build(setup).upToDate)

        // A record bound to another boot over a site that is whole: the build finds every file the same,
        // flushes, and leaves a record that holds in any boot.
        try rewriteRecord(setup) { $0.boot = "another-boot" }
        let kept = try build(setup)
        #expect(!kept.upToDate && kept.report?.written == 0 && kept.report?.flushed == true)
        #expect(try #require(BuildRecord.read(from: setup.output, boot: "another-boot")).boot == nil)
    }

    @Test("the record keeps every part of a diagnostic")
    func diagnosticsRoundTrip() throws {
        let diagnostics = [
            Diagnostic.warning(
                .staleReview, "was \"reviewed\"\nlong ago ✓", at: SourceLocation(path: "runbooks/a b.md", line: 3, column: 7),
                notes: [.init("other half", at: SourceLocation(path: "x.md")), .init("no place")], hint: "review it"),
            Diagnostic.error(.missingFile, "missing", at: nil),
        ]
        let record = BuildRecord(
            fingerprint: "abc", runbooks: 3, diagnostics: diagnostics,
            entries: [.init(path: "public/a b.html", inode: 12, size: 34, modified: 1_795_329_553_638_117_122, hash: nil)])
        #expect(BuildRecord.decode(record.encoded()) == record)
        #expect(BuildRecord.decode(Array(record.encoded().dropLast(2))) == nil)
    }

    @Test("a build without a record describes the files it read by the bytes it read, the others from disk")
    func fingerprintOfWhatWasRead() throws {
        let setup = try setup()
        let options = PipelineOptions(content: setup.content, output: setup.output, today: CalendarDate(Self.later)!)
        let before = try #require(Pipeline.fingerprint(options))
        let draft = try #require(Pipeline.fingerprintDraft(options))
        let loaded = try ContentLoader(root: setup.content, internalBodies: .full, digests: true).load()
        #expect(loaded.digests["runbooks/alpha.md"] != nil && loaded.digests["continuity.yaml"] != nil)
        #expect(loaded.digests["notes.txt"] == nil, "the loader does not read it")
        #expect(try ContentLoader(root: setup.content).load().digests.isEmpty, "digests only when asked for")
        #expect(Pipeline.fingerprint(draft, known: loaded.digests) == before)
        // Edited after the loader read it: the build was made of the old bytes, and its fingerprint says so.
        let alpha = setup.content.appendingPathComponent("runbooks/alpha.md")
        try (try String(contentsOf: alpha, encoding: .utf8) + "\nMore.\n").write(to: alpha, atomically: false, encoding: .utf8)
        #expect(Pipeline.fingerprint(draft, known: loaded.digests) == before)
        #expect(Pipeline.fingerprint(options) != before)
        // A file the loader did not read is read from disk.
        try Data("changed".utf8).write(to: setup.content.appendingPathComponent("notes.txt"))
        #expect(Pipeline.fingerprint(draft, known: loaded.digests) != before)
    }

    @Test("the loader takes each folder's files from the fingerprint's listing, where it holds the folder")
    func loaderUsesListing() throws {
        let setup = try setup()
        let fm = FileManager.default
        // Besides the runbooks: a hidden one, a file of another kind, a folder; and a pages folder that is a
        // link to the scenarios, listed once (as "scenarios") by the fingerprint and by its own path by the loader.
        try setup.folder.write([
            "content/runbooks/.draft.md": "---\ntitle: Draft\n---\n", "content/runbooks/readme.txt": "notes",
            "content/runbooks/old/alpha.md": "---\ntitle: Old\n---\n",
        ])
        try fm.createSymbolicLink(atPath: setup.content.appendingPathComponent("pages").path, withDestinationPath: "scenarios")
        let options = PipelineOptions(content: setup.content, output: setup.output, today: CalendarDate(Self.later)!)
        let draft = try #require(Pipeline.fingerprintDraft(options))
        func paths(_ loaded: LoadedContent) -> [[String]] {
            [loaded.runbooks.map(\.path), loaded.scenarios.map(\.path), loaded.pages.map(\.path)]
        }
        let listed = try ContentLoader(root: setup.content, internalBodies: .full, digests: true, listing: draft.content).load()
        let own = try ContentLoader(root: setup.content, internalBodies: .full, digests: true).load()
        #expect(paths(listed) == paths(own))
        #expect(listed.runbooks.map(\.path) == ["runbooks/alpha.md"] && !listed.pages.isEmpty)
        #expect(listed.diagnostics.map(\.message) == own.diagnostics.map(\.message))
        // A runbook added after the listing is not loaded from it (nor fingerprinted): the folder was not
        // listed again. Of the two paths to one folder, the listing holds the first it met; the loader
        // lists the other itself.
        try setup.folder.write(["content/runbooks/beta.md": minimalPlan["runbooks/alpha.md"]!, "content/scenarios/extra.md": minimalPlan["scenarios/outage.md"]!])
        let later = try ContentLoader(root: setup.content, internalBodies: .full, digests: true, listing: draft.content).load()
        #expect(later.runbooks.map(\.path) == ["runbooks/alpha.md"])
        let listedAgain = [later.scenarios.map(\.path).contains("scenarios/extra.md"), later.pages.map(\.path).contains("pages/extra.md")]
        #expect(listedAgain.filter { $0 }.count == 1, "\(listedAgain)")
    }

    @Test("a first build through linked files and folders records the fingerprint a later build reads from disk")
    func fingerprintThroughLinks() throws {
        let setup = try setup()
        let fm = FileManager.default
        // A runbook that is a link to a file elsewhere in the content folder, and the scenarios folder a link.
        try fm.createDirectory(at: setup.content.appendingPathComponent("texts"), withIntermediateDirectories: true)
        try fm.moveItem(
            at: setup.content.appendingPathComponent("runbooks/alpha.md"), to: setup.content.appendingPathComponent("texts/alpha.md"))
        try fm.createSymbolicLink(
            atPath: setup.content.appendingPathComponent("runbooks/alpha.md").path, withDestinationPath: "../texts/alpha.md")
        try fm.moveItem(at: setup.content.appendingPathComponent("scenarios"), to: setup.content.appendingPathComponent("shared"))
        try fm.createSymbolicLink(atPath: setup.content.appendingPathComponent("scenarios").path, withDestinationPath: "shared")
        let first = try build(setup)
        #expect(first.wrote && !first.upToDate && !first.diagnostics.hasErrors, "\(first.diagnostics)")
        #expect(stages(first).filter { $0 == "fingerprint" }.count == 2, "listed before loading, finished after")
        #expect(try build(setup).upToDate)
    }

    @Test("the fingerprint changes with the options and the content, not with the output")
    func fingerprint() throws {
        let setup = try setup()
        let options = PipelineOptions(content: setup.content, output: setup.output, today: CalendarDate(Self.later)!)
        let base = try #require(Pipeline.fingerprint(options))
        #expect(Pipeline.fingerprint(options) == base)
        var other = options
        other.output = setup.folder.url.appendingPathComponent("elsewhere")
        #expect(Pipeline.fingerprint(other) == base)
        other = options
        other.buildDate = CalendarDate("2026-11-01")
        #expect(Pipeline.fingerprint(other) != base)
        other = options
        other.theme = setup.theme
        #expect(Pipeline.fingerprint(other) != base)
        try Data("x".utf8).write(to: setup.content.appendingPathComponent("pages-notes.txt"))
        #expect(Pipeline.fingerprint(options) != base)
    }
}
