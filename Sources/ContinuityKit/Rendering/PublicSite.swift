/// The only data the public site is made from. `PublicPlan.init(_:)` is the single place that reads the
/// plan for the public site: it copies the organization, the public contact, the summary, each
/// scenario's title, scope and `public_summary`, and pages marked public. Templates of the public site
/// receive views built from this value alone, so no internal field can reach them.
public struct PublicPlan: Sendable, Hashable {
    public struct ScenarioSummary: Sendable, Hashable {
        public var title: String
        public var scope: Scope
        public var summary: String
    }

    public struct PublicPage: Sendable, Hashable {
        public var id: String
        public var title: String
        public var html: String
    }

    public var organization: Organization
    public var contact: PublicContact?
    public var title: String
    public var elements: [PlanElement]
    public var disclaimers: [String]
    public var updated: CalendarDate?
    public var bodyHTML: String
    public var scenarios: [ScenarioSummary]
    public var pages: [PublicPage]

    public init(_ plan: Plan) {
        organization = plan.configuration.organization
        contact = plan.configuration.publicContact
        title = plan.summary?.title ?? "Business Continuity Plan Summary"
        elements = plan.summary?.elements ?? []
        disclaimers = plan.summary?.disclaimers ?? []
        updated = plan.summary?.updated
        bodyHTML = plan.summary?.body.html ?? ""
        scenarios = plan.scenarios.compactMap { scenario in
            scenario.publicSummary.map { ScenarioSummary(title: scenario.title, scope: scenario.scope, summary: $0) }
        }
        pages = plan.pages.filter { $0.classification == .public }.map {
            PublicPage(id: $0.id, title: $0.title, html: $0.body.html)
        }
    }
}

struct PublicChrome: TemplateValue {
    var root: String
    var organization: String
    var website: String?
    var title: String
    var contact: PublicContactView?
    var pages: [LinkView]

    func field(_ name: FieldName) -> TemplateContent? {
        switch name {
        case .root: return .of(root)
        case .organization: return .of(organization)
        case .website: return .of(website)
        case .title: return .of(title)
        case .contact: return .of(contact)
        case .pages: return .of(pages)
        default: return nil
        }
    }
}

struct PublicContactView: TemplateValue {
    var label: String?
    var phone: PhoneView?
    var url: String?

    func field(_ name: FieldName) -> TemplateContent? {
        switch name {
        case .label: return .of(label)
        case .phone: return .of(phone)
        case .url: return .of(url)
        case .urlText: return .of(url.map(Self.displayURL))
        default: return nil
        }
    }

    /// `https://status.example.com/` → `status.example.com`.
    static func displayURL(_ url: String) -> String {
        var text = url
        for prefix in ["https://", "http://"] where text.hasPrefix(prefix) { text = String(text.dropFirst(prefix.count)) }
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}

struct PublicSummaryView: TemplateValue {
    struct ScopeGroup: TemplateValue {
        var scope: String
        var scenarios: [FactView]

        func field(_ name: FieldName) -> TemplateContent? {
            switch name {
            case .scope: return .of(scope)
            case .scenarios: return .of(scenarios)
            default: return nil
            }
        }
    }

    var plan: PublicPlan

    /// "a business impact analysis, disaster scenarios and recovery time objectives".
    var elementsSentence: String? {
        let phrases = plan.elements.map(\.phrase)
        guard let last = phrases.last else { return nil }
        return phrases.count == 1 ? last : phrases.dropLast().joined(separator: ", ") + " and " + last
    }

    var scopes: [ScopeGroup] {
        Scope.allCases.compactMap { scope in
            let scenarios = plan.scenarios.filter { $0.scope == scope }
            guard !scenarios.isEmpty else { return nil }
            return ScopeGroup(
                scope: scope.publicHeading, scenarios: scenarios.map { FactView(label: $0.title, value: $0.summary) })
        }
    }

    func field(_ name: FieldName) -> TemplateContent? {
        switch name {
        case .body: return .of(plan.bodyHTML)
        case .elementsSentence: return .of(elementsSentence)
        case .elements: return .of(plan.elements.isEmpty ? nil : plan.elements.map(\.phrase))
        case .scopes: return .of(scopes)
        case .disclaimers: return .of(plan.disclaimers)
        case .updated: return .of(plan.updated?.description)
        default: return nil
        }
    }
}

extension Scope {
    var publicHeading: String {
        switch self {
        case .facility: return "A single facility"
        case .district: return "A business district"
        case .city: return "A city"
        case .region: return "A region"
        }
    }
}

enum PublicSite {
    static func render(_ plan: PublicPlan, theme: Theme) throws -> [OutputFile] {
        func chrome(root: String, title: String) -> PublicChrome {
            PublicChrome(
                root: root, organization: plan.organization.name, website: plan.organization.website, title: title,
                contact: plan.contact.map {
                    PublicContactView(label: $0.label, phone: $0.phone.map(PhoneView.init), url: $0.url)
                },
                pages: plan.pages.map { LinkView(text: $0.title, href: "\(root)pages/\($0.id).html") })
        }
        var files = [
            OutputFile(
                path: "public/index.html",
                bytes: try theme.render(
                    PageView(chrome: chrome(root: "", title: plan.title), content: PublicSummaryView(plan: plan)),
                    template: "public/summary"))
        ]
        for page in plan.pages {
            files.append(
                OutputFile(
                    path: "public/pages/\(page.id).html",
                    bytes: try theme.render(
                        PageView(
                            chrome: chrome(root: "../", title: page.title),
                            content: DocumentPageView(title: page.title, body: page.html, isPublic: true)),
                        template: "public/public-page")))
        }
        return files
    }
}
