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

    func field(_ name: String) -> (any TemplateData)? {
        switch name {
        case "root": return root
        case "organization": return organization
        case "website": return website
        case "title": return title
        case "contact": return contact
        case "pages": return pages
        default: return nil
        }
    }
}

struct PublicContactView: TemplateValue {
    var label: String?
    var phone: PhoneView?
    var url: String?

    func field(_ name: String) -> (any TemplateData)? {
        switch name {
        case "label": return label
        case "phone": return phone
        case "url": return url
        case "urlText": return url.map(Self.displayURL)
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

        func field(_ name: String) -> (any TemplateData)? {
            switch name {
            case "scope": return scope
            case "scenarios": return scenarios
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

    func field(_ name: String) -> (any TemplateData)? {
        switch name {
        case "body": return plan.bodyHTML
        case "elementsSentence": return elementsSentence
        case "elements": return plan.elements.isEmpty ? nil : plan.elements.map(\.phrase)
        case "scopes": return scopes
        case "disclaimers": return plan.disclaimers
        case "updated": return plan.updated?.description
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
