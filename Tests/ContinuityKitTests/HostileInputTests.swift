import Foundation
import Testing
@testable import ContinuityKit

/// A folder of hostile inputs, each of which must end as one precise diagnostic at the right line —
/// never a crash, a hang or a write outside the output folder. The whole report is compared with
/// `Fixtures/hostile-expected.txt` (`CONTINUITY_RECORD=1 swift test` re-records it).
@Suite("Hostile input")
struct HostileInputTests {
    /// A complete tier 2 runbook with `extra` front-matter lines after the title.
    static func runbook(_ extra: String = "") -> String {
        "---\ntitle: Hostile\n\(extra)tier: 2\nowner: lead\nrto: 1d\nlast_reviewed: 2026-01-01\n---\n## Activation\n## Recovery\n## Reconstitution\n"
    }

    static func write(into folder: TemporaryFolder) throws {
        var files = minimalPlan.reduce(into: [String: String]()) { $0["content/" + $1.key] = $1.value }
        let r = "content/runbooks/"
        files[r + "syntax-error.md"] = runbook("notes: [unclosed\n")
        files[r + "alias-as-key.md"] = runbook("a: &x y\n*x : z\n")
        files[r + "big-front-matter.md"] = runbook("notes: \"" + String(repeating: "x", count: 300 * 1024) + "\"\n")
        files[r + "empty.md"] = ""
        files[r + "no-front-matter.md"] = "# Just a heading\n\nNo front matter here.\n"
        files[r + "unterminated.md"] = "---\ntitle: Open\ntier: 2\n"
        files[r + "duplicate-key.md"] = runbook("rto: 2d\n")
        files[r + "tab-indent.md"] = runbook("tags:\n\t- x\n")
        files[r + "scalar-for-list.md"] = runbook("plan_elements: data-backup-and-recovery\n")
        files[r + "list-for-scalar.md"] = runbook().replacingOccurrences(of: "rto: 1d", with: "rto: [1d]")
        files[r + "Upper-Case.md"] = runbook()
        files[r + "dots..md"] = runbook()
        files[r + "lookalike-dn\u{0455}.md"] = runbook()
        files[r + "path-id.md"] = runbook("id: ../../etc/passwd\n")
        files["content/vendors.yaml"] = "- id: Vendor/One\n  name: Vendor One\n"
        files["outside.md"] = runbook()
        try folder.write(files)
        let runbooks = folder.url.appendingPathComponent("content/runbooks")
        // Not valid UTF-8, a file over 10 MiB, a byte order mark with CRLF line endings (accepted), and a
        // link that leads out of the content folder.
        try Data(Array(runbook().utf8) + [0xE9, 0x0A]).write(to: runbooks.appendingPathComponent("latin1.md"))
        try Data(repeating: 0x61, count: 10 * 1024 * 1024 + 1).write(to: runbooks.appendingPathComponent("huge.md"))
        try Data([0xEF, 0xBB, 0xBF] + Array(runbook().replacingOccurrences(of: "\n", with: "\r\n").utf8))
            .write(to: runbooks.appendingPathComponent("bom-crlf.md"))
        try FileManager.default.createSymbolicLink(
            atPath: runbooks.appendingPathComponent("link-out.md").path, withDestinationPath: "../../outside.md")
    }

    @Test("each hostile input gives one precise diagnostic, and check exits 1")
    func report() throws {
        let folder = try TemporaryFolder()
        try Self.write(into: folder)
        let run = try CLITests().run(["check", "--quiet"], in: folder.url)
        #expect(run.status == 1)
        let expectedURL = Repo.fixtures.appendingPathComponent("hostile-expected.txt")
        if ProcessInfo.processInfo.environment["CONTINUITY_RECORD"] == "1" {
            try Data(run.stderr.utf8).write(to: expectedURL)
            return
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(run.stderr == expected)
        // One diagnostic per hostile file: every line starting with the file's path is that file's.
        let firstLines = run.stderr.split(separator: "\n").filter { $0.hasPrefix("content/") && $0.contains(": error: ") }
        let files = firstLines.map { $0.split(separator: ":")[0] }
        #expect(files.count == Set(files).count, "more than one diagnostic for a file: \(files)")
        #expect(files.count == 18)
        #expect(!firstLines.contains { $0.contains("bom-crlf") })
    }
}
