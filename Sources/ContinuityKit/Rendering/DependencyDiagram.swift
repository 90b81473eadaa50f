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
    /// Each runbook's place in the whole plan ordered by id.
    let idRank: [Int]

    init(_ plan: Plan) {
        self.plan = plan
        dependsOn = plan.dependencyNumbers
        dependents = plan.dependentNumbers
        rank = DependencyDiagram.ranks(plan.runbooks)
        idRank = DependencyDiagram.idRanks(plan.runbooks)
    }

    /// The place of the runbook `id` in the plan.
    func number(_ id: String) -> Int? { plan.runbookNumber(id) }
}

/// A dependency picture, laid out at build time: runbooks in columns by recovery order (what others
/// depend on to the left), ordered within a column to keep edges short, every node a link. The
/// layout depends only on the runbooks and their ids, so the same plan draws the same picture.
struct DependencyDiagram: TemplateValue {
    /// A node where the layout put it: its face, moved to its place. Small enough (the place in 32-bit
    /// numbers) for a template value to hold it without a box of its own.
    struct Node: TemplateValue {
        var x: Int32
        var y: Int32
        var face: Face
        var focus: Bool

        init(x: Int, y: Int, face: Face, focus: Bool) {
            self.x = Int32(clamping: x)
            self.y = Int32(clamping: y)
            self.face = face
            self.focus = focus
        }

        func field(_ name: FieldName) -> TemplateContent? {
            switch name {
            case .x: return .number(Int(x))
            case .y: return .number(Int(y))
            case .face: return .of(face)
            case .focus: return .of(focus)
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

        func field(_ name: FieldName) -> TemplateContent? {
            switch name {
            case .href: return .of(href)
            case .title: return .of(title)
            case .label: return .of(label)
            case .tier: return .of(tier)
            case .rto: return .of(rto)
            case .width: return .of(DependencyDiagram.nodeWidth)
            case .height: return .of(DependencyDiagram.nodeHeight)
            default: return nil
            }
        }
    }

    /// An edge's SVG path (`curveBytes`), as ASCII bytes.
    struct Edge: TemplateValue {
        var path: [UInt8]
        func field(_ name: FieldName) -> TemplateContent? { name == .path ? .utf8(path) : nil }
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

    func field(_ name: FieldName) -> TemplateContent? {
        switch name {
        case .width: return .of(width)
        case .height: return .of(height)
        case .nodes: return .of(nodes)
        case .edges: return .of(edges)
        case .caption: return .of(caption)
        case .hidden: return .of(hidden > 0 ? hidden : nil)
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
    static func neighbourhood(of runbook: Runbook, number: Int? = nil, plan: Plan, graph: RunbookGraph, faces: [Face])
        -> DependencyDiagram?
    {
        guard let start = number ?? graph.number(runbook.id) else { return nil }
        var chosen = NumberSet(start)
        var order: [Int] = []
        var up = [start]
        var down = [start]
        for _ in 0..<2 {
            // Each once, in the order first met, leaving out those already in the picture.
            var nextUp: [Int] = []
            for number in up { for next in graph.dependsOn[number] where chosen.insert(next) { nextUp.append(next) } }
            var nextDown: [Int] = []
            for number in down { for next in graph.dependents[number] where chosen.insert(next) { nextDown.append(next) } }
            up = nextUp
            down = nextDown
            order += (up + down).sorted { graph.rank[$0] < graph.rank[$1] }
        }
        guard !order.isEmpty else { return nil }
        let shown = [start] + order.prefix(maxNodes - 1)
        var members = Members(capacity: shown.count)
        for number in shown {
            // Plan numbers to places in the picture: pictures are small, a search is quicker than hashing.
            members.append(face: faces[number], rank: graph.rank[number], idRank: graph.idRank[number]) { add in
                for dependency in graph.dependsOn[number] {
                    if let place = shown.firstIndex(of: dependency) { add(place) }
                }
            }
        }
        return layout(
            members, focus: 0, hidden: order.count - (shown.count - 1),
            caption: "What \(runbook.title) depends on (left) and what depends on it (right), two steps each way.")
    }

    /// Plan numbers, for a walk that meets each once: a short list searched in order, a set past 32.
    struct NumberSet {
        private var list: [Int]
        private var set: Set<Int>?

        init(_ first: Int) { list = [first] }

        /// True when `number` was not in the set (and now is).
        mutating func insert(_ number: Int) -> Bool {
            if set != nil { return set!.insert(number).inserted }
            if list.contains(number) { return false }
            list.append(number)
            if list.count > 32 { set = Set(list) }
            return true
        }
    }

    /// The runbooks of one picture, by place in it: what the layout needs of each.
    struct Members {
        var faces: [Face] = []
        /// Orders the members by RTO, then id.
        var rank: [Int] = []
        /// Orders the members by id, which breaks ties within a column.
        var idRank: [Int] = []
        /// Member `i` depends on the members `dependencies[dependencyStart[i]..<dependencyStart[i + 1]]`,
        /// ascending, each once.
        var dependencyStart: [Int] = [0]
        var dependencies: [Int] = []

        init(capacity: Int) {
            faces.reserveCapacity(capacity)
            rank.reserveCapacity(capacity)
            idRank.reserveCapacity(capacity)
            dependencyStart.reserveCapacity(capacity + 1)
        }

        var count: Int { faces.count }

        /// Adds a member; `dependencies` are places in the picture, in any order, repeats allowed.
        mutating func append(face: Face, rank: Int, idRank: Int, dependencies: [Int]) {
            append(face: face, rank: rank, idRank: idRank) { add in
                for place in dependencies { add(place) }
            }
        }

        /// Adds a member whose dependencies `each` hands, one place at a time, to the function it is
        /// given: they are kept ascending and each once, sorted where they are stored (a member has few).
        mutating func append(face: Face, rank: Int, idRank: Int, dependencies each: ((Int) -> Void) -> Void) {
            faces.append(face)
            self.rank.append(rank)
            self.idRank.append(idRank)
            let first = dependencies.count
            each { place in
                var k = dependencies.count
                while k > first, dependencies[k - 1] > place { k -= 1 }
                guard k == first || dependencies[k - 1] != place else { return }
                dependencies.insert(place, at: k)
            }
            dependencyStart.append(dependencies.count)
        }
    }

    /// `runbooks` as the members of one picture.
    static func members(_ runbooks: [Runbook], face: (Runbook) -> Face) -> Members {
        let rank = ranks(runbooks)
        let idRank = idRanks(runbooks)
        var index: [String: Int] = [:]
        for (i, runbook) in runbooks.enumerated() { index[runbook.id] = i }
        var members = Members(capacity: runbooks.count)
        for (i, runbook) in runbooks.enumerated() {
            members.append(
                face: face(runbook), rank: rank[i], idRank: idRank[i],
                dependencies: runbook.dependsOn.compactMap { index[$0.id] })
        }
        return members
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
        return places(of: keys.indices.sorted { (keys[$0].rto, keys[$0].id) < (keys[$1].rto, keys[$1].id) })
    }

    /// Each runbook's place when ordered by id.
    static func idRanks(_ runbooks: [Runbook]) -> [Int] {
        places(of: runbooks.indices.sorted { runbooks[$0].id < runbooks[$1].id })
    }

    /// For an ordering of `0..<n`, the place of each number in it.
    static func places(of order: [Int]) -> [Int] {
        var place = Array(repeating: 0, count: order.count)
        for (k, i) in order.enumerated() { place[i] = k }
        return place
    }

    /// `runbooks` ordered by RTO, then id.
    static func sortedByRTO(_ runbooks: [Runbook]) -> [Runbook] {
        let rank = ranks(runbooks)
        return runbooks.indices.sorted { rank[$0] < rank[$1] }.map { runbooks[$0] }
    }

    /// Places the members (`focus` is the place of the one the picture is about) and draws the edges.
    static func layout(_ members: Members, focus: Int?, hidden: Int, caption: String) -> DependencyDiagram {
        let count = members.count
        let edgeCount = members.dependencies.count
        // The layout's tables, a few numbers per member, in one scratch allocation (on the stack when
        // small) instead of a dozen arrays per picture.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 8 * count + 5 + edgeCount) { ints in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * count) { doubles in
                ints.initialize(repeating: 0)
                doubles.initialize(repeating: 0)
                var rest = ints[...]
                func take(_ n: Int) -> UnsafeMutableBufferPointer<Int> {
                    defer { rest = rest.dropFirst(n) }
                    return UnsafeMutableBufferPointer(rebasing: rest.prefix(n))
                }
                let tables = Tables(
                    dependentStart: take(count + 1), dependents: take(edgeCount), filled: take(count + 1),
                    column: take(count), columnStart: take(count + 2), placed: take(count), originX: take(count),
                    originY: take(count), position: UnsafeMutableBufferPointer(rebasing: doubles[0..<count]),
                    key: UnsafeMutableBufferPointer(rebasing: doubles[count..<(2 * count)]))
                return layout(members, focus: focus, hidden: hidden, caption: caption, in: tables)
            }
        }
    }

    /// Scratch tables of one layout, each zeroed, of the sizes their names need (`columnStart` has room for
    /// one column more than there are members, the single column of an empty picture).
    private struct Tables {
        var dependentStart, dependents, filled, column, columnStart, placed, originX, originY: UnsafeMutableBufferPointer<Int>
        var position, key: UnsafeMutableBufferPointer<Double>
    }

    private static func layout(_ members: Members, focus: Int?, hidden: Int, caption: String, in tables: Tables)
        -> DependencyDiagram
    {
        let count = members.count
        let rank = members.rank
        let idRank = members.idRank
        let depStart = members.dependencyStart
        let deps = members.dependencies
        // What depends on each member, in the same compressed form.
        let dependentStart = tables.dependentStart
        for d in deps { dependentStart[d + 1] += 1 }
        for i in 0..<count { dependentStart[i + 1] += dependentStart[i] }
        let dependents = tables.dependents
        let filled = tables.filled
        for i in 0...count { filled[i] = dependentStart[i] }
        for i in 0..<count {
            for k in depStart[i]..<depStart[i + 1] {
                dependents[filled[deps[k]]] = i
                filled[deps[k]] += 1
            }
        }

        // Column: the longest chain of dependencies below a runbook (bounded, so a cycle cannot loop).
        let column = tables.column
        for _ in 0..<count {
            var changed = false
            for i in 0..<count {
                var wanted = 0
                for k in depStart[i]..<depStart[i + 1] { wanted = max(wanted, column[deps[k]] + 1) }
                if wanted > column[i], wanted < count { column[i] = wanted; changed = true }
            }
            if !changed { break }
        }
        let columnCount = (column.max() ?? 0) + 1
        // The members column by column, each column first in rank order: `placed[columnStart[c]..<columnStart[c + 1]]`.
        let columnStart = tables.columnStart
        for c in column { columnStart[c + 1] += 1 }
        for c in 0..<columnCount { columnStart[c + 1] += columnStart[c] }
        var placed = tables.placed
        for i in 0..<count { placed[i] = i }
        placed.sort { (a: Int, b: Int) -> Bool in column[a] != column[b] ? column[a] < column[b] : rank[a] < rank[b] }

        // Order each column by the mean position of its neighbours: one sweep each way.
        let position = tables.position
        for c in 0..<columnCount {
            for k in columnStart[c]..<columnStart[c + 1] { position[placed[k]] = Double(k - columnStart[c]) }
        }
        let key = tables.key
        func sweep(_ c: Int, neighbourStart: UnsafeBufferPointer<Int>, neighbours: UnsafeBufferPointer<Int>) {
            let range = columnStart[c]..<columnStart[c + 1]
            for k in range {
                let i = placed[k]
                let first = neighbourStart[i], end = neighbourStart[i + 1]
                if first == end {
                    key[i] = position[i]
                } else {
                    var sum = 0.0
                    for n in first..<end { sum += position[neighbours[n]] }
                    key[i] = sum / Double(end - first)
                }
            }
            var slice = UnsafeMutableBufferPointer(rebasing: placed[range])
            slice.sort { (a: Int, b: Int) -> Bool in key[a] != key[b] ? key[a] < key[b] : idRank[a] < idRank[b] }
            for k in range { position[placed[k]] = Double(k - columnStart[c]) }
        }
        depStart.withUnsafeBufferPointer { depStart in
            deps.withUnsafeBufferPointer { deps in
                for c in stride(from: 1, to: columnCount, by: 1) { sweep(c, neighbourStart: depStart, neighbours: deps) }
            }
        }
        for c in stride(from: columnCount - 2, through: 0, by: -1) {
            sweep(c, neighbourStart: UnsafeBufferPointer(dependentStart), neighbours: UnsafeBufferPointer(dependents))
        }

        var rows = 1
        for c in 0..<columnCount { rows = max(rows, columnStart[c + 1] - columnStart[c]) }
        let fullHeight = rows * (nodeHeight + rowGap) - rowGap
        // Columns left to right, each top to bottom: already in the order of (x, y).
        var nodes: [Node] = []
        nodes.reserveCapacity(count)
        let originX = tables.originX
        let originY = tables.originY
        for c in 0..<columnCount {
            let columnHeight = (columnStart[c + 1] - columnStart[c]) * (nodeHeight + rowGap) - rowGap
            let top = margin + (fullHeight - columnHeight) / 2
            let x = margin + c * (nodeWidth + columnGap)
            for k in columnStart[c]..<columnStart[c + 1] {
                let i = placed[k]
                let y = top + (k - columnStart[c]) * (nodeHeight + rowGap)
                originX[i] = x
                originY[i] = y
                nodes.append(Node(x: x, y: y, face: members.faces[i], focus: i == focus))
            }
        }
        var paths: [[UInt8]] = []
        for i in 0..<count {
            for k in depStart[i]..<depStart[i + 1] where column[deps[k]] < column[i] {
                let d = deps[k]
                let start = (x: originX[d] + nodeWidth, y: originY[d] + nodeHeight / 2)
                let end = (x: originX[i] - 4, y: originY[i] + nodeHeight / 2)
                paths.append(curveBytes(from: start, to: end, bend: (end.x - start.x) / 2))
            }
        }
        // Ordered as the paths' text: its bytes, all ASCII, compared with `memcmp`.
        paths.sort { a, b in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    let order = memcmp(a.baseAddress!, b.baseAddress!, min(a.count, b.count))
                    return order != 0 ? order < 0 : a.count < b.count
                }
            }
        }
        return DependencyDiagram(
            width: 2 * margin + columnCount * nodeWidth + (columnCount - 1) * columnGap,
            height: 2 * margin + fullHeight, nodes: nodes, edges: paths.map(Edge.init), caption: caption, hidden: hidden)
    }

    /// The SVG path of an edge, as ASCII bytes: `M x,y C x+bend,y x'-bend,y' x',y'`.
    static func curveBytes(from start: (x: Int, y: Int), to end: (x: Int, y: Int), bend: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(48)
        bytes.append(UInt8(ascii: "M"))
        DecimalText.append(start.x, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        DecimalText.append(start.y, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        bytes.append(UInt8(ascii: "C"))
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
        return bytes
    }

    static func shorten(_ text: String, to limit: Int) -> String {
        // A character takes at least one byte: a text of `limit` bytes or fewer is short enough.
        guard text.utf8.count > limit else { return text }
        return shortenedASCII(text, to: limit) ?? shortenedCharacters(text, to: limit)
    }

    /// `shorten` for ASCII text without a carriage return, where every byte is a character: cut and
    /// trimmed on the bytes (the only ASCII space separator is the space). Nil for other text.
    static func shortenedASCII(_ text: String, to limit: Int) -> String? {
        text.withBytes { bytes -> String? in
            guard limit >= 1, !bytes.contains(where: { $0 >= 0x80 || $0 == 13 }) else { return nil }
            func isBlank(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 }
            var start = 0
            var end = limit - 1
            while start < end, isBlank(bytes[start]) { start += 1 }
            while end > start, isBlank(bytes[end - 1]) { end -= 1 }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) + "…"
        }
    }

    /// `shorten`, character by character.
    static func shortenedCharacters(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
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
