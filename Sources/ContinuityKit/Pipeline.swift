import Foundation

/// What `check` and `build` are given.
public struct PipelineOptions: Sendable {
    public var content: URL
    /// A theme folder; nil for the built-in default theme.
    public var theme: URL?
    public var output: URL
    /// The build date printed on pages, from `SOURCE_DATE_EPOCH`; nil prints none.
    public var buildDate: CalendarDate?

    public init(content: URL, theme: URL? = nil, output: URL, buildDate: CalendarDate? = nil) {
        self.content = content
        self.theme = theme
        self.output = output
        self.buildDate = buildDate
    }
}

/// The outcome of a run: every diagnostic, and for a build that wrote, the files it wrote.
public struct PipelineResult: Sendable {
    public var diagnostics: [Diagnostic]
    public var plan: Plan?
    public var files: [OutputFile]
    public var wrote: Bool
}

/// load → model → check → render → write.
public enum Pipeline {
    /// Loads and checks the content; writes nothing.
    public static func check(content: URL) throws -> PipelineResult {
        let loaded = try ContentLoader(root: content).load()
        var builder = ModelBuilder()
        let plan = builder.build(loaded)
        let checks = plan.map(DocumentChecks.run) ?? []
        let diagnostics = (loaded.diagnostics + builder.diagnostics + checks).sortedForReport()
        return PipelineResult(diagnostics: diagnostics, plan: plan, files: [], wrote: false)
    }

    /// Checks, renders both sites and, when no error was found, replaces the output folder.
    public static func build(_ options: PipelineOptions) throws -> PipelineResult {
        let writer = SiteWriter(output: options.output)
        try writer.validate(content: options.content)
        let theme = try options.theme.map { try Theme.load(directory: $0) } ?? Theme.builtIn()
        var result = try check(content: options.content)
        guard let plan = result.plan, !result.diagnostics.hasErrors else { return result }
        let files = try render(plan, theme: theme, buildDate: options.buildDate)
        try writer.write(files)
        result.files = files
        result.wrote = true
        return result
    }

    /// Both sites' files, in path order.
    public static func render(_ plan: Plan, theme: Theme, buildDate: CalendarDate?) throws -> [OutputFile] {
        var files = try PublicSite.render(PublicPlan(plan), theme: theme)
        files += try InternalSite.render(plan, theme: theme, buildDate: buildDate)
        for asset in theme.assets {
            files.append(OutputFile(path: "public/assets/\(asset.path)", bytes: asset.bytes))
            files.append(OutputFile(path: "internal/assets/\(asset.path)", bytes: asset.bytes))
        }
        return files.sorted { $0.path < $1.path }
    }
}
