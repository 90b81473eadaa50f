import Foundation
@testable import ContinuityKit

/// Paths of the repository and the test fixtures, found from this file's location.
enum Repo {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let root = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = testsFolder.appendingPathComponent("Fixtures")
    static let exampleContent = root.appendingPathComponent("content")
    static let defaultTheme = root.appendingPathComponent("themes/default")
}

/// A temporary folder removed when the value goes away.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("continuity-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes text files given as relative path → contents.
    func write(_ files: [String: String]) throws {
        for (path, text) in files {
            let file = url.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
        }
    }
}

/// Every regular file below a folder, as relative path → bytes; the build record at the top (which holds
/// inodes and times) is left out.
func readTree(_ folder: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return files }
    for case let relative as String in enumerator where relative != SiteWriter.record {
        let url = folder.appendingPathComponent(relative)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            files[relative] = try Data(contentsOf: url)
        }
    }
    return files
}

/// Loads, models and checks a content folder as `continuity check` does, which parses runbook and scenario
/// bodies for their outline only; with `bodies: .full`, as a build does (what rendering needs), without
/// the leak guard.
func model(_ content: URL, today: String = "2026-06-01", bodies: Markdown.Detail = .outline) throws -> (Plan?, [Diagnostic]) {
    let options = PipelineOptions(content: content, today: CalendarDate(today) ?? CalendarDate(unixTime: 0))
    guard bodies == .outline else {
        let result = try Pipeline.analyse(options, internalBodies: bodies)
        return (result.plan, Pipeline.finish(result.diagnostics, options))
    }
    let result = try Pipeline.check(options)
    return (result.plan, result.diagnostics)
}

/// A minimal plan that passes every check (with "today" in 2026), as files, to be varied by tests.
let minimalPlan: [String: String] = [
    "continuity.yaml": """
        organization:
          name: Test Org
        policy:
          review_interval: 365d
        """,
    "people.yaml": """
        - id: ann
          name: Ann Example
          phone: "+1 555 010 0001"
          email: ann@example.com
        - id: bob
          name: Bob Example
          phone: ["+1 555 010 0002", "+1 555 010 0012"]
        - id: cat
          name: Cat Example
          phone: "+1 555 010 0003"
          email: cat@example.com
        """,
    "roles.yaml": """
        - id: lead
          title: Lead
          primary: ann
          alternates: [bob]
          can_declare: true
        - id: second
          title: Second
          primary: bob
          alternates: [cat]
          can_declare: true
        """,
    "scenarios/outage.md": """
        ---
        title: Outage
        scope: facility
        ---
        """,
    "runbooks/alpha.md": """
        ---
        title: Alpha
        tier: 1
        owner: lead
        deputy: second
        rto: 4h
        scenarios: [outage]
        last_reviewed: 2026-01-01
        last_exercised: 2026-03-01
        ---
        ## Activation
        ## Recovery
        ## Reconstitution
        """,
]
