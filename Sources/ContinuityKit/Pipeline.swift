import CCmark
import Foundation
import Synchronization

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
    /// Let `build` stop early when the output's build record shows that nothing changed. When false, the
    /// build runs in full (and writes a new record).
    public var useRecord: Bool

    public init(
        content: URL, theme: URL? = nil, output: URL = URL(fileURLWithPath: "_site"), today: CalendarDate,
        buildDate: CalendarDate? = nil, strict: Bool = false, useRecord: Bool = true
    ) {
        self.content = content
        self.theme = theme
        self.output = output
        self.today = today
        self.buildDate = buildDate
        self.strict = strict
        self.useRecord = useRecord
    }
}

/// The outcome of a run: every diagnostic, and for a build, what it wrote.
public struct PipelineResult: Sendable {
    public var diagnostics: [Diagnostic]
    /// The plan; nil when the content could not be modelled, or when the build found its output up to
    /// date and loaded nothing.
    public var plan: Plan?
    /// True when the output holds the site of this build: written now, or found up to date.
    public var wrote: Bool
    /// True when the build found, from the output's build record, that nothing changed since the build
    /// that wrote it, and stopped without loading, rendering or writing anything.
    public var upToDate = false
    /// The number of runbooks in the plan.
    public var runbookCount = 0
    /// For a build that wrote, the number of files of both sites.
    public var fileCount = 0
    /// For a build that wrote, what the writer did.
    public var report: SiteWriter.Report?
    /// Wall time of each stage that ran, in order, and the processor time the process spent in it (user
    /// and system, all threads): their ratio tells how many cores the stage kept busy.
    public var timings: [(stage: String, seconds: Double, cpuSeconds: Double)] = []
    /// What the stages made on the way (the loaded files), kept with the result of `check`: a caller that
    /// exits right after (the command line) then leaves it all to the operating system instead of
    /// freeing millions of small values one by one. `build` frees them on all cores before rendering,
    /// which reuses their memory.
    public var intermediates: [any Sendable] = []
    /// When asked for, the build's fingerprint, finished from the digests of the content files read.
    var fingerprint: Background<String?>?
    /// When asked for, the plan's checks, running beside what the build does next with the plan; their
    /// findings are not yet in `diagnostics`.
    var checks: Background<[Diagnostic]>?

    mutating func time<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        let startCPU = Self.processorSeconds()
        defer {
            let elapsed = ContinuousClock.now - start
            timings.append((
                stage, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                Self.processorSeconds() - startCPU
            ))
        }
        return try body()
    }

    /// User and system time of the whole process so far: all threads, so work running beside a stage
    /// (the fingerprint, the writer's flushes) counts in it.
    static func processorSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        let who = RUSAGE_SELF.rawValue
        #else
        let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}

/// load → model → check → render → write.
public enum Pipeline {
    /// Loads and checks the content, including the leak guard over the public site rendered in memory;
    /// writes nothing.
    public static func check(_ options: PipelineOptions) throws -> PipelineResult {
        let theme = try loadTheme(options)
        // Nothing is rendered from runbooks and scenarios here: their HTML and text are not made.
        var result = try analyse(options, internalBodies: .outline)
        if let plan = result.plan {
            let leaks = try result.time("leak guard") {
                LeakGuard.scan(try PublicSite.render(PublicPlan(plan), theme: theme), plan: plan)
            }
            result.diagnostics = finish(result.diagnostics + leaks, options)
        }
        return result
    }

    /// Checks, renders both sites and, when no error was found, replaces the output folder.
    ///
    /// First, unless `useRecord` is false, the fingerprint of every input (content files, theme, options,
    /// the running code) is compared with the one in the output's build record: when they match and the
    /// output still holds exactly the recorded files, the recorded diagnostics are returned and nothing
    /// is loaded, rendered or written. Otherwise the public site is rendered and the leak guard reads it
    /// before anything is written; then its files, and the internal site's as they are rendered, go to
    /// the writer, and the new build record is written with the site.
    public static func build(_ options: PipelineOptions) throws -> PipelineResult {
        let writer = SiteWriter(output: options.output)
        try writer.validate(content: options.content)
        var result = PipelineResult(diagnostics: [], plan: nil, wrote: false)
        var fingerprint: String?
        var draft: FingerprintDraft?
        if options.useRecord, let record = BuildRecord.read(from: writer.output) {
            fingerprint = result.time("fingerprint") { Self.fingerprint(options) }
            if let fingerprint, record.fingerprint == fingerprint,
                result.time("output check", { record.stillDescribes(writer.output) })
            {
                result.diagnostics = record.diagnostics
                result.runbookCount = record.runbooks
                result.fileCount = record.entries.count - 1
                result.wrote = true
                result.upToDate = true
                return result
            }
        } else {
            // Nothing to compare with: the content folder is listed now, and its files are described by
            // the digests the loader takes of the bytes it reads, instead of being read twice.
            draft = result.time("fingerprint") { Self.fingerprintDraft(options) }
        }

        let theme = try loadTheme(options)
        var analysed = try analyse(options, internalBodies: .full, finishing: draft, checksAside: true)
        result.timings += analysed.timings
        if let pending = analysed.fingerprint {
            fingerprint = result.time("fingerprint") { pending.value }
        }
        let recordedFingerprint = fingerprint
        // The loaded documents are not needed past the model: freed on all cores now, their memory serves
        // the rendering (at 100,000 runbooks, about a gigabyte the system need not hand out again).
        var pending = analysed.intermediates
        analysed.intermediates = []
        result.time("free") {
            while !pending.isEmpty {
                var item: (any Sendable)? = pending.removeLast()
                guard var loaded = item as? LoadedContent else { continue }
                // Only `loaded` holds the documents now, and then only `runbooks`: they are freed there.
                item = nil
                let runbooks = loaded.runbooks
                loaded.runbooks = []
                releaseInParallel(consume runbooks)
            }
        }
        result.diagnostics = analysed.diagnostics
        result.plan = analysed.plan
        result.runbookCount = analysed.plan?.runbooks.count ?? 0
        guard let plan = result.plan, !finish(result.diagnostics, options).hasErrors else {
            result.diagnostics = finish(result.diagnostics, options)
            return result
        }
        // The public site is read whole by the leak guard before any file is written. Both need only the
        // plan: they run while the plan's checks finish on other threads (much of the checks' time is
        // spent on one core, making the tables the parallel parts read).
        var publicFiles = try result.time("render public") { try renderPublic(plan, theme: theme) }
        let leaks = result.time("leak guard") { LeakGuard.scan(publicFiles, plan: plan) }
        var prepared = Optional(result.time("shared views") { InternalSite.Prepared(plan) })
        let findings = result.diagnostics + result.time("checks") { analysed.checks?.value ?? [] }
        // Leaks are reported once the plan itself passed, as before the checks ran beside them.
        let reported = finish(findings, options)
        guard !reported.hasErrors else {
            result.diagnostics = reported
            return result
        }
        result.diagnostics = finish(findings + leaks, options)
        guard !result.diagnostics.hasErrors else { return result }

        let session = try writer.begin()
        let diagnostics = result.diagnostics
        do {
            result.time("write public") { session.add(contentsOf: publicFiles) }
            result.fileCount = publicFiles.count
            publicFiles = []
            result.fileCount += try result.time("render and write internal") {
                try renderInternal(
                    plan, theme: theme, buildDate: options.buildDate, findings: findings, prepared: prepared.take()!,
                    into: session)
            }
            let runbooks = result.runbookCount
            result.report = try result.time("finish") {
                try session.finish { written in
                    recordedFingerprint.flatMap {
                        BuildRecord.make(fingerprint: $0, runbooks: runbooks, diagnostics: diagnostics, written: written)?
                            .encoded()
                    }
                }
            }
        } catch {
            session.cancel()
            throw error
        }
        result.wrote = true
        return result
    }

    /// The public site's files, its copies of the theme's assets included, in path order.
    static func renderPublic(_ plan: Plan, theme: Theme) throws -> [OutputFile] {
        var files = try PublicSite.render(PublicPlan(plan), theme: theme)
        files += theme.assets.map { OutputFile(path: "public/assets/\($0.path)", bytes: $0.bytes) }
        return files.sorted { $0.path < $1.path }
    }

    /// Renders the internal site into `session` and returns how many files it has. The session compares
    /// and writes each file as it arrives and keeps none of them.
    static func renderInternal(
        _ plan: Plan, theme: Theme, buildDate: CalendarDate?, findings: [Diagnostic], prepared: consuming InternalSite.Prepared,
        into session: SiteWriter.Session
    ) throws -> Int {
        // Pages go to the writer as they are made, so that they need not all be in memory at once.
        let count = Mutex(0)
        try InternalSite.render(
            plan, theme: theme, buildDate: buildDate, findings: findings, prepared: consume prepared,
            emit: { file in
                try session.add(file)
                count.withLock { $0 += 1 }
            },
            emitInPieces: { path, produce in
                try session.add(path, inPieces: produce)
                count.withLock { $0 += 1 }
            })
        let assets = theme.assets.map { OutputFile(path: "internal/assets/\($0.path)", bytes: $0.bytes) }
        session.add(contentsOf: assets)
        return count.withLock { $0 } + assets.count
    }

    /// A fingerprint of everything a build reads: every file under the content folder (path and bytes),
    /// the theme folder's files or, for the built-in theme, nothing more than the code (which embeds it),
    /// the running code's identity, and the options. Nil when an input cannot be read: the build then
    /// runs in full.
    static func fingerprint(_ options: PipelineOptions) -> String? {
        fingerprintDraft(options).flatMap { fingerprint($0, known: [:]) }
    }

    /// The fingerprint before the content's files are read: every line but the content's files, and the
    /// content folder listed. Listed first, a file added while the build runs is not in the fingerprint
    /// (the next build sees it); a file read by the build is described by what the build read.
    struct FingerprintDraft: Sendable {
        var head: [String]
        var content: OpenTree
        var tail: [String]
    }

    static func fingerprintDraft(_ options: PipelineOptions) -> FingerprintDraft? {
        guard let code = FileHashing.codeIdentity else { return nil }
        var head = [
            BuildRecord.header, "code \(code)", "cmark \(String(cString: cmark_version_string()))",
            "today \(options.today)", "build-date \(options.buildDate.map { "\($0)" } ?? "none")",
            "strict \(options.strict)",
        ]
        let contentRoot = options.content.standardizedFileURL.resolvingSymlinksInPath().path
        head.append("content \(contentRoot)")
        guard let content = OpenTree(root: contentRoot, followingLinks: true) else { return nil }
        var tail: [String] = []
        if let theme = options.theme {
            let themeRoot = theme.standardizedFileURL.resolvingSymlinksInPath().path
            tail.append("theme \(themeRoot)")
            guard let files = FileHashing.describe(themeRoot, label: "theme") else { return nil }
            tail += files
        } else {
            tail.append("theme built-in")
        }
        return FingerprintDraft(head: head, content: content, tail: tail)
    }

    /// The fingerprint, the content's files described by `known` digests where given, read otherwise.
    static func fingerprint(_ draft: FingerprintDraft, known: [String: FileDigest]) -> String? {
        guard let content = FileHashing.describe(draft.content, label: "content", known: known) else { return nil }
        return FastHash.hex128(Array((draft.head + content + draft.tail).joined(separator: "\n").utf8))
    }

    /// Loading, model and checks: every finding about the content.
    /// With a fingerprint's `draft`, the loader takes the digest of each file it reads, and the fingerprint
    /// is finished from them on a thread of its own while the model is built (`PipelineResult.fingerprint`).
    /// With `checksAside`, the plan's checks are started and left running (`PipelineResult.checks`): their
    /// findings are not in the result's diagnostics.
    static func analyse(
        _ options: PipelineOptions, internalBodies: Markdown.Detail, finishing draft: FingerprintDraft? = nil,
        checksAside: Bool = false
    ) throws -> PipelineResult {
        var result = PipelineResult(diagnostics: [], plan: nil, wrote: false)
        let loaded = try result.time("load") {
            try ContentLoader(
                root: options.content, internalBodies: internalBodies, digests: draft != nil, listing: draft?.content
            ).load()
        }
        if let draft {
            let digests = loaded.digests
            result.fingerprint = Background { Self.fingerprint(draft, known: digests) }
        }
        result.intermediates.append(loaded)
        let (schemas, schemaProblems) = try result.time("schemas") { try SchemaSet.with(extensions: loaded.schemaExtensions) }
        var builder = ModelBuilder(schemas: schemas)
        let plan = result.time("model") { builder.build(loaded) }
        let earlier = loaded.diagnostics + schemaProblems + builder.diagnostics
        result.diagnostics = earlier
        result.plan = plan
        // The plan's rules run on a complete model: with entities missing for errors already reported,
        // they would only repeat those errors as consequences ("no runbook answers …").
        guard let plan, !earlier.hasErrors else { return result }
        let context = CheckContext(plan: plan, today: options.today)
        if checksAside {
            result.checks = Background { PlanChecks.run(context) }
        } else {
            result.diagnostics += result.time("checks") { PlanChecks.run(context) }
        }
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
}
