import Foundation

/// The plan-wide internal pages: the RTO matrix, the call tree and the printable handbook.

/// The business impact view: every runbook with its objectives, owner, dependencies and dates. The
/// table is complete in the HTML; the theme's script only sorts and filters it.
struct MatrixView: TemplateValue {
    struct Row: TemplateValue {
        var runbook: Runbook
        var href: String
        var owner: String?
        var deputy: String?
        var dependencies: [LinkView]

        func field(_ name: FieldName) -> TemplateContent? {
            switch name {
            case .id: return .of(runbook.id)
            case .title: return .of(runbook.title)
            case .href: return .of(href)
            case .tier: return .of(runbook.tier)
            case .rto: return .of(runbook.rto.display)
            case .rtoSeconds: return .of(runbook.rto.seconds)
            case .rpo: return .of(runbook.rpo?.display)
            case .rpoSeconds: return .of(runbook.rpo?.seconds)
            case .mtpd: return .of(runbook.mtpd?.display)
            case .mtpdSeconds: return .of(runbook.mtpd?.seconds)
            case .owner: return .of(owner)
            case .deputy: return .of(deputy)
            case .dependencies: return .of(dependencies)
            case .lastReviewed: return .of(runbook.lastReviewed.description)
            case .lastExercised: return .of(runbook.lastExercised?.description)
            default: return nil
            }
        }
    }

    var rows: [Row]
    var tiers: [FactView]

    init(plan: borrowing Plan, paths: InternalPaths) {
        rows = plan.runbooks.sorted { ($0.tier, $0.rto, $0.id) < ($1.tier, $1.rto, $1.id) }.map { runbook in
            Row(
                runbook: runbook, href: paths.runbook(runbook.id), owner: plan.role(runbook.owner.id)?.title,
                deputy: runbook.deputy.flatMap { plan.role($0.id)?.title },
                dependencies: plan.runbooks(runbook.dependsOn).map { LinkView(text: $0.title, href: paths.runbook($0.id)) })
        }
        tiers = plan.configuration.policy.tiers.map { FactView(label: String($0.tier), value: $0.name) }
    }

    func field(_ name: FieldName) -> TemplateContent? {
        switch name {
        case .rows: return .of(rows)
        case .tiers: return .of(tiers)
        case .count: return .of(rows.count)
        default: return nil
        }
    }
}

/// Who calls whom: the roles that can declare a disruption first, then every other role by the most
/// critical tier it leads, each with its primary and alternates in order of succession.
struct CallTreeView: TemplateValue {
    struct Level: TemplateValue {
        var title: String
        var note: String
        var roles: [RoleView]

        func field(_ name: FieldName) -> TemplateContent? {
            switch name {
            case .title: return .of(title)
            case .note: return .of(note)
            case .roles: return .of(roles)
            default: return nil
            }
        }
    }

    var levels: [Level]

    init(plan: borrowing Plan, paths: InternalPaths) {
        // The most critical tier each role owns or deputises.
        var leads: [String: Int] = [:]
        for runbook in plan.runbooks {
            for role in [runbook.owner] + (runbook.deputy.map { [$0] } ?? []) {
                leads[role.id] = min(leads[role.id] ?? Int.max, runbook.tier)
            }
        }
        let declarers = plan.roles.filter(\.canDeclare)
        var levels = [
            Level(
                title: "Declare the disruption", note: "These roles assess the event and may declare a disruption. Call them first.",
                roles: declarers.map { RoleView($0, plan: plan, paths: paths) })
        ]
        let others = plan.roles.filter { !$0.canDeclare }
        for tier in plan.configuration.policy.tiers {
            let roles = others.filter { leads[$0.id] == tier.tier }
            guard !roles.isEmpty else { continue }
            levels.append(
                Level(
                    title: "Lead tier \(tier.tier) recoveries", note: "\(tier.name) functions\(tier.maxRTO.map { ", RTO at most \($0.display)" } ?? "").",
                    roles: roles.map { RoleView($0, plan: plan, paths: paths) }))
        }
        let rest = others.filter { leads[$0.id] == nil }
        if !rest.isEmpty {
            levels.append(
                Level(title: "Other roles", note: "Roles that lead no runbook.", roles: rest.map { RoleView($0, plan: plan, paths: paths) }))
        }
        self.levels = levels.filter { !$0.roles.isEmpty }
    }

    func field(_ name: FieldName) -> TemplateContent? { .of(name == .levels ? levels : nil) }
}

/// Everything for the binder on the shelf: contacts, call tree and every runbook on one page.
struct HandbookView: TemplateValue {
    /// One runbook of the handbook. The page lists every runbook twice, in its contents and in full, so
    /// an entry makes what a name asks for when it is asked: the contents ask for little. Two words, so
    /// that a template holds it without copying a runbook or boxing it.
    struct Entry: TemplateValue {
        let context: Context
        let position: Int

        var anchor: String { "runbook-\(context.ordered[position].id)" }

        /// The body, its links retargeted for the handbook page.
        var bodyBytes: [UInt8] {
            HTMLLinks.rebasedBytes(
                context.ordered[position].body.htmlBytes, from: context.base, anchors: context.anchors, idPrefix: "\(anchor)--")
        }

        func field(_ name: FieldName) -> TemplateContent? {
            // The runbook is read in place each time: a copy of it would retain every field.
            switch name {
            case .anchor: return .of(anchor)
            case .owner: return .of(context.views.role(context.ordered[position].owner))
            case .deputy: return .of(context.views.role(context.ordered[position].deputy))
            case .dependencies:
                return .of(context.views.dependencies(of: context.ordered[position], in: context.plan))
            case .dependencyList:
                // "A (RTO 1 h); B (RTO 4 h)": a line of text, escaped as any; nothing without dependencies,
                // so that a section of it shows only with some.
                let links = context.views.dependencies(of: context.ordered[position], in: context.plan)
                guard !links.isEmpty else { return nil }
                return .of(links.map { link in link.note.map { "\(link.text) (\($0))" } ?? link.text }.joined(separator: "; "))
            case .body: return .of(HTMLBytes(bytes: bodyBytes))
            default: return RunbookPageView.fact(name, of: context.ordered[position])
            }
        }
    }

    /// What every entry reads, held once.
    final class Context: Sendable {
        let ordered: [Runbook]
        let plan: Plan
        let views: SharedViews
        /// Internal page paths shown on the handbook page, by the anchor that replaces them.
        let anchors: [String: String]
        /// The runbooks' folder, which their links are relative to.
        let base = HTMLLinks.Base("runbooks/")

        init(ordered: [Runbook], plan: Plan, views: SharedViews, anchors: [String: String]) {
            self.ordered = ordered
            self.plan = plan
            self.views = views
            self.anchors = anchors
        }
    }

    /// The runbooks in handbook order, each made when the template reaches it: the handbook holds every
    /// runbook, and only one entry at a time need be in memory besides the page's bytes.
    struct Entries: RandomAccessCollection, TemplateList, TemplateData {
        let context: Context

        var startIndex: Int { 0 }
        var endIndex: Int { context.ordered.count }

        subscript(position: Int) -> Entry { Entry(context: context, position: position) }

        func forEachContent(_ body: (consuming TemplateContent) -> Void) {
            for entry in self { body(.object(entry)) }
        }

        var templateContent: TemplateContent { .list(self) }
    }

    var people: [PersonView]
    var callTree: CallTreeView
    var runbooks: Entries

    init(plan: Plan, views: SharedViews) {
        let paths = views.paths
        people = plan.people.sorted { ($0.name, $0.id) < ($1.name, $1.id) }.compactMap { views.people[$0.id] }
        callTree = CallTreeView(plan: plan, paths: paths)
        var anchors: [String: String] = [:]
        for runbook in plan.runbooks { anchors["runbooks/\(runbook.id).html"] = "runbook-\(runbook.id)" }
        let ordered = plan.runbooks.sorted { ($0.tier, $0.rto, $0.id) < ($1.tier, $1.rto, $1.id) }
        runbooks = Entries(context: Context(ordered: ordered, plan: plan, views: views, anchors: anchors))
    }

    func field(_ name: FieldName) -> TemplateContent? {
        switch name {
        case .people: return .of(people)
        case .levels: return .of(callTree.levels)
        case .runbooks: return .of(runbooks)
        default: return nil
        }
    }
}

/// Moves rendered Markdown to another page: relative links are re-resolved for a page at the site
/// root, links to pages shown on the same page become in-page anchors, and heading ids get a prefix so
/// that many documents can share a page. It reads the HTML cmark writes (double-quoted `href` and
/// `id` attributes), nothing more general.
enum HTMLLinks {
    /// The HTML rebased from the folder `base`, as UTF-8 (valid: the HTML is a `String`, and only whole
    /// attribute values are replaced).
    static func rebasedBytes(_ html: String, from base: Base, anchors: [String: String], idPrefix: String) -> [UInt8] {
        rebasedBytes(Array(html.utf8), from: base, anchors: anchors, idPrefix: idPrefix)
    }

    /// The same for HTML given as UTF-8.
    static func rebasedBytes(_ html: [UInt8], from base: Base, anchors: [String: String], idPrefix: String) -> [UInt8] {
        let prefix = Array(idPrefix.utf8)
        return html.withUnsafeBufferPointer { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 256)
            let quote = UInt8(ascii: "\"")
            /// Whether `name`, with a space before it, ends just before `index`.
            func attribute(_ name: StaticString, endsAt index: Int) -> Bool {
                let length = name.utf8CodeUnitCount
                guard index > length, bytes[index - length - 1] == UInt8(ascii: " ") else { return false }
                return name.withUTF8Buffer { name in
                    memcmp(bytes.baseAddress! + index - length, name.baseAddress!, length) == 0
                }
            }
            // Each `="` of a ` href` or ` id` in turn, found by the `=` (the C library's `memchr`: Markdown's
            // HTML has few besides these); runs between the attribute values are copied as they are.
            var copied = 0
            var index = 0
            while index < bytes.count, let found = memchr(bytes.baseAddress! + index, Int32(UInt8(ascii: "=")), bytes.count - index) {
                let equals = bytes.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                index = equals + 1
                guard equals + 1 < bytes.count, bytes[equals + 1] == quote else { continue }
                let isID = attribute("id", endsAt: equals)
                guard isID || attribute("href", endsAt: equals) else { continue }
                let start = equals + 2
                guard let end = bytes[start...].firstIndex(of: quote) else { break }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<start]))
                let value = UnsafeBufferPointer(rebasing: bytes[start..<end])
                if isID {
                    out.append(contentsOf: prefix)
                    out.append(contentsOf: value)
                } else {
                    retarget(value, from: base, anchors: anchors, idPrefix: prefix, into: &out)
                }
                copied = end
                index = end
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
            return out
        }
    }

    /// Appends `href` retargeted for a page at the site root: a link within the document (`#x`) gets the
    /// id prefix; a relative link is resolved from `base`, and becomes an in-page anchor when `anchors`
    /// holds its page; absolute links and URLs with a scheme stay as they are.
    static func retarget(
        _ href: UnsafeBufferPointer<UInt8>, from base: Base, anchors: [String: String], idPrefix: [UInt8],
        into out: inout [UInt8]
    ) {
        let hash = UInt8(ascii: "#")
        let slash = UInt8(ascii: "/")
        if href.first == hash {
            out.append(hash)
            out.append(contentsOf: idPrefix)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: href.dropFirst()))
            return
        }
        if href.isEmpty || href.first == slash || href.contains(UInt8(ascii: ":")) {
            out.append(contentsOf: href)
            return
        }
        let pathEnd = href.firstIndex(of: hash) ?? href.count
        let file = UnsafeBufferPointer(rebasing: href[..<pathEnd])
        let isDots = file.allSatisfy { $0 == UInt8(ascii: ".") } && file.count <= 2
        var path: [UInt8]
        if !file.isEmpty, !isDots, !file.contains(slash) {
            // The common case, a file in the same folder.
            path = base.prefixBytes
            path.append(contentsOf: file)
        } else {
            // Component by component: `..` goes up (not past the top), `.` and empty ones stay.
            var components = PathComponents()
            for component in base.components { components.push(component.utf8) }
            for part in file.split(separator: slash) {
                if part.count == 2, part.allSatisfy({ $0 == UInt8(ascii: ".") }) {
                    _ = components.pop()
                } else if !(part.count == 1 && part.first == UInt8(ascii: ".")) {
                    components.push(part)
                }
            }
            path = components.bytes
        }
        if let anchor = anchors[String(decoding: path, as: UTF8.self)] {
            out.append(hash)
            out.append(contentsOf: anchor.utf8)
            if pathEnd < href.count {
                out.append(contentsOf: "--".utf8)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: href[(pathEnd + 1)...]))
            }
        } else {
            out.append(contentsOf: path)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: href[pathEnd...]))
        }
    }

    /// The folder links are relative to, as path components and as the prefix of a file in it.
    struct Base {
        var components: [String]
        var prefixBytes: [UInt8]

        init(_ folder: String) {
            components = folder.split(separator: "/").map(String.init)
            prefixBytes = Array(components.map { $0 + "/" }.joined().utf8)
        }
    }
}
