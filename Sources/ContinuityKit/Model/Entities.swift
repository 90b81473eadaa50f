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
    /// The entity's mapping (its first line).
    public var location: SourceLocation
    /// The location of each key's value.
    public var keys: [String: SourceLocation]

    public init(_ location: SourceLocation, keys: [String: SourceLocation] = [:]) {
        self.location = location
        self.keys = keys
    }

    public var path: String { location.path }

    /// The location of a key's value, or of the entity when the key is absent.
    public subscript(key: String) -> SourceLocation { keys[key] ?? location }
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

public struct Runbook: Sendable, Hashable, Identifiable, Extensible {
    public var id: String
    public var title: String
    public var tier: Int
    public var owner: Ref
    public var deputy: Ref?
    public var rto: Period
    public var rpo: Period?
    public var mtpd: Period?
    public var dependsOn: [Ref]
    public var sites: [Ref]
    public var scenarios: [Ref]
    public var vendors: [Ref]
    public var contacts: [Ref]
    public var planElements: [PlanElement]
    public var lastReviewed: CalendarDate
    public var lastExercised: CalendarDate?
    public var classification: Classification
    public var tags: [String]
    public var body: MarkdownBody
    public var origin: Origin
    public var extras: [ExtraField] = []
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
