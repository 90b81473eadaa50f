import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { Glibc.read(fd, buffer, count) }
#elseif canImport(Darwin)
import Darwin
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { Darwin.read(fd, buffer, count) }
#endif

/// An environment failure: something outside the content that stops the run (a missing folder, a disk
/// error). Content problems are diagnostics instead.
public struct EnvironmentError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var path: String?

    public init(_ message: String, path: String? = nil) {
        self.message = message
        self.path = path
    }

    public var description: String { path.map { "\($0): \(message)" } ?? message }
}

/// Reads a content folder: the loading stage. Files are read and parsed in parallel; the result is in a
/// stable order whatever the scheduling.
public struct ContentLoader: Sendable {
    public var root: URL
    /// What is kept of runbook and scenario bodies. The summary's and pages' bodies are always parsed in
    /// full: the public site, which the leak guard reads, is made from them.
    public var internalBodies: Markdown.Detail
    /// Whether to take the digest of each file read (`LoadedContent.digests`).
    var digests: Bool
    /// The content folder as listed already (for a build's fingerprint), whose folders are not listed
    /// again: at 10,000 runbooks a listing takes about 10 ms, before any file can be read.
    var listing: OpenTree?

    public init(root: URL, internalBodies: Markdown.Detail = .full) {
        self.init(root: root, internalBodies: internalBodies, digests: false)
    }

    init(root: URL, internalBodies: Markdown.Detail, digests: Bool, listing: OpenTree? = nil) {
        self.root = root.standardizedFileURL
        self.internalBodies = internalBodies
        self.digests = digests
        self.listing = listing
    }

    static let registryFiles = ["people.yaml", "roles.yaml", "sites.yaml", "vendors.yaml"]
    static let documentFolders = ["scenarios", "runbooks", "pages"]

    public func load() throws -> LoadedContent {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw EnvironmentError("content folder not found", path: root.path)
        }
        let realRoot = root.resolvingSymlinksInPath().path
        var content = LoadedContent()

        // What to read, in a fixed order.
        var yamlPaths = ["continuity.yaml"] + Self.registryFiles
        yamlPaths = yamlPaths.filter { exists($0) } + (try files(in: "schema", ending: ".schema.yaml"))
        if !exists("continuity.yaml") {
            content.diagnostics.append(
                .error(
                    .missingFile, "continuity.yaml is missing from the content folder",
                    at: SourceLocation(path: "continuity.yaml", line: 1, column: 1),
                    hint: "create it with at least 'organization: { name: … }' and 'policy:'"))
        }
        var markdownPaths: [String] = exists("summary.md") ? ["summary.md"] : []
        for folder in Self.documentFolders {
            markdownPaths += try files(in: folder, ending: ".md")
        }

        let jobs = yamlPaths.map { Job.yaml($0) } + markdownPaths.map { Job.markdown($0) }
        // Each folder's real path, resolved once: a file that is not itself a link is then at
        // `realFolder/name`, and is opened there without resolving its path again.
        // The folders jobs come from are known: the top, `schema` and the document folders.
        var folders: [String: String] = [:]
        for folder in ["", "schema"] + Self.documentFolders {
            folders[folder] =
                folder.isEmpty ? realRoot : root.appendingPathComponent(folder).resolvingSymlinksInPath().path
        }
        let realFolders = folders
        let results = Mutex<[JobResult?]>(Array(repeating: nil, count: jobs.count))
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let job = jobs[index]
            let result = run(job, realRoot: realRoot, realFolder: realFolders[Self.folder(of: job.path)])
            results.withLock { $0[index] = result }
        }

        // Moved out of the lock and consumed one by one, so that no document is copied.
        var collected: [JobResult?] = []
        results.withLock { swap(&collected, &$0) }
        for index in collected.indices {
            guard var result = collected[index].take() else { continue }
            content.diagnostics += result.diagnostics
            if let digest = result.digest { content.digests[jobs[index].path] = digest }
            // Taken out of the result, not copied: a copy retains every part of a document, and this
            // loop runs on one thread.
            if let yaml = result.yaml.take() {
                switch yaml.path {
                case "continuity.yaml": content.config = yaml
                case "people.yaml": content.people = yaml
                case "roles.yaml": content.roles = yaml
                case "sites.yaml": content.sites = yaml
                case "vendors.yaml": content.vendors = yaml
                default: content.schemaExtensions.append(yaml)
                }
            }
            if let document = result.markdown.take() {
                switch Self.folder(of: document.path) {
                case "scenarios": content.scenarios.append(document)
                case "runbooks": content.runbooks.append(document)
                case "pages": content.pages.append(document)
                default: content.summary = document
                }
            }
        }
        return content
    }

    enum Job: Sendable {
        case yaml(String)
        case markdown(String)

        var path: String {
            switch self {
            case .yaml(let p), .markdown(let p): return p
            }
        }
    }

    /// The folder part of a content-relative path ("" for a file at the top).
    static func folder(of path: String) -> String {
        guard let slash = path.lastSlash() else { return "" }
        return String(path[..<slash])
    }

    struct JobResult: Sendable {
        var yaml: YAMLDocument?
        var markdown: MarkdownDocument?
        var diagnostics: [Diagnostic] = []
        /// The digest of the bytes read, when asked for.
        var digest: FileDigest?
    }

    private func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(relative).path)
    }

    /// The files directly in a folder whose names end in `ending`, sorted by name; none when the folder
    /// is missing. Taken from `listing` when it holds the folder, else listed with `readdir`: a folder of
    /// runbooks holds thousands.
    private func files(in folder: String, ending: String) throws -> [String] {
        if let entries = listing?.entries(inFolder: folder) {
            // Sorted by their places, not moved themselves; their paths were made with the listing.
            var listed = entries.indices.filter { Self.isListed(entries[$0].name, ending: ending) }
            listed.sort { entries[$0].name < entries[$1].name }
            return listed.map { entries[$0].path }
        }
        let path = root.appendingPathComponent(folder).path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue
        else { return [] }
        guard let stream = opendir(path) else {
            throw EnvironmentError("cannot list folder: \(String(cString: strerror(errno)))", path: path)
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let item = readdir(stream) {
            names.append(withUnsafeBytes(of: item.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) })
        }
        return Self.paths(of: names, in: folder, ending: ending)
    }

    /// The paths of the files named `names` in `folder` whose names end in `ending`, hidden ones left out,
    /// sorted by name.
    private static func paths(of names: [String], in folder: String, ending: String) -> [String] {
        names.filter { isListed($0, ending: ending) }.sorted().map { folder + "/" + $0 }
    }

    /// Whether a file named `name` in a folder of documents is read: it ends in `ending` and is not hidden.
    private static func isListed(_ name: String, ending: String) -> Bool {
        name.hasSuffix(ending) && !name.hasPrefix(".")
    }

    private func run(_ job: Job, realRoot: String, realFolder: String?) -> JobResult {
        let path = job.path
        var result = JobResult()
        let source: SourceFile
        switch read(path, realRoot: realRoot, realFolder: realFolder, digest: &result.digest) {
        case .problem(let diagnostic):
            result.diagnostics.append(diagnostic)
            return result
        case .value(let file):
            source = file
        }
        switch job {
        case .yaml:
            switch YAMLReader.read(source.text, path: path, limit: SourceLimits.maxRegistryYAMLBytes) {
            case .value(let node): result.yaml = YAMLDocument(path: path, root: node)
            case .problem(let diagnostic): result.diagnostics.append(diagnostic)
            }
        case .markdown:
            let name = path.lastSlash().map { path[path.index(after: $0)...] } ?? path[...]
            let stem = String(name.dropLast(3))
            switch FrontMatter.split(source.text) {
            case .missing:
                result.diagnostics.append(
                    .error(
                        .noFrontMatter, "no front matter: the file must start with a '---' line", at: .init(path: path),
                        hint: "start the file with '---', the YAML keys, then '---'"))
            case .unterminated(let line):
                result.diagnostics.append(
                    .error(
                        .unterminatedFrontMatter, "front matter is opened here but never closed with '---'",
                        at: .init(path: path, line: line, column: 1)))
            case .split(let split):
                switch YAMLReader.read(split.yaml, path: path, firstLine: split.yamlLine) {
                case .problem(let diagnostic):
                    result.diagnostics.append(diagnostic)
                case .value(let node):
                    result.markdown = MarkdownDocument(
                        path: path, stem: stem, frontMatter: node, location: .init(path: path),
                        body: Markdown.parse(split.body, firstLine: split.bodyLine, detail: detail(for: path)))
                }
            }
        }
        return result
    }

    private func detail(for path: String) -> Markdown.Detail {
        path.hasPrefix("runbooks/") || path.hasPrefix("scenarios/") ? internalBodies : .full
    }

    /// Reads one file, refusing links that lead out of the content folder and files over the limit.
    ///
    /// A regular file that is not a link, in a folder whose real path is known, is opened, measured and
    /// read through one descriptor. Anything else (a link, a missing file, a folder, a device) takes
    /// `readResolving`, which resolves the file's own path and says what is wrong with it.
    private func read(_ path: String, realRoot: String, realFolder: String?, digest: inout FileDigest?)
        -> Checked<SourceFile>
    {
        guard let realFolder, !realFolder.hasSuffix("/") else {
            return readResolving(path, realRoot: realRoot, digest: &digest)
        }
        let name = path.lastSlash().map { String(path[path.utf8.index(after: $0)...]) } ?? path
        let real = realFolder + "/" + name
        guard real == realRoot || real.hasPrefix(realRoot + "/") else {
            return readResolving(path, realRoot: realRoot, digest: &digest)
        }
        let fd = open(real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return readResolving(path, realRoot: realRoot, digest: &digest) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            return readResolving(path, realRoot: realRoot, digest: &digest)
        }
        let size = Int(info.st_size)
        if size > SourceLimits.maxFileBytes {
            return .problem(
                .error(
                    .fileTooLarge, "file is \(size) bytes; the limit is \(SourceLimits.maxFileBytes) bytes (10 MiB)",
                    at: .init(path: path)))
        }
        guard let bytes = Self.readAll(fd, expected: size) else {
            return .problem(.error(.missingFile, "file cannot be read", at: .init(path: path)))
        }
        if digests { digest = FileDigest(bytes) }
        return SourceFile.decode(bytes, path: path)
    }

    /// Every byte of an open file, read until its end.
    static func readAll(_ fd: Int32, expected: Int) -> [UInt8]? {
        var capacity = expected + 1
        while true {
            var failed = false
            // Read into uninitialized storage; a file that grew beyond it is read again, larger.
            let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                count = 0
                while count < buffer.count {
                    let n = systemRead(fd, buffer.baseAddress! + count, buffer.count - count)
                    if n < 0 {
                        if errno == EINTR { continue }
                        failed = true
                        return
                    }
                    if n == 0 { return }
                    count += n
                }
            }
            if failed { return nil }
            if bytes.count < capacity { return bytes }
            capacity *= 2
            guard lseek(fd, 0, SEEK_SET) == 0 else { return nil }
        }
    }

    /// `read` for the files it does not open itself: the file's path is resolved on its own.
    private func readResolving(_ path: String, realRoot: String, digest: inout FileDigest?) -> Checked<SourceFile> {
        let url = root.appendingPathComponent(path)
        let real = url.resolvingSymlinksInPath().path
        guard real == realRoot || real.hasPrefix(realRoot + "/") else {
            return .problem(
                .error(
                    .pathOutsideContent, "'\(path)' leads outside the content folder",
                    at: .init(path: path), hint: "copy the file into the content folder instead of linking it"))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: real)[.size] as? Int) ?? 0
        if size > SourceLimits.maxFileBytes {
            return .problem(
                .error(
                    .fileTooLarge, "file is \(size) bytes; the limit is \(SourceLimits.maxFileBytes) bytes (10 MiB)",
                    at: .init(path: path)))
        }
        guard let data = FileManager.default.contents(atPath: real) else {
            return .problem(.error(.missingFile, "file cannot be read", at: .init(path: path)))
        }
        let bytes = [UInt8](data)
        if digests { digest = FileDigest(bytes) }
        return SourceFile.decode(bytes, path: path)
    }
}
