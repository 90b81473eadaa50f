import Foundation

/// An id written in the content that names another entity, with the place it was written.
public struct Ref: Sendable, Hashable, CustomStringConvertible {
    public var id: String
    public var location: SourceLocation

    public init(_ id: String, at location: SourceLocation) {
        self.id = id
        self.location = location
    }

    public var description: String { id }
}

/// Where an entity and each of its keys were written, for diagnostics.
public struct Origin: Sendable, Hashable {
    /// A key of the entity's mapping and where its value is.
    public struct Key: Sendable, Hashable {
        public var key: String
        public var location: SourceLocation

        public init(_ key: String, _ location: SourceLocation) {
            self.key = key
            self.location = location
        }
    }

    /// The entity's mapping (its first line).
    public var location: SourceLocation
    /// The location of each key's value, in the order written; for a key written twice, the first counts.
    /// A list searched from the start: a mapping has a few dozen keys at most, and most are never asked
    /// for (only diagnostics want them), where a dictionary would hash every key of every file.
    public var keys: [Key]

    public init(_ location: SourceLocation, keys: [Key] = []) {
        self.location = location
        self.keys = keys
    }

    public var path: String { location.path }

    /// The location of a key's value, or of the entity when the key is absent.
    public subscript(key: String) -> SourceLocation { self[ifPresent: key] ?? location }

    /// The location of a key's value, nil when the key is absent.
    public subscript(ifPresent key: String) -> SourceLocation? { keys.first { $0.key == key }?.location }
}

/// A field an organization's schema extension declares, passed through to the templates.
public struct ExtraField: Sendable, Hashable {
    public var key: String
    /// The value as text: a scalar as written, a list joined with commas.
    public var value: String

    /// "cost_per_hour" → "Cost per hour".
    public var label: String {
        let words = key.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}

/// An entity that carries the fields of a schema extension.
public protocol Extensible {
    var extras: [ExtraField] { get set }
}

public struct Organization: Sendable, Hashable {
    public var name: String
    public var website: String?
}

public struct PublicContact: Sendable, Hashable {
    public var label: String?
    public var phone: PhoneNumber?
    public var url: String?
}

public struct Tier: Sendable, Hashable {
    public var tier: Int
    public var name: String
    public var maxRTO: Period?
}

public struct Policy: Sendable, Hashable {
    public var reviewInterval: Period
    public var exerciseInterval: Period
    public var maxCriticalRolesPerPerson: Int
    public var requiredSections: [String]
    public var tiers: [Tier]

    public static let `default` = Policy(
        reviewInterval: Period(seconds: 365 * 86_400, text: "365d"),
        exerciseInterval: Period(seconds: 365 * 86_400, text: "365d"),
        maxCriticalRolesPerPerson: 3,
        requiredSections: ["Activation", "Recovery", "Reconstitution"],
        tiers: [
            Tier(tier: 0, name: "Mission critical", maxRTO: Period("4h")),
            Tier(tier: 1, name: "Business critical", maxRTO: Period("24h")),
            Tier(tier: 2, name: "Essential", maxRTO: Period("7d")),
            Tier(tier: 3, name: "Non-essential", maxRTO: nil),
        ])

    public func tier(_ number: Int) -> Tier? { tiers.first { $0.tier == number } }
}

public struct Configuration: Sendable, Hashable {
    public var organization: Organization
    public var publicContact: PublicContact?
    public var policy: Policy
    public var origin: Origin
}

public struct Person: Sendable, Hashable, Identifiable, Extensible {
    public var id: String
    public var name: String
    public var title: String?
    public var phones: [PhoneNumber]
    public var email: String?
    public var site: Ref?
    public var origin: Origin
    public var extras: [ExtraField] = []
}

public struct Role: Sendable, Hashable, Identifiable, Extensible {
    public var id: String
    public var title: String
    public var responsibilities: [String]
    public var primary: Ref?
    public var alternates: [Ref]
    public var canDeclare: Bool
    public var origin: Origin
    public var extras: [ExtraField] = []
}

public struct Site: Sendable, Hashable, Identifiable, Extensible {
    public var id: String
    public var name: String
    public var kind: SiteKind?
    public var city: String
    public var district: String?
    public var region: String
    public var alternates: [Ref]
    public var origin: Origin
    public var extras: [ExtraField] = []
}

public struct Vendor: Sendable, Hashable, Identifiable, Extensible {
    public var id: String
    public var name: String
    public var provides: [String]
    public var phones: [PhoneNumber]
    public var email: String?
    public var origin: Origin
    public var extras: [ExtraField] = []
}

public struct Scenario: Sendable, Hashable, Identifiable, Extensible {
    public var id: String
    public var title: String
    public var scope: Scope
    public var sites: [Ref]
    public var publicSummary: String?
    public var body: MarkdownBody
    public var origin: Origin
    public var extras: [ExtraField] = []
}

/// A runbook. Its fields live in one shared, immutable box, so that copying a runbook (into views, lists,
/// dependency walks) costs one reference count instead of one per field; changing a field copies the box.
public struct Runbook: Sendable, Hashable, Identifiable, Extensible {
    private struct Fields: Sendable, Hashable {
        var id: String
        var title: String
        var tier: Int
        var owner: Ref
        var deputy: Ref?
        var rto: Period
        var rpo: Period?
        var mtpd: Period?
        var dependsOn: [Ref]
        var sites: [Ref]
        var scenarios: [Ref]
        var vendors: [Ref]
        var contacts: [Ref]
        var planElements: [PlanElement]
        var lastReviewed: CalendarDate
        var lastExercised: CalendarDate?
        var classification: Classification
        var tags: [String]
        var body: MarkdownBody
        var origin: Origin
        var extras: [ExtraField]
    }

    /// Changed only while a single runbook value holds it (copy on write), so sharing it is safe.
    private final class Box: @unchecked Sendable {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    private mutating func update(_ change: (inout Fields) -> Void) {
        if isKnownUniquelyReferenced(&box) {
            change(&box.fields)
        } else {
            var fields = box.fields
            change(&fields)
            box = Box(fields)
        }
    }

    public init(
        id: String,
        title: String,
        tier: Int,
        owner: Ref,
        deputy: Ref?,
        rto: Period,
        rpo: Period?,
        mtpd: Period?,
        dependsOn: [Ref],
        sites: [Ref],
        scenarios: [Ref],
        vendors: [Ref],
        contacts: [Ref],
        planElements: [PlanElement],
        lastReviewed: CalendarDate,
        lastExercised: CalendarDate?,
        classification: Classification,
        tags: [String],
        body: MarkdownBody,
        origin: Origin,
        extras: [ExtraField] = []
    ) {
        box = Box(
            Fields(
                id: id,
                title: title,
                tier: tier,
                owner: owner,
                deputy: deputy,
                rto: rto,
                rpo: rpo,
                mtpd: mtpd,
                dependsOn: dependsOn,
                sites: sites,
                scenarios: scenarios,
                vendors: vendors,
                contacts: contacts,
                planElements: planElements,
                lastReviewed: lastReviewed,
                lastExercised: lastExercised,
                classification: classification,
                tags: tags,
                body: body,
                origin: origin,
                extras: extras))
    }

    public var id: String {
        get { box.fields.id }
        set { update { $0.id = newValue } }
    }
    public var title: String {
        get { box.fields.title }
        set { update { $0.title = newValue } }
    }
    public var tier: Int {
        get { box.fields.tier }
        set { update { $0.tier = newValue } }
    }
    public var owner: Ref {
        get { box.fields.owner }
        set { update { $0.owner = newValue } }
    }
    public var deputy: Ref? {
        get { box.fields.deputy }
        set { update { $0.deputy = newValue } }
    }
    public var rto: Period {
        get { box.fields.rto }
        set { update { $0.rto = newValue } }
    }
    public var rpo: Period? {
        get { box.fields.rpo }
        set { update { $0.rpo = newValue } }
    }
    public var mtpd: Period? {
        get { box.fields.mtpd }
        set { update { $0.mtpd = newValue } }
    }
    public var dependsOn: [Ref] {
        get { box.fields.dependsOn }
        set { update { $0.dependsOn = newValue } }
    }
    public var sites: [Ref] {
        get { box.fields.sites }
        set { update { $0.sites = newValue } }
    }
    public var scenarios: [Ref] {
        get { box.fields.scenarios }
        set { update { $0.scenarios = newValue } }
    }
    public var vendors: [Ref] {
        get { box.fields.vendors }
        set { update { $0.vendors = newValue } }
    }
    public var contacts: [Ref] {
        get { box.fields.contacts }
        set { update { $0.contacts = newValue } }
    }
    public var planElements: [PlanElement] {
        get { box.fields.planElements }
        set { update { $0.planElements = newValue } }
    }
    public var lastReviewed: CalendarDate {
        get { box.fields.lastReviewed }
        set { update { $0.lastReviewed = newValue } }
    }
    public var lastExercised: CalendarDate? {
        get { box.fields.lastExercised }
        set { update { $0.lastExercised = newValue } }
    }
    public var classification: Classification {
        get { box.fields.classification }
        set { update { $0.classification = newValue } }
    }
    public var tags: [String] {
        get { box.fields.tags }
        set { update { $0.tags = newValue } }
    }
    public var body: MarkdownBody {
        get { box.fields.body }
        set { update { $0.body = newValue } }
    }
    public var origin: Origin {
        get { box.fields.origin }
        set { update { $0.origin = newValue } }
    }
    public var extras: [ExtraField] {
        get { box.fields.extras }
        set { update { $0.extras = newValue } }
    }

    public static func == (lhs: Runbook, rhs: Runbook) -> Bool {
        lhs.box === rhs.box || lhs.box.fields == rhs.box.fields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(box.fields)
    }
}

public struct Page: Sendable, Hashable, Identifiable, Extensible {
    public var id: String
    public var title: String
    public var classification: Classification
    public var planElements: [PlanElement]
    public var body: MarkdownBody
    public var origin: Origin
    public var extras: [ExtraField] = []
}

/// A plan element the public summary claims, and where it is claimed.
public struct Claim: Sendable, Hashable {
    public var element: PlanElement
    public var location: SourceLocation
}

public struct Summary: Sendable, Hashable {
    public var title: String
    public var claims: [Claim]
    public var elements: [PlanElement] { claims.map(\.element) }
    public var disclaimers: [String]
    public var updated: CalendarDate?
    public var body: MarkdownBody
    public var origin: Origin
}
