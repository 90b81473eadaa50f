import Foundation

/// What `check` and `build` are given.
public struct PipelineOptions: Sendable {
    public var content: URL
    /// A theme folder; nil for the built-in default theme.
    public var theme: URL?
    public var output: URL
    /// The day freshness is measured from.
    public var today: CalendarDate
    /// The build date printed on pages, from `SOURCE_DATE_EPOCH`; nil prints none.
    public var buildDate: CalendarDate?
    /// Treat warnings as errors.
    public var strict: Bool

    public init(
        content: URL, theme: URL? = nil, output: URL = URL(fileURLWithPath: "_site"), today: CalendarDate,
        buildDate: CalendarDate? = nil, strict: Bool = false
    ) {
        self.content = content
        self.theme = theme
        self.output = output
        self.today = today
        self.buildDate = buildDate
        self.strict = strict
    }
}

/// The outcome of a run: every diagnostic, and for a build that wrote, the files it wrote.
public struct PipelineResult: Sendable {
    public var diagnostics: [Diagnostic]
    public var plan: Plan?
    public var files: [OutputFile]
    public var wrote: Bool
    /// Wall time of each stage that ran, in order.
    public var timings: [(stage: String, seconds: Double)] = []

    mutating func time<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        defer {
            let elapsed = ContinuousClock.now - start
            timings.append((stage, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        }
        return try body()
    }
}

/// load → model → check → render → write.
public enum Pipeline {
    /// Loads and checks the content, including the leak guard over the public site rendered in memory;
    /// writes nothing.
    public static func check(_ options: PipelineOptions) throws -> PipelineResult {
        let theme = try loadTheme(options)
        var result = try analyse(options)
        if let plan = result.plan {
            let leaks = try result.time("leak guard") {
                LeakGuard.scan(try PublicSite.render(PublicPlan(plan), theme: theme), plan: plan)
            }
            result.diagnostics = finish(result.diagnostics + leaks, options)
        }
        return result
    }

    /// Checks, renders both sites and, when no error was found, replaces the output folder.
    public static func build(_ options: PipelineOptions) throws -> PipelineResult {
        let writer = SiteWriter(output: options.output)
        try writer.validate(content: options.content)
        let theme = try loadTheme(options)
        var result = try analyse(options)
        guard let plan = result.plan, !finish(result.diagnostics, options).hasErrors else {
            result.diagnostics = finish(result.diagnostics, options)
            return result
        }
        let findings = result.diagnostics
        let files = try result.time("render") {
            try render(plan, theme: theme, buildDate: options.buildDate, findings: findings)
        }
        let leaks = result.time("leak guard") { LeakGuard.scan(files, plan: plan) }
        result.diagnostics = finish(result.diagnostics + leaks, options)
        guard !result.diagnostics.hasErrors else { return result }
        try result.time("write") { try writer.write(files) }
        result.files = files
        result.wrote = true
        return result
    }

    /// Loading, model and checks: every finding about the content.
    static func analyse(_ options: PipelineOptions) throws -> PipelineResult {
        var result = PipelineResult(diagnostics: [], plan: nil, files: [], wrote: false)
        let loaded = try result.time("load") { try ContentLoader(root: options.content).load() }
        let (schemas, schemaProblems) = try result.time("schemas") { try SchemaSet.with(extensions: loaded.schemaExtensions) }
        var builder = ModelBuilder(schemas: schemas)
        let plan = result.time("model") { builder.build(loaded) }
        let earlier = loaded.diagnostics + schemaProblems + builder.diagnostics
        // The plan's rules run on a complete model: with entities missing for errors already reported,
        // they would only repeat those errors as consequences ("no runbook answers …").
        let checks = result.time("checks") {
            guard let plan, !earlier.hasErrors else { return [Diagnostic]() }
            return PlanChecks.run(CheckContext(plan: plan, today: options.today))
        }
        result.diagnostics = earlier + checks
        result.plan = plan
        return result
    }

    /// Sorted for the report; under `strict`, warnings count as errors.
    static func finish(_ diagnostics: [Diagnostic], _ options: PipelineOptions) -> [Diagnostic] {
        let adjusted = options.strict ? diagnostics.map { d -> Diagnostic in
            var d = d
            d.severity = .error
            return d
        } : diagnostics
        return adjusted.sortedForReport()
    }

    static func loadTheme(_ options: PipelineOptions) throws -> Theme {
        try options.theme.map { try Theme.load(directory: $0) } ?? Theme.builtIn()
    }

    /// Both sites' files, in path order.
    public static func render(
        _ plan: Plan, theme: Theme, buildDate: CalendarDate?, findings: [Diagnostic] = []
    ) throws -> [OutputFile] {
        var files = try PublicSite.render(PublicPlan(plan), theme: theme)
        files += try InternalSite.render(plan, theme: theme, buildDate: buildDate, findings: findings)
        for asset in theme.assets {
            files.append(OutputFile(path: "public/assets/\(asset.path)", bytes: asset.bytes))
            files.append(OutputFile(path: "internal/assets/\(asset.path)", bytes: asset.bytes))
        }
        return files.sorted { $0.path < $1.path }
    }
}
