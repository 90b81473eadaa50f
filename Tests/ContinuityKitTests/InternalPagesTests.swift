import Foundation
import Synchronization
import Testing
@testable import ContinuityKit

@Suite("Internal pages: scenario steps, matrix, call tree, handbook, pictures")
struct InternalPagesTests {
    static let basic = Repo.fixtures.appendingPathComponent("basic/content")

    func plan() throws -> Plan {
        try #require(try model(Self.basic, today: "2026-11-22", bodies: .full).0)
    }

    @Test("a scenario lists its runbooks dependencies first, then by RTO, with who to call")
    func scenarioSteps() throws {
        let plan = try plan()
        let scenario = try #require(plan.scenario("office-loss"))
        let view = ScenarioPageView(scenario, plan: plan, views: SharedViews(plan: plan, paths: InternalPaths(root: "../")))
        #expect(view.steps.map(\.runbook.id) == ["network", "tracking"])
        #expect(view.steps.first?.owner?.primary?.name == "Tomas Bell")
        #expect(view.steps.first?.owner?.primary?.phones.first?.tel == "tel:+441614960102")
    }

    @Test("recovery order puts dependencies first even when their RTO is longer")
    func recoveryOrder() throws {
        var plan = try plan()
        let network = try #require(plan.runbook("network"))
        let tracking = try #require(plan.runbook("tracking"))
        var slowNetwork = network
        slowNetwork.rto = Period(seconds: 86_400, text: "1d")
        plan = Plan(
            configuration: plan.configuration, people: plan.people, roles: plan.roles, sites: plan.sites,
            vendors: plan.vendors, scenarios: plan.scenarios, runbooks: [tracking, slowNetwork], pages: plan.pages,
            summary: plan.summary)
        #expect(RecoveryOrder.sorted(plan.runbooks).map(\.id) == ["network", "tracking"])
    }

    @Test("recovery order by plan numbers through the graph is the order of the runbooks themselves", arguments: 0..<20)
    func recoveryOrderByNumbers(seed: UInt64) throws {
        var plan = try plan()
        let template = try #require(plan.runbook("network"))
        let scenarios = plan.scenarios.map(\.id)
        var random = SplitMix(seed: seed)
        let count = 40
        let at = SourceLocation(path: "runbooks/x.md")
        // Random dependencies (some on runbooks outside the scenario, on themselves, repeated, in cycles),
        // RTOs from a short list so that ties are many.
        let runbooks = (0..<count).map { k -> Runbook in
            var runbook = template
            runbook.id = "r\(k)"
            runbook.rto = Period(seconds: [3600, 7200, 86_400][Int(random.next() % 3)], text: "x")
            runbook.dependsOn = (0..<Int(random.next() % 4)).map { _ in Ref("r\(random.next() % UInt64(count))", at: at) }
            runbook.scenarios = scenarios.filter { _ in random.next() % 2 == 0 }.map { Ref($0, at: at) }
            return runbook
        }.shuffled(using: &random)
        plan = Plan(
            configuration: plan.configuration, people: plan.people, roles: plan.roles, sites: plan.sites,
            vendors: plan.vendors, scenarios: plan.scenarios, runbooks: runbooks, pages: plan.pages,
            summary: plan.summary)
        let graph = RunbookGraph(plan)
        for scenario in scenarios {
            let byNumbers = RecoveryOrder.sorted(plan.runbookNumbers(answering: scenario), graph: graph)
            #expect(
                byNumbers.map { plan.runbooks[$0].id }
                    == RecoveryOrder.sorted(plan.runbooks(answering: scenario)).map(\.id))
        }
    }

    @Test("the matrix has every runbook, most critical first, with sortable values")
    func matrix() throws {
        let plan = try plan()
        let view = MatrixView(plan: plan, paths: InternalPaths(root: ""))
        #expect(view.rows.map(\.runbook.id) == ["network", "tracking", "invoicing"])
        let seconds: Int? = if case .number(let number)? = view.rows[0].field(.rtoSeconds) { number } else { nil }
        #expect(seconds == 3600)
        #expect(view.rows[1].dependencies.map(\.href) == ["runbooks/network.html"])
    }

    @Test("the call tree starts with the roles that can declare, then by the tier each role leads")
    func callTree() throws {
        let folder = try TemporaryFolder()
        try folder.write(minimalPlan.merging([
            "roles.yaml": minimalPlan["roles.yaml", default: ""] + "\n- id: clerk\n  title: Clerk\n  primary: cat\n  alternates: [ann]\n"
        ]) { _, new in new })
        let plan = try #require(try model(folder.url, bodies: .full).0)
        let view = CallTreeView(plan: plan, paths: InternalPaths(root: ""))
        #expect(view.levels.map(\.title) == ["Declare the disruption", "Other roles"])
        #expect(view.levels[0].roles.map(\.id) == ["lead", "second"])
        #expect(view.levels[1].roles.first?.alternates.first?.name == "Ann Example")
    }

    @Test("the handbook turns links between runbooks into anchors and keeps heading ids unique")
    func handbookLinks() throws {
        let plan = try plan()
        let view = HandbookView(plan: plan, views: SharedViews(plan: plan, paths: InternalPaths(root: "")))
        let tracking = try #require(view.runbooks.first { $0.anchor == "runbook-tracking" })
        #expect(String(decoding: tracking.bodyBytes, as: UTF8.self).contains("href=\"#runbook-network--recovery\""))
        #expect(String(decoding: tracking.bodyBytes, as: UTF8.self).contains("id=\"runbook-tracking--recovery\""))
        let invoicing = try #require(view.runbooks.first { $0.anchor == "runbook-invoicing" })
        #expect(String(decoding: invoicing.bodyBytes, as: UTF8.self).contains("href=\"pages/handbook.html\""))
    }

    @Test("the handbook lists alternates and dependencies with separators between them, none after the last")
    func handbookLists() throws {
        var plan = try plan()
        let at = SourceLocation(path: "roles.yaml")
        // The owner of "tracking" gets two alternates, one with a name to escape; "tracking" depends on two runbooks.
        let tracking = try #require(plan.runbook("tracking"))
        var owner = try #require(plan.role(tracking.owner.id))
        var people = plan.people
        var odd = try #require(people.first { $0.id != owner.primary?.id })
        odd.id = "odd-one"
        odd.name = "Bea & Co"
        people.append(odd)
        let second = try #require(people.first { $0.id != owner.primary?.id && !owner.alternates.map(\.id).contains($0.id) && $0.id != odd.id })
        owner.alternates = [Ref(second.id, at: at), Ref(odd.id, at: at)]
        var dependent = tracking
        let others = plan.runbooks.filter { $0.id != tracking.id }.prefix(2)
        #expect(others.count == 2)
        dependent.dependsOn = others.map { Ref($0.id, at: at) }
        plan = Plan(
            configuration: plan.configuration, people: people,
            roles: plan.roles.map { $0.id == owner.id ? owner : $0 }, sites: plan.sites, vendors: plan.vendors,
            scenarios: plan.scenarios, runbooks: plan.runbooks.map { $0.id == dependent.id ? dependent : $0 },
            pages: plan.pages, summary: plan.summary)
        let files = try InternalSite.render(plan, theme: try Theme.builtIn(), buildDate: nil, findings: [])
        let handbook = String(decoding: try #require(files.first { $0.path == "internal/handbook.html" }).bytes, as: UTF8.self)
        #expect(handbook.contains("(then \(second.name); Bea &amp; Co)"))
        let dependencies = others.map { "\($0.title) (RTO \($0.rto.display))" }.joined(separator: "; ")
        #expect(handbook.contains("<strong>Depends on:</strong> \(dependencies)</p>"))
        #expect(!handbook.contains("; )") && !handbook.contains("; </p>"))
    }

    @Test("pages that grow with the plan are handed over in pieces, with the bytes of the page made whole")
    func pagesInPieces() throws {
        let plan = try plan()
        let theme = try Theme.builtIn()
        let whole = try InternalSite.render(plan, theme: theme, buildDate: nil, findings: [])
        let emitted = Mutex<[String: [UInt8]]>([:])
        let piecewise = Mutex<Set<String>>([])
        try InternalSite.render(
            plan, theme: theme, buildDate: nil, findings: [],
            emit: { file in emitted.withLock { $0[file.path] = file.bytes } },
            emitInPieces: { path, produce in
                var bytes: [UInt8] = []
                try produce { bytes += $0 }
                emitted.withLock { $0[path] = bytes }
                piecewise.withLock { _ = $0.insert(path) }
            })
        #expect(emitted.withLock { $0 } == Dictionary(uniqueKeysWithValues: whole.map { ($0.path, $0.bytes) }))
        let scenarios = plan.scenarios.map { "internal/scenarios/\($0.id).html" }
        #expect(!scenarios.isEmpty)
        #expect(
            piecewise.withLock { $0 }
                == Set(["internal/index.html", "internal/sites.html", "internal/vendors.html", "internal/matrix.html",
                        "internal/handbook.html"] + scenarios))
    }

    @Test("links are rebased from a folder to the site root", arguments: [
        ("other.html", "runbooks/other.html"), ("../pages/x.html#a", "pages/x.html#a"), ("#step", "#p--step"),
        ("https://example.com/a.html", "https://example.com/a.html"), ("mailto:a@b.example", "mailto:a@b.example"),
        ("known.html#s", "#anchor--s"), ("known.html", "#anchor"), ("./other.html", "runbooks/other.html"),
        ("sub/x.html", "runbooks/sub/x.html"), ("..", ""), (".", "runbooks"), ("#", "#p--"), ("../known.html", "known.html"),
        ("./known.html#s", "#anchor--s"), ("../../x.html", "x.html"), ("sub//x.html#a#b", "runbooks/sub/x.html#a#b"),
        ("../pages/x.html?q=1#a", "pages/x.html?q=1#a"), ("./sub/../known.html#s", "#anchor--s"), ("a/./b/..", "runbooks/a"),
    ])
    func rebase(_ href: String, _ expected: String) {
        let html = "<p><a href=\"\(href)\">x</a></p>\n<h2 id=\"step\">Step</h2>"
        let out = rebased(html, from: "runbooks/", anchors: ["runbooks/known.html": "anchor"], idPrefix: "p--")
        #expect(out == "<p><a href=\"\(expected)\">x</a></p>\n<h2 id=\"p--step\">Step</h2>")
    }

    @Test("rebasing rewrites every href and id attribute in order, and nothing else")
    func rebaseAttributes() {
        let html = "<a href=\"a.html\"><b id=\"x\">hreflang=\"no\" id=</b></a><i hreflang=\"en\" id=\"y\"></i>"
            + "<h2 id=\"z\"><a href=\"#z\" title=\"x\">q</a></h2><a href=\"open"
        let out = rebased(html, from: "runbooks/", anchors: [:], idPrefix: "p--")
        #expect(out == "<a href=\"runbooks/a.html\"><b id=\"p--x\">hreflang=\"no\" id=</b></a><i hreflang=\"en\" id=\"p--y\"></i>"
            + "<h2 id=\"p--z\"><a href=\"#p--z\" title=\"x\">q</a></h2><a href=\"open")
        #expect(rebased("", from: "runbooks/", anchors: [:], idPrefix: "p--") == "")
        #expect(rebased(" id=\"", from: "runbooks/", anchors: [:], idPrefix: "p--") == " id=\"")
        // Only ` href="` and ` id="`: not other attributes ending in those names, nor `="` in text.
        let others = "<p data-id=\"a\" xhref=\"b.html\">x=\"y\" = id=\"z\"</p><a  href=\"c.html\">c</a>id=\"w\""
        #expect(rebased(others, from: "runbooks/", anchors: [:], idPrefix: "p--")
            == "<p data-id=\"a\" xhref=\"b.html\">x=\"y\" = id=\"p--z\"</p><a  href=\"runbooks/c.html\">c</a>id=\"w\"")
    }

    @Test("a runbook's picture shows two levels each way, links every node, and is the same every time")
    func neighbourhood() throws {
        let plan = try plan()
        let tracking = try #require(plan.runbook("tracking"))
        let a = try #require(DependencyDiagram.neighbourhood(of: tracking, plan: plan, paths: InternalPaths(root: "../")))
        let b = try #require(DependencyDiagram.neighbourhood(of: tracking, plan: plan, paths: InternalPaths(root: "../")))
        #expect(a.nodes.map(\.face.href) == ["../runbooks/network.html", "../runbooks/tracking.html"])
        #expect(a.nodes.map(\.x) == b.nodes.map(\.x) && a.nodes.map(\.y) == b.nodes.map(\.y))
        #expect(a.edges.count == 1)
        #expect(a.nodes.first { $0.focus }?.face.title == "Shipment tracking")
        #expect(a.nodes[0].x < a.nodes[1].x, "dependencies are drawn to the left")
        #expect(DependencyDiagram.neighbourhood(of: try #require(plan.runbook("invoicing")), plan: plan, paths: InternalPaths(root: "")) == nil)
    }

    @Test("an edge is a curve from the right side of one node to the left of the next", arguments: [
        ((208, 100), (516, 166), 154, "M208,100 C362,100 362,166 516,166"), ((0, 0), (0, 0), 0, "M0,0 C0,0 0,0 0,0"),
        ((1232, 34), (1284, 1033), 26, "M1232,34 C1258,34 1258,1033 1284,1033"), ((10, -5), (-20, 7), -15, "M10,-5 C-5,-5 -5,7 -20,7"),
    ])
    func edgePath(_ start: (Int, Int), _ end: (Int, Int), _ bend: Int, _ expected: String) {
        let path = DependencyDiagram.curveBytes(from: (start.0, start.1), to: (end.0, end.1), bend: bend)
        #expect(String(decoding: path, as: UTF8.self) == expected)
    }

    @Test("numbers are written as String writes them, zeros in front up to a width", arguments: [0, 7, 9, 10, 99, 100, 1234, 10_000, -1, -10, -987, Int.max, Int.min])
    func decimal(_ number: Int) {
        for width in [1, 2, 4, 6] {
            var bytes: [UInt8] = []
            DecimalText.append(number, width: width, to: &bytes)
            let text = String(number)
            #expect(String(decoding: bytes, as: UTF8.self) == String(repeating: "0", count: max(0, width - text.count)) + text)
        }
    }

    @Test("pictures stay within the node limit and count what they leave out")
    func nodeLimit() {
        let origin = Origin(SourceLocation(path: "runbooks/x.md"))
        let runbooks = (0..<50).map { i in
            Runbook(
                id: "r\(i)", title: "Runbook \(i)", tier: 2, owner: Ref("lead", at: origin.location), deputy: nil,
                rto: Period(seconds: 3_600, text: "1h"), rpo: nil, mtpd: nil,
                dependsOn: i == 0 ? [] : [Ref("r0", at: origin.location)], sites: [], scenarios: [], vendors: [],
                contacts: [], planElements: [], lastReviewed: CalendarDate(unixTime: 0), lastExercised: nil,
                classification: .internal, tags: [], body: .empty, origin: origin)
        }
        let diagram = DependencyDiagram.scenario(runbooks, title: "T", paths: InternalPaths(root: ""))
        #expect(diagram?.nodes.count == DependencyDiagram.maxNodes)
        #expect(diagram?.hidden == 20)
        let ys = Set(diagram?.nodes.map { "\($0.x),\($0.y)" } ?? [])
        #expect(ys.count == DependencyDiagram.maxNodes, "nodes overlap")
    }

    @Test("a person without a title shows none: not the role's, not the page's")
    func personWithoutTitle() throws {
        let folder = try TemporaryFolder()
        try folder.write(minimalPlan)
        let plan = try #require(try model(folder.url, bodies: .full).0)
        #expect(plan.people.allSatisfy { $0.title == nil })
        let files = try InternalSite.render(plan, theme: try Theme.builtIn(), buildDate: nil, findings: [])
        func page(_ path: String) throws -> String {
            String(decoding: try #require(files.first { $0.path == path }).bytes, as: UTF8.self)
        }
        let roles = plan.roles.map(\.title)
        for path in ["internal/runbooks/alpha.html", "internal/roles.html", "internal/people.html", "internal/handbook.html"] {
            let html = try page(path)
            #expect(html.contains("person-name") || html.contains("contact-name") || path.hasSuffix("handbook.html"), "\(path)")
            for role in roles {
                #expect(!html.contains("· \(role)</span>"), "\(path) shows the role's title as a person's")
            }
            #expect(!html.contains("<span class=\"muted\">Contact directory</span>"), "\(path)")
            #expect(!html.contains("<td>Handbook</td>"), "\(path)")
        }
    }
}

/// `HTMLLinks.rebasedBytes` as text.
private func rebased(_ html: String, from folder: String, anchors: [String: String], idPrefix: String) -> String {
    String(decoding: HTMLLinks.rebasedBytes(html, from: HTMLLinks.Base(folder), anchors: anchors, idPrefix: idPrefix), as: UTF8.self)
}
