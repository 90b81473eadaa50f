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

    public init(format: DiagnosticFormat = .text, pathPrefix: String = "") {
        self.format = format
        self.pathPrefix = pathPrefix
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        switch format {
        case .text: return diagnostics.map(text).joined()
        case .github: return diagnostics.map(github).joined()
        case .json: return json(diagnostics)
        }
    }

    func place(_ location: SourceLocation?) -> String {
        guard let location else { return "" }
        return "\(pathPrefix)\(location.path):\(location.line):\(location.column): "
    }

    func text(_ d: Diagnostic) -> String {
        var out = "\(place(d.location))\(d.severity.rawValue): \(d.message) [\(d.code)]\n"
        for note in d.notes {
            out += "\(place(note.location))note: \(note.message)\n"
        }
        if let hint = d.hint {
            out += "\(place(d.location))note: \(hint)\n"
        }
        return out
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
