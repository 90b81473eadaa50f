/// The stable code of a diagnostic, printed in brackets after its message. Codes are part of the
/// tool's interface: CI filters and documentation refer to them, so a code is never reused.
public struct DiagnosticCode: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

extension DiagnosticCode {
    // Reading files
    /// The file is not valid UTF-8.
    public static let invalidUTF8 = DiagnosticCode("FILE001")
    /// The file or its front matter is larger than the limit.
    public static let fileTooLarge = DiagnosticCode("FILE002")
    /// The file is empty.
    public static let emptyFile = DiagnosticCode("FILE003")
    /// A path in the content folder leaves it (a symbolic link pointing outside).
    public static let pathOutsideContent = DiagnosticCode("FILE004")
    /// A required file (continuity.yaml) is missing.
    public static let missingFile = DiagnosticCode("FILE005")

    // Front matter and YAML
    /// A Markdown document has no front matter block.
    public static let noFrontMatter = DiagnosticCode("YAML001")
    /// The front matter block is opened but never closed.
    public static let unterminatedFrontMatter = DiagnosticCode("YAML002")
    /// YAML syntax error.
    public static let yamlSyntax = DiagnosticCode("YAML003")
    /// YAML anchors and aliases are refused.
    public static let yamlAlias = DiagnosticCode("YAML004")
    /// The same key twice in one mapping.
    public static let duplicateKey = DiagnosticCode("YAML005")
    /// Tab characters used for indentation.
    public static let tabIndentation = DiagnosticCode("YAML006")

    // Schema
    /// A required key is missing.
    public static let missingKey = DiagnosticCode("SCHEMA001")
    /// A value has the wrong type.
    public static let wrongType = DiagnosticCode("SCHEMA002")
    /// A value is not one of the allowed values.
    public static let notInEnum = DiagnosticCode("SCHEMA003")
    /// A value is not in the required format (duration, date, phone, email, id).
    public static let badFormat = DiagnosticCode("SCHEMA004")
    /// A key that the kind does not define.
    public static let unknownKey = DiagnosticCode("SCHEMA005")
    /// A number out of its range.
    public static let outOfRange = DiagnosticCode("SCHEMA006")
    /// A required level-2 section is missing from a runbook.
    public static let missingSection = DiagnosticCode("SCHEMA007")
    /// A value breaks another rule of the schema (lengths, counts, alternatives, uniqueness).
    public static let schemaMismatch = DiagnosticCode("SCHEMA008")
    /// A schema extension in `content/schema/` cannot be used.
    public static let badSchemaExtension = DiagnosticCode("SCHEMA009")

    // References
    /// A field names an id that does not exist in its registry.
    public static let unknownReference = DiagnosticCode("REF001")
    /// Two entries of one kind have the same id.
    public static let duplicateId = DiagnosticCode("REF002")
    /// A Markdown link to a `.md` file or internal page that does not exist.
    public static let brokenLink = DiagnosticCode("REF003")
    /// A link's `#fragment` names no heading of the target.
    public static let brokenFragment = DiagnosticCode("REF004")
    /// A public page links to an internal one.
    public static let publicLinksInternal = DiagnosticCode("REF005")
}

extension DiagnosticCode {
    // Time objectives
    /// A runbook's RTO is longer than its MTPD.
    public static let rtoExceedsMTPD = DiagnosticCode("RTO001")
    /// A runbook depends, directly or through a chain, on one with a longer RTO.
    public static let rtoChain = DiagnosticCode("RTO002")
    /// A runbook's RTO is longer than its tier allows.
    public static let rtoExceedsTier = DiagnosticCode("RTO003")
    /// `depends_on` forms a cycle.
    public static let dependencyCycle = DiagnosticCode("RTO004")
    /// A direct dependency's RPO is larger than the dependent's RPO.
    public static let rpoChain = DiagnosticCode("RPO001")

    // People and roles
    /// A role has no alternate.
    public static let roleWithoutAlternate = DiagnosticCode("ROLE001")
    /// A role's primary and alternates are not distinct people.
    public static let roleHoldersRepeat = DiagnosticCode("ROLE002")
    /// A tier 0–1 runbook has no deputy.
    public static let missingDeputy = DiagnosticCode("ROLE003")
    /// A runbook's owner and deputy are the same role.
    public static let ownerIsDeputy = DiagnosticCode("ROLE004")
    /// A runbook's owner and deputy roles have the same primary.
    public static let ownerDeputySamePerson = DiagnosticCode("ROLE005")
    /// One person is primary for too many critical roles.
    public static let tooManyCriticalRoles = DiagnosticCode("ROLE006")
    /// Fewer than two people can declare a disruption.
    public static let tooFewDeclarers = DiagnosticCode("ROLE007")
    /// A person has no phone number.
    public static let personWithoutPhone = DiagnosticCode("PEOPLE001")
    /// A holder of a critical role has only one way to be reached.
    public static let singleWayToReach = DiagnosticCode("PEOPLE002")

    // Sites and scenarios
    /// A site a scenario takes out has no alternate outside the scenario's scope.
    public static let scopeSeparation = DiagnosticCode("SITE001")
    /// No runbook answers a scenario.
    public static let unansweredScenario = DiagnosticCode("SCEN001")
    /// A tier 0–1 runbook answers no scenario.
    public static let runbookWithoutScenario = DiagnosticCode("SCEN002")

    // Freshness
    /// A runbook was last reviewed longer ago than the review interval.
    public static let staleReview = DiagnosticCode("FRESH001")
    /// A tier 0–1 runbook was never exercised, or longer ago than the exercise interval.
    public static let staleExercise = DiagnosticCode("FRESH002")
    /// A date lies in the future.
    public static let futureDate = DiagnosticCode("FRESH003")

    // Public summary
    /// The summary claims a plan element nothing backs.
    public static let unbackedElement = DiagnosticCode("SUM001")
    /// A scenario with a public summary has no runbook behind it.
    public static let publicScenarioUnanswered = DiagnosticCode("SUM002")
    /// The public site contains a value only internal data holds.
    public static let publicLeak = DiagnosticCode("LEAK001")
}
