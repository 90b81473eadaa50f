import CSystem
import Foundation
import Synchronization

/// Writes a generated site so that nothing is lost: the files go to a temporary folder beside the
/// output, which then takes the output's place in one step. A build that fails or is killed before the
/// swap leaves the previous output exactly as it was. When a previous site is replaced, the new one is
/// on disk before the swap, so that a power cut cannot leave a site of empty files where a good one was.
/// A first site (no previous output, or one without pages) is not flushed: a power cut could cost it
/// nothing it had, and the next build writes whatever did not reach the disk (see `Written.durable`).
///
/// Files whose bytes are already in the previous output are not written again: when the whole site is
/// identical the previous folder stays as it is and nothing is written; otherwise unchanged files are
/// hard-linked into the new folder, so they keep their inode and modification time. Files are written in
/// parallel; the result does not depend on the order. The previous output is removed after the swap, its
/// files unlinked in parallel.
public struct SiteWriter: Sendable {
    public var output: URL
    /// The most bytes files may hold while they wait for the thread that is writing (see
    /// `Session.enqueue`); past it, a thread writes its file itself.
    public var queueLimit = 32 << 20
    /// When a previous site is being replaced: once files of this many bytes have been written, the file
    /// system is flushed in the background, and again, once that flush is over, as soon as as many more
    /// have been written (see `Session.wrote`); nil never does.
    public var flushEvery: Int? = 64 << 20
    /// Written at the output's top, so that a later build knows the folder is one it may replace.
    public static let marker = ".continuity-site"
    /// The build record at the output's top, beside the marker: what the last build read and wrote, so
    /// that a build with nothing changed can stop early. Never inside `public/` or `internal/`.
    public static let record = ".continuity-build"

    /// What a write did to the output folder.
    public struct Report: Sendable, Hashable {
        /// Files that are new or whose bytes changed.
        public var written: Int
        /// Files identical to the previous output's, kept with their inode and modification time.
        public var kept: Int
        /// Files of the previous output that the new site no longer has.
        public var removed: Int
        /// False when the previous output already held exactly these files and was left untouched.
        public var replaced: Bool
        /// True when the file system was flushed: before the new site took the place of a previous one, or,
        /// when the site was kept and a record was asked for, after it was found identical.
        public var flushed: Bool
    }

    public init(output: URL) {
        self.output = output.standardizedFileURL
    }

    /// Refuses outputs that would destroy something: `/`, the content folder, a folder containing it, the
    /// current folder or a non-empty folder that no build of ours wrote.
    public func validate(content: URL) throws {
        let out = output.resolvingSymlinksInPath().path
        let contentPath = content.standardizedFileURL.resolvingSymlinksInPath().path
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).resolvingSymlinksInPath().path
        if out == "/" { throw EnvironmentError("refusing to write the site to the root folder", path: out) }
        if out == contentPath { throw EnvironmentError("the output folder is the content folder", path: out) }
        if contentPath.hasPrefix(out + "/") {
            throw EnvironmentError("the output folder contains the content folder \(contentPath)", path: out)
        }
        if out == cwd || cwd.hasPrefix(out + "/") {
            throw EnvironmentError("the output folder is the current folder or one above it", path: out)
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw EnvironmentError("the output path exists and is not a folder", path: out)
            }
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
            if !entries.isEmpty, !entries.contains(Self.marker) {
                throw EnvironmentError(
                    "the output folder is not empty and was not written by continuity; remove it or choose another",
                    path: out)
            }
        }
    }

    /// Writes `files` and swaps them in for the previous output, unless the previous output already holds
    /// exactly these files.
    @discardableResult
    public func write(_ files: [OutputFile]) throws -> Report {
        let session = try begin()
        session.add(contentsOf: files)
        return try session.finish()
    }

    /// Starts writing a new site: hand its files to the session as they are made, from any thread, then
    /// call `finish()`. Nothing visible changes before `finish()` swaps the new site in.
    public func begin() throws -> Session {
        let parent = output.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw EnvironmentError("cannot create folder: \(error.localizedDescription)", path: parent.path)
        }
        removeLeftovers(in: parent, name: output.lastPathComponent)
        return Session(writer: self)
    }

    /// Where the identity of a file of the new site can be read once it is written (its inode, size and
    /// modification time), and the folder it is in before the swap.
    public struct Written: Sendable {
        /// The folder holding the new site when `finish`'s `record` is called: the staging folder, or the
        /// output itself when it is kept.
        public var folder: String
        /// Every file of the new site (the marker included), in path order, with its identity as written
        /// or as compared; nil where it could not be known.
        public var files: [(path: String, info: continuity_file_info?)]
        /// True when every file is known to be on disk: the site was flushed. False for a first site, which
        /// is not: its files read back as written until the machine restarts, but a power cut may yet cost
        /// them their bytes.
        public var durable: Bool
    }

    /// One site being written. Files are compared with the previous output as they arrive: identical ones
    /// are only noted (and hard-linked once a staging folder exists), others are written into the staging
    /// folder, which is created at the first difference. `add` may be called from several threads at
    /// once; one of them at a time writes, and a file handed over meanwhile waits for it (at most the
    /// writer's `queueLimit` bytes of them). When every `add` has returned, every file is written and the
    /// session keeps no file's bytes.
    public final class Session: Sendable {
        let writer: SiteWriter
        let staging: URL
        /// `staging.path`, made once: every file's path starts with it.
        let stagingPath: String
        /// The previous output's listing, nil when there is none.
        let previous: FileTree?
        let previousFiles: Set<String>
        /// Whether the previous output holds a site (a file besides the marker), which the new one must not
        /// replace before it is on disk: only then is the file system flushed.
        let replacesSite: Bool
        private let state = Mutex(State())
        /// Files waiting to be written, their size, and whether a thread is writing them (see `enqueue`).
        private let queue = Mutex((pending: [OutputFile](), bytes: 0, writing: false))
        /// Bytes written since the last flush in the background began, whether one is running, how many
        /// began and ended, and the error of the first that failed (0 when none did).
        private let flushing = Mutex((bytes: 0, running: false, started: 0, ended: 0, failure: Int32(0)))
        /// The output's parent folder, open for the session's flushes: a flush reports a failure to write
        /// back data since this was opened (one opened for each flush would miss what an earlier one saw).
        private let flushFolder: Int32
        private let flushes = DispatchGroup()

        struct State {
            /// Every path handed over, with whether it is identical to the previous output's file.
            var kept: [String: Bool] = [:]
            /// What is known of each file of the new site, for the build record.
            var infos: [String: continuity_file_info] = [:]
            /// Kept files noted before the staging folder existed, to be linked once it does.
            var pendingLinks: [String] = []
            var stagingCreated = false
            var folders: Set<String> = []
            var failures: [Failure] = []
            var finished = false
        }

        /// A failure, ordered by the path it is about; at one path, a conflict between a file and a folder
        /// comes before what it caused.
        struct Failure {
            var key: String
            var rank = 1
            var error: EnvironmentError

            init(_ key: String, _ error: EnvironmentError, rank: Int = 1) {
                self.key = key
                self.rank = rank
                self.error = error
            }

            static func first(_ failures: [Failure]) -> Failure? {
                failures.min { ($0.key, $0.rank, $0.error.description) < ($1.key, $1.rank, $1.error.description) }
            }
        }

        init(writer: SiteWriter) {
            self.writer = writer
            let parent = writer.output.deletingLastPathComponent()
            staging = parent.appendingPathComponent(
                ".\(writer.output.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
            stagingPath = staging.path
            var tree = FileTree.scan(writer.output.path)
            tree?.files.removeAll { $0 == SiteWriter.record }
            previous = tree
            previousFiles = Set(tree?.files ?? [])
            if tree != nil {
                replacesSite = previousFiles.contains { $0 != SiteWriter.marker }
            } else {
                // An output that is there but could not be listed is taken to hold a site.
                var info = stat()
                replacesSite = lstat(writer.output.path, &info) == 0
            }
            flushFolder = continuity_open_folder(parent.path)
        }

        deinit {
            if flushFolder >= 0 { close(flushFolder) }
            // No flush can be waiting: each holds the session. The last may be releasing it on its own
            // thread right now, so the staging folder is removed without waiting for the flushes.
            if !state.withLock({ $0.finished }) { removeStaging() }
        }

        /// Hands over one file of the new site. Failures to write are not thrown here: they are collected
        /// and `finish()` throws the first in path order, so that the error does not depend on the order
        /// files arrive in. Throws only when the session is already finished.
        public func add(_ file: OutputFile) throws {
            guard !state.withLock({ $0.finished }) else {
                throw EnvironmentError("a file was given after the site was finished", path: file.path)
            }
            let (same, info) = compare(file)
            place(file, same: same, info: info)
        }

        /// Hands over many files: compared on all cores, then written one task per folder (the kernel
        /// creates a folder's entries one at a time, so more writers in one folder only wait).
        public func add(contentsOf files: [OutputFile]) {
            let compared = parallelMap(files.indices) { compare(files[$0]) }
            var byFolder: [Substring: [Int]] = [:]
            var order: [Substring] = []
            for (index, file) in files.enumerated() {
                let directory = file.path[..<(file.path.lastIndex(of: "/") ?? file.path.startIndex)]
                if byFolder[directory] == nil { order.append(directory) }
                byFolder[directory, default: []].append(index)
            }
            let groups = order.map { byFolder[$0] ?? [] }
            _ = parallelMap(groups.indices) { group in
                for index in groups[group] { place(files[index], same: compared[index].0, info: compared[index].1) }
            }
        }

        /// Hands over one file made in pieces: `produce` gives them to `piece` in order, and none is kept
        /// after it is passed on, so that a page of many megabytes (the handbook) is never whole in memory.
        /// The pieces are compared with the previous output's file as they come; from the first that
        /// differs, the file is written into the staging folder (the bytes before it copied from the
        /// previous file). Failures to write are collected as `add`'s are; an error `produce` throws is
        /// rethrown, and the file then counts as not written.
        public func add(_ path: String, inPieces produce: (_ piece: ([UInt8]) -> Void) throws -> Void) throws {
            guard !state.withLock({ $0.finished }) else {
                throw EnvironmentError("a file was given after the site was finished", path: path)
            }
            guard claim(path) else { return try produce { _ in } }
            var file = PieceWriter(session: self, path: path)
            defer { file.abandon() }
            do {
                try produce { file.append($0) }
            } catch {
                // The file is missing: a `finish()` called all the same must not swap in a site without it.
                state.withLock {
                    $0.failures.append(Failure(path, EnvironmentError("the file could not be made: \(error)", path: path)))
                }
                throw error
            }
            file.finish()
        }

        /// A file given in pieces (see `add(_:inPieces:)`): read alongside the previous output's file
        /// while every byte so far matched it, written from the first difference.
        private struct PieceWriter {
            let session: Session
            let path: String
            /// The previous output's file while every byte handed over matched it; -1 otherwise.
            var previous: Int32 = -1
            /// The new file, once it is written; -1 before.
            var target: Int32 = -1
            var count = 0
            var failed = false

            init(session: Session, path: String) {
                self.session = session
                self.path = path
                if session.previousFiles.contains(path) {
                    previous = continuity_open_regular_file(session.writer.output.path + "/" + path)
                }
            }

            mutating func append(_ bytes: [UInt8]) {
                guard !failed, !bytes.isEmpty else { return }
                if previous >= 0 {
                    let same = bytes.withUnsafeBufferPointer { continuity_read_equals(previous, $0.baseAddress, $0.count) == 1 }
                    if same {
                        count += bytes.count
                        return
                    }
                }
                if target < 0 {
                    guard create() else { return }
                }
                let status = bytes.withUnsafeBufferPointer { continuity_write_all(target, $0.baseAddress, $0.count) }
                guard status == 0 else { return fail("cannot write file") }
                count += bytes.count
                session.wrote(bytes.count)
            }

            /// Creates the new file, holding the bytes that matched the previous one.
            private mutating func create() -> Bool {
                session.createStaging()
                guard session.makeFolders(for: path) else {
                    failed = true
                    return false
                }
                let full = session.stagingPath + "/" + path
                target = continuity_create_with_prefix(full, previous, previous >= 0 ? count : 0)
                // Reported before anything else can change errno; `abandon` closes the previous file.
                guard target >= 0 else {
                    fail("cannot write file")
                    return false
                }
                if previous >= 0 {
                    close(previous)
                    previous = -1
                }
                return true
            }

            /// Notes the file as kept (the previous one holds the same bytes and no more) or as written.
            mutating func finish() {
                guard !failed else { return }
                var info = continuity_file_info()
                if previous >= 0, continuity_read_at_end_info(previous, &info) == 1 {
                    close(previous)
                    previous = -1
                    session.keep(path, info: info)
                    return
                }
                if target < 0 {
                    guard create() else { return }
                }
                let full = session.stagingPath + "/" + path
                let status = continuity_close_new_file_info(target, full, &info)
                target = -1
                guard status == 0 else { return fail("cannot write file") }
                if info.inode != 0 { session.state.withLock { $0.infos[path] = info } }
            }

            private mutating func fail(_ message: String) {
                failed = true
                session.fail(path, message, at: session.stagingPath + "/" + path)
            }

            /// Closes what is still open: after `produce` threw, the new file is removed.
            mutating func abandon() {
                if previous >= 0 { close(previous) }
                if target >= 0 {
                    close(target)
                    unlink(session.stagingPath + "/" + path)
                }
                previous = -1
                target = -1
            }
        }

        /// Whether the previous output holds this file byte for byte, and its identity when it does.
        private func compare(_ file: OutputFile) -> (Bool, continuity_file_info?) {
            guard previousFiles.contains(file.path) else { return (false, nil) }
            var info = continuity_file_info()
            let same = file.bytes.withUnsafeBufferPointer {
                continuity_file_has_bytes_info(writer.output.path + "/" + file.path, $0.baseAddress, $0.count, &info) == 1
            }
            return (same, same ? info : nil)
        }

        private func place(_ file: OutputFile, same: Bool, info: continuity_file_info?) {
            guard claim(file.path) else { return }
            if same {
                keep(file.path, info: info)
            } else {
                createStaging()
                enqueue(file)
            }
        }

        /// Takes `path` for a file of the new site, counted as written until `keep` says otherwise; false,
        /// with the failure noted, when the path is not valid or already taken.
        private func claim(_ path: String) -> Bool {
            state.withLock { state in
                if !Self.isValidPath(path) || path == SiteWriter.record {
                    state.failures.append(Failure(path, EnvironmentError("not a valid path for a file of the site", path: path)))
                    return false
                }
                if state.kept[path] != nil {
                    state.failures.append(Failure(path, EnvironmentError("the site has two files at this path", path: path)))
                    return false
                }
                state.kept[path] = false
                return true
            }
        }

        /// Notes a claimed file as identical to the previous output's: linked into the staging folder if
        /// there is one, else once it is made.
        private func keep(_ path: String, info: continuity_file_info?) {
            let link = state.withLock { state in
                state.kept[path] = true
                if let info { state.infos[path] = info }
                guard state.stagingCreated else {
                    state.pendingLinks.append(path)
                    return false
                }
                return true
            }
            if link { linkKept(path) }
        }

        /// How many flushes in the background have begun, and how many ended.
        var backgroundFlushes: (started: Int, ended: Int) { flushing.withLock { ($0.started, $0.ended) } }

        /// The files handed over and not yet written: none once every `add` has returned.
        var waitingFileCount: Int { queue.withLock { $0.pending.count } }

        /// Writes `file`, or leaves it to the thread that is writing. The kernel creates one folder's
        /// entries one at a time, and a thread that waits for that lock spins on it; so one thread at a
        /// time writes, everything waiting, while the others go back to their own work. The writing
        /// thread gives the role up only when nothing waits, under the same lock, so no file is left
        /// behind: when the last `add` returns, every file is written. When the files waiting would
        /// hold more than the writer's `queueLimit` bytes (the writing thread is slower than the others
        /// render, or the file is a large one), the thread writes its file itself: memory stays bounded.
        private func enqueue(_ file: OutputFile) {
            enum Next { case leave, writeOwn, writeAll([OutputFile]) }
            let next: Next = queue.withLock { queue in
                if queue.writing {
                    guard queue.bytes + file.bytes.count <= writer.queueLimit else { return .writeOwn }
                    queue.pending.append(file)
                    queue.bytes += file.bytes.count
                    return .leave
                }
                queue.writing = true
                return .writeAll([file])
            }
            guard case .writeAll(var batch) = next else {
                if case .writeOwn = next { write(file) }
                return
            }
            while !batch.isEmpty {
                for file in batch { write(file) }
                batch = queue.withLock { queue in
                    if queue.pending.isEmpty {
                        queue.writing = false
                        return []
                    }
                    defer {
                        queue.pending = []
                        queue.bytes = 0
                    }
                    return queue.pending
                }
            }
        }

        /// Whether `path` names a file inside the site: relative, and no part of it empty, `.` or `..`.
        static func isValidPath(_ path: String) -> Bool {
            var partLength = 0
            var dots = 0
            for byte in path.utf8 {
                if byte == UInt8(ascii: "/") {
                    if partLength == 0 || partLength == dots { return false }
                    partLength = 0
                    dots = 0
                } else {
                    partLength += 1
                    if byte == UInt8(ascii: "."), dots == partLength - 1, partLength <= 2 { dots += 1 }
                }
            }
            return partLength > 0 && partLength != dots
        }

        /// Creates the staging folder at the first difference, and links into it the identical files noted
        /// so far.
        private func createStaging() {
            let pending: [String]? = state.withLock { state in
                guard !state.stagingCreated else { return nil }
                state.stagingCreated = true
                try? FileManager.default.removeItem(at: staging)
                if mkdir(staging.path, 0o777) != 0 {
                    state.failures.append(Failure("", EnvironmentError("cannot create folder: \(String(cString: strerror(errno)))", path: staging.path)))
                }
                state.folders.insert("")
                let pending = state.pendingLinks
                state.pendingLinks = []
                return pending
            }
            if let pending { _ = parallelMap(pending) { linkKept($0) } }
        }

        /// Creates the folders `path` needs in the staging folder.
        private func makeFolders(for path: String) -> Bool {
            guard let slash = path.lastSlash() else { return true }
            let directory = String(path[..<slash])
            return state.withLock { state in
                if state.folders.contains(directory) { return true }
                var missing: [String] = []
                var current = directory
                while !current.isEmpty, !state.folders.contains(current) {
                    missing.append(current)
                    current = String(current[..<(current.lastSlash() ?? current.startIndex)])
                }
                for folder in missing.reversed() {
                    let full = stagingPath + "/" + folder
                    if mkdir(full, 0o777) != 0, errno != EEXIST {
                        state.failures.append(Failure(folder, EnvironmentError("cannot create folder: \(String(cString: strerror(errno)))", path: full)))
                        return false
                    }
                    state.folders.insert(folder)
                }
                return true
            }
        }

        private func fail(_ path: String, _ message: String, at full: String) {
            let error = EnvironmentError("\(message): \(String(cString: strerror(errno)))", path: full)
            state.withLock { $0.failures.append(Failure(path, error)) }
        }

        /// Hard-links an identical file from the previous output, or where links are refused copies it
        /// with the previous file's times.
        private func linkKept(_ path: String) {
            guard makeFolders(for: path) else { return }
            let target = stagingPath + "/" + path
            let source = writer.output.path + "/" + path
            if link(source, target) == 0 { return }
            guard let data = FileManager.default.contents(atPath: source) else {
                return fail(path, "cannot read the previous file", at: source)
            }
            let status = [UInt8](data).withUnsafeBufferPointer {
                continuity_write_new_file(target, $0.baseAddress, $0.count)
            }
            guard status == 0 else { return fail(path, "cannot write file", at: target) }
            guard continuity_copy_file_times(source, target) == 0 else {
                return fail(path, "cannot set the file's times", at: target)
            }
            var info = continuity_file_info()
            if continuity_file_info(target, &info) == 1 {
                state.withLock { $0.infos[path] = info }
            } else {
                state.withLock { _ = $0.infos.removeValue(forKey: path) }
            }
        }

        private func write(_ file: OutputFile) {
            guard makeFolders(for: file.path) else { return }
            let target = stagingPath + "/" + file.path
            var info = continuity_file_info()
            let status = file.bytes.withUnsafeBufferPointer {
                continuity_write_new_file_info(target, $0.baseAddress, $0.count, &info)
            }
            guard status == 0 else { return fail(file.path, "cannot write file", at: target) }
            if info.inode != 0 { state.withLock { $0.infos[file.path] = info } }
            wrote(file.bytes.count)
        }

        /// Counts bytes written, and starts a flush of the file system in the background each time
        /// `flushEvery` bytes have been written since the last one began, unless one is still running. The
        /// file system writes nothing back on its own until gigabytes are waiting, so otherwise the whole
        /// site reaches the disk in `finish`, while nothing else runs; flushed as it goes, the writing
        /// overlaps with rendering, and `finish` waits only for the flush running and what came after it.
        /// One flush at a time keeps their number in step with the disk: a flush that takes longer (a
        /// larger site, a slower disk) lets more bytes gather for the next. (Flushes at intervals that
        /// doubled, tried first, left a quarter to half of the site for the end: 60 ms at 10,000 runbooks,
        /// 0.35 s at 100,000.)
        private func wrote(_ count: Int) {
            guard replacesSite, let every = writer.flushEvery else { return }
            let start = flushing.withLock { flushing in
                flushing.bytes += count
                guard !flushing.running, flushing.bytes >= every else { return false }
                flushing.bytes = 0
                flushing.running = true
                return true
            }
            guard start else { return }
            // In the group before the check: `finish` and `cancel` mark the session finished, then wait for
            // the group, so a flush either sees that or is waited for.
            flushes.enter()
            let finished = state.withLock { $0.finished }
            flushing.withLock { flushing in
                if finished { flushing.running = false } else { flushing.started += 1 }
            }
            guard !finished else { return flushes.leave() }
            // On a thread of its own, not one of the shared pool's: a flush waits on the disk, and a pool
            // thread waiting there is one the pages being rendered cannot use until the pool notices.
            Thread { [self] in
                let failure = flush()
                flushing.withLock {
                    $0.running = false
                    $0.ended += 1
                    if $0.failure == 0 { $0.failure = failure }
                }
                flushes.leave()
            }.start()
        }

        /// Flushes the file system that holds the output; returns 0, or the error.
        private func flush() -> Int32 {
            let status =
                flushFolder >= 0
                ? continuity_sync_file_system_of(flushFolder)
                : continuity_sync_file_system(writer.output.deletingLastPathComponent().path)
            return status == 0 ? 0 : (errno == 0 ? EIO : errno)
        }

        /// Flushes the file system and returns 0 when it and every flush in the background succeeded, else
        /// the first error. Call when no flush is running.
        private func flushAll() -> Int32 {
            let earlier = flushing.withLock { $0.failure }
            let now = flush()
            return earlier != 0 ? earlier : now
        }

        /// Abandons the session: removes the staging folder; the previous output stays as it was.
        public func cancel() {
            state.withLock { $0.finished = true }
            flushes.wait()
            removeStaging()
        }

        /// Marks the session finished and removes the staging folder, if there is one.
        private func removeStaging() {
            let created = state.withLock { state in
                state.finished = true
                return state.stagingCreated
            }
            if created { SiteWriter.remove(staging, known: FileTree.scan(staging.path)) }
        }

        /// Puts the new site in place: unless the previous output already holds exactly these files, the
        /// staging folder is flushed to disk (when it replaces a site) and swapped in, and the previous site
        /// removed. `record`, when given, returns the bytes of a file to write at the site's top as
        /// `SiteWriter.record`, from the site's files as written; returning nil writes none. On failure the
        /// staging folder is removed, the previous output is left as it was, and the first failure in path
        /// order is thrown.
        @discardableResult
        public func finish(record: ((Written) -> [UInt8]?)? = nil) throws -> Report {
            add(contentsOf: [OutputFile(path: SiteWriter.marker, text: "generated by continuity\n")])
            let snapshot = state.withLock { state -> State in
                state.finished = true
                return state
            }
            let paths = snapshot.kept.keys.sorted()
            // A path used both as a file and as a folder: whichever came first, the other failed.
            var folders = Set<Substring>()
            for path in paths {
                var end = path.endIndex
                while let slash = path.utf8[..<end].lastIndex(of: UInt8(ascii: "/")) {
                    guard folders.insert(path[..<slash]).inserted else { break }
                    end = slash
                }
            }
            let conflicts = paths.filter { folders.contains($0[...]) }.map {
                Failure($0, EnvironmentError("the site has a file and a folder at this path", path: $0), rank: 0)
            }
            // No flush starts once the session is finished; those running end before anything is removed
            // or swapped (the paths are sorted and checked meanwhile).
            flushes.wait()
            if let failure = Failure.first(snapshot.failures + conflicts) {
                if snapshot.stagingCreated { SiteWriter.remove(staging, known: FileTree.scan(staging.path)) }
                throw failure.error
            }
            let keptCount = snapshot.kept.values.count { $0 }
            let removedCount = previousFiles.subtracting(paths).count

            if !snapshot.stagingCreated, let previous, keptCount == paths.count, previous.holdsExactly(paths) {
                // Nothing changed: the site stays as it is; only the record is brought up to date. The site
                // may be a first one, not flushed when it was written: the file system is flushed now (the
                // whole of it, so this waits for whatever else is waiting to be written), so that the record
                // holds after a restart.
                guard let record else {
                    return Report(written: 0, kept: keptCount, removed: 0, replaced: false, flushed: false)
                }
                let durable = flushAll() == 0
                let written = Written(
                    folder: writer.output.path, files: paths.map { ($0, snapshot.infos[$0]) }, durable: durable)
                if let bytes = record(written) { try writer.replaceRecord(with: bytes) }
                return Report(written: 0, kept: keptCount, removed: 0, replaced: false, flushed: durable)
            }
            // Files were removed but none changed: the staging folder is made now.
            createStaging()
            if let failure = Failure.first(state.withLock { $0.failures }) {
                SiteWriter.remove(staging, known: FileTree.scan(staging.path))
                throw failure.error
            }
            // The new files reach the disk before they replace the previous ones, so that a power cut after
            // the swap cannot leave a site of empty files. One flush of the file system costs far less than
            // one per file. With no site to replace, nothing is flushed: the writeback the flush would wait
            // for (about a tenth of a build of 10,000 runbooks into ext4) protects nothing that existed.
            let failure = replacesSite ? flushAll() : 0
            guard failure == 0 else {
                let reason = String(cString: strerror(failure))
                SiteWriter.remove(staging, known: FileTree.scan(staging.path))
                throw EnvironmentError("cannot flush the new site to disk: \(reason)", path: staging.path)
            }
            // The record is made after the flush (when there is one), which leaves time for the clock the
            // file system stamps times with to move on: files written before it are then not "racy" and need
            // no hash. It is not flushed itself: lost or cut short by a power cut, it cannot be read, and the
            // next build runs in full. Made of a site that was not flushed, it says so (`Written.durable`).
            let infos = state.withLock { $0.infos }
            if let bytes = record?(Written(folder: staging.path, files: paths.map { ($0, infos[$0]) }, durable: replacesSite)) {
                let path = staging.path + "/" + SiteWriter.record
                if bytes.withUnsafeBufferPointer({ continuity_write_new_file(path, $0.baseAddress, $0.count) }) != 0 {
                    let reason = String(cString: strerror(errno))
                    SiteWriter.remove(staging, known: FileTree.scan(staging.path))
                    throw EnvironmentError("cannot write file: \(reason)", path: path)
                }
            }
            let replaced = try writer.swap(staging, into: writer.output)
            if let replaced {
                var known = previous
                if FileManager.default.fileExists(atPath: replaced.path + "/" + SiteWriter.record) {
                    known?.files.append(SiteWriter.record)
                }
                SiteWriter.remove(replaced, known: known)
            }
            return Report(
                written: paths.count - keptCount, kept: keptCount, removed: removedCount, replaced: true, flushed: replacesSite)
        }
    }

    /// Writes the build record of a site that stays in place: a new file renamed over the old one.
    func replaceRecord(with bytes: [UInt8]) throws {
        let path = output.path + "/" + Self.record
        if let current = FileManager.default.contents(atPath: path), [UInt8](current) == bytes { return }
        let temporary = output.path + "/.\(Self.record).tmp-\(ProcessInfo.processInfo.processIdentifier)"
        unlink(temporary)
        guard bytes.withUnsafeBufferPointer({ continuity_write_new_file(temporary, $0.baseAddress, $0.count) }) == 0,
            rename(temporary, path) == 0
        else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw EnvironmentError("cannot write the build record: \(reason)", path: path)
        }
    }

    /// Puts `staging` in the place of `output`: an atomic exchange where the system offers one, else two
    /// renames. Returns where the previous output now is, to be removed once the new one is in place.
    func swap(_ staging: URL, into output: URL) throws -> URL? {
        let fm = FileManager.default
        var info = stat()
        guard lstat(output.path, &info) == 0 else {
            do {
                try fm.moveItem(at: staging, to: output)
            } catch {
                try? fm.removeItem(at: staging)
                throw EnvironmentError("cannot put the new site in place: \(error.localizedDescription)", path: output.path)
            }
            return nil
        }
        if continuity_exchange_paths(staging.path, output.path) == 0 {
            return staging
        }
        let previous = output.deletingLastPathComponent()
            .appendingPathComponent(".\(output.lastPathComponent).old-\(ProcessInfo.processInfo.processIdentifier)")
        try? fm.removeItem(at: previous)
        do {
            try fm.moveItem(at: output, to: previous)
        } catch {
            try? fm.removeItem(at: staging)
            throw EnvironmentError("cannot move the previous site aside: \(error.localizedDescription)", path: output.path)
        }
        do {
            try fm.moveItem(at: staging, to: output)
        } catch {
            try? fm.moveItem(at: previous, to: output)
            try? fm.removeItem(at: staging)
            throw EnvironmentError("cannot put the new site in place: \(error.localizedDescription)", path: output.path)
        }
        return previous
    }

    /// Removes a previous output that has been swapped out. Its files, when known from the scan, are
    /// unlinked in parallel, then its folders deepest first; whatever is left (an entry added since the
    /// scan) goes through FileManager. A folder that cannot be removed is left for the next build's clean-up.
    static func remove(_ folder: URL, known tree: FileTree?) {
        if let tree {
            _ = parallelMap(tree.files + tree.others) { unlink(folder.path + "/" + $0) }
            for directory in tree.directories.reversed() { rmdir(folder.path + "/" + directory) }
            if rmdir(folder.path) == 0 { return }
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// Removes staging folders that a killed build left behind (their process is gone).
    private func removeLeftovers(in parent: URL, name: String) {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
        for entry in entries where entry.hasPrefix(".\(name).tmp-") || entry.hasPrefix(".\(name).old-") {
            let pidText = entry.split(separator: "-").last.map(String.init) ?? ""
            if let pid = Int32(pidText), pid != ProcessInfo.processInfo.processIdentifier, kill(pid, 0) == 0 {
                continue  // another build is running
            }
            let leftover = parent.appendingPathComponent(entry)
            if entry.hasPrefix(".\(name).old-"), !fm.fileExists(atPath: output.path),
                (try? fm.moveItem(at: leftover, to: output)) != nil
            {
                continue  // a build was stopped between its two renames: the previous site goes back
            }
            try? fm.removeItem(at: parent.appendingPathComponent(entry))
        }
    }
}

/// The entries below a folder, as paths relative to it; symbolic links are not followed.
struct FileTree: Sendable {
    /// Regular files.
    var files: [String] = []
    /// Folders, each listed before the folders inside it.
    var directories: [String] = []
    /// Anything else: symbolic links, sockets…
    var others: [String] = []

    /// The tree below `root`, or nil when `root` is not a folder (a symbolic link to one is not) or
    /// cannot be read.
    static func scan(_ root: String) -> FileTree? {
        var info = stat()
        guard lstat(root, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
        var tree = FileTree()
        var pending = [""]
        while let relative = pending.popLast() {
            let folder = relative.isEmpty ? root : root + "/" + relative
            guard let stream = opendir(folder) else { return nil }
            defer { closedir(stream) }
            while let entry = readdir(stream) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                    String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                let path = relative.isEmpty ? name : relative + "/" + name
                var type = entry.pointee.d_type
                if type == UInt8(DT_UNKNOWN) {
                    guard lstat(root + "/" + path, &info) == 0 else { return nil }
                    switch info.st_mode & S_IFMT {
                    case S_IFDIR: type = UInt8(DT_DIR)
                    case S_IFREG: type = UInt8(DT_REG)
                    default: type = UInt8(DT_LNK)
                    }
                }
                switch type {
                case UInt8(DT_DIR):
                    tree.directories.append(path)
                    pending.append(path)
                case UInt8(DT_REG): tree.files.append(path)
                default: tree.others.append(path)
                }
            }
        }
        return tree
    }

    /// True when the tree holds these files, the folders they need and nothing else.
    func holdsExactly(_ paths: [String]) -> Bool {
        guard others.isEmpty, files.count == paths.count, Set(files) == Set(paths) else { return false }
        var needed = Set<String>()
        for path in paths {
            var directory = (path as NSString).deletingLastPathComponent
            while !directory.isEmpty, needed.insert(directory).inserted {
                directory = (directory as NSString).deletingLastPathComponent
            }
        }
        return Set(directories) == needed
    }
}
