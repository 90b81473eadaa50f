import Foundation

/// The plan's dependencies by runbook number (its place in `Plan.runbooks`), for drawing pictures:
/// built once, read by every page.
final class RunbookGraph: Sendable {
    private let plan: Plan
    /// What each runbook depends on, in the order of its `depends_on`, each once.
    let dependsOn: [[Int]]
    /// The runbooks that depend on each, in plan order.
    let dependents: [[Int]]
    /// Each runbook's place in the whole plan ordered by RTO, then id (`DependencyDiagram.ranks`).
    let rank: [Int]

    init(_ plan: Plan) {
        self.plan = plan
        dependsOn = plan.dependencyNumbers
        dependents = plan.dependentNumbers
        rank = DependencyDiagram.ranks(plan.runbooks)
    }

    /// The place of the runbook `id` in the plan.
    func number(_ id: String) -> Int? { plan.runbookNumber(id) }
}

/// A dependency picture, laid out at build time: runbooks in columns by recovery order (what others
/// depend on to the left), ordered within a column to keep edges short, every node a link. The
/// layout depends only on the runbooks and their ids, so the same plan draws the same picture.
struct DependencyDiagram: TemplateValue {
    /// A node where the layout put it: its face, moved to its place.
    struct Node: TemplateValue {
        var x: Int
        var y: Int
        var face: Face
        var focus: Bool

        func field(_ name: String) -> TemplateContent? {
            switch name {
            case "x": return .of(x)
            case "y": return .of(y)
            case "face": return .of(face)
            case "focus": return .of(focus)
            default: return nil
            }
        }
    }

    /// What a runbook's node shows, wherever it is drawn: its link, title, shortened label, tier and RTO.
    /// One object per runbook and folder depth (`SharedViews.runbookFaces`), so that the theme's partial
    /// for it is rendered once and copied into every picture the runbook is in (`FragmentCache`).
    final class Face: TemplateValue {
        let href: String
        let title: String
        let label: String
        let tier: Int
        let rto: String

        init(_ runbook: Runbook, href: String) {
            self.href = href
            title = runbook.title
            label = DependencyDiagram.shorten(runbook.title, to: DependencyDiagram.labelLength)
            tier = runbook.tier
            rto = runbook.rto.display
        }

        var fragmentIdentity: AnyObject? { self }

        func field(_ name: String) -> TemplateContent? {
            switch name {
            case "href": return .of(href)
            case "title": return .of(title)
            case "label": return .of(label)
            case "tier": return .of(tier)
            case "rto": return .of(rto)
            case "width": return .of(DependencyDiagram.nodeWidth)
            case "height": return .of(DependencyDiagram.nodeHeight)
            default: return nil
            }
        }
    }

    struct Edge: TemplateValue {
        var path: String
        func field(_ name: String) -> TemplateContent? { .of(name == "path" ? path : nil) }
    }

    static let nodeWidth = 200
    static let nodeHeight = 52
    static let columnGap = 56
    static let rowGap = 14
    static let margin = 8
    /// The most nodes a picture shows; more are counted, not drawn.
    static let maxNodes = 30
    /// The most characters of a title a node shows.
    static let labelLength = 24

    var width: Int
    var height: Int
    var nodes: [Node]
    var edges: [Edge]
    var caption: String
    var hidden: Int

    func field(_ name: String) -> TemplateContent? {
        switch name {
        case "width": return .of(width)
        case "height": return .of(height)
        case "nodes": return .of(nodes)
        case "edges": return .of(edges)
        case "caption": return .of(caption)
        case "hidden": return .of(hidden > 0 ? hidden : nil)
        default: return nil
        }
    }

    /// The neighbourhood of a runbook: what it depends on and what depends on it, two levels each way.
    static func neighbourhood(of runbook: Runbook, plan: Plan, paths: InternalPaths) -> DependencyDiagram? {
        neighbourhood(
            of: runbook, plan: plan, graph: RunbookGraph(plan),
            faces: plan.runbooks.map { Face($0, href: paths.runbook($0.id)) })
    }

    /// The same, walking a graph of the plan built once for all pages, with the runbooks' nodes (`faces`,
    /// by runbook number) as seen from the page the picture is on.
    static func neighbourhood(of runbook: Runbook, plan: Plan, graph: RunbookGraph, faces: [Face])
        -> DependencyDiagram?
    {
        guard let start = graph.number(runbook.id) else { return nil }
        var chosen: Set<Int> = [start]
        var order: [Int] = []
        var up = [start]
        var down = [start]
        for _ in 0..<2 {
            let nextUp = up.flatMap { graph.dependsOn[$0] }
            let nextDown = down.flatMap { graph.dependents[$0] }
            // Each once, in the order first met, leaving out those already in the picture.
            up = nextUp.filter { chosen.insert($0).inserted }
            down = nextDown.filter { chosen.insert($0).inserted }
            order += (up + down).sorted { graph.rank[$0] < graph.rank[$1] }
        }
        guard !order.isEmpty else { return nil }
        let shown = [start] + order.prefix(maxNodes - 1)
        // Plan numbers to places in the picture: pictures are small, a search is quicker than hashing.
        let members = shown.map { number in
            Member(
                id: plan.runbooks[number].id, face: faces[number], rank: graph.rank[number],
                dependencies: graph.dependsOn[number].compactMap { shown.firstIndex(of: $0) }.sorted())
        }
        return layout(
            members, focus: runbook.id, hidden: order.count - (shown.count - 1),
            caption: "What \(runbook.title) depends on (left) and what depends on it (right), two steps each way.")
    }

    /// A runbook in a picture, with what the layout needs of it.
    struct Member {
        var id: String
        var face: Face
        /// Orders the members by RTO, then id.
        var rank: Int
        /// The members it depends on, by place in the picture, ascending, each once.
        var dependencies: [Int]
    }

    /// `runbooks` as members of one picture.
    static func members(_ runbooks: [Runbook], face: (Runbook) -> Face) -> [Member] {
        let rank = ranks(runbooks)
        var index: [String: Int] = [:]
        for (i, runbook) in runbooks.enumerated() { index[runbook.id] = i }
        return runbooks.indices.map { i in
            let runbook = runbooks[i]
            return Member(
                id: runbook.id, face: face(runbook), rank: rank[i],
                dependencies: Array(Set(runbook.dependsOn.compactMap { index[$0.id] })).sorted())
        }
    }

    /// The runbooks that answer a scenario and the dependencies between them.
    static func scenario(_ runbooks: [Runbook], title: String, paths: InternalPaths) -> DependencyDiagram? {
        scenario(runbooks, title: title) { Face($0, href: paths.runbook($0.id)) }
    }

    /// The same, with each runbook's node (`face`) as the pages of the folder share it.
    static func scenario(_ runbooks: [Runbook], title: String, face: (Runbook) -> Face) -> DependencyDiagram? {
        guard runbooks.count > 1 else { return nil }
        let sorted = sortedByRTO(runbooks)
        let shown = Array(sorted.prefix(maxNodes))
        return layout(
            members(shown, face: face), focus: nil, hidden: sorted.count - shown.count,
            caption: "Recovery order for \(title): each runbook after those it depends on.")
    }

    /// Each runbook's place when ordered by RTO, then id.
    static func ranks(_ runbooks: [Runbook]) -> [Int] {
        let keys = runbooks.map { (rto: $0.rto, id: $0.id) }
        let order = keys.indices.sorted { (keys[$0].rto, keys[$0].id) < (keys[$1].rto, keys[$1].id) }
        var rank = Array(repeating: 0, count: runbooks.count)
        for (place, i) in order.enumerated() { rank[i] = place }
        return rank
    }

    /// `runbooks` ordered by RTO, then id.
    static func sortedByRTO(_ runbooks: [Runbook]) -> [Runbook] {
        let rank = ranks(runbooks)
        return runbooks.indices.sorted { rank[$0] < rank[$1] }.map { runbooks[$0] }
    }

    static func layout(_ members: [Member], focus: String?, hidden: Int, caption: String)
        -> DependencyDiagram
    {
        // Fields read while sorting, read once: a comparison then costs no copies.
        let ids = members.map(\.id)
        let rank = members.map(\.rank)
        // deps[i]: indices runbook i depends on, within the picture.
        let deps = members.map(\.dependencies)
        var dependents = Array(repeating: [Int](), count: members.count)
        for (i, list) in deps.enumerated() { for d in list { dependents[d].append(i) } }

        // Column: the longest chain of dependencies below a runbook (bounded, so a cycle cannot loop).
        var column = Array(repeating: 0, count: members.count)
        for _ in 0..<members.count {
            var changed = false
            for i in members.indices {
                let wanted = (deps[i].map { column[$0] + 1 }.max() ?? 0)
                if wanted > column[i], wanted < members.count { column[i] = wanted; changed = true }
            }
            if !changed { break }
        }
        let columnCount = (column.max() ?? 0) + 1
        var columns = Array(repeating: [Int](), count: columnCount)
        for i in members.indices { columns[column[i]].append(i) }
        for c in columns.indices { columns[c].sort { rank[$0] < rank[$1] } }

        // Order each column by the mean position of its neighbours: one sweep each way.
        var position = Array(repeating: 0.0, count: members.count)
        func place() { for column in columns { for (k, i) in column.enumerated() { position[i] = Double(k) } } }
        place()
        func sweep(_ range: [Int], neighbours: [[Int]]) {
            var key = Array(repeating: 0.0, count: members.count)
            for c in range {
                for i in columns[c] { key[i] = mean(neighbours[i].map { position[$0] }) ?? position[i] }
                columns[c].sort { a, b in
                    let pa = key[a], pb = key[b]
                    return pa != pb ? pa < pb : ids[a] < ids[b]
                }
                for (k, i) in columns[c].enumerated() { position[i] = Double(k) }
            }
        }
        sweep(Array(1..<max(1, columnCount)), neighbours: deps)
        sweep(Array((0..<max(0, columnCount - 1)).reversed()), neighbours: dependents)

        let rows = columns.map(\.count).max() ?? 1
        let fullHeight = rows * (nodeHeight + rowGap) - rowGap
        var nodes: [Node] = []
        var origin = Array(repeating: (x: 0, y: 0), count: members.count)
        for (c, placed) in columns.enumerated() {
            let columnHeight = placed.count * (nodeHeight + rowGap) - rowGap
            let top = margin + (fullHeight - columnHeight) / 2
            for (k, i) in placed.enumerated() {
                let x = margin + c * (nodeWidth + columnGap)
                let y = top + k * (nodeHeight + rowGap)
                origin[i] = (x, y)
                let member = members[i]
                nodes.append(Node(x: x, y: y, face: member.face, focus: member.id == focus))
            }
        }
        var edges: [Edge] = []
        for (i, list) in deps.enumerated() {
            for d in list where column[d] < column[i] {
                let start = (x: origin[d].x + nodeWidth, y: origin[d].y + nodeHeight / 2)
                let end = (x: origin[i].x - 4, y: origin[i].y + nodeHeight / 2)
                let bend = (end.x - start.x) / 2
                edges.append(Edge(path: curve(from: start, to: end, bend: bend)))
            }
        }
        edges.sort { $0.path < $1.path }
        nodes.sort { ($0.x, $0.y) < ($1.x, $1.y) }
        return DependencyDiagram(
            width: 2 * margin + columnCount * nodeWidth + (columnCount - 1) * columnGap,
            height: 2 * margin + fullHeight, nodes: nodes, edges: edges, caption: caption, hidden: hidden)
    }

    /// The SVG path of an edge: `M x,y C x+bend,y x'-bend,y' x',y'`.
    static func curve(from start: (x: Int, y: Int), to end: (x: Int, y: Int), bend: Int) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(48)
        bytes.append(UInt8(ascii: "M"))
        DecimalText.append(start.x, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        DecimalText.append(start.y, to: &bytes)
        bytes.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: "C")])
        DecimalText.append(start.x + bend, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        DecimalText.append(start.y, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        DecimalText.append(end.x - bend, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        DecimalText.append(end.y, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        DecimalText.append(end.x, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        DecimalText.append(end.y, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    static func shorten(_ text: String, to limit: Int) -> String {
        // A character takes at least one byte: a text of `limit` bytes or fewer is short enough.
        guard text.utf8.count > limit, text.count > limit else { return text }
        // Spaces and tabs at either end of the cut go, as `CharacterSet.whitespaces` would take them.
        func isBlank(_ character: Character) -> Bool {
            character == "\t" || character.unicodeScalars.allSatisfy { $0.properties.generalCategory == .spaceSeparator }
        }
        var cut = text.prefix(limit - 1)
        while let first = cut.first, isBlank(first) { cut = cut.dropFirst() }
        while let last = cut.last, isBlank(last) { cut = cut.dropLast() }
        return cut + "…"
    }
}
