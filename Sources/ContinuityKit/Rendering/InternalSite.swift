import Foundation
import Synchronization

enum InternalSite {
    /// Renders every internal page and returns them in a fixed order.
    static func render(
        _ plan: Plan, theme: Theme, buildDate: CalendarDate?, findings: [Diagnostic]
    ) throws -> [OutputFile] {
        let files = Mutex<[OutputFile]>([])
        try render(plan, theme: theme, buildDate: buildDate, findings: findings) { file in
            files.withLock { $0.append(file) }
        }
        return files.withLock { $0 }.sorted { $0.path < $1.path }
    }

    /// Renders every internal page in parallel, handing each to `emit` as soon as it is made (from any
    /// thread, in no fixed order), so that a page need not stay in memory until all are done. With
    /// `emitInPieces`, the pages that grow with the plan (the handbook, which holds every runbook, and the
    /// lists of runbooks: see `Job.growsWithPlan`) go to it instead, in parts as they are made
    /// (`emitInPieces(path, produce)` calls `produce`, which hands the parts, in order, to the function it
    /// is given): a page of tens of megabytes then takes no more memory than the part being made. When
    /// pages fail, the error of the first failing page in page order is thrown, after the others finished.
    static func render(
        _ plan: Plan, theme: Theme, buildDate: CalendarDate?, findings: [Diagnostic], prepared: consuming Prepared? = nil,
        emit: @Sendable (OutputFile) throws -> Void,
        emitInPieces: (@Sendable (String, (([UInt8]) -> Void) throws -> Void) throws -> Void)? = nil,
        draw: (@Sendable (any TemplateValue, String) throws -> [UInt8])? = nil
    ) throws {
        let jobs = pageJobs(plan)
        let prepared = prepared.take() ?? Prepared(plan)
        let views = prepared.views
        let searchIndex = prepared.searchIndex
        let failures = Mutex<[Int: any Error]>([:])
        // Role cards and people, made once per folder depth in `views`, are rendered once each.
        let fragments = FragmentCache()
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            do {
                if jobs[index].growsWithPlan, draw == nil, let emitInPieces {
                    try emitInPieces("internal/" + path(of: jobs[index], plan: plan)) { piece in
                        let rest = try render(
                            jobs[index], plan: plan, views: views, searchIndex: searchIndex, buildDate: buildDate,
                            findings: findings
                        ) { view, template, _ in
                            try theme.render(view, template: template, fragments: fragments, pieces: piece)
                        }
                        piece(rest.bytes)
                    }
                    return
                }
                let file = try render(
                    jobs[index], plan: plan, views: views, searchIndex: searchIndex, buildDate: buildDate,
                    findings: findings
                ) { view, template, sizeHint in
                    try draw.map { try $0(view, template) }
                        ?? theme.render(view, template: template, sizeHint: sizeHint, fragments: fragments)
                }
                try emit(file)
            } catch {
                failures.withLock { $0[index] = error }
            }
        }
        // A view of every runbook, person and role, and their rendered fragments: freed beside what the
        // caller does next (the writer's finish).
        releaseAside((consume views, consume fragments))
        if let (_, error) = failures.withLock({ $0 }).min(by: { $0.key < $1.key }) {
            throw error as? EnvironmentError ?? EnvironmentError("\(error)")
        }
    }

    /// What the site needs from the plan alone: the plan's graph of dependencies, the views made once per
    /// folder depth (role cards, people, runbook links and picture nodes) that every page reads, and the
    /// search index. A build makes them while the plan's checks run. The index is made on a thread of its
    /// own from then on, beside the checks and the pages, and written when its job comes (`pageJobs`):
    /// much of its work is one thread's (its entries, the merge of the terms, the script), which pages
    /// rendered meanwhile keep the other core busy for.
    struct Prepared: Sendable {
        var views: [SharedViews]
        var searchIndex: Background<OutputFile>

        init(_ plan: Plan) {
            let graph = RunbookGraph(plan)
            views = [
                SharedViews(plan: plan, paths: InternalPaths(root: ""), graph: graph),
                SharedViews(plan: plan, paths: InternalPaths(root: "../"), graph: graph),
            ]
            searchIndex = Background { SearchIndex.file(for: plan) }
        }
    }

    /// The pages of the sections in the navigation, shared by the pages and the search index.
    struct SectionPage {
        /// The navigation's name for the section, and the page's template, `internal/<name>`.
        var name: FieldName
        var path: String
        var title: String
        /// Words that find the page in search, besides its title.
        var keywords: String

        static let home = SectionPage(name: .home, path: "index.html", title: "Continuity plan", keywords: "home")
        static let roles = SectionPage(
            name: .roles, path: "roles.html", title: "Roles", keywords: "emergency roles succession")
        static let people = SectionPage(
            name: .people, path: "people.html", title: "Contact directory", keywords: "people contacts phone numbers")
        static let sites = SectionPage(name: .sites, path: "sites.html", title: "Sites", keywords: "sites locations")
        static let vendors = SectionPage(
            name: .vendors, path: "vendors.html", title: "Vendors", keywords: "vendors suppliers third parties")
    }

    enum Job: Sendable {
        case home, roles, people, sites, vendors, matrix, callTree, handbook, searchIndex
        case runbook(Int)
        case scenario(Int)
        case page(Int)

        /// Whether the page's size grows with the number of runbooks: it lists all of them, or all that
        /// answer a scenario. With many runbooks such a page is megabytes long.
        var growsWithPlan: Bool {
            switch self {
            case .home, .sites, .vendors, .matrix, .handbook, .scenario: return true
            case .roles, .people, .callTree, .searchIndex, .runbook, .page: return false
            }
        }
    }

    /// Where the page of `job` is, relative to the internal site.
    static func path(of job: Job, plan: Plan) -> String {
        switch job {
        case .home: return SectionPage.home.path
        case .roles: return SectionPage.roles.path
        case .people: return SectionPage.people.path
        case .sites: return SectionPage.sites.path
        case .vendors: return SectionPage.vendors.path
        case .matrix: return "matrix.html"
        case .callTree: return "call-tree.html"
        case .handbook: return handbookPath
        case .searchIndex: return SearchIndex.path
        case .runbook(let index): return InternalPaths(root: "").runbook(plan.runbooks[index].id)
        case .scenario(let index): return InternalPaths(root: "").scenario(plan.scenarios[index].id)
        case .page(let index): return InternalPaths(root: "").page(plan.pages[index].id)
        }
    }

    /// The handbook's path in the internal site.
    static let handbookPath = "handbook.html"

    static func pageJobs(_ plan: Plan) -> [Job] {
        // The largest first, so that no core is left with a big page at the end: a scenario's page lists
        // every runbook that answers it, with its role cards. The search index, made beside the pages
        // (`Prepared`), is taken two thirds of the way through the runbooks: it is usually done by then,
        // and a thread that waits for it leaves its core to the index. Written well before the end, it is
        // not among the files the build record reads back because they were written in its last moments.
        let runbooks = plan.runbooks.indices.map { Job.runbook($0) }
        let split = runbooks.count * 2 / 3
        return [.handbook, .matrix]
            + plan.scenarios.indices.map { .scenario($0) }
            + [.home, .roles, .people, .sites, .vendors, .callTree]
            + runbooks[..<split] + [.searchIndex] + runbooks[split...]
            + plan.pages.indices.map { .page($0) }
    }

    static func render(
        _ job: Job, plan: Plan, views: [SharedViews], searchIndex: Background<OutputFile>, buildDate: CalendarDate?,
        findings: [Diagnostic],
        draw: (any TemplateValue, String, Int) throws -> [UInt8]
    ) throws -> OutputFile {
        func shared(_ paths: InternalPaths) -> SharedViews {
            views.first { $0.paths.root == paths.root } ?? SharedViews(plan: plan, paths: paths)
        }
        let organization = plan.configuration.organization.name
        let path = path(of: job, plan: plan)
        func page<Content: TemplateValue>(
            title: String, section: FieldName, template: String, sizeHint: Int = 16_384,
            _ make: (InternalPaths) -> Content
        ) throws -> OutputFile {
            let root = String(repeating: "../", count: path.utf8.count { $0 == UInt8(ascii: "/") })
            let paths = InternalPaths(root: root)
            let chrome = Chrome(
                root: root, organization: organization, title: title, section: section,
                buildDate: buildDate?.description)
            let html = try draw(PageView(chrome: chrome, content: make(paths)), template, sizeHint)
            return OutputFile(path: "internal/" + path, bytes: html)
        }
        func page<Content: TemplateValue>(
            _ section: SectionPage, sizeHint: Int = 16_384, _ make: (InternalPaths) -> Content
        ) throws -> OutputFile {
            try page(
                title: section.title, section: section.name, template: "internal/" + section.name.rawValue,
                sizeHint: sizeHint, make)
        }
        // Made whole (when the caller takes no pieces), pages that list every runbook get room for all of
        // them at once: grown by doubling, a page of tens of megabytes would take fresh memory from the
        // system at every step. Room not used is never touched, so a generous guess costs nothing.
        let runbookCount = plan.runbooks.count
        switch job {
        case .searchIndex:
            return searchIndex.value
        case .home:
            return try page(.home, sizeHint: 16_384 + runbookCount * 320) { HomeView(plan: plan, paths: $0, findings: findings) }
        case .roles:
            return try page(.roles) { paths in
                ListPageView(items: plan.roles.map { RoleView($0, plan: plan, paths: paths) })
            }
        case .people:
            return try page(.people) { paths in
                let held = plan.rolesHeld()
                let people = plan.people.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
                return ListPageView(
                    items: people.map { person in
                        let roles = (held[person.id] ?? []).map {
                            LinkView(text: $0.role.title, href: paths.role($0.role.id), note: $0.alternate ? "alternate" : nil)
                        }
                        return PersonView(person, plan: plan, paths: paths, roles: roles)
                    })
            }
        case .sites:
            let links = plan.runbooks.reduce(0) { $0 + $1.sites.count }
            return try page(.sites, sizeHint: 16_384 + links * 192) { paths in
                var runbooks: [String: [LinkView]] = [:]
                for runbook in plan.runbooks {
                    for site in runbook.sites {
                        runbooks[site.id, default: []].append(LinkView(text: runbook.title, href: paths.runbook(runbook.id)))
                    }
                }
                return ListPageView(items: plan.sites.map { SiteView($0, plan: plan, paths: paths, runbooks: runbooks[$0.id] ?? []) })
            }
        case .vendors:
            let links = plan.runbooks.reduce(0) { $0 + $1.vendors.count }
            return try page(.vendors, sizeHint: 16_384 + links * 192) { paths in
                var runbooks: [String: [LinkView]] = [:]
                for runbook in plan.runbooks {
                    for vendor in runbook.vendors {
                        runbooks[vendor.id, default: []].append(
                            LinkView(text: runbook.title, href: paths.runbook(runbook.id)))
                    }
                }
                return ListPageView(items: plan.vendors.map { VendorView($0, paths: paths, runbooks: runbooks[$0.id] ?? []) })
            }
        case .matrix:
            return try page(
                title: "RTO matrix", section: .matrix, template: "internal/matrix",
                sizeHint: 16_384 + runbookCount * 768
            ) {
                MatrixView(plan: plan, paths: $0)
            }
        case .callTree:
            return try page(title: "Call tree", section: .callTree, template: "internal/call-tree") {
                CallTreeView(plan: plan, paths: $0)
            }
        case .handbook:
            // Room for every runbook's body and frame at once: the page is the largest of the site, and
            // growing it by doubling would briefly hold it twice.
            let sizeHint = plan.runbooks.reduce(1 << 20) { $0 + $1.body.htmlBytes.count * 5 / 4 + 3_072 }
            return try page(
                title: "Handbook", section: .handbook, template: "internal/handbook", sizeHint: sizeHint
            ) {
                HandbookView(plan: plan, views: shared($0))
            }
        case .runbook(let index):
            let runbook = plan.runbooks[index]
            return try page(
                title: runbook.title, section: .runbooks, template: "internal/runbook"
            ) { RunbookPageView(runbook, number: index, plan: plan, views: shared($0)) }
        case .scenario(let index):
            let scenario = plan.scenarios[index]
            return try page(
                title: scenario.title, section: .scenarios,
                template: "internal/scenario", sizeHint: 16_384 + plan.runbookCount(answering: scenario.id) * 3_584
            ) { ScenarioPageView(scenario, plan: plan, views: shared($0)) }
        case .page(let index):
            let document = plan.pages[index]
            return try page(title: document.title, section: .pages, template: "internal/page") {
                _ in DocumentPageView(title: document.title, body: document.body.html, isPublic: document.classification == .public)
            }
        }
    }
}
