import Foundation
import Testing

/// Runs the real `continuity` binary and checks what a user or CI sees: output and exit status.
@Suite("Command line")
struct CLITests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: URL {
        // The test bundle sits in the products folder, beside the executable.
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("continuity").path),
            folder.path != "/"
        {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appendingPathComponent("continuity")
    }

    func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        // "Today" is fixed (2026-06-01) so that freshness findings do not depend on the clock.
        process.environment = ProcessInfo.processInfo.environment
            .merging(["SOURCE_DATE_EPOCH": "1780272000"]) { _, new in new }
            .merging(environment) { _, new in new }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    func brokenPlan() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        var files = minimalPlan.reduce(into: [String: String]()) { $0["content/" + $1.key] = $1.value }
        files["content/runbooks/beta.md"] = "---\ntitle: Beta\ntier: 2\nowner: leed\nrto: 1d\nlast_reviewed: 2026-01-01\n---\n"
        try folder.write(files)
        return folder
    }

    @Test("check on a clean plan exits 0 and says so")
    func clean() throws {
        let folder = try TemporaryFolder()
        try folder.write(minimalPlan.reduce(into: [String: String]()) { $0["content/" + $1.key] = $1.value })
        let result = try run(["check"], in: folder.url)
        #expect(result.status == 0)
        #expect(result.stderr.contains("0 errors, 0 warnings"))
    }

    @Test("errors print as path:line:col: error: message [CODE] and exit 1")
    func errors() throws {
        let folder = try brokenPlan()
        let result = try run(["check"], in: folder.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains(
            "content/runbooks/beta.md:4:8: error: 'owner' names role 'leed', which does not exist; did you mean 'lead'? [REF001]"))
    }

    @Test("--format github prints workflow annotations; --format json one document on stdout")
    func machineFormats() throws {
        let folder = try brokenPlan()
        let github = try run(["check", "--format", "github"], in: folder.url)
        #expect(github.stderr.contains("::error file=content/runbooks/beta.md,line=4,col=8,title=REF001::"))
        let json = try run(["check", "--format", "json"], in: folder.url)
        #expect(json.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["errors"] as? Int == 1)
        let first = (object?["diagnostics"] as? [[String: Any]])?.first
        #expect(first?["code"] as? String == "REF001")
        #expect((first?["location"] as? [String: Any])?["line"] as? Int == 4)
    }

    @Test("a failed build exits 1 and leaves the previous site in place")
    func failedBuild() throws {
        let folder = try TemporaryFolder()
        try folder.write(minimalPlan.reduce(into: [String: String]()) { $0["content/" + $1.key] = $1.value })
        #expect(try run(["build", "--quiet"], in: folder.url).status == 0)
        let index = folder.url.appendingPathComponent("_site/internal/index.html")
        let before = try Data(contentsOf: index)
        try folder.write(["content/runbooks/beta.md": "---\ntitle: Beta\n---\n"])
        let result = try run(["build"], in: folder.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("_site is unchanged"))
        #expect(try Data(contentsOf: index) == before)
    }

    @Test("SOURCE_DATE_EPOCH prints its day as the build date")
    func buildDate() throws {
        let folder = try TemporaryFolder()
        try folder.write(minimalPlan.reduce(into: [String: String]()) { $0["content/" + $1.key] = $1.value })
        _ = try run(["build", "-q"], in: folder.url, environment: ["SOURCE_DATE_EPOCH": "1793491200"])
        let html = try String(contentsOf: folder.url.appendingPathComponent("_site/internal/index.html"), encoding: .utf8)
        #expect(html.contains("Built 2026-11-01"))
    }

    @Test("a missing content folder exits 3; a bad option exits 2")
    func environmentAndUsage() throws {
        let folder = try TemporaryFolder()
        let missing = try run(["check", "--content", "nowhere"], in: folder.url)
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("content folder not found"))
        #expect(try run(["check", "--format", "xml"], in: folder.url).status == 2)
    }

    @Test("a build with nothing changed prints the same diagnostics and exits the same, in every format",
        arguments: ["text", "json", "github"])
    func upToDateBuild(_ format: String) throws {
        let folder = try TemporaryFolder()
        try folder.write(minimalPlan.reduce(into: [String: String]()) { $0["content/" + $1.key] = $1.value })
        // A year and a half after the reviews: warnings, no error.
        let arguments = ["build", "--content", "content", "--output", "out", "--today", "2027-06-01", "--format", format]
        let first = try run(arguments + ["--quiet"], in: folder.url)
        let second = try run(arguments + ["--quiet"], in: folder.url)
        #expect(first.status == 0 && second.status == 0)
        #expect(first.stderr + first.stdout != "", "the plan should have warnings")
        #expect(second.stdout == first.stdout)
        #expect(second.stderr == first.stderr)
        let strict = try run(arguments + ["--quiet", "--strict"], in: folder.url)
        #expect(strict.status == 1)
        let third = try run(arguments, in: folder.url)
        if format != "json" { #expect(third.stderr.contains("up to date"), "\(third.stderr)") }
        let forced = try run(arguments + ["--no-cache"], in: folder.url)
        if format != "json" { #expect(forced.stderr.contains("built "), "\(forced.stderr)") }
        #expect(forced.stdout == first.stdout)
    }
}
