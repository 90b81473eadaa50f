import Foundation
import Synchronization

/// Types the loaded content into a `Plan`: the model stage. Every key is read with its position; every
/// reference is checked against its registry (a near miss gets a suggestion) and duplicates are found.
/// References that do not resolve are dropped from the model after their diagnostic, so later stages
/// only meet ids that exist.
public struct ModelBuilder {
    public private(set) var diagnostics: [Diagnostic] = []
    /// The schemas every entity is validated against before it is read.
    public var schemas: SchemaSet

    public init(schemas: SchemaSet) {
        self.schemas = schemas
    }

    static let configKeys = ["organization", "public_contact", "policy"]
    static let organizationKeys = ["name", "website"]
    static let publicContactKeys = ["label", "phone", "url"]
    static let policyKeys = [
        "review_interval", "exercise_interval", "max_critical_roles_per_person", "required_sections", "tiers",
    ]
    static let tierKeys = ["tier", "name", "max_rto"]
    static let personKeys = ["id", "name", "title", "phone", "email", "site"]
    static let roleKeys = ["id", "title", "responsibilities", "primary", "alternates", "can_declare"]
    static let siteKeys = ["id", "name", "kind", "city", "district", "region", "alternates"]
    static let vendorKeys = ["id", "name", "provides", "phone", "email"]
    static let scenarioKeys = ["id", "title", "scope", "sites", "public_summary"]
    static let runbookKeys = [
        "id", "title", "tier", "owner", "deputy", "rto", "rpo", "mtpd", "depends_on", "sites", "scenarios", "vendors",
        "contacts", "plan_elements", "last_reviewed", "last_exercised", "classification", "tags",
    ]
    static let pageKeys = ["id", "title", "classification", "plan_elements"]
    static let summaryKeys = ["title", "elements", "disclaimers", "updated"]

    /// Builds the plan. Returns nil only when `continuity.yaml` is missing or unusable; every other
    /// problem leaves a diagnostic and a plan without the bad part.
    public mutating func build(_ content: LoadedContent) -> Plan? {
        let configuration = content.config.flatMap { readConfiguration($0) }
        let tiers = configuration?.policy.tiers ?? Policy.default.tiers
        var people = registry(content.people, kind: .person) { Self.readPerson(&$0) }
        var roles = registry(content.roles, kind: .role) { Self.readRole(&$0) }
        var sites = registry(content.sites, kind: .site) { Self.readSite(&$0) }
        let vendors = registry(content.vendors, kind: .vendor) { Self.readVendor(&$0) }
        var scenarios = documents(content.scenarios, kind: .scenario) { Self.readScenario($0, &$1) }
        var runbooks = documents(content.runbooks, kind: .runbook) { Self.readRunbook($0, &$1, tiers: tiers) }
        let pages = documents(content.pages, kind: .page) { Self.readPage($0, &$1) }
        let summary = content.summary.flatMap { readSummary($0) }
        guard let configuration else { return nil }

        // Resolve references: keep those that name an entity, report the others.
        let registries = Registries(
            person: Registry(kind: "person", file: "people.yaml", ids: Set(people.map(\.id))),
            role: Registry(kind: "role", file: "roles.yaml", ids: Set(roles.map(\.id))),
            site: Registry(kind: "site", file: "sites.yaml", ids: Set(sites.map(\.id))),
            vendor: Registry(kind: "vendor", file: "vendors.yaml", ids: Set(vendors.map(\.id))),
            scenario: Registry(kind: "scenario", file: "scenarios/", ids: Set(scenarios.map(\.id))),
            runbook: Registry(kind: "runbook", file: "runbooks/", ids: Set(runbooks.map(\.id))))
        var resolution = Resolution()
        for i in people.indices {
            people[i].site = resolution.kept(people[i].site, registries.site, "site")
        }
        for i in roles.indices {
            roles[i].primary = resolution.kept(roles[i].primary, registries.person, "primary")
            roles[i].alternates = resolution.kept(roles[i].alternates, registries.person, "alternates")
        }
        for i in sites.indices { sites[i].alternates = resolution.kept(sites[i].alternates, registries.site, "alternates") }
        for i in scenarios.indices { scenarios[i].sites = resolution.kept(scenarios[i].sites, registries.site, "sites") }
        diagnostics += resolution.diagnostics
        runbooks = Self.resolveReferences(of: runbooks, in: registries, diagnostics: &diagnostics)

        return Plan(
            configuration: configuration, people: people, roles: roles, sites: sites, vendors: vendors,
            scenarios: scenarios, runbooks: runbooks, pages: pages, summary: summary)
    }

    /// The ids of every kind of entity, for resolving references.
    struct Registries: Sendable {
        var person, role, site, vendor, scenario, runbook: Registry
    }

    struct Registry: Sendable {
        var kind: String
        /// Where entities of this kind are defined, for the hint.
        var file: String
        var ids: Set<String>
    }

    /// Resolves references one by one, keeping those that name an entity and collecting a diagnostic for
    /// each of the others.
    struct Resolution {
        var diagnostics: [Diagnostic] = []

        mutating func resolves(_ ref: Ref, _ registry: Registry, _ key: String) -> Bool {
            guard !registry.ids.contains(ref.id) else { return true }
            let suggestion = Suggestion.closest(to: ref.id, among: Array(registry.ids))
            diagnostics.append(
                .error(
                    .unknownReference,
                    "'\(key)' names \(registry.kind) '\(ref.id)', which does not exist"
                        + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                    at: ref.location,
                    hint: suggestion == nil ? "add '\(ref.id)' to \(registry.file) or correct the id" : nil))
            return false
        }

        mutating func kept(_ ref: Ref?, _ registry: Registry, _ key: String) -> Ref? {
            ref.flatMap { resolves($0, registry, key) ? $0 : nil }
        }

        mutating func kept(_ refs: [Ref], _ registry: Registry, _ key: String) -> [Ref] {
            // Most references resolve: keep the array as it is unless one does not.
            var unresolved: [Int] = []
            for (i, ref) in refs.enumerated() where !resolves(ref, registry, key) { unresolved.append(i) }
            guard !unresolved.isEmpty else { return refs }
            return refs.indices.filter { !unresolved.contains($0) }.map { refs[$0] }
        }
    }

    /// Resolves the references of every runbook, in parallel; the findings keep the runbooks' order. A
    /// runbook whose owner does not resolve is left out (the owner is required). Only runbooks with a
    /// reference to drop are copied.
    static func resolveReferences(
        of runbooks: [Runbook], in registries: Registries, diagnostics: inout [Diagnostic]
    ) -> [Runbook] {
        enum Outcome: Sendable {
            case unchanged
            case changed(Runbook)
            case dropped
        }
        let outcomes = parallelMap(runbooks.indices) { i -> (Outcome, [Diagnostic]) in
            let original = runbooks[i]
            var resolution = Resolution()
            guard resolution.resolves(original.owner, registries.role, "owner") else {
                return (.dropped, resolution.diagnostics)
            }
            let deputy = resolution.kept(original.deputy, registries.role, "deputy")
            let dependsOn = resolution.kept(original.dependsOn, registries.runbook, "depends_on")
            let sites = resolution.kept(original.sites, registries.site, "sites")
            let scenarios = resolution.kept(original.scenarios, registries.scenario, "scenarios")
            let vendors = resolution.kept(original.vendors, registries.vendor, "vendors")
            let contacts = resolution.kept(original.contacts, registries.person, "contacts")
            guard !resolution.diagnostics.isEmpty else { return (.unchanged, []) }
            var runbook = original
            runbook.deputy = deputy
            runbook.dependsOn = dependsOn
            runbook.sites = sites
            runbook.scenarios = scenarios
            runbook.vendors = vendors
            runbook.contacts = contacts
            return (.changed(runbook), resolution.diagnostics)
        }
        guard outcomes.contains(where: { !$0.1.isEmpty }) else { return runbooks }
        var result: [Runbook] = []
        result.reserveCapacity(runbooks.count)
        for (i, (outcome, findings)) in outcomes.enumerated() {
            diagnostics += findings
            switch outcome {
            case .unchanged: result.append(runbooks[i])
            case .changed(let runbook): result.append(runbook)
            case .dropped: continue
            }
        }
        return result
    }

    // MARK: Collections

    /// Reads a registry (a YAML list of mappings), its entries in parallel, reporting their findings in the
    /// file's order and duplicate ids with both places.
    private mutating func registry<T: Identifiable & Extensible & Sendable>(
        _ document: YAMLDocument?, kind schemaKind: SchemaKind, read: @Sendable (inout FieldReader) -> T?
    ) -> [T] where T.ID == String {
        let kind = schemaKind.rawValue
        guard let document, let root = document.root else { return [] }
        guard let items = root.items else {
            diagnostics.append(
                .error(
                    .wrongType, "\(document.path) must be a list of \(kind) entries, found \(root.kindDescription)",
                    at: root.location, hint: "start each entry with '- id: …'"))
            return []
        }
        let schemas = self.schemas
        let results = parallelMap(items.indices) { index -> DocumentResult<T> in
            let item = items[index]
            guard item.pairs != nil else {
                return DocumentResult(diagnostics: [
                    .error(.wrongType, "\(kind) entry must be a mapping, found \(item.kindDescription)", at: item.location)
                ])
            }
            let subject = item["id"]?.scalarText.map { "\(kind) '\($0)'" } ?? "\(kind) #\(index + 1)"
            return Self.entity(item, kind: schemaKind, subject: subject, schemas: schemas, read: read)
        }
        return unique(collect(results), kind: kind)
    }

    /// Reads Markdown documents of one kind, ordered by id. The documents are read in parallel, each on
    /// its own; their findings are reported in document order, as if read one after the other.
    private mutating func documents<T: Identifiable & Extensible & Sendable>(
        _ documents: [MarkdownDocument], kind schemaKind: SchemaKind,
        read: @escaping @Sendable (MarkdownDocument, inout FieldReader) -> T?
    ) -> [T] where T.ID == String {
        let kind = schemaKind.rawValue
        let schemas = self.schemas
        let results = parallelMap(documents.indices) { index in
            Self.document(documents[index], kind: schemaKind, schemas: schemas, read: read)
        }
        // Moved from step to step and sorted in place: a copy of the list would retain every field of
        // every entity, and this runs on one thread.
        var entities = unique(collect(results), kind: kind)
        entities.sort { $0.id < $1.id }
        return entities
    }

    /// What one document or registry entry gives: its entity with the place of its id, and its findings.
    struct DocumentResult<T: Sendable>: Sendable {
        var entry: (T, SourceLocation)?
        var diagnostics: [Diagnostic] = []
    }

    /// The entries of `results`, in order, with their findings reported in the same order.
    private mutating func collect<T>(_ results: consuming [DocumentResult<T>]) -> [(T, SourceLocation)] {
        var entries: [(T, SourceLocation)] = []
        entries.reserveCapacity(results.count)
        for index in results.indices {
            diagnostics += results[index].diagnostics
            // Taken out, not copied.
            if let entry = results[index].entry.take() { entries.append(entry) }
        }
        return entries
    }

    /// Reads one entity from its mapping. The schema's findings are the authority on an entity's shape; the
    /// reader's own findings, which would repeat them in other words, count only when the schema found
    /// nothing.
    private static func entity<T: Identifiable & Extensible & Sendable>(
        _ node: YAMLNode, kind schemaKind: SchemaKind, subject: String, schemas: SchemaSet,
        read: (inout FieldReader) -> T?
    ) -> DocumentResult<T> {
        var result = DocumentResult<T>()
        var reader = FieldReader(node, subject: subject, extensionKeys: schemas.extensionKeys[schemaKind] ?? [])
        let entity = read(&reader)
        let schemaFindings = schemas.validate(node, kind: schemaKind, subject: subject)
        result.diagnostics = schemaFindings.isEmpty ? reader.diagnostics : schemaFindings
        if var entity {
            entity.extras = reader.extras()
            result.entry = (entity, reader.origin["id"])
        }
        return result
    }

    private static func document<T: Identifiable & Extensible & Sendable>(
        _ document: MarkdownDocument, kind schemaKind: SchemaKind, schemas: SchemaSet,
        read: (MarkdownDocument, inout FieldReader) -> T?
    ) -> DocumentResult<T> {
        var result = DocumentResult<T>()
        let node = document.frontMatter ?? YAMLNode(.mapping([]), at: document.location)
        guard node.pairs != nil else {
            result.diagnostics.append(
                .error(
                    .wrongType, "front matter must be a mapping of keys, found \(node.kindDescription)",
                    at: node.location))
            return result
        }
        return entity(
            node, kind: schemaKind, subject: "\(schemaKind.rawValue) '\(document.stem)'", schemas: schemas,
            read: { read(document, &$0) })
    }

    /// The schema's findings are the authority on an entity's shape; the reader's own findings, which
    /// would repeat them in other words, count only when the schema found nothing.
    private mutating func report(_ schemaFindings: [Diagnostic], else readerFindings: [Diagnostic]) {
        diagnostics += schemaFindings.isEmpty ? readerFindings : schemaFindings
    }

    /// Drops later entries whose id repeats an earlier one, reporting both places.
    private mutating func unique<T: Identifiable>(_ entries: consuming [(T, SourceLocation)], kind: String) -> [T]
    where T.ID == String {
        var seen: [String: SourceLocation] = [:]
        seen.reserveCapacity(entries.count)
        var repeated: [Int] = []
        for index in entries.indices {
            let id = entries[index].0.id
            if let first = seen[id] {
                diagnostics.append(
                    .error(
                        .duplicateId, "duplicate \(kind) id '\(id)'", at: entries[index].1,
                        notes: [Diagnostic.Note("'\(id)' is first defined here", at: first)],
                        hint: "ids must be unique within their kind"))
                repeated.append(index)
                continue
            }
            seen[id] = entries[index].1
        }
        // The entities moved out, last to first, and put back in order: no entity is copied.
        var result: [T] = []
        result.reserveCapacity(entries.count - repeated.count)
        var index = entries.count
        while let (entity, _) = entries.popLast() {
            index -= 1
            if repeated.last == index {
                repeated.removeLast()
                continue
            }
            result.append(entity)
        }
        result.reverse()
        return result
    }

    // MARK: Kinds

    private mutating func readConfiguration(_ document: YAMLDocument) -> Configuration? {
        guard let root = document.root, root.pairs != nil else {
            diagnostics.append(
                .error(
                    .wrongType, "continuity.yaml must be a mapping with 'organization' and 'policy'",
                    at: document.root?.location ?? SourceLocation(path: document.path)))
            return nil
        }
        let schemaFindings = schemas.validate(root, kind: .config, subject: "continuity.yaml")
        let before = diagnostics.count
        defer {
            if !schemaFindings.isEmpty {
                diagnostics.removeSubrange(before...)
                diagnostics += schemaFindings
            }
        }
        var reader = FieldReader(root, subject: "continuity.yaml")
        reader.rejectUnknownKeys(Self.configKeys)
        var organization: Organization?
        if let node = reader.mapping("organization", required: true) {
            var r = FieldReader(node, subject: "organization")
            r.rejectUnknownKeys(Self.organizationKeys)
            if let name = r.string("name", required: true) {
                organization = Organization(name: name, website: r.string("website"))
            }
            diagnostics += r.diagnostics
        }
        var contact: PublicContact?
        if let node = reader.mapping("public_contact") {
            var r = FieldReader(node, subject: "public_contact")
            r.rejectUnknownKeys(Self.publicContactKeys)
            contact = PublicContact(label: r.string("label"), phone: r.phone("phone"), url: r.string("url"))
            diagnostics += r.diagnostics
        }
        var policy = Policy.default
        if let node = reader.mapping("policy", required: true) {
            var r = FieldReader(node, subject: "policy")
            r.rejectUnknownKeys(Self.policyKeys)
            if let v = r.period("review_interval") { policy.reviewInterval = v }
            if let v = r.period("exercise_interval") { policy.exerciseInterval = v }
            if let v = r.int("max_critical_roles_per_person", range: 1...1000) { policy.maxCriticalRolesPerPerson = v }
            if r.value("required_sections", required: false) != nil {
                policy.requiredSections = r.strings("required_sections")
            }
            if r.value("tiers", required: false) != nil {
                var tiers: [Tier] = []
                for node in r.mappings("tiers") {
                    var t = FieldReader(node, subject: "tier")
                    t.rejectUnknownKeys(Self.tierKeys)
                    if let number = t.int("tier", required: true, range: 0...99) {
                        tiers.append(
                            Tier(tier: number, name: t.string("name") ?? "Tier \(number)", maxRTO: t.period("max_rto")))
                    }
                    diagnostics += t.diagnostics
                }
                policy.tiers = tiers.sorted { $0.tier < $1.tier }
            }
            diagnostics += r.diagnostics
        }
        diagnostics += reader.diagnostics
        guard let organization else { return nil }
        return Configuration(organization: organization, publicContact: contact, policy: policy, origin: reader.origin)
    }

    /// The entity's id: the `id` key, which registries require and documents may omit.
    private static func id(_ reader: inout FieldReader, default stem: String? = nil) -> String? {
        guard let node = reader.value("id", required: stem == nil) else {
            guard let stem else { return nil }
            if !Identifier.isValid(stem) {
                reader.report(
                    .error(
                        .badFormat, "file name '\(stem).md' is not a valid id", at: reader.location,
                        hint: "rename the file with lower-case letters, digits and dashes"))
                return nil
            }
            return stem
        }
        guard let text = node.scalarText, Identifier.isValid(text) else {
            reader.report(
                .error(
                    .badFormat, "'\(node.scalarText ?? node.kindDescription)' is not a valid id", at: node.location,
                    hint: "ids match ^[a-z0-9][a-z0-9-]{0,63}$: lower-case letters, digits and dashes"))
            return nil
        }
        if let stem, text != stem {
            reader.report(
                .error(
                    .badFormat, "id '\(text)' differs from the file name '\(stem).md'", at: node.location,
                    hint: "rename the file to '\(text).md' or remove the 'id' key"))
            return nil
        }
        return text
    }

    private static func readPerson(_ r: inout FieldReader) -> Person? {
        r.rejectUnknownKeys(Self.personKeys)
        let id = id(&r)
        let name = r.string("name", required: true)
        let person = Person(
            id: id ?? "", name: name ?? "", title: r.string("title"), phones: r.phones("phone"), email: r.email("email"),
            site: r.ref("site"), origin: r.origin)
        return id != nil && name != nil ? person : nil
    }

    private static func readRole(_ r: inout FieldReader) -> Role? {
        r.rejectUnknownKeys(Self.roleKeys)
        let id = id(&r)
        let title = r.string("title", required: true)
        let role = Role(
            id: id ?? "", title: title ?? "", responsibilities: r.strings("responsibilities"),
            primary: r.ref("primary", required: true), alternates: r.refs("alternates"),
            canDeclare: r.bool("can_declare") ?? false, origin: r.origin)
        return id != nil && title != nil ? role : nil
    }

    private static func readSite(_ r: inout FieldReader) -> Site? {
        r.rejectUnknownKeys(Self.siteKeys)
        let id = id(&r)
        let name = r.string("name", required: true)
        let city = r.string("city", required: true)
        let region = r.string("region", required: true)
        let site = Site(
            id: id ?? "", name: name ?? "", kind: r.choice("kind", SiteKind.self), city: city ?? "",
            district: r.string("district"), region: region ?? "", alternates: r.refs("alternates"),
            origin: r.origin)
        return id != nil && name != nil && city != nil && region != nil ? site : nil
    }

    private static func readVendor(_ r: inout FieldReader) -> Vendor? {
        r.rejectUnknownKeys(Self.vendorKeys)
        let id = id(&r)
        let name = r.string("name", required: true)
        let vendor = Vendor(
            id: id ?? "", name: name ?? "", provides: r.strings("provides"), phones: r.phones("phone"),
            email: r.email("email"), origin: r.origin)
        return id != nil && name != nil ? vendor : nil
    }

    private static func readScenario(_ document: MarkdownDocument, _ r: inout FieldReader) -> Scenario? {
        r.rejectUnknownKeys(Self.scenarioKeys)
        let id = id(&r, default: document.stem)
        let title = r.string("title", required: true)
        let scope = r.choice("scope", Scope.self, required: true)
        let sites = r.refs("sites")
        let publicSummary = r.string("public_summary")
        guard let id, let title, let scope else { return nil }
        return Scenario(
            id: id, title: title, scope: scope, sites: sites, publicSummary: publicSummary, body: document.body,
            origin: r.origin)
    }

    private static func readRunbook(_ document: MarkdownDocument, _ r: inout FieldReader, tiers: [Tier]) -> Runbook? {
        r.rejectUnknownKeys(Self.runbookKeys)
        let id = id(&r, default: document.stem)
        let title = r.string("title", required: true)
        let tier = r.int("tier", required: true)
        if let tier, !tiers.contains(where: { $0.tier == tier }) {
            r.report(
                .error(
                    .notInEnum,
                    "tier \(tier) is not a tier of the policy (\(tiers.map { String($0.tier) }.joined(separator: ", ")))",
                    at: r.origin["tier"]))
        }
        let owner = r.ref("owner", required: true)
        let deputy = r.ref("deputy")
        let rto = r.period("rto", required: true)
        let rpo = r.period("rpo")
        let mtpd = r.period("mtpd")
        let dependsOn = r.refs("depends_on")
        let sites = r.refs("sites")
        let scenarios = r.refs("scenarios")
        let vendors = r.refs("vendors")
        let contacts = r.refs("contacts")
        let elements = r.choices("plan_elements", PlanElement.self)
        let lastReviewed = r.date("last_reviewed", required: true)
        let lastExercised = r.date("last_exercised")
        let classification = r.choice("classification", Classification.self)
        if classification == .public {
            r.report(
                .error(
                    .notInEnum, "a runbook is internal or confidential; it cannot be public",
                    at: r.origin["classification"]))
        }
        let tags = r.strings("tags")
        guard let id, let title, let tier, let owner, let rto, let lastReviewed else { return nil }
        return Runbook(
            id: id, title: title, tier: tier, owner: owner, deputy: deputy, rto: rto, rpo: rpo, mtpd: mtpd,
            dependsOn: dependsOn, sites: sites, scenarios: scenarios, vendors: vendors, contacts: contacts,
            planElements: elements, lastReviewed: lastReviewed, lastExercised: lastExercised,
            classification: classification == .confidential ? .confidential : .internal, tags: tags,
            body: document.body, origin: r.origin)
    }

    private static func readPage(_ document: MarkdownDocument, _ r: inout FieldReader) -> Page? {
        r.rejectUnknownKeys(Self.pageKeys)
        let id = id(&r, default: document.stem)
        let title = r.string("title", required: true)
        let classification = r.choice("classification", Classification.self) ?? .internal
        let elements = r.choices("plan_elements", PlanElement.self)
        guard let id, let title else { return nil }
        return Page(
            id: id, title: title, classification: classification, planElements: elements, body: document.body,
            origin: r.origin)
    }

    private mutating func readSummary(_ document: MarkdownDocument) -> Summary? {
        let node = document.frontMatter ?? YAMLNode(.mapping([]), at: document.location)
        var r = FieldReader(node, subject: "summary.md", extensionKeys: schemas.extensionKeys[.summary] ?? [])
        defer { report(schemas.validate(node, kind: .summary, subject: "summary.md"), else: r.diagnostics) }
        guard node.pairs != nil else {
            r.report(.error(.wrongType, "front matter must be a mapping of keys", at: node.location))
            return nil
        }
        r.rejectUnknownKeys(Self.summaryKeys)
        let title = r.string("title", required: true)
        let claims = r.locatedChoices("elements", PlanElement.self).map { Claim(element: $0.value, location: $0.location) }
        let disclaimers = r.strings("disclaimers")
        let updated = r.date("updated")
        guard let title else { return nil }
        return Summary(
            title: title, claims: claims, disclaimers: disclaimers, updated: updated, body: document.body,
            origin: r.origin)
    }
}
