import CCmark
import CSystem
import Foundation
import Synchronization

/// What a build that wrote a site remembers of it, in `SiteWriter.record` at the output's top: a
/// fingerprint of everything that can change the site or the diagnostics, the diagnostics themselves,
/// and each output file's identity (inode, size, modification time), like git's index. A later build
/// whose inputs have the same fingerprint, and whose output still holds exactly those files unchanged,
/// reports the same diagnostics and stops without loading, rendering or writing anything.
///
/// A site that was not flushed to disk (a first one, see `SiteWriter`) reads back as written until the
/// machine restarts, whether or not its bytes have reached the disk; after a power cut some may be empty
/// or hold other bytes with the recorded size and time. Its record names the boot it was made in and is
/// not trusted in another one: the next build then runs in full and writes what differs.
struct BuildRecord: Equatable {
    /// Changes whenever the record's layout or meaning does.
    static let formatVersion = 2
    static let header = "continuity build record \(formatVersion)"

    struct Entry: Equatable {
        var path: String
        var inode: UInt64
        var size: Int64
        var modified: Int64
        /// The content's hash, for files written so recently that an edit could keep their time.
        var hash: UInt64?
    }

    var fingerprint: String
    var runbooks: Int
    var diagnostics: [Diagnostic]
    /// The site's files (the marker included), in path order.
    var entries: [Entry]
    /// The boot of the machine (`currentBoot`) the record holds for, when its site was not known to be on
    /// disk; nil when it was, and the record holds whenever it is read.
    var boot: String?

    /// This boot of the machine, nil where the system gives no identifier for it.
    static let currentBoot: String? = {
        var bytes = [CChar](repeating: 0, count: 128)
        let length = continuity_boot_id(&bytes, bytes.count)
        guard length > 0 else { return nil }
        let text = String(decoding: bytes[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // The record's line holds one word.
        guard !text.contains(where: { $0 == " " || $0 == "\n" }) else { return nil }
        return text
    }()

    // MARK: Writing

    /// The record of a site just written, or nil when a file's identity is not known, or the site is not
    /// known to be on disk and the system names no boot to bind the record to (the next build then runs
    /// in full).
    static func make(
        fingerprint: String, runbooks: Int, diagnostics: [Diagnostic], written: SiteWriter.Written,
        boot: String? = currentBoot
    ) -> BuildRecord? {
        guard written.durable || boot != nil else { return nil }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nowNs = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
        let files = written.files
        guard !files.contains(where: { $0.info == nil || $0.path.utf8.contains(UInt8(ascii: "\n")) }) else { return nil }
        let entries = parallelMap(files.indices) { index -> Entry? in
            let (path, info) = (files[index].path, files[index].info!)
            var entry = Entry(path: path, inode: info.inode, size: info.size, modified: info.mtime_ns)
            // A file system stamps times from a clock that advances in ticks (a few milliseconds; whole
            // seconds on some): an edit in the tick the file was written in would keep its time and, with
            // the same size, go unseen. Such files are recorded with their content's hash.
            let racy = info.mtime_ns >= nowNs - 50_000_000
                || (info.mtime_ns % 1_000_000_000 == 0 && info.mtime_ns >= nowNs - 2_000_000_000)
            if racy {
                let full = written.folder + "/" + path
                var buffer: [UInt8] = []
                guard let hash = FileHashing.hashFile(full, buffer: &buffer), hash.size == info.size,
                    entry.matches(full)
                else { return nil }
                entry.hash = hash.hash
            }
            return entry
        }
        guard entries.count == files.count, !entries.contains(where: { $0 == nil }) else { return nil }
        return BuildRecord(
            fingerprint: fingerprint, runbooks: runbooks, diagnostics: diagnostics, entries: entries.map { $0! },
            boot: written.durable ? nil : boot)
    }

    func encoded() -> [UInt8] {
        let diagnosticsJSON = (try? Self.encoder.encode(diagnostics.map(StoredDiagnostic.init))) ?? Data("[]".utf8)
        let text = """
            \(Self.header)
            fingerprint \(fingerprint)
            runbooks \(runbooks)
            boot \(boot ?? "-")
            files \(entries.count)
            diagnostics \(diagnosticsJSON.count)

            """
        var bytes = Array(text.utf8) + [UInt8](diagnosticsJSON) + [UInt8(ascii: "\n")]
        // One line per file, "inode size modified hash-or-dash path", written as bytes: a site has many.
        bytes.reserveCapacity(bytes.count + entries.count * 96)
        for entry in entries {
            if entry.inode <= UInt64(Int.max) {
                DecimalText.append(Int(entry.inode), to: &bytes)
            } else {
                bytes += String(entry.inode).utf8
            }
            bytes.append(UInt8(ascii: " "))
            DecimalText.append(Int(entry.size), to: &bytes)
            bytes.append(UInt8(ascii: " "))
            DecimalText.append(Int(entry.modified), to: &bytes)
            bytes.append(UInt8(ascii: " "))
            if let hash = entry.hash { bytes += FastHash.hex(hash).utf8 } else { bytes.append(UInt8(ascii: "-")) }
            bytes.append(UInt8(ascii: " "))
            bytes += entry.path.utf8
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    // MARK: Reading

    /// The record in `output`, or nil when there is none, it cannot be read, or it is bound to a boot of the
    /// machine other than `boot`.
    static func read(from output: URL, boot: String? = currentBoot) -> BuildRecord? {
        guard let data = FileManager.default.contents(atPath: output.path + "/" + SiteWriter.record),
            let record = decode([UInt8](data))
        else { return nil }
        guard record.boot == nil || record.boot == boot else { return nil }
        return record
    }

    static func decode(_ bytes: [UInt8]) -> BuildRecord? {
        var offset = 0
        func line() -> Substring? {
            guard let end = bytes[offset...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            defer { offset = end + 1 }
            return Substring(decoding: bytes[offset..<end], as: UTF8.self)
        }
        func field(_ name: String) -> Substring? {
            guard let text = line(), text.hasPrefix(name + " ") else { return nil }
            return text.dropFirst(name.count + 1)
        }
        guard line() == Substring(header), let fingerprint = field("fingerprint"),
            let runbooks = field("runbooks").flatMap({ Int($0) }), let boot = field("boot"), !boot.isEmpty,
            let count = field("files").flatMap({ Int($0) }),
            let length = field("diagnostics").flatMap({ Int($0) }), length >= 0, offset + length < bytes.count,
            let stored = try? JSONDecoder().decode([StoredDiagnostic].self, from: Data(bytes[offset..<offset + length]))
        else { return nil }
        offset += length
        guard bytes[offset] == UInt8(ascii: "\n") else { return nil }
        offset += 1
        // One line per file, read as bytes: a site has many.
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        let parsed = bytes.withUnsafeBufferPointer { buffer -> Bool in
            var at = offset
            /// The decimal number at `at`, up to the space after it (which is passed over).
            func number() -> UInt64? {
                let start = at
                var value: UInt64 = 0
                while at < buffer.count, buffer[at] >= UInt8(ascii: "0"), buffer[at] <= UInt8(ascii: "9") {
                    let (times, o1) = value.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = times.addingReportingOverflow(UInt64(buffer[at] - UInt8(ascii: "0")))
                    guard !o1, !o2 else { return nil }
                    value = sum
                    at += 1
                }
                guard at > start, at < buffer.count, buffer[at] == UInt8(ascii: " ") else { return nil }
                at += 1
                return value
            }
            /// The same, signed.
            func signedNumber() -> Int64? {
                let negative = at < buffer.count && buffer[at] == UInt8(ascii: "-")
                if negative { at += 1 }
                guard let magnitude = number() else { return nil }
                if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
                return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
            }
            /// The hexadecimal number of 1 to 16 digits at `at`, up to the space after it (passed over).
            func hexNumber() -> UInt64? {
                var value: UInt64 = 0
                var digits = 0
                while at < buffer.count, buffer[at] != UInt8(ascii: " ") {
                    let byte = buffer[at]
                    let digit: UInt8
                    switch byte {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                    case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                    default: return nil
                    }
                    digits += 1
                    guard digits <= 16 else { return nil }
                    value = value << 4 | UInt64(digit)
                    at += 1
                }
                guard digits > 0, at < buffer.count else { return nil }
                at += 1
                return value
            }
            while at < buffer.count {
                guard let inode = number(), let size = signedNumber(), let modified = signedNumber() else { return false }
                // "-" for a file recorded without its hash.
                var hash: UInt64?
                if at + 1 < buffer.count, buffer[at] == UInt8(ascii: "-"), buffer[at + 1] == UInt8(ascii: " ") {
                    at += 2
                } else {
                    guard let value = hexNumber() else { return false }
                    hash = value
                }
                var end = at
                while end < buffer.count, buffer[end] != UInt8(ascii: "\n") { end += 1 }
                guard end < buffer.count else { return false }
                let path = String(decoding: UnsafeBufferPointer(rebasing: buffer[at..<end]), as: UTF8.self)
                entries.append(Entry(path: path, inode: inode, size: size, modified: modified, hash: hash))
                at = end + 1
            }
            return true
        }
        guard parsed else { return nil }
        guard entries.count == count else { return nil }
        return BuildRecord(
            fingerprint: String(fingerprint), runbooks: runbooks, diagnostics: stored.map(\.diagnostic), entries: entries,
            boot: boot == "-" ? nil : String(boot))
    }

    // MARK: Checking

    /// True when `output` holds exactly the recorded files, each still the file that was written: same
    /// inode, size and modification time (and content, for files recorded with a hash), no file missing,
    /// none added, no folder added.
    func stillDescribes(_ output: URL) -> Bool {
        guard let tree = OpenTree(root: output.path, followingLinks: false) else { return false }
        var found: [OpenTree.Entry] = []
        var folders = Set<String>()
        for entry in tree.entries {
            switch entry.kind {
            case .folder: folders.insert(entry.path)
            case .file where entry.path != SiteWriter.record: found.append(entry)
            case .file: continue
            case .other: return false
            }
        }
        guard found.count == entries.count else { return false }
        found.sort { $0.path < $1.path }
        var needed = Set<String>()
        // In path order, most files are in the folder of the one before: its folders are known already.
        var lastFolder: Substring = ""
        for (entry, recorded) in zip(found, entries) {
            guard entry.path == recorded.path else { return false }
            guard let last = entry.path.lastIndex(of: "/") else { continue }
            var directory = entry.path[..<last]
            if directory == lastFolder { continue }
            lastFolder = directory
            while needed.insert(String(directory)).inserted, let slash = directory.lastIndex(of: "/") {
                directory = directory[..<slash]
            }
        }
        guard needed == folders else { return false }
        let files = found
        let results = parallelMap(files.indices) { index -> Bool in
            let (entry, recorded) = (files[index], entries[index])
            let folder = tree.folders[entry.folder].fd
            var info = continuity_file_info()
            guard continuity_file_info_at(folder, entry.name, &info) == 1, info.inode == recorded.inode,
                info.size == recorded.size, info.mtime_ns == recorded.modified
            else { return false }
            guard let expected = recorded.hash else { return true }
            var buffer: [UInt8] = []
            guard let actual = FileHashing.hashFile(folder, entry.name, buffer: &buffer) else { return false }
            return actual.hash == expected && actual.size == recorded.size
        }
        return results.count == entries.count && !results.contains(false)
    }
}

/// A folder tree listed with each folder kept open, so that its entries are reached relative to it
/// (`openat`, `fstatat`) without the system resolving the whole path again.
final class OpenTree: @unchecked Sendable {
    enum Kind { case file, folder, other }

    struct Entry: Sendable {
        /// Index of the folder holding it, in `folders`.
        var folder: Int
        var name: String
        var path: String
        var kind: Kind
        /// Where a symbolic link points (when links are followed).
        var linkTarget: String?
    }

    private(set) var folders: [(fd: Int32, path: String)] = []
    private(set) var entries: [Entry] = []
    /// For each of `folders`, its entries' places in `entries` (a folder's entries are listed together).
    private var folderEntries: [Range<Int>] = []

    /// The entries directly in the folder at `path` (relative to the root), as listed; nil when no folder
    /// was listed at that path (it is missing, not a folder, or was reached first by another path).
    func entries(inFolder path: String) -> ArraySlice<Entry>? {
        guard let index = folders.firstIndex(where: { $0.path == path }), index < folderEntries.count else { return nil }
        return entries[folderEntries[index]]
    }

    /// Nil when `root` is not a folder or something cannot be listed. Without `followingLinks`, a
    /// symbolic link is an entry of kind `other`; with it, links are followed (each folder listed once).
    init?(root: String, followingLinks: Bool) {
        let rootFD = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (followingLinks ? 0 : O_NOFOLLOW))
        guard rootFD >= 0 else { return nil }
        folders.append((rootFD, ""))
        var info = stat()
        guard fstat(rootFD, &info) == 0 else { return nil }
        var visited: Set<[UInt64]> = [[UInt64(info.st_dev), UInt64(info.st_ino)]]
        var next = 0
        while next < folders.count {
            let (fd, relative) = folders[next]
            let index = next
            next += 1
            let listing = dup(fd)
            guard listing >= 0, let stream = fdopendir(listing) else { return nil }
            let first = entries.count
            defer {
                closedir(stream)
                folderEntries.append(first..<entries.count)
            }
            while let item = readdir(stream) {
                let name = withUnsafeBytes(of: item.pointee.d_name) { bytes in
                    String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                let path = relative.isEmpty ? name : relative + "/" + name
                var type = item.pointee.d_type
                var target: String?
                if type == UInt8(DT_UNKNOWN) || (type == UInt8(DT_LNK) && followingLinks) {
                    if type == UInt8(DT_LNK) {
                        var bytes = [CChar](repeating: 0, count: 4097)
                        let length = readlinkat(fd, name, &bytes, 4096)
                        guard length >= 0 else { return nil }
                        target = String(decoding: bytes[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    }
                    if fstatat(fd, name, &info, followingLinks ? 0 : AT_SYMLINK_NOFOLLOW) != 0 {
                        guard target != nil else { return nil }
                        entries.append(Entry(folder: index, name: name, path: path, kind: .other, linkTarget: target))
                        continue  // a link to nothing
                    }
                    switch info.st_mode & S_IFMT {
                    case S_IFDIR: type = UInt8(DT_DIR)
                    case S_IFREG: type = UInt8(DT_REG)
                    default: type = UInt8(DT_FIFO)
                    }
                }
                switch type {
                case UInt8(DT_DIR):
                    entries.append(Entry(folder: index, name: name, path: path, kind: .folder, linkTarget: target))
                    let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (followingLinks ? 0 : O_NOFOLLOW))
                    guard child >= 0, fstat(child, &info) == 0 else {
                        if child >= 0 { close(child) }
                        return nil
                    }
                    if visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted {
                        folders.append((child, path))
                    } else {
                        close(child)
                    }
                case UInt8(DT_REG):
                    entries.append(Entry(folder: index, name: name, path: path, kind: .file, linkTarget: target))
                default:
                    entries.append(Entry(folder: index, name: name, path: path, kind: .other, linkTarget: target))
                }
            }
        }
    }

    deinit {
        for folder in folders { close(folder.fd) }
    }
}

extension BuildRecord.Entry {
    /// True when the file at `path` is a regular file with this entry's inode, size and time.
    func matches(_ path: String) -> Bool {
        var info = continuity_file_info()
        return continuity_file_info(path, &info) == 1 && info.inode == inode && info.size == size
            && info.mtime_ns == modified
    }
}

/// A diagnostic as the build record keeps it.
private struct StoredDiagnostic: Codable {
    struct Location: Codable {
        var path: String
        var line: Int
        var column: Int
    }
    struct Note: Codable {
        var message: String
        var location: Location?
    }
    var code: String
    var severity: Severity
    var message: String
    var location: Location?
    var notes: [Note]
    var hint: String?

    init(_ d: Diagnostic) {
        code = d.code.rawValue
        severity = d.severity
        message = d.message
        location = d.location.map { Location(path: $0.path, line: $0.line, column: $0.column) }
        notes = d.notes.map { Note(message: $0.message, location: $0.location.map { Location(path: $0.path, line: $0.line, column: $0.column) }) }
        hint = d.hint
    }

    var diagnostic: Diagnostic {
        func place(_ l: Location?) -> SourceLocation? { l.map { SourceLocation(path: $0.path, line: $0.line, column: $0.column) } }
        return Diagnostic(
            DiagnosticCode(code), severity, message, at: place(location),
            notes: notes.map { Diagnostic.Note($0.message, at: place($0.location)) }, hint: hint)
    }
}

// MARK: - Fingerprint

/// Reads files and folders for the fingerprint: in parallel, each worker with one reused buffer.
enum FileHashing {
    /// The size and hash of a file's bytes (following a symbolic link), or nil when it cannot be read.
    static func hashFile(_ path: String, buffer: inout [UInt8]) -> (size: Int64, hash: UInt64)? {
        hashFile(AT_FDCWD, path, buffer: &buffer)
    }

    /// `hashFile` of `name` in the folder open as `folder`.
    static func hashFile(_ folder: Int32, _ name: String, buffer: inout [UInt8]) -> (size: Int64, hash: UInt64)? {
        // Only called for regular files (non-blocking all the same, should one have become a pipe).
        let fd = openat(folder, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if buffer.count < 65536 { buffer = [UInt8](repeating: 0, count: 65536) }
        var length = 0
        while true {
            if length == buffer.count {
                buffer += [UInt8](repeating: 0, count: buffer.count)
            }
            let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + length, $0.count - length) }
            if got < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if got == 0 { break }
            length += got
        }
        let hash = buffer.withUnsafeBytes { FastHash.hash(UnsafeRawBufferPointer(rebasing: $0[..<length])) }
        return (Int64(length), hash)
    }

    /// One line per entry below `root` (sorted by path): its kind, path, and for a file its size and
    /// hash, for a symbolic link where it points. Links are followed, folders once each. Nil when
    /// something cannot be read.
    static func describe(_ root: String, label: String) -> [String]? {
        guard let tree = OpenTree(root: root, followingLinks: true) else { return nil }
        return describe(tree, label: label)
    }

    /// The same for a tree listed earlier (following links). A file whose path is in `known` is described
    /// by that digest, taken of the bytes read since it was listed, instead of being read again.
    static func describe(_ tree: OpenTree, label: String, known: [String: FileDigest] = [:]) -> [String]? {
        var lines: [String] = []
        var files: [OpenTree.Entry] = []
        func file(_ path: String, _ digest: FileDigest) -> String {
            "\(label) file \(path) \(digest.size) \(FastHash.hex(digest.hash))"
        }
        for entry in tree.entries {
            if let target = entry.linkTarget { lines.append("\(label) link \(entry.path) -> \(target)") }
            switch entry.kind {
            case .folder: lines.append("\(label) folder \(entry.path)")
            case .file:
                if let digest = known[entry.path] { lines.append(file(entry.path, digest)) } else { files.append(entry) }
            case .other: lines.append("\(label) other \(entry.path)")
            }
        }
        let hashes = hashFiles(files, in: tree)
        for (entry, hash) in zip(files, hashes) {
            guard let hash else { return nil }
            lines.append(file(entry.path, FileDigest(size: hash.size, hash: hash.hash)))
        }
        return lines.sorted()
    }

    /// `hashFile` of every entry, on all cores, each worker reusing one buffer; in the entries' order.
    static func hashFiles(_ entries: [OpenTree.Entry], in tree: OpenTree) -> [(size: Int64, hash: UInt64)?] {
        let results = Mutex<[(size: Int64, hash: UInt64)?]>(Array(repeating: nil, count: entries.count))
        let chunk = max(1, entries.count / (ProcessInfo.processInfo.activeProcessorCount * 8))
        let chunks = (entries.count + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: chunks) { part in
            let range = (part * chunk)..<min(entries.count, (part + 1) * chunk)
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            let values = range.map { index in
                let entry = entries[index]
                return hashFile(tree.folders[entry.folder].fd, entry.name, buffer: &buffer)
            }
            results.withLock { results in
                for (offset, value) in zip(range, values) { results[offset] = value }
            }
        }
        return results.withLock { $0 }
    }

    /// What identifies the code that runs: the build ID the linker wrote into the object holding this
    /// code, or else a hash of that object's file. A rebuilt binary (other code, other built-in theme or
    /// schemas) gets another one.
    static let codeIdentity: String? = identity(of: continuity_code_address())

    static func identity(of address: UnsafeRawPointer?) -> String? {
        var id = [UInt8](repeating: 0, count: 64)
        let length = continuity_build_id(address, &id, id.count)
        if length > 0 { return "build-id " + id[..<length].map { FastHash.hex(UInt64($0)).suffix(2) }.joined() }
        var path = [CChar](repeating: 0, count: 4096)
        guard continuity_object_path(address, &path, path.count) == 0 else { return nil }
        var buffer: [UInt8] = []
        let file = String(decoding: path.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let hash = hashFile(file, buffer: &buffer) else { return nil }
        return "object \(hash.size) \(FastHash.hex(hash.hash))"
    }
}
