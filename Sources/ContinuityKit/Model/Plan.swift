/// The whole continuity plan: every entity of the content, typed, with references checked to resolve.
/// Registries keep the authors' order; Markdown documents are ordered by id.
public struct Plan: Sendable {
    public var configuration: Configuration
    public var people: [Person]
    public var roles: [Role]
    public var sites: [Site]
    public var vendors: [Vendor]
    public var scenarios: [Scenario]
    public var runbooks: [Runbook]
    public var pages: [Page]
    public var summary: Summary?

    private var personIndex: [String: Int] = [:]
    private var roleIndex: [String: Int] = [:]
    private var siteIndex: [String: Int] = [:]
    private var vendorIndex: [String: Int] = [:]
    private var scenarioIndex: [String: Int] = [:]
    private var runbookIndex: [String: Int] = [:]
    private var answerIndex: [String: [Int]] = [:]
    /// For each runbook, the runbooks it depends on, by place in `runbooks`: in the order written, each
    /// once, leaving out ids no runbook has. Where two runbooks share an id, the first one stands for it.
    private(set) var dependencyNumbers: [[Int]] = []
    /// For each runbook, the runbooks that depend on it, by place in `runbooks`, in plan order.
    private(set) var dependentNumbers: [[Int]] = []

    public init(
        configuration: Configuration, people: [Person], roles: [Role], sites: [Site], vendors: [Vendor],
        scenarios: [Scenario], runbooks: [Runbook], pages: [Page], summary: Summary?
    ) {
        self.configuration = configuration
        self.people = people
        self.roles = roles
        self.sites = sites
        self.vendors = vendors
        self.scenarios = scenarios
        self.runbooks = runbooks
        self.pages = pages
        self.summary = summary
        // The runbooks' index, the largest, on a thread of its own while the others are made here.
        let runbookIndexing = Background { Plan.index(runbooks) }
        personIndex = Plan.index(people)
        roleIndex = Plan.index(roles)
        siteIndex = Plan.index(sites)
        vendorIndex = Plan.index(vendors)
        scenarioIndex = Plan.index(scenarios)
        let runbookIndex = runbookIndexing.value
        self.runbookIndex = runbookIndex
        dependencyNumbers = parallelMap(runbooks.indices) { i in
            var numbers: [Int] = []
            for ref in runbooks[i].dependsOn {
                // Lists are short: looking back costs less than a set.
                if let number = runbookIndex[ref.id], !numbers.contains(number) { numbers.append(number) }
            }
            return numbers
        }
        dependentNumbers = Array(repeating: [], count: runbooks.count)
        for (i, numbers) in dependencyNumbers.enumerated() {
            for number in numbers { dependentNumbers[number].append(i) }
        }
        for i in runbooks.indices {
            // Each scenario once: the few written before are searched, where a set was made per runbook.
            // Only the list is read: a copy of the runbook would retain every part of it.
            let scenarios = runbooks[i].scenarios
            for (k, ref) in scenarios.enumerated() where !scenarios[..<k].contains(where: { $0.id == ref.id }) {
                answerIndex[ref.id, default: []].append(i)
            }
        }
    }

    static func index<T: Identifiable>(_ items: [T]) -> [String: Int] where T.ID == String {
        var index: [String: Int] = [:]
        index.reserveCapacity(items.count)
        // Last to first, each written over: an id given twice keeps its first place, for one lookup each.
        for i in items.indices.reversed() { index[items[i].id] = i }
        return index
    }

    public func person(_ id: String) -> Person? { personIndex[id].map { people[$0] } }
    public func role(_ id: String) -> Role? { roleIndex[id].map { roles[$0] } }
    public func site(_ id: String) -> Site? { siteIndex[id].map { sites[$0] } }
    public func vendor(_ id: String) -> Vendor? { vendorIndex[id].map { vendors[$0] } }
    public func scenario(_ id: String) -> Scenario? { scenarioIndex[id].map { scenarios[$0] } }
    public func runbook(_ id: String) -> Runbook? { runbookIndex[id].map { runbooks[$0] } }

    public func people(_ refs: [Ref]) -> [Person] { refs.compactMap { person($0.id) } }
    public func sites(_ refs: [Ref]) -> [Site] { refs.compactMap { site($0.id) } }
    public func vendors(_ refs: [Ref]) -> [Vendor] { refs.compactMap { vendor($0.id) } }
    public func scenarios(_ refs: [Ref]) -> [Scenario] { refs.compactMap { scenario($0.id) } }
    public func runbooks(_ refs: [Ref]) -> [Runbook] { refs.compactMap { runbook($0.id) } }

    /// The runbooks that list `id` in `depends_on`, in plan order; none when no runbook has that id.
    public func dependents(of id: String) -> [Runbook] {
        runbookIndex[id].map { dependentNumbers[$0].map { runbooks[$0] } } ?? []
    }

    /// True when no two runbooks share an id (the model refuses such a plan): a runbook's place and its id
    /// then name the same runbook.
    var runbookIdsAreUnique: Bool { runbookIndex.count == runbooks.count }

    /// The place of the runbook `id` in `runbooks` (the first, should two share it).
    func runbookNumber(_ id: String) -> Int? { runbookIndex[id] }

    /// The runbooks that answer a scenario, by id.
    public func runbooks(answering scenarioID: String) -> [Runbook] {
        answerIndex[scenarioID, default: []].map { runbooks[$0] }
    }

    /// The places in `runbooks` of the runbooks that answer a scenario, in plan order.
    func runbookNumbers(answering scenarioID: String) -> [Int] { answerIndex[scenarioID] ?? [] }

    /// How many runbooks answer a scenario.
    func runbookCount(answering scenarioID: String) -> Int { answerIndex[scenarioID]?.count ?? 0 }

    /// The roles each person holds, by person id, in the order of `roles`: as primary or alternate.
    public func rolesHeld() -> [String: [(role: Role, alternate: Bool)]] {
        var held: [String: [(role: Role, alternate: Bool)]] = [:]
        for role in roles {
            if let primary = role.primary { held[primary.id, default: []].append((role, false)) }
            for alternate in role.alternates { held[alternate.id, default: []].append((role, true)) }
        }
        return held
    }
}
