import Foundation

/// How diagnostics are printed.
public enum DiagnosticFormat: String, Sendable, CaseIterable {
    /// `path:line:col: error: message [CODE]`, as compilers print it.
    case text
    /// One JSON document with every diagnostic, for tools.
    case json
    /// GitHub Actions workflow commands, so findings show up on the changed lines.
    case github
}

public struct DiagnosticFormatter: Sendable {
    public var format: DiagnosticFormat
    /// Prefix for paths, so that printed locations open from the working directory (for example
    /// `content/`).
    public var pathPrefix: String
    /// The content folder, to quote the offending line under each text diagnostic; nil quotes nothing.
    public var sourceRoot: URL?
    /// ANSI colours, for a terminal.
    public var colour: Bool

    public init(format: DiagnosticFormat = .text, pathPrefix: String = "", sourceRoot: URL? = nil, colour: Bool = false) {
        self.format = format
        self.pathPrefix = pathPrefix
        self.sourceRoot = sourceRoot
        self.colour = colour
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        switch format {
        case .text:
            var sources = SourceLines(root: sourceRoot)
            return diagnostics.map { text($0, sources: &sources) }.joined()
        case .github: return diagnostics.map(github).joined()
        case .json: return json(diagnostics)
        }
    }

    func place(_ location: SourceLocation?) -> String {
        guard let location else { return "" }
        return "\(pathPrefix)\(location.path):\(location.line):\(location.column): "
    }

    func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    func text(_ d: Diagnostic, sources: inout SourceLines) -> String {
        let severity = d.severity == .error ? paint("error", "1;31") : paint("warning", "1;33")
        var out = "\(paint(place(d.location), "1"))\(severity): \(paint(d.message, "1")) \(paint("[\(d.code)]", "2"))\n"
        out += quote(d.location, sources: &sources)
        for note in d.notes {
            out += "\(place(note.location))\(paint("note", "1;36")): \(note.message)\n"
        }
        if let hint = d.hint {
            out += "\(place(d.location))\(paint("note", "1;36")): \(hint)\n"
        }
        return out
    }

    /// The source line of a location with a caret under its column, as compilers show it.
    func quote(_ location: SourceLocation?, sources: inout SourceLines) -> String {
        guard let location, let line = sources.line(location.line, of: location.path) else { return "" }
        let number = String(location.line)
        let gutter = String(repeating: " ", count: number.count)
        // Keep tabs so the caret lines up however the terminal shows them.
        let lead = line.prefix(max(0, location.column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
        return " \(number) | \(line)\n \(gutter) | \(lead)\(paint("^", "1;32"))\n"
    }

    func github(_ d: Diagnostic) -> String {
        var properties: [String] = []
        if let location = d.location {
            properties = [
                "file=\(escapeProperty(pathPrefix + location.path))",
                "line=\(location.line)", "col=\(location.column)",
            ]
        }
        properties.append("title=\(escapeProperty(d.code.rawValue))")
        var message = d.message
        for note in d.notes {
            message += "\n\(place(note.location))\(note.message)"
        }
        if let hint = d.hint { message += "\n\(hint)" }
        let command = d.severity == .error ? "error" : "warning"
        return "::\(command) \(properties.joined(separator: ","))::\(escapeData(message))\n"
    }

    private func escapeData(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    private func escapeProperty(_ s: String) -> String {
        escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    struct JSONLocation: Encodable {
        var file: String
        var line: Int
        var column: Int
    }
    struct JSONNote: Encodable {
        var message: String
        var location: JSONLocation?
    }
    struct JSONDiagnostic: Encodable {
        var code: String
        var severity: String
        var message: String
        var location: JSONLocation?
        var notes: [JSONNote]
        var hint: String?
    }
    struct JSONReport: Encodable {
        var version = 1
        var errors: Int
        var warnings: Int
        var diagnostics: [JSONDiagnostic]
    }

    func json(_ diagnostics: [Diagnostic]) -> String {
        func loc(_ l: SourceLocation?) -> JSONLocation? {
            l.map { JSONLocation(file: pathPrefix + $0.path, line: $0.line, column: $0.column) }
        }
        let report = JSONReport(
            errors: diagnostics.errorCount, warnings: diagnostics.warningCount,
            diagnostics: diagnostics.map { d in
                JSONDiagnostic(
                    code: d.code.rawValue, severity: d.severity.rawValue, message: d.message,
                    location: loc(d.location),
                    notes: d.notes.map { JSONNote(message: $0.message, location: loc($0.location)) },
                    hint: d.hint)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(report) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// Lines of content files, read when a diagnostic first needs them.
struct SourceLines {
    let root: URL?
    /// Each file read so far: its bytes, less a byte order mark, and where each of its lines starts; nil
    /// for a file that cannot be read.
    private var files: [String: (bytes: [UInt8], starts: [Int])?] = [:]

    init(root: URL?) { self.root = root }

    /// Line `number` (from 1) of the file at `path` under the root, without its line break (LF or CRLF),
    /// cut at 300 characters.
    mutating func line(_ number: Int, of path: String) -> String? {
        guard let root else { return nil }
        if files[path] == nil { files[path] = Self.read(root.appendingPathComponent(path).path) }
        guard let file = files[path] ?? nil, number >= 1, number <= file.starts.count else { return nil }
        let start = file.starts[number - 1]
        var end = number < file.starts.count ? file.starts[number] - 1 : file.bytes.count
        if end > start, file.bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = String(decoding: file.bytes[start..<end], as: UTF8.self)
        return line.count > 300 ? String(line.prefix(300)) + "…" : line
    }

    /// A file's bytes and line starts, found on the bytes: a file with hundreds of findings is read once.
    private static func read(_ path: String) -> (bytes: [UInt8], starts: [Int])? {
        guard let data = FileManager.default.contents(atPath: path), data.count <= SourceLimits.maxFileBytes else {
            return nil
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
        return (bytes, starts)
    }
}
