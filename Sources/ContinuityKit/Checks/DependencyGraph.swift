/// The `depends_on` graph of the runbooks, by index into `plan.runbooks`: edges go from a runbook to
/// those it depends on. Everything here runs in O(V + E).
struct DependencyGraph {
    let runbooks: [Runbook]
    /// `edges[i]`: the indices runbook i depends on, in the order written, without repeats.
    let edges: [[Int]]

    /// The graph of the plan's runbooks, from the dependencies the plan has already numbered.
    init(_ plan: Plan) {
        runbooks = plan.runbooks
        edges = plan.dependencyNumbers
    }

    /// Strongly connected components (Tarjan, iterative). Components come out dependencies first.
    func components() -> [[Int]] {
        let n = runbooks.count
        var order = Array(repeating: -1, count: n)
        var low = Array(repeating: 0, count: n)
        var onStack = Array(repeating: false, count: n)
        var stack: [Int] = []
        var result: [[Int]] = []
        var counter = 0
        for root in 0..<n where order[root] == -1 {
            // Each frame: a node and the position of the next edge to follow.
            var frames: [(node: Int, next: Int)] = [(root, 0)]
            order[root] = counter
            low[root] = counter
            counter += 1
            stack.append(root)
            onStack[root] = true
            while let frame = frames.last {
                let node = frame.node
                if frame.next < edges[node].count {
                    frames[frames.count - 1].next += 1
                    let target = edges[node][frame.next]
                    if order[target] == -1 {
                        order[target] = counter
                        low[target] = counter
                        counter += 1
                        stack.append(target)
                        onStack[target] = true
                        frames.append((target, 0))
                    } else if onStack[target] {
                        low[node] = min(low[node], order[target])
                    }
                    continue
                }
                frames.removeLast()
                if let parent = frames.last?.node { low[parent] = min(low[parent], low[node]) }
                if low[node] == order[node] {
                    var component: [Int] = []
                    while let top = stack.popLast() {
                        onStack[top] = false
                        component.append(top)
                        if top == node { break }
                    }
                    result.append(component)
                }
            }
        }
        return result
    }

    /// A cycle through `start` whose nodes all lie in `members`, as indices from `start` back to it
    /// (the start not repeated), found by breadth-first search.
    func cycle(from start: Int, within members: Set<Int>) -> [Int] {
        var previous: [Int: Int] = [:]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for target in edges[node] where members.contains(target) {
                if target == start {
                    var path = [node]
                    while let p = previous[path[path.count - 1]] { path.append(p) }
                    return Array(path.reversed())
                }
                if previous[target] == nil, target != start {
                    previous[target] = node
                    queue.append(target)
                }
            }
        }
        return [start]
    }
}
