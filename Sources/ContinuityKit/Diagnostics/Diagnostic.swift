/// A place in a content file: the path relative to the content folder, 1-based line and column.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int

    public init(path: String, line: Int = 1, column: Int = 1) {
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String { "\(path):\(line):\(column)" }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.path, a.line, a.column) < (b.path, b.line, b.column)
    }
}

public enum Severity: String, Sendable, Hashable, Codable, Comparable {
    case error
    case warning

    public static func < (a: Severity, b: Severity) -> Bool { a == .error && b == .warning }
}

/// A problem found in the content. Content problems are values, collected and reported together;
/// they are never thrown.
public struct Diagnostic: Sendable, Hashable {
    /// A second place that matters to the finding: the other half of a duplicate, the rest of a cycle.
    public struct Note: Sendable, Hashable {
        public var message: String
        public var location: SourceLocation?

        public init(_ message: String, at location: SourceLocation? = nil) {
            self.message = message
            self.location = location
        }
    }

    public var code: DiagnosticCode
    public var severity: Severity
    public var message: String
    public var location: SourceLocation?
    public var notes: [Note]
    /// A short instruction to fix the problem, when there is an obvious one.
    public var hint: String?

    public init(
        _ code: DiagnosticCode, _ severity: Severity = .error, _ message: String,
        at location: SourceLocation?, notes: [Note] = [], hint: String? = nil
    ) {
        self.code = code
        self.severity = severity
        self.message = message
        self.location = location
        self.notes = notes
        self.hint = hint
    }

    public static func error(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation?,
        notes: [Note] = [], hint: String? = nil
    ) -> Diagnostic {
        Diagnostic(code, .error, message, at: location, notes: notes, hint: hint)
    }

    public static func warning(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation?,
        notes: [Note] = [], hint: String? = nil
    ) -> Diagnostic {
        Diagnostic(code, .warning, message, at: location, notes: notes, hint: hint)
    }
}

extension Array where Element == Diagnostic {
    /// Diagnostics in a stable order: by file and position, then code and message; diagnostics without a
    /// location come first.
    public func sortedForReport() -> [Diagnostic] {
        sorted { a, b in
            switch (a.location, b.location) {
            case (nil, .some): return true
            case (.some, nil): return false
            case let (.some(x), .some(y)) where x != y: return x < y
            default: return (a.code.rawValue, a.message) < (b.code.rawValue, b.message)
            }
        }
    }

    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errorCount: Int { count { $0.severity == .error } }
    public var warningCount: Int { count { $0.severity == .warning } }
}

/// The outcome of a step that yields a value or, for bad content, the diagnostic explaining why not.
public enum Checked<Value: Sendable>: Sendable {
    case value(Value)
    case problem(Diagnostic)
}
