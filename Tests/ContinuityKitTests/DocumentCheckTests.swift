import Foundation
import Testing
@testable import ContinuityKit

@Suite("Document checks: sections and links")
struct DocumentCheckTests {
    func diagnostics(_ overrides: [String: String]) throws -> [Diagnostic] {
        let folder = try TemporaryFolder()
        try folder.write(minimalPlan.merging(overrides) { _, new in new })
        return try model(folder.url).1
    }

    static let runbook = "---\ntitle: Beta\ntier: 2\nowner: lead\nrto: 1d\nlast_reviewed: 2026-01-01\n---\n"

    @Test("a runbook without a required section is an error naming it")
    func missingSection() throws {
        let folder = try TemporaryFolder()
        try folder.write(minimalPlan.merging([
            "continuity.yaml": "organization: {name: T}\npolicy:\n  required_sections: [Activation, Recovery, Triage]\n"
        ]) { _, new in new })
        let d = try #require(try model(folder.url).1.first { $0.code == .missingSection })
        #expect(d.message == "runbook 'alpha' lacks the required section '## Triage'")
        #expect(d.location?.path == "runbooks/alpha.md")
    }

    @Test("links to documents resolve; a broken one is an error at its line and column")
    func brokenLink() throws {
        let found = try diagnostics([
            "runbooks/beta.md": Self.runbook + "## Activation\n\nSee [alpha](alpha.md) and\n[gone](gone.md#x).\n"
        ])
        let broken = found.filter { $0.code == .brokenLink }
        #expect(broken.count == 1)
        #expect(broken.first?.location == SourceLocation(path: "runbooks/beta.md", line: 11, column: 1))
        #expect(broken.first?.message.contains("gone.md#x") == true)
    }

    @Test("a fragment that names no heading of the target is a warning listing the headings")
    func brokenFragment() throws {
        let found = try diagnostics([
            "runbooks/beta.md": Self.runbook + "Go to [alpha](./alpha.md#activation), [alpha](alpha.md#triage), [here](#nowhere).\n"
        ])
        let warnings = found.filter { $0.code == .brokenFragment }
        #expect(warnings.count == 2)
        #expect(warnings.allSatisfy { $0.severity == .warning })
        #expect(warnings.contains { $0.message.contains("'#triage'") && $0.hint?.contains("#activation") == true })
    }

    @Test("a public page must not link to an internal one")
    func publicToInternal() throws {
        let found = try diagnostics([
            "summary.md": "---\ntitle: Summary\n---\nRead the [runbook](runbooks/alpha.md) and the [glossary](pages/glossary.md).\n",
            "pages/glossary.md": "---\ntitle: Glossary\nclassification: public\n---\nWords.\n",
        ])
        let leaks = found.filter { $0.code == .publicLinksInternal }
        #expect(leaks.count == 1)
        #expect(leaks.first?.message.contains("runbooks/alpha.md") == true)
        #expect(leaks.first?.location?.path == "summary.md")
    }

    @Test("links to other sites, mail and phones are not checked as documents")
    func externalLinks() throws {
        let found = try diagnostics([
            "runbooks/beta.md": Self.runbook + "[a](https://example.com/x.md) [b](mailto:a@b.example) [c](tel:+15550100) [d](notes.txt)\n"
        ])
        #expect(!found.contains { $0.code == .brokenLink })
    }

    @Test("an outline parse finds the headings and links of a full parse, and renders no HTML or text")
    func outlineParse() throws {
        var bodies: [String] = []
        for folder in ["runbooks", "scenarios"] {
            let url = Repo.exampleContent.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() where name.hasSuffix(".md") {
                let text = try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
                guard case .split(let split) = FrontMatter.split(text) else { continue }
                bodies.append(split.body)
            }
        }
        bodies.append("# T\n\n## A\n\nSee [x](x.md#a), ![i](i.png) and [y](https://e.example).\n\n## A\n")
        #expect(bodies.count > 10)
        for body in bodies {
            let full = Markdown.parse(body, firstLine: 7)
            let outline = Markdown.parse(body, firstLine: 7, detail: .outline)
            #expect(outline.headings == full.headings)
            #expect(outline.links == full.links)
            #expect(outline.html.isEmpty && outline.plainText.isEmpty)
            #expect(!full.html.isEmpty)
        }
    }

    @Test("check, which parses runbooks and scenarios for their outline only, finds what a build finds")
    func checkFindsWhatBuildFinds() throws {
        let folder = try TemporaryFolder()
        try folder.write(minimalPlan.merging([
            "continuity.yaml": "organization: {name: T}\npolicy:\n  required_sections: [Activation, Triage]\n",
            "runbooks/beta.md": Self.runbook + "## Activation\n\nSee [alpha](alpha.md#nowhere), [gone](gone.md) and [here](#activation).\n",
            "summary.md": "---\ntitle: Summary\n---\nRead the [runbook](runbooks/alpha.md).\n",
        ]) { _, new in new })
        let today = CalendarDate(year: 2026, month: 6, day: 1)!
        let checked = try Pipeline.check(PipelineOptions(content: folder.url, today: today)).diagnostics
        let output = try TemporaryFolder()
        let built = try Pipeline.build(
            PipelineOptions(content: folder.url, output: output.url.appendingPathComponent("site"), today: today)
        ).diagnostics
        let codes = Set(checked.map(\.code))
        #expect(codes.isSuperset(of: [.missingSection, .brokenLink, .brokenFragment, .publicLinksInternal]))
        #expect(checked == built)
    }
}
