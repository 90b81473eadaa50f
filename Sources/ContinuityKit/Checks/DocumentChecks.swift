import Foundation
import Synchronization

/// Checks of the Markdown documents themselves: required runbook sections, and links between
/// documents (their targets, their `#fragment`s, and public pages linking only to public ones).
public enum DocumentChecks {
    /// A Markdown document as the checks see it.
    struct Document: Sendable {
        var path: String
        var body: MarkdownBody
        var isPublic: Bool
    }

    public static func run(_ context: CheckContext) -> [Diagnostic] {
        let plan = context.plan
        var documents: [Document] = []
        documents.reserveCapacity(plan.scenarios.count + plan.runbooks.count + plan.pages.count + 1)
        if let summary = plan.summary { documents.append(Document(path: summary.origin.path, body: summary.body, isPublic: true)) }
        documents += plan.scenarios.map { Document(path: $0.origin.path, body: $0.body, isPublic: false) }
        documents += plan.runbooks.map { Document(path: $0.origin.path, body: $0.body, isPublic: false) }
        documents += plan.pages.map { Document(path: $0.origin.path, body: $0.body, isPublic: $0.classification == .public) }
        // The summary becomes the public index page, not a page of its own: it cannot be a link target.
        // Targets are places in `documents`: a copy of a document in the table would count references to
        // each of its parts.
        var targets: [String: Int] = [:]
        targets.reserveCapacity(documents.count)
        for index in documents.indices where documents[index].path != "summary.md" { targets[documents[index].path] = index }

        // Each runbook and document is checked on its own, in parallel; the findings keep their order.
        let required = plan.configuration.policy.requiredSections
        let runbooks = plan.runbooks
        let sections = parallelMap(runbooks.indices) { missingSections(runbooks[$0], required: required) }
        let (allDocuments, targetsFound) = (documents, targets)
        let linkFindings = parallelMap(allDocuments.indices) {
            links(of: allDocuments[$0], targets: targetsFound, in: allDocuments)
        }
        return sections.flatMap { $0 } + linkFindings.flatMap { $0 }
    }

    static func missingSections(_ runbook: Runbook, required: [String]) -> [Diagnostic] {
        // A few headings and a few required names: searched in a list, where a set hashed every heading.
        let present = runbook.body.headings.compactMap { $0.level == 2 ? $0.text.trimmingWhitespaces() : nil }
        let missing = required.filter { !present.contains($0) }
        guard !missing.isEmpty else { return [] }
        let list = missing.map { "'## \($0)'" }.joined(separator: ", ")
        return [
            .error(
                .missingSection, "runbook '\(runbook.id)' lacks the required section\(missing.count == 1 ? "" : "s") \(list)",
                at: SourceLocation(path: runbook.origin.path, line: 1, column: 1),
                hint: "add a level-2 heading for each section the policy requires")
        ]
    }

    /// The findings about the links of `document`; `targets` gives the place in `documents` of each
    /// document a link can name, by path.
    static func links(of document: Document, targets: [String: Int], in documents: [Document]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for link in document.body.links {
            let location = SourceLocation(path: document.path, line: link.line, column: link.column)
            if link.destination.hasPrefix("#") {
                let fragment = String(link.destination.dropFirst())
                if !fragment.isEmpty, !document.body.headings.contains(where: { $0.slug == fragment }) {
                    diagnostics.append(
                        .warning(
                            .brokenFragment, "'#\(fragment)' names no heading of this document", at: location,
                            hint: headingHint(document.body)))
                }
                continue
            }
            guard let target = MarkdownLinkTarget(link.destination) else { continue }
            guard let resolved = target.resolved(from: document.path), let place = targets[resolved] else {
                diagnostics.append(
                    .error(
                        .brokenLink, "link to '\(link.destination)': no such scenario, runbook or page", at: location,
                        hint: "link to a file under scenarios/, runbooks/ or pages/, relative to this file"))
                continue
            }
            if document.isPublic, !documents[place].isPublic {
                diagnostics.append(
                    .error(
                        .publicLinksInternal, "public page links to the internal page '\(resolved)'", at: location,
                        hint: "remove the link, or mark the target 'classification: public'"))
            }
            if let fragment = target.fragment, !fragment.isEmpty,
                !documents[place].body.headings.contains(where: { $0.slug == fragment })
            {
                diagnostics.append(
                    .warning(
                        .brokenFragment, "'#\(fragment)' names no heading of '\(resolved)'", at: location,
                        hint: headingHint(documents[place].body)))
            }
        }
        return diagnostics
    }

    static func headingHint(_ body: MarkdownBody) -> String? {
        guard !body.headings.isEmpty else { return nil }
        return "headings there: " + body.headings.prefix(8).map { "#\($0.slug)" }.joined(separator: ", ")
    }
}
