/// A YAML file of the content folder (`continuity.yaml` or a registry), parsed.
public struct YAMLDocument: Sendable, Hashable {
    public var path: String
    /// nil for a document that holds only comments.
    public var root: YAMLNode?
}

/// A Markdown document of the content folder, split and parsed.
public struct MarkdownDocument: Sendable, Hashable {
    public var path: String
    /// The file name without `.md`: the document's default id and the name of its page.
    public var stem: String
    /// The front matter mapping; nil when the block is empty.
    public var frontMatter: YAMLNode?
    /// Where the front matter starts (the opening `---`).
    public var location: SourceLocation
    public var body: MarkdownBody
}

/// Everything read from a content folder, before it is typed: the output of the loading stage.
public struct LoadedContent: Sendable {
    public var config: YAMLDocument?
    public var people: YAMLDocument?
    public var roles: YAMLDocument?
    public var sites: YAMLDocument?
    public var vendors: YAMLDocument?
    public var summary: MarkdownDocument?
    public var scenarios: [MarkdownDocument] = []
    public var runbooks: [MarkdownDocument] = []
    public var pages: [MarkdownDocument] = []
    /// Schema extensions from `schema/*.schema.yaml`.
    public var schemaExtensions: [YAMLDocument] = []
    /// Problems met while reading: unreadable text, YAML errors, missing front matter.
    public var diagnostics: [Diagnostic] = []
    /// When the loader was asked for them, the digest of every file it read, by content-relative path:
    /// of the bytes it read, so that a build's fingerprint describes the content the build was made of.
    var digests: [String: FileDigest] = [:]

    public init() {}
}
