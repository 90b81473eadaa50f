/// Where each internal page lives, and the relative links between them.
struct InternalPaths {
    /// The prefix from the current page to the site root: "" or "../".
    var root: String

    func runbook(_ id: String) -> String { "\(root)runbooks/\(id).html" }
    func scenario(_ id: String) -> String { "\(root)scenarios/\(id).html" }
    func page(_ id: String) -> String { "\(root)pages/\(id).html" }
    func role(_ id: String) -> String { "\(root)roles.html#role-\(id)" }
    func person(_ id: String) -> String { "\(root)people.html#person-\(id)" }
    func site(_ id: String) -> String { "\(root)sites.html#site-\(id)" }
    func vendor(_ id: String) -> String { "\(root)vendors.html#vendor-\(id)" }
}

/// The frame every internal page shares: navigation, organization, classification banner.
final class Chrome: TemplateValue {
    let root: String
    let organization: String
    let title: String
    let section: FieldName
    let buildDate: String?

    init(root: String, organization: String, title: String, section: FieldName, buildDate: String?) {
        self.root = root
        self.organization = organization
        self.title = title
        self.section = section
        self.buildDate = buildDate
    }

    func field(_ name: FieldName) -> TemplateContent? {
        switch name {
        case .root: return .of(root)
        case .organization: return .of(organization)
        case .title: return .of(title)
        case .buildDate: return .of(buildDate)
        // `{{#nav.runbooks}}` is true on the pages of that section, for the current-page marker.
        case .nav: return .of(NavView(section: section))
        default: return nil
        }
    }
}

/// `nav.<section>` is true for the current page's section.
struct NavView: TemplateValue {
    var section: FieldName

    func field(_ name: FieldName) -> TemplateContent? { .of(name == section ? true : nil) }
}

/// A page view: the chrome plus the page's own value, looked up first.
struct PageView<Frame: TemplateValue, Content: TemplateValue>: TemplateValue {
    var chrome: Frame
    var content: Content

    /// A name is the content's first, then the frame's; `chrome` is the frame itself, so that a layout
    /// can ask it directly for the many names only it answers.
    func field(_ name: FieldName) -> TemplateContent? {
        content.field(name) ?? (name == .chrome ? .of(chrome) : chrome.field(name))
    }
}

/// Classes, not structs: the same person, role or vendor appears on thousands of pages, and a
/// reference is shared where a struct's fields would be copied.
final class PersonView: TemplateValue {
    let id: String
    let name: String
    let title: String?
    let phones: [PhoneView]
    let email: String?
    let href: String
    let site: LinkView?
    let roles: [LinkView]
    let extras: [FactView]

    init(_ person: borrowing Person, plan: borrowing Plan, paths: InternalPaths, roles: [LinkView] = []) {
        extras = person.extras.map(FactView.init)
        id = person.id
        name = person.name
        title = person.title
        phones = person.phones.map(PhoneView.init)
        email = person.email
        href = paths.person(person.id)
        site = person.site.flatMap { plan.site($0.id) }.map { LinkView(text: $0.name, href: paths.site($0.id)) }
        self.roles = roles
    }

    var fragmentIdentity: AnyObject? { self }

    func field(_ name: FieldName) -> TemplateContent? {
        switch name {
        case .id: return .of(id)
        case .name: return .of(self.name)
        case .title: return .of(title)
        case .phones: return .of(phones)
        case .email: return .of(email)
        case .mailto: return .of(email.map { "mailto:\($0)" })
        case .href: return .of(href)
        case .site: return .of(site)
        case .roles: return .of(roles)
        case .extras: return .of(extras)
        default: return nil
        }
    }
}

/// A role and the people who hold it, primary first, then alternates in order of succession.
final class RoleView: TemplateValue {
    let id: String
    let title: String
    let href: String
    let responsibilities: [String]
    let canDeclare: Bool
    let primary: PersonView?
    let alternates: [PersonView]
    /// The alternates' names in order of succession, for a line of text ("A; B").
    let alternateNames: String

    init(_ role: borrowing Role, plan: borrowing Plan, paths: InternalPaths, people: [String: PersonView] = [:]) {
        func person(_ person: Person) -> PersonView { people[person.id] ?? PersonView(person, plan: plan, paths: paths) }
        id = role.id
        title = role.title
        href = paths.role(role.id)
        responsibilities = role.responsibilities
        canDeclare = role.canDeclare
        primary = role.primary.flatMap { plan.person($0.id) }.map(person)
        alternates = plan.people(role.alternates).map(person)
        alternateNames = alternates.map(\.name).joined(separator: "; ")
    }

    var fragmentIdentity: AnyObject? { self }

    func field(_ name: FieldName) -> TemplateContent? {
        switch name {
        case .id: return .of(id)
        case .title: return .of(title)
        case .href: return .of(href)
        case .responsibilities: return .of(responsibilities)
        case .canDeclare: return .of(canDeclare)
        case .primary: return .of(primary)
        case .alternates: return .of(alternates)
        case .alternateNames: return .of(alternateNames)
        default: return nil
        }
    }
}

/// A runbook in a list or table.
struct RunbookRowView: TemplateValue {
    var id: String
    var title: String
    var href: String
    var tier: Int
    var rto: String
    var rpo: String?
    var owner: String?
    /// The place in a recovery order, from 1.
    var position: Int?

    init(_ runbook: borrowing Runbook, plan: borrowing Plan, paths: InternalPaths, position: Int? = nil) {
        self.position = position
        id = runbook.id
        title = runbook.title
        href = paths.runbook(runbook.id)
        tier = runbook.tier
        rto = runbook.rto.display
        rpo = runbook.rpo?.display
        owner = plan.role(runbook.owner.id)?.title
    }

    func field(_ name: FieldName) -> TemplateContent? {
        switch name {
        case .id: return .of(id)
        case .title: return .of(title)
        case .href: return .of(href)
        case .tier: return .of(tier)
        case .rto: return .of(rto)
        case .rpo: return .of(rpo)
        case .owner: return .of(owner)
        case .position: return .of(position)
        default: return nil
        }
    }
}

final class VendorView: TemplateValue {
    let id: String
    let name: String
    let href: String
    let provides: [String]
    let phones: [PhoneView]
    let email: String?
    let runbooks: [LinkView]
    let extras: [FactView]

    init(_ vendor: Vendor, paths: InternalPaths, runbooks: [LinkView] = []) {
        extras = vendor.extras.map(FactView.init)
        id = vendor.id
        name = vendor.name
        href = paths.vendor(vendor.id)
        provides = vendor.provides
        phones = vendor.phones.map(PhoneView.init)
        email = vendor.email
        self.runbooks = runbooks
    }

    func field(_ name: FieldName) -> TemplateContent? {
        switch name {
        case .id: return .of(id)
        case .name: return .of(self.name)
        case .href: return .of(href)
        case .provides: return .of(provides.isEmpty ? nil : provides.joined(separator: ", "))
        case .phones: return .of(phones)
        case .email: return .of(email)
        case .mailto: return .of(email.map { "mailto:\($0)" })
        case .runbooks: return .of(runbooks)
        case .extras: return .of(extras)
        default: return nil
        }
    }
}

struct SiteView: TemplateValue {
    var id: String
    var name: String
    var href: String
    var kind: String?
    var city: String
    var district: String?
    var region: String
    var alternates: [LinkView]
    var runbooks: [LinkView]
    var people: [LinkView]
    var extras: [FactView]

    init(_ site: borrowing Site, plan: borrowing Plan, paths: InternalPaths, runbooks: [LinkView] = [], people: [LinkView] = []) {
        extras = site.extras.map(FactView.init)
        id = site.id
        name = site.name
        href = paths.site(site.id)
        kind = site.kind?.label
        city = site.city
        district = site.district
        region = site.region
        alternates = plan.sites(site.alternates).map {
            LinkView(text: $0.name, href: paths.site($0.id), note: $0.city)
        }
        self.runbooks = runbooks
        self.people = people
    }

    func field(_ name: FieldName) -> TemplateContent? {
        switch name {
        case .id: return .of(id)
        case .name: return .of(self.name)
        case .href: return .of(href)
        case .kind: return .of(kind)
        case .city: return .of(city)
        case .district: return .of(district)
        case .region: return .of(region)
        case .alternates: return .of(alternates)
        case .runbooks: return .of(runbooks)
        case .people: return .of(people)
        case .extras: return .of(extras)
        default: return nil
        }
    }
}

extension SiteKind {
    var label: String {
        switch self {
        case .office: return "Office"
        case .dataCenter: return "Data center"
        case .noc: return "Network operations center"
        case .recovery: return "Recovery site"
        case .remote: return "Remote"
        }
    }
}

extension Scope {
    /// "One facility", "A business district"…, as headings and badges say it.
    var label: String {
        switch self {
        case .facility: return "Facility"
        case .district: return "District"
        case .city: return "City"
        case .region: return "Region"
        }
    }
}

/// Views that many pages show, built once per folder depth rather than once per page: the role cards
/// of runbook and scenario pages, their contacts and vendors.
final class SharedViews: Sendable {
    let paths: InternalPaths
    let people: [String: PersonView]
    let roles: [String: RoleView]
    let vendors: [String: VendorView]
    let graph: RunbookGraph
    /// Each runbook as a link with its RTO, as lists of dependencies show it, by runbook number.
    let runbookLinks: [LinkView]
    /// Each runbook's node in dependency pictures, by runbook number.
    let runbookFaces: [DependencyDiagram.Face]

    init(plan: Plan, paths: InternalPaths, graph: RunbookGraph? = nil) {
        self.paths = paths
        self.graph = graph ?? RunbookGraph(plan)
        let runbooks = plan.runbooks
        let hrefs = parallelMap(runbooks.indices) { paths.runbook(runbooks[$0].id) }
        runbookLinks = parallelMap(runbooks.indices) {
            LinkView(text: runbooks[$0].title, href: hrefs[$0], note: "RTO \(runbooks[$0].rto.display)")
        }
        runbookFaces = parallelMap(runbooks.indices) { DependencyDiagram.Face(runbooks[$0], href: hrefs[$0]) }
        var people: [String: PersonView] = [:]
        for person in plan.people where people[person.id] == nil {
            people[person.id] = PersonView(person, plan: plan, paths: paths)
        }
        var roles: [String: RoleView] = [:]
        for role in plan.roles where roles[role.id] == nil {
            roles[role.id] = RoleView(role, plan: plan, paths: paths, people: people)
        }
        var vendors: [String: VendorView] = [:]
        for vendor in plan.vendors where vendors[vendor.id] == nil {
            vendors[vendor.id] = VendorView(vendor, paths: paths)
        }
        self.people = people
        self.roles = roles
        self.vendors = vendors
    }

    func role(_ ref: Ref?) -> RoleView? { ref.flatMap { roles[$0.id] } }
    func people(_ refs: [Ref]) -> [PersonView] { refs.compactMap { people[$0.id] } }
    func vendors(_ refs: [Ref]) -> [VendorView] { refs.compactMap { vendors[$0.id] } }

    /// Links to the runbooks `runbook` depends on, in the order of its `depends_on`. Given the runbook's
    /// `number`, they are read from the graph when it holds them all (no id unknown or written twice).
    func dependencies(of runbook: Runbook, number: Int? = nil, in plan: Plan) -> [LinkView] {
        if let number, graph.dependsOn[number].count == runbook.dependsOn.count {
            return graph.dependsOn[number].map { runbookLinks[$0] }
        }
        return runbook.dependsOn.compactMap { plan.runbookNumber($0.id).map { runbookLinks[$0] } }
    }

    /// Links to the runbooks that depend on `runbook`, in plan order.
    func dependents(of runbook: Runbook, number: Int? = nil, in plan: Plan) -> [LinkView] {
        (number ?? plan.runbookNumber(runbook.id)).map { plan.dependentNumbers[$0].map { runbookLinks[$0] } } ?? []
    }
}
