import Foundation
import Testing
@testable import ContinuityKit

@Suite("Building sites", .serialized)
struct BuildTests {
    static let basic = Repo.fixtures.appendingPathComponent("basic")

    func options(_ content: URL, into output: URL, theme: URL? = Repo.defaultTheme, strict: Bool = false) -> PipelineOptions {
        PipelineOptions(
            content: content, theme: theme, output: output, today: CalendarDate(year: 2026, month: 11, day: 22)!,
            buildDate: CalendarDate("2026-11-01"), strict: strict)
    }

    func build(_ content: URL, into output: URL, theme: URL? = Repo.defaultTheme) throws -> PipelineResult {
        try Pipeline.build(options(content, into: output, theme: theme))
    }

    /// Runs `body` with a copy of the fixture's content in a new folder (removed afterwards), built once
    /// into `_site` beside it.
    func withBuiltCopy(_ body: (_ folder: URL, _ content: URL, _ output: URL) throws -> Void) throws {
        let folder = try TemporaryFolder()
        let content = folder.url.appendingPathComponent("content")
        try FileManager.default.copyItem(at: Self.basic.appendingPathComponent("content"), to: content)
        let output = folder.url.appendingPathComponent("_site")
        _ = try build(content, into: output)
        try withExtendedLifetime(folder) { try body(folder.url, content, output) }
    }

    /// Builds the fixture site and compares the whole tree with `expected/`: a missing, extra or different
    /// file fails. `CONTINUITY_RECORD=1 swift test` writes the tree anew.
    @Test("the fixture site matches its golden tree")
    func golden() throws {
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("_site")
        let result = try build(Self.basic.appendingPathComponent("content"), into: output)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        // Pages and the search index: the theme's assets are copies, checked byte for byte in another
        // test, so that a stylesheet change does not re-record the tree.
        let themeAssets = try readTree(Repo.defaultTheme.appendingPathComponent("assets")).keys
        let copies = Set(themeAssets.flatMap { ["public/assets/\($0)", "internal/assets/\($0)"] })
        let actual = try readTree(output).filter { !copies.contains($0.key) && $0.key != SiteWriter.marker }
        let expectedFolder = Self.basic.appendingPathComponent("expected")
        if ProcessInfo.processInfo.environment["CONTINUITY_RECORD"] == "1" {
            try? FileManager.default.removeItem(at: expectedFolder)
            for (path, data) in actual {
                let url = expectedFolder.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
            return
        }
        let expected = try readTree(expectedFolder)
        #expect(expected.isEmpty == false, "no golden tree: run CONTINUITY_RECORD=1 swift test")
        let missing = Set(expected.keys).subtracting(actual.keys).sorted()
        let extra = Set(actual.keys).subtracting(expected.keys).sorted()
        #expect(missing.isEmpty, "missing files: \(missing)")
        #expect(extra.isEmpty, "extra files: \(extra)")
        for path in Set(expected.keys).intersection(actual.keys).sorted() where expected[path] != actual[path] {
            Issue.record("\(path) differs from the golden file (CONTINUITY_RECORD=1 swift test re-records)")
        }
    }

    @Test("the fixture site has every page, relative links only, and no network reference")
    func linksAndPages() throws {
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("_site")
        _ = try build(Self.basic.appendingPathComponent("content"), into: output)
        let tree = try readTree(output)
        for page in [
            "public/index.html", "public/pages/glossary.html", "internal/index.html", "internal/runbooks/tracking.html",
            "internal/runbooks/network.html", "internal/runbooks/invoicing.html", "internal/scenarios/office-loss.html",
            "internal/roles.html", "internal/people.html", "internal/sites.html", "internal/vendors.html",
            "internal/pages/handbook.html", "internal/pages/glossary.html", "internal/assets/style.css",
            "public/assets/style.css",
        ] {
            #expect(tree[page] != nil, "missing \(page)")
        }
        for (path, data) in try readTree(Repo.defaultTheme.appendingPathComponent("assets")) {
            #expect(tree["internal/assets/\(path)"] == data, "internal/assets/\(path) is not the theme's file")
            #expect(tree["public/assets/\(path)"] == data, "public/assets/\(path) is not the theme's file")
        }
        for (path, data) in tree where path.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            for link in hrefs(in: html) {
                // cmark's safe mode empties unsafe destinations such as `javascript:`.
                if link.isEmpty || link.hasPrefix("tel:") || link.hasPrefix("mailto:") || link.hasPrefix("#") { continue }
                if link.hasPrefix("https://") {
                    // Only the organization's own addresses from continuity.yaml may be absolute.
                    #expect(link.contains("quayside.example"), "\(path): \(link)")
                    continue
                }
                #expect(!link.hasPrefix("/") && !link.contains("://"), "\(path): non-relative link \(link)")
                let target = resolve(link, from: path)
                #expect(tree[target] != nil, "\(path): broken link \(link)")
                #expect(!link.hasSuffix("/"), "\(path): link to a folder \(link)")
            }
            if path.hasPrefix("internal/") {
                #expect(html.contains("<meta name=\"robots\" content=\"noindex"), "\(path) lacks noindex")
                #expect(html.contains("Internal · Confidential"), "\(path) is not marked internal")
            }
            // Scripts only as files of the site, on internal pages: the theme's search.js, which loads
            // the index named by `data-index`. Content can never add one (cmark's safe mode drops raw HTML).
            let tags = html.components(separatedBy: "<script").dropFirst().map { $0.prefix { $0 != ">" } }
            let scripts = tags.flatMap { attributes("src", in: String($0)) }
            #expect(scripts.count == tags.count, "\(path) holds an inline script")
            #expect(path.hasPrefix("internal/") || scripts.isEmpty, "\(path): a public page holds a script")
            for link in scripts + attributes("data-index", in: html) {
                #expect(!link.contains(":") && tree[resolve(link, from: path)] != nil, "\(path): script \(link) is not in the site")
            }
            if path.hasPrefix("internal/") {
                let allowed: Set<String> = ["internal/assets/search.js", "internal/assets/matrix.js"]
                let resolved = scripts.map { resolve($0, from: path) }
                #expect(resolved.contains("internal/assets/search.js") && Set(resolved).isSubset(of: allowed), "\(path): scripts \(resolved)")
                // Without JavaScript the search box is never shown: the script reveals it.
                let box = html.components(separatedBy: "<div class=\"search\"").dropFirst().first?.prefix { $0 != ">" }
                #expect(box?.hasSuffix(" hidden") == true, "\(path): the search box shows without JavaScript")
                #expect(attributes("data-index", in: html).map { resolve($0, from: path) } == ["internal/assets/search-index.js"])
            }
            #expect(!html.contains("javascript:"), "\(path) holds a javascript: link")
        }
    }

    @Test("a runbook page shows its objectives, people with tel: links, and links both ways")
    func runbookPage() throws {
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("_site")
        _ = try build(Self.basic.appendingPathComponent("content"), into: output)
        let html = try String(contentsOf: output.appendingPathComponent("internal/runbooks/tracking.html"), encoding: .utf8)
        for needle in [
            "Tier 0", "2 h", "15 min", "8 h", "Tomas Bell", "href=\"tel:+441614960102\"", "Mira Oduya",
            "href=\"network.html#recovery\"", "href=\"../runbooks/network.html\"", "href=\"../sites.html#site-dock-office\"",
            "href=\"../scenarios/office-loss.html\"", "Linkway Telecom", "Rania Khan", "2026-05-01", "2026-04-02",
            "trackctl failover --to standby",
        ] {
            #expect(html.contains(needle), "runbook page lacks \(needle)")
        }
        let network = try String(contentsOf: output.appendingPathComponent("internal/runbooks/network.html"), encoding: .utf8)
        #expect(network.contains("href=\"../runbooks/tracking.html\""), "dependents are not linked")
        #expect(network.contains("id=\"recovery\""))
    }

    @Test("the public page holds the summary and nothing internal")
    func publicPage() throws {
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("_site")
        _ = try build(Self.basic.appendingPathComponent("content"), into: output)
        let html = try String(contentsOf: output.appendingPathComponent("public/index.html"), encoding: .utf8)
        for needle in [
            "Quayside Freight", "Business Continuity Plan Summary", "<strong>shipments keep moving</strong>",
            "disaster scenarios and recovery time objectives", "A single facility", "If one office is unavailable",
            "This is a summary only.", "href=\"tel:+442079460999\"", "Operations desk", "status.quayside.example",
            "href=\"pages/glossary.html\"",
        ] {
            #expect(html.contains(needle), "public page lacks \(needle)")
        }
        #expect(!html.contains("noindex"))
    }

    @Test("no person's name, phone or email, vendor contact or district reaches the public site of the example plan")
    func exampleHasNoLeaks() throws {
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("_site")
        let result = try build(Repo.exampleContent, into: output, theme: nil)
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics)")
        let plan = try #require(result.plan)
        var text = ""
        for (path, data) in try readTree(output.appendingPathComponent("public")) where path.hasSuffix(".html") {
            text += String(decoding: data, as: UTF8.self)
        }
        // Digits of every run of phone-like characters, so "+44 20 7946 0101" is found however it is spaced.
        let digitRuns = text.split { !($0.isNumber || " -.()+".contains($0)) }.map { $0.filter(\.isNumber) }
        let digits = digitRuns.joined(separator: "|")
        for person in plan.people {
            #expect(!text.contains(person.name), "\(person.name) appears on the public site")
            if let email = person.email { #expect(!text.contains(email)) }
            for phone in person.phones { #expect(!digits.contains(phone.digits), "\(phone.text) appears on the public site") }
        }
        for vendor in plan.vendors {
            if let email = vendor.email { #expect(!text.contains(email)) }
            for phone in vendor.phones { #expect(!digits.contains(phone.digits)) }
        }
        for site in plan.sites {
            if let district = site.district { #expect(!text.contains(district), "district \(district) leaks") }
        }
        #expect(text.contains(plan.configuration.organization.name))
    }

    @Test("two builds of the same content are byte-identical")
    func deterministic() throws {
        let folder = try TemporaryFolder()
        let a = folder.url.appendingPathComponent("a")
        let b = folder.url.appendingPathComponent("b")
        _ = try build(Repo.exampleContent, into: a, theme: nil)
        _ = try build(Repo.exampleContent, into: b, theme: nil)
        let treeA = try readTree(a)
        #expect(treeA.count > 30)
        #expect(treeA == (try readTree(b)))
    }

    @Test("a build with errors leaves the previous site exactly as it was")
    func failedBuildKeepsOldSite() throws {
        try withBuiltCopy { folder, content, output in
            let before = try readTree(output)
            try Data("---\ntitle: Broken\nowner: nobody\n---\n".utf8).write(to: content.appendingPathComponent("runbooks/broken.md"))
            let result = try build(content, into: output)
            #expect(result.diagnostics.hasErrors)
            #expect(!result.wrote)
            #expect(try readTree(output) == before)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
            #expect(leftovers.isEmpty, "staging folders left: \(leftovers)")
        }
    }

    /// The plan's checks run beside the public site and its leak guard: what they find must still stop
    /// the build before anything is written, errors always and warnings under `strict`.
    @Test(
        "findings of the plan's checks alone keep the previous site",
        arguments: [
            ("a link to no document", "[Billing](nowhere.md)", false, DiagnosticCode.brokenLink),
            ("a link to no heading, strict", "[Top](#no-such-heading)", true, DiagnosticCode.brokenFragment),
        ])
    func checkFindingsKeepOldSite(_ name: String, _ link: String, _ strict: Bool, _ code: DiagnosticCode) throws {
        try withBuiltCopy { _, content, output in
            let before = try readTree(output)
            let runbook = content.appendingPathComponent("runbooks/tracking.md")
            try (String(contentsOf: runbook, encoding: .utf8) + "\nSee \(link).\n").write(to: runbook, atomically: true, encoding: .utf8)
            let options = options(content, into: output, strict: strict)
            // The model finds nothing: the finding is the checks' own.
            let analysed = try Pipeline.analyse(options, internalBodies: .full, checksAside: true)
            #expect(analysed.diagnostics.isEmpty, "\(analysed.diagnostics)")
            #expect(analysed.checks?.value.map(\.code) == [code])
            let result = try Pipeline.build(options)
            #expect(result.diagnostics.map(\.code) == [code])
            #expect(result.diagnostics.allSatisfy { $0.severity == .error })
            #expect(!result.wrote)
            #expect(try readTree(output) == before)
            // Without `strict`, the warning is reported and the site written.
            if strict {
                var lenient = options
                lenient.strict = false
                let written = try Pipeline.build(lenient)
                #expect(written.wrote)
                #expect(written.diagnostics.map(\.severity) == [.warning])
                #expect(try readTree(output) != before)
            }
        }
    }

    @Test("a second build replaces the site: removed pages disappear")
    func rebuildReplaces() throws {
        try withBuiltCopy { _, content, output in
            try FileManager.default.removeItem(at: content.appendingPathComponent("pages/handbook.md"))
            try Data("---\ntitle: Invoicing\ntier: 2\nowner: ops-lead\nrto: 3d\nlast_reviewed: 2026-02-10\n---\n## Activation\n## Recovery\n## Reconstitution\n".utf8)
                .write(to: content.appendingPathComponent("runbooks/invoicing.md"))
            let result = try build(content, into: output)
            #expect(result.wrote)
            #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("internal/pages/handbook.html").path))
        }
    }

    @Test("outputs that would destroy something are refused", arguments: ["content", "", "/", "other"])
    func refusedOutputs(_ which: String) throws {
        let folder = try TemporaryFolder()
        let content = folder.url.appendingPathComponent("content")
        try FileManager.default.copyItem(at: Self.basic.appendingPathComponent("content"), to: content)
        try folder.write(["other/notes.txt": "not a site"])
        let output: URL
        switch which {
        case "content": output = content
        case "": output = folder.url
        case "/": output = URL(fileURLWithPath: "/")
        default: output = folder.url.appendingPathComponent(which)
        }
        #expect(throws: EnvironmentError.self) { _ = try build(content, into: output) }
        #expect(FileManager.default.fileExists(atPath: content.appendingPathComponent("continuity.yaml").path))
        #expect(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("other/notes.txt").path))
    }

    func hrefs(in html: String) -> [String] { attributes("href", in: html) }

    /// The values of every ` name="…"` attribute.
    func attributes(_ name: String, in html: String) -> [String] {
        var result: [String] = []
        var rest = html[...]
        while let range = rest.range(of: " \(name)=\"") {
            rest = rest[range.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            result.append(String(rest[..<end]))
            rest = rest[end...]
        }
        return result
    }

    func resolve(_ link: String, from page: String) -> String {
        let path = String(link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
        var parts = page.split(separator: "/").dropLast().map(String.init)
        for part in path.split(separator: "/") {
            if part == ".." { _ = parts.popLast() } else if part != "." { parts.append(String(part)) }
        }
        return parts.joined(separator: "/")
    }
}

@Suite("Themes")
struct ThemeTests {
    @Test("the embedded default theme lists exactly the files of themes/default, with the same bytes")
    func embeddedMatchesDisk() throws {
        let disk = try readTree(Repo.defaultTheme)
        let embedded = Dictionary(uniqueKeysWithValues: DefaultTheme.files.map { ($0.path, Data($0.bytes)) })
        #expect(Set(disk.keys) == Set(embedded.keys))
        for (path, data) in disk { #expect(embedded[path] == data, "\(path) differs: rebuild") }
    }

    @Test("a theme missing a required template is refused, naming it")
    func missingTemplate() throws {
        let folder = try TemporaryFolder()
        try folder.write(["templates/internal/home.mustache": "x"])
        #expect { try Theme.load(directory: folder.url) } throws: { error in
            "\(error)".contains("missing the template public/summary.mustache")
        }
    }

    @Test("a template that uses a partial the theme lacks is refused")
    func missingPartial() throws {
        let folder = try TemporaryFolder()
        var files: [String: String] = [:]
        for name in Theme.requiredTemplates { files["templates/\(name).mustache"] = "ok" }
        files["templates/internal/home.mustache"] = "{{>partials/nowhere}}"
        try folder.write(files)
        #expect { try Theme.load(directory: folder.url) } throws: { error in
            "\(error)".contains("partials/nowhere")
        }
    }

    @Test("a template syntax error names the file, line and column")
    func templateSyntax() throws {
        let folder = try TemporaryFolder()
        var files: [String: String] = [:]
        for name in Theme.requiredTemplates { files["templates/\(name).mustache"] = "ok" }
        files["templates/internal/roles.mustache"] = "line one\n{{#open}}never closed"
        try folder.write(files)
        #expect { try Theme.load(directory: folder.url) } throws: { error in
            "\(error)".contains("roles.mustache") && "\(error)".contains("template error at")
        }
    }
}

@Suite("Plan health")
struct PlanHealthTests {
    @Test("the home page lists warnings by kind, each linking to the page concerned")
    func healthOnHome() throws {
        let folder = try TemporaryFolder()
        try folder.write(minimalPlan)
        let output = folder.url.appendingPathComponent("out")
        let result = try Pipeline.build(
            PipelineOptions(content: folder.url, output: output, today: CalendarDate(year: 2027, month: 6, day: 1)!))
        #expect(result.wrote)
        let codes: Set<String> = Set(result.diagnostics.map(\.code.rawValue))
        #expect(codes == ["FRESH001", "FRESH002"])
        let home = try String(contentsOf: output.appendingPathComponent("internal/index.html"), encoding: .utf8)
        #expect(home.contains("<strong>0</strong> errors · <strong>2</strong> warnings"))
        #expect(home.contains("Reviews due"))
        #expect(home.contains("Exercises due"))
        let link = "<a href=\"runbooks/alpha.html\">runbook "
        #expect(home.contains(link) && home.contains("was last reviewed 516 days ago (2026-01-01)"))
    }

    @Test("--strict turns the same warnings into errors and keeps the site unwritten")
    func strict() throws {
        let folder = try TemporaryFolder()
        try folder.write(minimalPlan)
        let output = folder.url.appendingPathComponent("out")
        let result = try Pipeline.build(
            PipelineOptions(
                content: folder.url, output: output, today: CalendarDate(year: 2027, month: 6, day: 1)!, strict: true))
        #expect(!result.wrote)
        #expect(result.diagnostics.count == 2 && result.diagnostics.allSatisfy { $0.severity == .error })
    }
}
