import CCmark
import CSystem
import Foundation
import Synchronization

/// What a build that wrote a site remembers of it, in `SiteWriter.record` at the output's top: a
/// fingerprint of everything that can change the site or the diagnostics, the diagnostics themselves,
/// and each output file's identity (inode, size, modification time), like git's index. A later build
/// whose inputs have the same fingerprint, and whose output still holds exactly those files unchanged,
/// reports the same diagnostics and stops without loading, rendering or writing anything.
struct BuildRecord: Equatable {
    /// Changes whenever the record's layout or meaning does.
    static let formatVersion = 1
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

    // MARK: Writing

    /// The record of a site just written, or nil when a file's identity is not known (the next build then
    /// runs in full).
    static func make(
        fingerprint: String, runbooks: Int, diagnostics: [Diagnostic], written: SiteWriter.Written
    ) -> BuildRecord? {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nowNs = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
        let files = written.files
        guard !files.contains(where: { $0.info == nil || $0.path.contains("\n") }) else { return nil }
        let entries = SiteWriter.parallelMap(files.indices) { index -> Entry? in
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
        return BuildRecord(fingerprint: fingerprint, runbooks: runbooks, diagnostics: diagnostics, entries: entries.map { $0! })
    }

    func encoded() -> [UInt8] {
        let diagnosticsJSON = (try? Self.encoder.encode(diagnostics.map(StoredDiagnostic.init))) ?? Data("[]".utf8)
        var text = """
            \(Self.header)
            fingerprint \(fingerprint)
            runbooks \(runbooks)
            files \(entries.count)
            diagnostics \(diagnosticsJSON.count)

            """
        var bytes = Array(text.utf8) + [UInt8](diagnosticsJSON) + [UInt8(ascii: "\n")]
        text = ""
        for entry in entries {
            text += "\(entry.inode) \(entry.size) \(entry.modified) \(entry.hash.map(FastHash.hex) ?? "-") \(entry.path)\n"
        }
        bytes += Array(text.utf8)
        return bytes
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    // MARK: Reading

    /// The record in `output`, or nil when there is none or it cannot be read.
    static func read(from output: URL) -> BuildRecord? {
        guard let data = FileManager.default.contents(atPath: output.path + "/" + SiteWriter.record) else { return nil }
        return decode([UInt8](data))
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
            let runbooks = field("runbooks").flatMap({ Int($0) }), let count = field("files").flatMap({ Int($0) }),
            let length = field("diagnostics").flatMap({ Int($0) }), length >= 0, offset + length < bytes.count,
            let stored = try? JSONDecoder().decode([StoredDiagnostic].self, from: Data(bytes[offset..<offset + length]))
        else { return nil }
        offset += length
        guard bytes[offset] == UInt8(ascii: "\n") else { return nil }
        offset += 1
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        while offset < bytes.count {
            guard let text = line() else { return nil }
            let parts = text.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: false)
            guard parts.count == 5, let inode = UInt64(parts[0]), let size = Int64(parts[1]),
                let modified = Int64(parts[2])
            else { return nil }
            let hash: UInt64?
            if parts[3] == "-" {
                hash = nil
            } else {
                guard let value = UInt64(parts[3], radix: 16) else { return nil }
                hash = value
            }
            entries.append(Entry(path: String(parts[4]), inode: inode, size: size, modified: modified, hash: hash))
        }
        guard entries.count == count else { return nil }
        return BuildRecord(
            fingerprint: String(fingerprint), runbooks: runbooks, diagnostics: stored.map(\.diagnostic), entries: entries)
    }

    // MARK: Checking

    /// True when `output` holds exactly the recorded files, each still the file that was written: same
    /// inode, size and modification time (and content, for files recorded with a hash), no file missing,
    /// none added, no folder added.
    func stillDescribes(_ output: URL) -> Bool {
        guard var tree = FileTree.scan(output.path) else { return false }
        tree.files.removeAll { $0 == SiteWriter.record }
        guard tree.holdsExactly(entries.map(\.path)) else { return false }
        let root = output.path
        let results = SiteWriter.parallelMap(entries.indices) { index -> Bool in
            let entry = entries[index]
            let full = root + "/" + entry.path
            guard entry.matches(full) else { return false }
            guard let expected = entry.hash else { return true }
            var buffer: [UInt8] = []
            guard let actual = FileHashing.hashFile(full, buffer: &buffer) else { return false }
            return actual.hash == expected && actual.size == entry.size
        }
        return results.count == entries.count && !results.contains(false)
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
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        var length = 0
        while true {
            if buffer.count < max(Int(info.st_size) + 1, length + 65536) {
                buffer = [UInt8](repeating: 0, count: max(Int(info.st_size) + 1, length + 65536, buffer.count * 2))
                // The bytes read so far are gone with the old buffer: start again.
                guard lseek(fd, 0, SEEK_SET) == 0 else { return nil }
                length = 0
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

    /// `hashFile` of every path, on all cores, each worker reusing one buffer; in the paths' order.
    static func hashFiles(_ paths: [String]) -> [(size: Int64, hash: UInt64)?] {
        let results = Mutex<[(size: Int64, hash: UInt64)?]>(Array(repeating: nil, count: paths.count))
        let chunk = max(1, paths.count / (ProcessInfo.processInfo.activeProcessorCount * 8))
        let chunks = (paths.count + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: chunks) { part in
            let range = (part * chunk)..<min(paths.count, (part + 1) * chunk)
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            let values = range.map { hashFile(paths[$0], buffer: &buffer) }
            results.withLock { results in
                for (offset, value) in zip(range, values) { results[offset] = value }
            }
        }
        return results.withLock { $0 }
    }

    /// One line per entry below `root` (sorted by path): its kind, path, and for a file its size and
    /// hash, for a symbolic link where it points. Links are followed, folders once each. Nil when
    /// something cannot be read.
    static func describe(_ root: String, label: String) -> [String]? {
        var lines: [String] = []
        var files: [String] = []
        var visited = Set<[UInt64]>()
        var pending = [""]
        var info = stat()
        guard stat(root, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
        visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)])
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
                let full = root + "/" + path
                guard lstat(full, &info) == 0 else { return nil }
                if info.st_mode & S_IFMT == S_IFLNK {
                    var target = [CChar](repeating: 0, count: 4097)
                    let length = readlink(full, &target, 4096)
                    guard length >= 0 else { return nil }
                    lines.append("\(label) link \(path) -> \(String(decoding: target[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self))")
                    if stat(full, &info) != 0 {
                        lines.append("\(label) dangling \(path)")
                        continue
                    }
                }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    lines.append("\(label) folder \(path)")
                    if visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted { pending.append(path) }
                case S_IFREG: files.append(path)
                default: lines.append("\(label) other \(path)")
                }
            }
        }
        let hashes = hashFiles(files.map { root + "/" + $0 })
        for (path, hash) in zip(files, hashes) {
            guard let hash else { return nil }
            lines.append("\(label) file \(path) \(hash.size) \(FastHash.hex(hash.hash))")
        }
        return lines
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
