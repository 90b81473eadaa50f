import Foundation
import Testing
@testable import ContinuityKit

@Suite("Model building and references")
struct ModelTests {
    func check(_ overrides: [String: String], removing: [String] = []) throws -> (Plan?, [Diagnostic]) {
        let folder = try TemporaryFolder()
        var files = minimalPlan
        for key in removing { files[key] = nil }
        files.merge(overrides) { _, new in new }
        try folder.write(files)
        return try model(folder.url)
    }

    @Test("a runbook is a value: changing a copy leaves the original and the plan as they were")
    func runbookCopiesAreIndependent() throws {
        let plan = try #require(try check([:]).0)
        let original = try #require(plan.runbooks.first)
        var copy = original
        #expect(copy == original)
        copy.title = "Changed"
        copy.tags.append("new")
        #expect(original.title != "Changed" && !original.tags.contains("new"))
        #expect(plan.runbooks.first?.title == original.title)
        #expect(copy.title == "Changed" && copy.tags.last == "new")
        #expect(copy != original)
        var unique = copy
        copy = original
        unique.title = "Again"
        #expect(unique.title == "Again" && copy.title == original.title)
    }

    @Test("the minimal plan is clean and every reference resolves")
    func minimal() throws {
        let (plan, diagnostics) = try check([:])
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let p = try #require(plan)
        let runbook = try #require(p.runbook("alpha"))
        #expect(p.role(runbook.owner.id)?.title == "Lead")
        #expect(p.role("lead")?.primary.flatMap { p.person($0.id) }?.name == "Ann Example")
        #expect(runbook.rto.seconds == 14_400)
    }

    @Test("an unknown reference names the field, the id and the closest existing id")
    func unknownReference() throws {
        let (plan, diagnostics) = try check([
            "runbooks/beta.md": "---\ntitle: Beta\ntier: 2\nowner: lead\nrto: 1d\nlast_reviewed: 2026-01-01\ndepends_on: [alpah, ghost]\n---\n"
        ])
        let refs = diagnostics.filter { $0.code == .unknownReference }
        #expect(refs.count == 2)
        #expect(refs[0].message.contains("'alpah'") && refs[0].message.contains("did you mean 'alpha'"))
        #expect(refs[0].location == SourceLocation(path: "runbooks/beta.md", line: 7, column: 14))
        #expect(refs[1].hint?.contains("runbooks/") == true)
        // The bad references are dropped from the model; the good runbook stays.
        #expect(plan?.runbook("beta")?.dependsOn.isEmpty == true)
    }

    @Test("a runbook without a resolvable owner is left out; others keep their good references, in order")
    func unresolvedOwnerAndPartialLists() throws {
        let (plan, diagnostics) = try check([
            "runbooks/beta.md": "---\ntitle: Beta\ntier: 2\nowner: nobody\nrto: 1d\nlast_reviewed: 2026-01-01\n---\n",
            "runbooks/gamma.md":
                "---\ntitle: Gamma\ntier: 2\nowner: lead\ndeputy: ghost-role\nrto: 1d\nlast_reviewed: 2026-01-01\ndepends_on: [ghost, alpha, phantom]\n---\n",
        ])
        let p = try #require(plan)
        #expect(p.runbook("beta") == nil)
        #expect(p.runbooks.map(\.id) == ["alpha", "gamma"])
        let gamma = try #require(p.runbook("gamma"))
        #expect(gamma.dependsOn.map(\.id) == ["alpha"])
        #expect(gamma.deputy == nil)
        #expect(p.runbook("alpha")?.title == "Alpha")
        // Findings come in runbook order, and within a runbook in field order.
        let refs = diagnostics.filter { $0.code == .unknownReference }.map(\.message)
        #expect(refs.count == 4)
        #expect(refs[0].contains("'owner' names role 'nobody'"))
        #expect(refs[1].contains("'deputy' names role 'ghost-role'"))
        #expect(refs[2].contains("'ghost'") && refs[3].contains("'phantom'"))
    }

    @Test("a missing required key points at the mapping that lacks it")
    func missingKey() throws {
        let (_, diagnostics) = try check([
            "runbooks/alpha.md": "---\ntitle: Alpha\ntier: 1\nowner: lead\nlast_reviewed: 2026-01-01\n---\n"
        ])
        let d = try #require(diagnostics.first { $0.code == .missingKey })
        #expect(d.message == "runbook 'alpha': missing required key 'rto'")
        #expect(d.location?.path == "runbooks/alpha.md")
        #expect(d.location?.line == 2)
    }

    @Test("duplicate ids are reported at the second with a note at the first; the first is kept, in order")
    func duplicateIDs() throws {
        let (plan, diagnostics) = try check([
            "people.yaml": "- id: ann\n  name: Ann\n  phone: '+1 555 010 0001'\n- id: ann\n  name: Ann Two\n  phone: '+1 555 010 0003'\n- id: bob\n  name: Bob\n"
                + "- id: ann\n  name: Ann Three\n- id: cy\n  name: Cy\n"
        ])
        let duplicates = diagnostics.filter { $0.code == .duplicateId }
        #expect(duplicates.map(\.location?.line) == [4, 9])
        let d = try #require(duplicates.first)
        #expect(d.location == SourceLocation(path: "people.yaml", line: 4, column: 7))
        #expect(d.notes.first?.location == SourceLocation(path: "people.yaml", line: 1, column: 7))
        #expect(try #require(plan).people.map(\.name) == ["Ann", "Bob", "Cy"])
    }

    @Test("wrong types, bad formats and unknown keys each get one diagnostic at the value")
    func typesAndFormats() throws {
        let (_, diagnostics) = try check([
            "runbooks/alpha.md": """
                ---
                title: Alpha
                tier: one
                owner: lead
                rto: 4 hours
                last_reviewed: 2026-02-30
                ownr: lead
                ---
                """
        ])
        let byCode = Dictionary(grouping: diagnostics, by: \.code)
        #expect(byCode[.wrongType]?.first?.location?.line == 3)
        #expect(byCode[.badFormat]?.map { $0.location?.line ?? 0 }.sorted() == [5, 6])
        let unknown = try #require(byCode[.unknownKey]?.first)
        #expect(unknown.message.contains("did you mean 'owner'?"))
        #expect(unknown.location?.line == 7)
    }

    @Test("a YAML syntax error is reported with its file position and the rest of the plan still loads")
    func syntaxError() throws {
        let (plan, diagnostics) = try check([
            "runbooks/bad.md": "---\ntitle: Bad\nrto: [4h\n---\nbody\n"
        ])
        let d = try #require(diagnostics.first { $0.code == .yamlSyntax })
        #expect(d.location?.path == "runbooks/bad.md")
        #expect((d.location?.line ?? 0) >= 3)
        #expect(plan?.runbook("alpha") != nil)
    }

    @Test("a document without front matter, or with an unterminated one, is a diagnostic")
    func frontMatterProblems() throws {
        let (_, diagnostics) = try check([
            "runbooks/none.md": "# Just text\n",
            "runbooks/open.md": "---\ntitle: Open\n",
        ])
        #expect(diagnostics.contains { $0.code == .noFrontMatter && $0.location?.path == "runbooks/none.md" })
        #expect(diagnostics.contains { $0.code == .unterminatedFrontMatter && $0.location?.path == "runbooks/open.md" })
    }

    @Test("a missing continuity.yaml is an error and no plan is built")
    func missingConfig() throws {
        let (plan, diagnostics) = try check([:], removing: ["continuity.yaml"])
        #expect(plan == nil)
        #expect(diagnostics.first?.code == .missingFile)
    }

    @Test("a symbolic link out of the content folder is refused")
    func symlinkOutside() throws {
        let outside = try TemporaryFolder()
        try outside.write(["secret.md": "---\ntitle: S\n---\n"])
        let folder = try TemporaryFolder()
        try folder.write(minimalPlan)
        try FileManager.default.createSymbolicLink(
            at: folder.url.appendingPathComponent("runbooks/secret.md"),
            withDestinationURL: outside.url.appendingPathComponent("secret.md"))
        let (_, diagnostics) = try model(folder.url)
        #expect(diagnostics.contains { $0.code == .pathOutsideContent && $0.location?.path == "runbooks/secret.md" })
    }

    @Test("diagnostics print as path:line:col: severity: message [CODE]")
    func formatting() {
        let d = Diagnostic.error(
            .unknownReference, "'owner' names role 'x', which does not exist",
            at: SourceLocation(path: "runbooks/a.md", line: 4, column: 8),
            notes: [Diagnostic.Note("declared here", at: SourceLocation(path: "roles.yaml", line: 1, column: 1))])
        let text = DiagnosticFormatter(format: .text, pathPrefix: "content/").render([d])
        #expect(text == """
            content/runbooks/a.md:4:8: error: 'owner' names role 'x', which does not exist [REF001]
            content/roles.yaml:1:1: note: declared here

            """)
        let github = DiagnosticFormatter(format: .github, pathPrefix: "content/").render([d])
        #expect(github.hasPrefix("::error file=content/runbooks/a.md,line=4,col=8,title=REF001::'owner' names role"))
    }

    @Test("text diagnostics quote their line with a caret, in files with LF or CRLF line ends and a byte order mark")
    func quoting() throws {
        let folder = try TemporaryFolder()
        try folder.write([
            "lf.md": "---\ntitle: A\nowner: x\n---\n",
            "crlf.md": "---\r\ntitle: A\r\n\towner: x\r\n---\r\n",
            "bom.md": "\u{FEFF}owner: x\nlast",
        ])
        func quoted(_ path: String, _ line: Int, _ column: Int) -> String {
            let d = Diagnostic.error(.unknownReference, "m", at: SourceLocation(path: path, line: line, column: column))
            let text = DiagnosticFormatter(format: .text, sourceRoot: folder.url).render([d])
            return text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
        }
        #expect(quoted("lf.md", 3, 8) == " 3 | owner: x\n   |        ^\n")
        #expect(quoted("crlf.md", 3, 9) == " 3 | \towner: x\n   | \t       ^\n")
        #expect(quoted("crlf.md", 4, 1) == " 4 | ---\n   | ^\n")
        #expect(quoted("bom.md", 1, 1) == " 1 | owner: x\n   | ^\n")
        #expect(quoted("bom.md", 2, 2) == " 2 | last\n   |  ^\n")
        // A line the file does not have, and a file that is not there, are not quoted.
        #expect(quoted("lf.md", 9, 1) == "")
        #expect(quoted("missing.md", 1, 1) == "")
    }
}
