/// The internal site's page views.

struct HomeView: TemplateValue {
    struct ScenarioEntry: TemplateValue {
        var title: String
        var href: String
        var scope: String
        var runbookCount: Int

        func field(_ name: FieldName) -> TemplateContent? {
            switch name {
            case .title: return .of(title)
            case .href: return .of(href)
            case .scope: return .of(scope)
            case .runbookCount: return .of(runbookCount)
            default: return nil
            }
        }
    }

    struct TierGroup: TemplateValue {
        var tier: Int
        var name: String
        var maxRTO: String?
        var runbooks: [RunbookRowView]

        func field(_ name: FieldName) -> TemplateContent? {
            switch name {
            case .tier: return .of(tier)
            case .name: return .of(self.name)
            case .maxRTO: return .of(maxRTO)
            case .runbooks: return .of(runbooks)
            default: return nil
            }
        }
    }

    var scenarios: [ScenarioEntry]
    var tiers: [TierGroup]
    var pages: [LinkView]
    var counts: [FactView]
    var health: HealthView

    init(plan: borrowing Plan, paths: InternalPaths, findings: [Diagnostic]) {
        health = HealthView(findings, paths: paths)
        scenarios = plan.scenarios.map {
            ScenarioEntry(
                title: $0.title, href: paths.scenario($0.id), scope: $0.scope.label,
                runbookCount: plan.runbooks(answering: $0.id).count)
        }
        tiers = plan.configuration.policy.tiers.compactMap { tier in
            let runbooks = plan.runbooks.filter { $0.tier == tier.tier }
                .sorted { ($0.rto, $0.title) < ($1.rto, $1.title) }
            guard !runbooks.isEmpty else { return nil }
            return TierGroup(
                tier: tier.tier, name: tier.name, maxRTO: tier.maxRTO?.display,
                runbooks: runbooks.map { RunbookRowView($0, plan: plan, paths: paths) })
        }
        pages = plan.pages.map { LinkView(text: $0.title, href: paths.page($0.id)) }
        counts = [
            FactView(label: "Runbooks", value: String(plan.runbooks.count)),
            FactView(label: "Scenarios", value: String(plan.scenarios.count)),
            FactView(label: "Roles", value: String(plan.roles.count)),
            FactView(label: "People", value: String(plan.people.count)),
            FactView(label: "Sites", value: String(plan.sites.count)),
            FactView(label: "Vendors", value: String(plan.vendors.count)),
        ]
    }

    func field(_ name: FieldName) -> TemplateContent? {
        switch name {
        case .scenarios: return .of(scenarios)
        case .tiers: return .of(tiers)
        case .pages: return .of(pages)
        case .counts: return .of(counts)
        case .health: return .of(health)
        default: return nil
        }
    }
}

struct RunbookPageView: TemplateValue {
    var runbook: Runbook
    var tierName: String?
    var owner: RoleView?
    var deputy: RoleView?
    var sites: [LinkView]
    var dependencies: [LinkView]
    var dependents: [LinkView]
    var scenarios: [LinkView]
    var vendors: [VendorView]
    var contacts: [PersonView]
    var diagram: DependencyDiagram?

    /// `number` is the runbook's place in `plan.runbooks`, when the caller knows it: its links are then
    /// read from the plan's graph by number instead of looking ids up (only where ids are unique, as a
    /// plan the model made has them, so that a number and an id name the same runbook).
    init(_ runbook: Runbook, number: Int? = nil, plan: borrowing Plan, views: SharedViews) {
        let paths = views.paths
        self.runbook = runbook
        let number = plan.runbookIdsAreUnique ? number : nil
        diagram = DependencyDiagram.neighbourhood(
            of: runbook, number: number, plan: plan, graph: views.graph, faces: views.runbookFaces)
        tierName = plan.configuration.policy.tier(runbook.tier)?.name
        owner = views.role(runbook.owner)
        deputy = views.role(runbook.deputy)
        sites = plan.sites(runbook.sites).map { LinkView(text: $0.name, href: paths.site($0.id), note: $0.city) }
        dependencies = views.dependencies(of: runbook, number: number, in: plan)
        dependents = views.dependents(of: runbook, number: number, in: plan)
        scenarios = plan.scenarios(runbook.scenarios).map {
            LinkView(text: $0.title, href: paths.scenario($0.id), note: $0.scope.label)
        }
        vendors = views.vendors(runbook.vendors)
        contacts = views.people(runbook.contacts)
    }

    func field(_ name: FieldName) -> TemplateContent? {
        switch name {
        case .tierName: return .of(tierName)
        case .owner: return .of(owner)
        case .deputy: return .of(deputy)
        case .sites: return .of(sites)
        case .dependencies: return .of(dependencies)
        case .dependents: return .of(dependents)
        case .scenarios: return .of(scenarios)
        case .vendors: return .of(vendors)
        case .contacts: return .of(contacts)
        case .diagram: return .of(diagram)
        case .body: return .of(HTMLBytes(bytes: runbook.body.htmlBytes))
        default: return Self.fact(name, of: runbook)
        }
    }

    /// The fields that come straight from the runbook's front matter, as every view of a runbook shows them.
    static func fact(_ name: FieldName, of runbook: Runbook) -> TemplateContent? {
        switch name {
        case .id: return .of(runbook.id)
        case .title: return .of(runbook.title)
        case .tier: return .of(runbook.tier)
        case .rto: return .of(runbook.rto.display)
        case .rpo: return .of(runbook.rpo?.display)
        case .mtpd: return .of(runbook.mtpd?.display)
        case .extras: return .of(runbook.extras.map(FactView.init))
        case .lastReviewed: return .of(runbook.lastReviewed.description)
        case .lastExercised: return .of(runbook.lastExercised?.description)
        case .confidential: return .of(runbook.classification == .confidential)
        case .tags: return .of(runbook.tags)
        default: return nil
        }
    }
}

struct ScenarioPageView: TemplateValue {
    struct AffectedSite: TemplateValue {
        var site: LinkView
        var alternates: [LinkView]

        func field(_ name: FieldName) -> TemplateContent? {
            switch name {
            case .site: return .of(site)
            case .alternates: return .of(alternates)
            default: return nil
            }
        }
    }

    /// One runbook to activate, with who leads it and how to reach them.
    struct Step: TemplateValue {
        var position: Int
        var runbook: RunbookRowView
        var owner: RoleView?
        var deputy: RoleView?

        func field(_ name: FieldName) -> TemplateContent? {
            switch name {
            case .position: return .of(position)
            case .owner: return .of(owner)
            case .deputy: return .of(deputy)
            default: return runbook.field(name)
            }
        }
    }

    var scenario: Scenario
    var sites: [AffectedSite]
    var steps: [Step]
    var diagram: DependencyDiagram?

    init(_ scenario: Scenario, plan: borrowing Plan, views: SharedViews) {
        let paths = views.paths
        self.scenario = scenario
        sites = plan.sites(scenario.sites).map { site in
            AffectedSite(
                site: LinkView(text: site.name, href: paths.site(site.id), note: site.city),
                alternates: plan.sites(site.alternates).map {
                    LinkView(text: $0.name, href: paths.site($0.id), note: $0.city)
                })
        }
        let ordered = RecoveryOrder.sorted(plan.runbookNumbers(answering: scenario.id), graph: views.graph)
            .map { plan.runbooks[$0] }
        steps = ordered.enumerated().map { k, runbook in
            Step(
                position: k + 1, runbook: RunbookRowView(runbook, plan: plan, paths: paths),
                owner: views.role(runbook.owner), deputy: views.role(runbook.deputy))
        }
        diagram = DependencyDiagram.scenario(ordered, title: scenario.title) { runbook in
            plan.runbookNumber(runbook.id).map { views.runbookFaces[$0] } ?? DependencyDiagram.Face(runbook, href: paths.runbook(runbook.id))
        }
    }

    func field(_ name: FieldName) -> TemplateContent? {
        switch name {
        case .id: return .of(scenario.id)
        case .title: return .of(scenario.title)
        case .scope: return .of(scenario.scope.label)
        case .publicSummary: return .of(scenario.publicSummary)
        case .sites: return .of(sites)
        case .steps: return .of(steps)
        case .extras: return .of(scenario.extras.map(FactView.init))
        case .diagram: return .of(diagram)
        case .body: return .of(HTMLBytes(bytes: scenario.body.htmlBytes))
        default: return nil
        }
    }
}

/// A list page (roles, people, sites, vendors): its items under one name.
struct ListPageView<Item: TemplateValue>: TemplateValue {
    var items: [Item]

    func field(_ name: FieldName) -> TemplateContent? { .of(name == .items ? items : nil) }
}

struct DocumentPageView: TemplateValue {
    var title: String
    var body: String
    var isPublic: Bool

    func field(_ name: FieldName) -> TemplateContent? {
        switch name {
        case .title: return .of(title)
        case .body: return .of(body)
        case .isPublic: return .of(isPublic)
        default: return nil
        }
    }
}

/// The order in which to recover a set of runbooks: every runbook after those it depends on (within
/// the set), and among those ready, by RTO, then id. Runbooks caught in a cycle (which the checks
/// report) follow in the same order. Kahn's algorithm with a heap: O((V + E) log V).
enum RecoveryOrder {
    static func sorted(_ runbooks: [Runbook]) -> [Runbook] {
        var index: [String: Int] = [:]
        index.reserveCapacity(runbooks.count)
        for (i, runbook) in runbooks.enumerated() where index[runbook.id] == nil { index[runbook.id] = i }
        // A runbook whose id an earlier one has is left out.
        let members = runbooks.indices.filter { index[runbooks[$0].id] == $0 }
        let order = order(
            members, count: runbooks.count, dependencies: { runbooks[$0].dependsOn.compactMap { index[$0.id] } },
            rank: DependencyDiagram.ranks(runbooks))
        return order.map { runbooks[$0] }
    }

    /// The same for runbooks of the plan given by number (their places in `Plan.runbooks`, each once),
    /// read from the plan's graph: no id is looked up, and ties go by the plan-wide order by RTO, then
    /// id, which orders any of its parts as their own would.
    static func sorted(_ numbers: [Int], graph: RunbookGraph) -> [Int] {
        order(numbers, count: graph.rank.count, dependencies: { graph.dependsOn[$0] }, rank: graph.rank)
    }

    /// `members` (numbers below `count`) in recovery order: each after the members it depends on, ties
    /// (and runbooks in a cycle, last) by `rank`. Dependencies outside `members`, and on itself, are
    /// left out.
    private static func order(
        _ members: [Int], count: Int, dependencies: (Int) -> [Int], rank: [Int]
    ) -> [Int] {
        // Worked in the members' own places 0..<members.count.
        var place = Array(repeating: -1, count: count)
        for (k, member) in members.enumerated() { place[member] = k }
        var waitingOn = Array(repeating: 0, count: members.count)
        var unlocks = Array(repeating: [Int](), count: members.count)
        var seen: [Int] = []
        for (k, member) in members.enumerated() {
            // Each dependency once, itself left out.
            seen.removeAll(keepingCapacity: true)
            for dependency in dependencies(member) {
                let d = place[dependency]
                guard d >= 0, d != k, !seen.contains(d) else { continue }
                seen.append(d)
                waitingOn[k] += 1
                unlocks[d].append(k)
            }
        }
        let before: (Int, Int) -> Bool = { a, b in rank[members[a]] < rank[members[b]] }
        var ready = Heap(before: before)
        for k in members.indices where waitingOn[k] == 0 { ready.push(k) }
        var result: [Int] = []
        result.reserveCapacity(members.count)
        var placed = Array(repeating: false, count: members.count)
        while let k = ready.pop() {
            result.append(members[k])
            placed[k] = true
            for next in unlocks[k] {
                waitingOn[next] -= 1
                if waitingOn[next] == 0 { ready.push(next) }
            }
        }
        let rest = members.indices.filter { !placed[$0] }.sorted(by: before)
        return result + rest.map { members[$0] }
    }
}

/// A binary min-heap of indices under a strict ordering.
struct Heap {
    private var items: [Int] = []
    let before: (Int, Int) -> Bool

    init(before: @escaping (Int, Int) -> Bool) { self.before = before }

    mutating func push(_ item: Int) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard before(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Int? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        guard !items.isEmpty else { return first }
        items[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count, before(items[left], items[smallest]) { smallest = left }
            if right < items.count, before(items[right], items[smallest]) { smallest = right }
            guard smallest != parent else { return first }
            items.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
