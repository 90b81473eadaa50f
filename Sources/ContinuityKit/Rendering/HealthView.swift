/// Plan health on the internal home page, made from the same findings `check` prints: counts by
/// severity, stale reviews and exercises, time-objective findings, each linking to the page concerned.
struct HealthView: TemplateValue {
    struct Finding: TemplateValue {
        var message: String
        var code: String
        var severity: String
        var href: String?

        func field(_ name: FieldName) -> TemplateContent? {
            switch name {
            case .message: return .of(message)
            case .code: return .of(code)
            case .severity: return .of(severity)
            case .href: return .of(href)
            default: return nil
            }
        }
    }

    var errors: Int
    var warnings: Int
    var staleReviews: [Finding]
    var staleExercises: [Finding]
    var timeObjectives: [Finding]
    var others: [Finding]

    init(_ findings: [Diagnostic], paths: InternalPaths) {
        errors = findings.errorCount
        warnings = findings.warningCount
        func finding(_ d: Diagnostic) -> Finding {
            Finding(
                message: d.message, code: d.code.rawValue, severity: d.severity.rawValue,
                href: d.location.flatMap { HealthView.page(for: $0.path, paths: paths) })
        }
        let timeCodes: Set<DiagnosticCode> = [.rtoExceedsMTPD, .rtoChain, .rtoExceedsTier, .dependencyCycle, .rpoChain]
        staleReviews = findings.filter { $0.code == .staleReview }.map(finding)
        staleExercises = findings.filter { $0.code == .staleExercise }.map(finding)
        timeObjectives = findings.filter { timeCodes.contains($0.code) }.map(finding)
        others = findings.filter { ![.staleReview, .staleExercise].contains($0.code) && !timeCodes.contains($0.code) }
            .map(finding)
    }

    /// The internal page that shows the content file a finding points at.
    static func page(for path: String, paths: InternalPaths) -> String? {
        switch path {
        case "people.yaml": return "\(paths.root)people.html"
        case "roles.yaml": return "\(paths.root)roles.html"
        case "sites.yaml": return "\(paths.root)sites.html"
        case "vendors.yaml": return "\(paths.root)vendors.html"
        default:
            let parts = path.split(separator: "/")
            guard parts.count == 2, ["runbooks", "scenarios", "pages"].contains(parts[0]), path.hasSuffix(".md") else {
                return nil
            }
            return "\(paths.root)\(parts[0])/\(parts[1].dropLast(3)).html"
        }
    }

    func field(_ name: FieldName) -> TemplateContent? {
        switch name {
        case .errors: return .of(errors)
        case .warnings: return .of(warnings)
        case .clean: return .of(errors == 0 && warnings == 0)
        case .staleReviews: return .of(staleReviews)
        case .staleExercises: return .of(staleExercises)
        case .timeObjectives: return .of(timeObjectives)
        case .others: return .of(others)
        default: return nil
        }
    }
}
