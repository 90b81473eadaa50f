import Foundation
import Testing
@testable import ContinuityKit

/// A runbook file from front-matter lines: the key at index k is on line k + 2.
func runbookFile(_ keys: [String]) -> String {
    "---\n" + keys.joined(separator: "\n") + "\n---\n## Activation\n## Recovery\n## Reconstitution\n"
}

/// The keys of a clean tier 1 runbook (lines 2–9), to which a case may add keys (from line 10).
let criticalKeys = [
    "title: Alpha", "tier: 1", "owner: lead", "deputy: second", "rto: 4h", "scenarios: [outage]",
    "last_reviewed: 2026-01-01", "last_exercised: 2026-03-01",
]

func replacing(_ keys: [String], _ prefix: String, with line: String?) -> [String] {
    keys.compactMap { $0.hasPrefix(prefix + ":") ? line : $0 }
}

func tier2(_ title: String, rto: String, _ extra: String...) -> String {
    runbookFile(["title: \(title)", "tier: 2", "owner: lead", "rto: \(rto)", "last_reviewed: 2026-01-01"] + extra)
}

@Suite("Plan checks: every rule fires at its place, and stays quiet on a clean plan")
struct PlanCheckTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var files: [String: String]
        var code: DiagnosticCode
        var severity: Severity = .error
        var path: String
        var line: Int
        var message: String = ""
        var description: String { "\(code) \(name)" }
    }

    static let cases: [Case] = [
        Case(
            name: "RTO longer than MTPD", files: ["runbooks/alpha.md": runbookFile(criticalKeys + ["mtpd: 2h"])],
            code: .rtoExceedsMTPD, path: "runbooks/alpha.md", line: 6, message: "RTO of 4 h, longer than its MTPD of 2 h"),
        Case(
            name: "RTO beyond the tier", files: ["runbooks/alpha.md": runbookFile(replacing(criticalKeys, "rto", with: "rto: 2d"))],
            code: .rtoExceedsTier, path: "runbooks/alpha.md", line: 6, message: "allows an RTO of at most 1 d"),
        Case(
            name: "a chain through an intermediate runbook",
            files: [
                "runbooks/alpha.md": runbookFile(criticalKeys + ["depends_on: [beta]"]),
                "runbooks/beta.md": tier2("Beta", rto: "1h", "depends_on: [gamma]"),
                "runbooks/gamma.md": tier2("Gamma", rto: "8h"),
            ],
            code: .rtoChain, path: "runbooks/alpha.md", line: 10,
            message: "alpha (4 h) depends on gamma (8 h) through beta: it cannot recover before what it depends on"),
        Case(
            name: "a direct dependency with a longer RTO",
            files: [
                "runbooks/beta.md": tier2("Beta", rto: "1h", "depends_on: [gamma]"),
                "runbooks/gamma.md": tier2("Gamma", rto: "8h"),
            ],
            code: .rtoChain, path: "runbooks/beta.md", line: 7, message: "beta (1 h) depends on gamma (8 h): it"),
        Case(
            name: "a dependency cycle",
            files: [
                "runbooks/beta.md": tier2("Beta", rto: "1h", "depends_on: [gamma]"),
                "runbooks/gamma.md": tier2("Gamma", rto: "1h", "depends_on: [delta]"),
                "runbooks/delta.md": tier2("Delta", rto: "1h", "depends_on: [beta]"),
            ],
            code: .dependencyCycle, path: "runbooks/beta.md", line: 7,
            message: "depends_on forms a cycle: beta → gamma → delta → beta"),
        Case(
            name: "a dependency's RPO larger than the dependent's",
            files: [
                "runbooks/alpha.md": runbookFile(criticalKeys + ["rpo: 15m", "depends_on: [beta]"]),
                "runbooks/beta.md": tier2("Beta", rto: "1h", "rpo: 4h"),
            ],
            code: .rpoChain, severity: .warning, path: "runbooks/alpha.md", line: 11, message: "RPO of 15 min"),
        Case(
            name: "a role without alternates",
            files: ["roles.yaml": "- id: lead\n  title: Lead\n  primary: ann\n  alternates: [bob]\n  can_declare: true\n- id: second\n  title: Second\n  primary: bob\n  can_declare: true\n"],
            code: .roleWithoutAlternate, path: "roles.yaml", line: 6, message: "role 'second' has no alternate"),
        Case(
            name: "a role whose alternate is its primary",
            files: ["roles.yaml": "- id: lead\n  title: Lead\n  primary: ann\n  alternates: [ann]\n  can_declare: true\n- id: second\n  title: Second\n  primary: bob\n  alternates: [cat]\n  can_declare: true\n"],
            code: .roleHoldersRepeat, path: "roles.yaml", line: 4, message: "'ann' holds role 'lead' twice"),
        Case(
            name: "a tier 1 runbook without deputy",
            files: ["runbooks/alpha.md": runbookFile(replacing(criticalKeys, "deputy", with: nil))],
            code: .missingDeputy, path: "runbooks/alpha.md", line: 4, message: "has no deputy role"),
        Case(
            name: "owner and deputy the same role",
            files: ["runbooks/alpha.md": runbookFile(replacing(criticalKeys, "deputy", with: "deputy: lead"))],
            code: .ownerIsDeputy, path: "runbooks/alpha.md", line: 5, message: "same role, 'lead', as owner and deputy"),
        Case(
            name: "owner and deputy held by one person",
            files: ["roles.yaml": "- id: lead\n  title: Lead\n  primary: ann\n  alternates: [bob]\n  can_declare: true\n- id: second\n  title: Second\n  primary: ann\n  alternates: [cat]\n  can_declare: true\n"],
            code: .ownerDeputySamePerson, path: "runbooks/alpha.md", line: 5, message: "are both held by Ann Example (ann)"),
        Case(
            name: "a person primary for more critical roles than the policy allows",
            files: [
                "continuity.yaml": "organization: {name: T}\npolicy:\n  max_critical_roles_per_person: 1\n",
                "roles.yaml": "- id: lead\n  title: Lead\n  primary: ann\n  alternates: [bob]\n  can_declare: true\n- id: second\n  title: Second\n  primary: ann\n  alternates: [cat]\n  can_declare: true\n",
            ],
            code: .tooManyCriticalRoles, severity: .warning, path: "people.yaml", line: 1,
            message: "is primary for 2 critical roles (lead, second); the policy allows 1"),
        Case(
            name: "one person can declare",
            files: ["roles.yaml": "- id: lead\n  title: Lead\n  primary: ann\n  alternates: [bob]\n  can_declare: true\n- id: second\n  title: Second\n  primary: bob\n  alternates: [cat]\n"],
            code: .tooFewDeclarers, path: "roles.yaml", line: 5, message: "only one person (ann)"),
        Case(
            name: "a person without phone",
            files: ["people.yaml": "- id: ann\n  name: Ann Example\n  phone: \"+1 555 010 0001\"\n  email: ann@example.com\n- id: bob\n  name: Bob Example\n  phone: [\"+1 555 010 0002\", \"+1 555 010 0012\"]\n- id: cat\n  name: Cat Example\n  email: cat@example.com\n"],
            code: .personWithoutPhone, path: "people.yaml", line: 8, message: "Cat Example (cat) has no phone number"),
        Case(
            name: "a critical role holder reachable one way",
            files: ["people.yaml": "- id: ann\n  name: Ann Example\n  phone: \"+1 555 010 0001\"\n- id: bob\n  name: Bob Example\n  phone: [\"+1 555 010 0002\", \"+1 555 010 0012\"]\n- id: cat\n  name: Cat Example\n  phone: \"+1 555 010 0003\"\n  email: cat@example.com\n"],
            code: .singleWayToReach, severity: .warning, path: "people.yaml", line: 3, message: "only one way to be reached"),
        Case(
            name: "a city scenario whose site's alternate is in the same city",
            files: [
                "sites.yaml": "- id: a\n  name: A\n  city: Leeds\n  district: North\n  region: north\n  alternates: [b]\n- id: b\n  name: B\n  city: Leeds\n  district: South\n  region: north\n  alternates: [a]\n",
                "scenarios/outage.md": "---\ntitle: Outage\nscope: city\nsites: [a]\n---\n",
            ],
            code: .scopeSeparation, path: "scenarios/outage.md", line: 4,
            message: "scenario 'outage' (city) takes out site 'a', and its alternates (b is also in Leeds) do not survive it"),
        Case(
            name: "a facility scenario taking out a site and its only alternate",
            files: [
                "sites.yaml": "- id: a\n  name: A\n  city: Leeds\n  region: north\n  alternates: [b]\n- id: b\n  name: B\n  city: York\n  region: north\n  alternates: [a]\n",
                "scenarios/outage.md": "---\ntitle: Outage\nscope: facility\nsites: [a, b]\n---\n",
            ],
            code: .scopeSeparation, path: "scenarios/outage.md", line: 4, message: "b is taken out too"),
        Case(
            name: "a scenario no runbook answers",
            files: ["scenarios/flood.md": "---\ntitle: Flood\nscope: district\n---\n"],
            code: .unansweredScenario, path: "scenarios/flood.md", line: 2, message: "no runbook answers scenario 'flood'"),
        Case(
            name: "a tier 1 runbook answering no scenario",
            files: [
                "runbooks/alpha.md": runbookFile(replacing(criticalKeys, "scenarios", with: nil)),
                "runbooks/beta.md": tier2("Beta", rto: "1d", "scenarios: [outage]"),
            ],
            code: .runbookWithoutScenario, severity: .warning, path: "runbooks/alpha.md", line: 2, message: "answers no scenario"),
        Case(
            name: "a stale review", files: ["runbooks/alpha.md": runbookFile(replacing(criticalKeys, "last_reviewed", with: "last_reviewed: 2025-05-01"))],
            code: .staleReview, severity: .warning, path: "runbooks/alpha.md", line: 8, message: "was last reviewed 396 days ago"),
        Case(
            name: "a critical runbook never exercised", files: ["runbooks/alpha.md": runbookFile(replacing(criticalKeys, "last_exercised", with: nil))],
            code: .staleExercise, severity: .warning, path: "runbooks/alpha.md", line: 2, message: "has never been exercised"),
        Case(
            name: "a critical runbook exercised too long ago",
            files: ["runbooks/alpha.md": runbookFile(replacing(criticalKeys, "last_exercised", with: "last_exercised: 2025-01-15"))],
            code: .staleExercise, severity: .warning, path: "runbooks/alpha.md", line: 9, message: "was last exercised 502 days ago"),
        Case(
            name: "a date in the future",
            files: ["runbooks/alpha.md": runbookFile(replacing(criticalKeys, "last_exercised", with: "last_exercised: 2026-07-01"))],
            code: .futureDate, path: "runbooks/alpha.md", line: 9, message: "is 2026-07-01, after today (2026-06-01)"),
        Case(
            name: "a claimed element nothing backs",
            files: ["summary.md": "---\ntitle: Summary\nelements:\n  - disaster-scenarios\n  - data-backup-and-recovery\n---\nText.\n"],
            code: .unbackedElement, path: "summary.md", line: 5, message: "claims 'data-backup-and-recovery'"),
        Case(
            name: "a public scenario with no runbook behind it",
            files: ["scenarios/flood.md": "---\ntitle: Flood\nscope: district\npublic_summary: We move work elsewhere.\n---\n"],
            code: .publicScenarioUnanswered, path: "scenarios/flood.md", line: 4, message: "described publicly (district scope)"),
    ]

    @Test(arguments: cases)
    func fires(_ c: Case) throws {
        let folder = try TemporaryFolder()
        try folder.write(minimalPlan.merging(c.files) { _, new in new })
        let diagnostics = try model(folder.url).1
        let hits = diagnostics.filter { $0.code == c.code }
        let hit = try #require(hits.first { $0.message.contains(c.message) }, "no \(c.code) with '\(c.message)' in \(diagnostics.map { "\($0.code) \($0.message)" })")
        #expect(hit.severity == c.severity)
        #expect(hit.location?.path == c.path)
        #expect(hit.location?.line == c.line)
    }

    @Test("the minimal plan passes every check")
    func cleanMinimal() throws {
        let folder = try TemporaryFolder()
        try folder.write(minimalPlan)
        #expect(try model(folder.url).1.isEmpty)
    }

    @Test("the example plan has no error and no warning")
    func cleanExample() throws {
        let diagnostics = try model(Repo.exampleContent, today: "2026-11-22").1
        #expect(diagnostics.isEmpty, "\(diagnostics.map { "\($0.location?.description ?? ""): \($0.message)" })")
    }

    @Test("near misses stay quiet", arguments: [
        // Equal RTOs along a chain are fine.
        ["runbooks/alpha.md": runbookFile(criticalKeys + ["depends_on: [beta]"]), "runbooks/beta.md": tier2("Beta", rto: "4h")],
        // An alternate in another city survives a city scenario.
        [
            "sites.yaml": "- id: a\n  name: A\n  city: Leeds\n  region: north\n  alternates: [b]\n- id: b\n  name: B\n  city: York\n  region: north\n  alternates: [a]\n",
            "scenarios/outage.md": "---\ntitle: Outage\nscope: city\nsites: [a]\n---\n",
        ],
        // Another district of the same city survives a district scenario.
        [
            "sites.yaml": "- id: a\n  name: A\n  city: Leeds\n  district: North\n  region: north\n  alternates: [b]\n- id: b\n  name: B\n  city: Leeds\n  district: South\n  region: north\n  alternates: [a]\n",
            "scenarios/outage.md": "---\ntitle: Outage\nscope: district\nsites: [a]\n---\n",
        ],
        // A review exactly at the interval is not stale; tier 2 needs no exercise.
        ["runbooks/beta.md": tier2("Beta", rto: "1d", "scenarios: [outage]").replacingOccurrences(of: "2026-01-01", with: "2025-06-01")],
        // Elements proved by the model itself need no plan_elements.
        ["summary.md": "---\ntitle: S\nelements: [disaster-scenarios, emergency-roles-and-responsibilities, recovery-time-objectives]\n---\n"],
    ] as [[String: String]])
    func nearMisses(_ files: [String: String]) throws {
        let folder = try TemporaryFolder()
        try folder.write(minimalPlan.merging(files) { _, new in new })
        let diagnostics = try model(folder.url).1
        #expect(diagnostics.isEmpty, "\(diagnostics.map { "\($0.code) \($0.message)" })")
    }

    @Test("a dependency cycle is reported once, naming every member")
    func cycleOnce() throws {
        let folder = try TemporaryFolder()
        try folder.write(minimalPlan.merging([
            "runbooks/beta.md": tier2("Beta", rto: "1h", "depends_on: [gamma]"),
            "runbooks/gamma.md": tier2("Gamma", rto: "1h", "depends_on: [beta, delta]"),
            "runbooks/delta.md": tier2("Delta", rto: "1h", "depends_on: [gamma]"),
        ]) { _, new in new })
        let cycles = try model(folder.url).1.filter { $0.code == .dependencyCycle }
        #expect(cycles.count == 1)
        let text = ([cycles.first?.message ?? ""] + (cycles.first?.notes.map(\.message) ?? [])).joined(separator: " ")
        for id in ["beta", "gamma", "delta"] { #expect(text.contains(id)) }
    }

    @Test("graph checks handle long chains and long cycles without recursion")
    func longGraphs() {
        let origin = Origin(SourceLocation(path: "runbooks/x.md"))
        func runbook(_ i: Int, rto: Int, dependsOn: [Int]) -> Runbook {
            Runbook(
                id: "r\(i)", title: "R\(i)", tier: 2, owner: Ref("lead", at: origin.location), deputy: nil,
                rto: Period(seconds: rto, text: "\(rto)s"), rpo: nil, mtpd: nil,
                dependsOn: dependsOn.map { Ref("r\($0)", at: origin.location) }, sites: [], scenarios: [], vendors: [],
                contacts: [], planElements: [], lastReviewed: CalendarDate(unixTime: 0), lastExercised: nil,
                classification: .internal, tags: [], body: .empty, origin: origin)
        }
        let n = 5_000
        // A chain where each runbook depends on the previous one; only the first has a longer RTO.
        let chain = (0..<n).map { runbook($0, rto: $0 == 0 ? 7_200 : 3_600, dependsOn: $0 == 0 ? [] : [$0 - 1]) }
        let findings = TimeObjectiveChecks.dependencies(context(chain))
        #expect(findings.count == n - 1)
        #expect(findings.allSatisfy { $0.code == .rtoChain && $0.message.contains("depends on r0 (2 h)") })
        // One long cycle: one finding.
        let cycle = (0..<n).map { runbook($0, rto: 60, dependsOn: [($0 + 1) % n]) }
        let cycleFindings = TimeObjectiveChecks.dependencies(context(cycle))
        #expect(cycleFindings.count == 1)
        #expect(cycleFindings.first?.code == .dependencyCycle)
    }

    @Test("the plan numbers dependencies once: as written, each once, unknown ids left out; dependents in plan order")
    func dependencyNumbers() {
        let origin = Origin(SourceLocation(path: "runbooks/x.md"))
        func runbook(_ id: String, dependsOn: [String]) -> Runbook {
            Runbook(
                id: id, title: id, tier: 2, owner: Ref("lead", at: origin.location), deputy: nil,
                rto: Period(seconds: 60, text: "1m"), rpo: nil, mtpd: nil,
                dependsOn: dependsOn.map { Ref($0, at: origin.location) }, sites: [], scenarios: [], vendors: [],
                contacts: [], planElements: [], lastReviewed: CalendarDate(unixTime: 0), lastExercised: nil,
                classification: .internal, tags: [], body: .empty, origin: origin)
        }
        let plan = context([
            runbook("a", dependsOn: []), runbook("b", dependsOn: ["a", "nowhere", "a"]), runbook("c", dependsOn: ["b", "a", "c"]),
        ]).plan
        #expect(plan.dependencyNumbers == [[], [0], [1, 0, 2]])
        #expect(plan.dependentNumbers == [[1, 2], [2], [2]])
        #expect(plan.dependents(of: "a").map(\.id) == ["b", "c"])
        #expect(plan.dependents(of: "nowhere").isEmpty)
        let graph = DependencyGraph(plan)
        #expect(graph.edges == plan.dependencyNumbers)
        // c depends on itself: a cycle of one.
        #expect(graph.components().filter { $0.count > 1 || graph.edges[$0[0]].contains($0[0]) } == [[2]])
    }

    func context(_ runbooks: [Runbook]) -> CheckContext {
        let configuration = Configuration(
            organization: Organization(name: "T", website: nil), publicContact: nil, policy: .default,
            origin: Origin(SourceLocation(path: "continuity.yaml")))
        return CheckContext(
            plan: Plan(
                configuration: configuration, people: [], roles: [], sites: [], vendors: [], scenarios: [],
                runbooks: runbooks, pages: [], summary: nil),
            today: CalendarDate(unixTime: 0))
    }
}

@Suite("Leak guard")
struct LeakGuardTests {
    func build(_ files: [String: String]) throws -> (PipelineResult, TemporaryFolder) {
        let folder = try TemporaryFolder()
        var all = minimalPlan.reduce(into: [String: String]()) { $0["content/" + $1.key] = $1.value }
        all["content/sites.yaml"] = "- id: a\n  name: A\n  city: Leeds\n  district: Headingley\n  region: north\n"
        all["content/vendors.yaml"] = "- id: v\n  name: Vendor\n  phone: \"+44 113 496 0999\"\n  email: noc@vendor.example\n"
        for (path, text) in files { all["content/" + path] = text }
        try folder.write(all)
        try folder.write(["_site/.continuity-site": "", "_site/public/index.html": "old"])
        let result = try Pipeline.build(
            PipelineOptions(
                content: folder.url.appendingPathComponent("content"), output: folder.url.appendingPathComponent("_site"),
                today: CalendarDate(year: 2026, month: 6, day: 1)!))
        return (result, folder)
    }

    @Test("leaks fail the build, name the value's source, and keep the old site", arguments: [
        ("a person's name in the summary body", "summary.md", "---\ntitle: S\n---\nCall Ann Example.\n", "people.yaml", 2, "the name of person 'ann'"),
        ("a phone in another formatting in a public page", "pages/help.md", "---\ntitle: Help\nclassification: public\n---\nRing (555) 010-0002.\n", "people.yaml", 7, "a phone of person 'bob'"),
        ("an email in a scenario's public summary", "scenarios/outage.md", "---\ntitle: Outage\nscope: facility\npublic_summary: Write to cat@example.com.\n---\n", "people.yaml", 11, "the email of person 'cat'"),
        ("a vendor phone in national form", "summary.md", "---\ntitle: S\n---\nOur carrier: 0113 496 0999.\n", "vendors.yaml", 3, "a phone of vendor 'v' (+44 113 496 0999)"),
        ("a district", "summary.md", "---\ntitle: S\n---\nOur office in Headingley.\n", "sites.yaml", 4, "the district of site 'a'"),
        ("a name written with entities", "summary.md", "---\ntitle: S\n---\nCall Ann&#32;Example.\n", "people.yaml", 2, "the name of person 'ann'"),
    ])
    func leaks(_ name: String, _ path: String, _ text: String, _ source: String, _ line: Int, _ what: String) throws {
        let (result, folder) = try build([path: text])
        let leak = try #require(result.diagnostics.first { $0.code == .publicLeak }, "\(result.diagnostics)")
        #expect(leak.message.contains(what))
        #expect(leak.location?.path == source)
        #expect(leak.location?.line == line)
        #expect(!result.wrote)
        let old = try String(contentsOf: folder.url.appendingPathComponent("_site/public/index.html"), encoding: .utf8)
        #expect(old == "old")
    }

    @Test("a value is found where it stands alone, not inside a longer word", arguments: [
        ("Ann", "Ann", true), ("Ann", "Call Ann.", true), ("Ann", "Annual", false), ("Ann", "Annual report for Ann", true),
        ("Ann", "JoAnn", false), ("Ann", "JoAnn and Ann", true), ("Ann", "Ann2", false), ("Ann", "(Ann)", true),
        ("Zoë", "Zoëy", false), ("Zoë", "Zoë's", true), ("Zoë", "éZoë", false), ("Ann Example", "Ann  Example", false),
        ("Ann Example", "Dear Ann Example,", true), ("a@b.example", "xa@b.example", false), ("a@b.example", "to a@b.example.", true),
        ("@b.example", "xa@b.example", true), ("Ann", "An", false), ("Ann", "", false), ("", "Ann", false),
        ("aa", "aaa", false), ("aa", "aaa aa", true), ("Headingley", "in Headingley.", true),
        ("Headingley", "Headingleys", false), ("Headingley", "xHeadingley Headingley", true), ("Headingley", "Headingle", false),
        ("Bob Smith", "Bob Smithson and Bob Smith", true), ("Bob Smith", "Bob Smithson", false), ("Bob.", "Bob.x", true),
        ("Zoë Ray", "AZoë Ray", false), ("Zoë Ray", "(Zoë Ray)", true), ("Headingley", "Headingley", true),
    ])
    func containsWord(_ word: String, _ text: String, _ expected: Bool) {
        #expect(LeakGuard.containsWord(word, in: text) == expected)
        // The same answer from the index of word starts the guard builds once per file.
        #expect(LeakGuard.WordStarts(Array(text.utf8)).containsWord(Array(word.utf8)) == expected)
    }

    @Test("the leak guard reads a file's visible text: tags spaced out, references decoded, white space folded", arguments: [
        ("<p class=\"x\">Ann</p>", "p class= x Ann /p"), ("A&amp;B &lt;c&gt;", "A&B <c>"), ("Ann&#32;Example", "Ann Example"),
        ("&#x41;&#X42;&#67;", "ABC"), ("a&nbsp;b", "a b"), ("&unknown; & alone &#xZZ;", "&unknown; & alone &#xZZ;"),
        ("&averyverylongname;", "&averyverylongname;"), ("&ééééééééééé;", "&ééééééééééé;"), ("&#233;&#x1F525;", "é🔥"),
        ("x\u{00A0}\u{3000}y\r\n\tz\u{2028}w\u{205F}v", "x y z w v"), ("  lead and trail \n", "lead and trail"),
        ("Zoë\u{200A}Zoë", "Zoë Zoë"), ("\u{00A9}\u{2030}\u{3001}", "\u{00A9}\u{2030}\u{3001}"), ("<a title='Ann'>", "a title= Ann"),
        // A reference ends within twelve characters of its `&`, counted as characters, not bytes.
        ("&aaaaa&amp;", "&aaaaa&amp;"), ("&aaaaaaaaaa&amp;", "&aaaaaaaaaa&"), ("&éééé&amp;", "&éééé&amp;"),
        ("&a\r\n\r\n\r\n\r\n&lt;", "&a &lt;"), ("&e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e&lt;", "&e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e&lt;"),
        // A mark on white space goes with it, as it does in a `Character`.
        ("Ann \u{301}Example", "Ann Example"), ("a\u{00A0}\u{200D}b", "a b"),
    ])
    func visibleText(_ html: String, _ expected: String) {
        #expect(String(decoding: LeakGuard.visibleText(Array(html.utf8)), as: UTF8.self) == expected)
    }

    @Test("bytes that are not UTF-8 pass through the visible text as they are, and end no word")
    func visibleTextOfBrokenBytes() {
        // A stray continuation byte, a cut-short sequence at a space and at the very end, an invalid lead byte.
        let html: [UInt8] = [0x41, 0x80, 0x20, 0xE2, 0x80, 0x20, 0x26, 0x61, 0x3B, 0xFF, 0x42, 0xE3, 0x80]
        #expect(LeakGuard.visibleText(html) == [0x41, 0x80, 0x20, 0xE2, 0x80, 0x20, 0x26, 0x61, 0x3B, 0xFF, 0x42, 0xE3, 0x80])
        #expect(LeakGuard.phoneDigitRuns([0x31, 0x32, 0x33, 0x34, 0xE2, 0x35, 0x36, 0x37, 0x38, 0x39, 0x30, 0x31, 0x32]) == [Array("56789012".utf8)])
    }

    @Test("phone numbers are found as runs of at least eight digits among the characters they are written with", arguments: [
        ("Call (555) 010-0002 now", ["5550100002"]), ("+44 20 7946 0101.", ["442079460101"]), ("1234567 x", []),
        ("12345678", ["12345678"]), ("0113 496 0999, 0113/496/0998", ["01134960999", "01134960998"]),
        ("020\u{00A0}7946 0101", ["79460101"]), ("12:34:56:78", []),
    ])
    func phoneDigitRuns(_ text: String, _ expected: [String]) {
        #expect(LeakGuard.phoneDigitRuns(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) } == expected)
    }

    @Test("words that merely contain a name are not leaks")
    func wordBoundaries() throws {
        let (result, _) = try build(["summary.md": "---\ntitle: S\n---\nOur Annual Example review.\n"])
        #expect(!result.diagnostics.contains { $0.code == .publicLeak }, "\(result.diagnostics)")
        #expect(result.wrote)
    }
}
