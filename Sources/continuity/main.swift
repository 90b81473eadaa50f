import ArgumentParser
import ContinuityKit
import Foundation

@main
struct Continuity: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "continuity",
        abstract: "Check a business continuity plan and build its public and internal sites.",
        discussion: """
            Exit status: 0 when the plan is clean, 1 when it has errors, 2 for bad arguments, \
            3 when the environment fails (unreadable folder, theme or disk).
            """,
        subcommands: [Build.self, Check.self, Schema.self],
        defaultSubcommand: Build.self)

    /// Runs the command, with bad arguments exiting 2 (ArgumentParser's own code for them is 64).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Options shared by every command that reads content.
struct ContentOptions: ParsableArguments {
    @Option(help: "The content folder of the plan.")
    var content: String = "content"

    @Option(help: "How to print diagnostics: text, json or github.")
    var format: DiagnosticFormat = .text

    @Option(help: "A theme folder (templates/ and assets/). Default: the built-in theme.")
    var theme: String?

    @Option(help: "The day freshness is measured from (YYYY-MM-DD). Default: SOURCE_DATE_EPOCH's day, else today.")
    var today: String?

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    @Flag(name: [.short, .long], help: "Print only diagnostics: no progress or summary.")
    var quiet = false

    @Flag(help: "Print how long each stage took.")
    var timings = false

    var contentURL: URL { URL(fileURLWithPath: content) }

    /// The build date: `SOURCE_DATE_EPOCH`'s day, when set.
    var sourceDate: CalendarDate? {
        ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(Int.init).map { CalendarDate(unixTime: $0) }
    }

    mutating func validate() throws {
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], Int(epoch) == nil {
            throw ValidationError("SOURCE_DATE_EPOCH must be a whole number of seconds, found '\(epoch)'")
        }
        if let today, CalendarDate(today) == nil {
            throw ValidationError("--today must be a date written YYYY-MM-DD, found '\(today)'")
        }
    }

    func pipelineOptions(output: String = "_site") -> PipelineOptions {
        let day = today.flatMap { CalendarDate($0) } ?? sourceDate
            ?? CalendarDate(unixTime: Int(Date().timeIntervalSince1970))
        return PipelineOptions(
            content: contentURL, theme: theme.map { URL(fileURLWithPath: $0) }, output: URL(fileURLWithPath: output),
            today: day, buildDate: sourceDate, strict: strict)
    }

    /// Prints the diagnostics, and returns the exit code they call for.
    func report(_ diagnostics: [Diagnostic]) -> ExitCode {
        let prefix = content == "." ? "" : (content.hasSuffix("/") ? content : content + "/")
        let terminal = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let formatter = DiagnosticFormatter(
            format: format, pathPrefix: prefix, sourceRoot: contentURL, colour: terminal && format == .text)
        let text = formatter.render(diagnostics)
        if format == .json {
            FileHandle.standardOutput.write(Data(text.utf8))
        } else {
            FileHandle.standardError.write(Data(text.utf8))
        }
        return diagnostics.hasErrors ? ExitCode(1) : .success
    }

    func say(_ message: String) {
        guard !quiet, format != .json else { return }
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    func reportTimings(_ result: PipelineResult) {
        guard timings else { return }
        let text = result.timings.map {
            "\($0.stage) \(String(format: "%.3f", $0.seconds)) s (\(String(format: "%.2f", $0.cpuSeconds)) CPU-s)"
        }.joined(separator: ", ")
        FileHandle.standardError.write(Data("timings: \(text)\n".utf8))
    }

    func summary(_ diagnostics: [Diagnostic]) -> String {
        let errors = diagnostics.errorCount
        let warnings = diagnostics.warningCount
        return "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
    }
}

extension DiagnosticFormat: ExpressibleByArgument {}

/// Results kept until the process ends. A plan of 10,000 runbooks is millions of small allocations;
/// the operating system reclaims them at once when the process exits, where freeing them one by one
/// would only delay the exit.
nonisolated(unsafe) var keptUntilExit: [Any] = []

/// Runs a body, turning environment failures into exit status 3.
func runReportingEnvironment(_ body: () throws -> ExitCode) throws {
    let code: ExitCode
    do {
        code = try body()
    } catch let error as EnvironmentError {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(3)
    }
    if code != .success { throw code }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the plan against the content format and print every finding. Writes nothing.")

    @OptionGroup var options: ContentOptions

    func run() throws {
        try runReportingEnvironment {
            let result = try Pipeline.check(options.pipelineOptions())
            keptUntilExit.append(result)
            let code = options.report(result.diagnostics)
            options.reportTimings(result)
            options.say("checked \(result.plan?.runbooks.count ?? 0) runbooks: \(options.summary(result.diagnostics))")
            return code
        }
    }
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the plan and write the public and internal sites.",
        discussion: """
            The sites are written to a temporary folder and swapped in at the end: a build that fails \
            leaves the previous output untouched. Set SOURCE_DATE_EPOCH to print a build date. A build \
            record in the output (.continuity-build) lets a build whose inputs and output have not \
            changed stop early; --no-cache or deleting the output forces a full build.
            """)

    @OptionGroup var options: ContentOptions

    @Option(help: "The folder to write the sites to.")
    var output: String = "_site"

    @Flag(help: "Build in full even when the output's build record shows that nothing changed.")
    var noCache = false

    func run() throws {
        let started = Date()
        try runReportingEnvironment {
            var pipelineOptions = options.pipelineOptions(output: output)
            pipelineOptions.useRecord = !noCache
            let result = try Pipeline.build(pipelineOptions)
            keptUntilExit.append(result)
            let code = options.report(result.diagnostics)
            options.reportTimings(result)
            let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
            if result.upToDate {
                options.say(
                    "up to date: \(result.runbookCount) runbooks in \(output)/public and \(output)/internal "
                        + "(\(result.fileCount) files, \(seconds) s): \(options.summary(result.diagnostics))")
            } else if result.wrote {
                options.say(
                    "built \(result.runbookCount) runbooks into \(output)/public and \(output)/internal "
                        + "(\(result.fileCount) files, \(seconds) s): \(options.summary(result.diagnostics))")
            } else {
                options.say("not built: \(options.summary(result.diagnostics)); \(output) is unchanged")
            }
            return code
        }
    }
}

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the JSON Schema of a kind of content, for editors and other tools.",
        discussion: """
            Kinds: \(SchemaKind.allCases.map(\.rawValue).joined(separator: ", ")). Without a kind, prints \
            every kind's schema name. The schemas are the built-in ones; extensions in content/schema/ \
            add to them.
            """)

    @Argument(help: "The kind: config, person, role, site, vendor, scenario, runbook, page or summary.")
    var kind: String?

    func run() throws {
        guard let kind else {
            for kind in SchemaKind.allCases { print(kind.rawValue) }
            return
        }
        guard let schemaKind = SchemaKind(rawValue: kind) else {
            throw ValidationError(
                "unknown kind '\(kind)'; one of \(SchemaKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        FileHandle.standardOutput.write(Data(schemaKind.builtInText.utf8))
    }
}
