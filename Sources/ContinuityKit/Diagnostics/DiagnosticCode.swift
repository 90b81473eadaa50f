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
