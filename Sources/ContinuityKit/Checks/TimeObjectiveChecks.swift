/// Time objectives: RTO within MTPD and the tier's limit, no runbook recovering before what it
/// depends on (followed through chains), no dependency cycles, and RPOs that fit their dependencies.
enum TimeObjectiveChecks {
    static func run(_ context: CheckContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for runbook in context.plan.runbooks {
            diagnostics += objectives(runbook, context)
        }
        diagnostics += dependencies(context)
        return diagnostics
    }

    static func objectives(_ runbook: Runbook, _ context: CheckContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        if let mtpd = runbook.mtpd, runbook.rto > mtpd {
            diagnostics.append(
                .error(
                    .rtoExceedsMTPD,
                    "runbook '\(runbook.id)' has an RTO of \(runbook.rto.display), longer than its MTPD of \(mtpd.display)",
                    at: runbook.origin["rto"],
                    notes: [Diagnostic.Note("MTPD set here", at: runbook.origin["mtpd"])],
                    hint: "the function must be back before the disruption becomes intolerable: shorten the RTO or revisit the MTPD"))
        }
        if let tier = context.policy.tier(runbook.tier), let limit = tier.maxRTO, runbook.rto > limit {
            diagnostics.append(
                .error(
                    .rtoExceedsTier,
                    "runbook '\(runbook.id)' is tier \(tier.tier) (\(tier.name)), which allows an RTO of at most \(limit.display); its RTO is \(runbook.rto.display)",
                    at: runbook.origin["rto"],
                    hint: "shorten the RTO or move the runbook to a lower tier"))
        }
        return diagnostics
    }

    static func dependencies(_ context: CheckContext) -> [Diagnostic] {
        let runbooks = context.plan.runbooks
        let graph = DependencyGraph(context.plan)
        var diagnostics: [Diagnostic] = []
        var inCycle = Array(repeating: false, count: runbooks.count)

        // Components come out dependencies first, so each runbook's dependencies are settled before it.
        // `worst[i]`: the runbook with the longest RTO that i reaches through depends_on; `via[i]`: the
        // direct dependency on the way there.
        var worst = Array(repeating: -1, count: runbooks.count)
        var via = Array(repeating: -1, count: runbooks.count)
        // `hops[i]`: how many runbooks stand between i and worst[i], so messages need not walk long chains.
        var hops = Array(repeating: 0, count: runbooks.count)
        for component in graph.components() {
            let isCycle = component.count > 1 || graph.edges[component[0]].contains(component[0])
            if isCycle {
                for member in component { inCycle[member] = true }
                diagnostics.append(cycleDiagnostic(component, members: Set(component), graph: graph))
                continue
            }
            let node = component[0]
            for dependency in graph.edges[node] where !inCycle[dependency] {
                let candidate = worst[dependency] >= 0 && runbooks[worst[dependency]].rto > runbooks[dependency].rto
                    ? worst[dependency] : dependency
                if worst[node] < 0 || runbooks[candidate].rto > runbooks[worst[node]].rto {
                    worst[node] = candidate
                    via[node] = dependency
                    hops[node] = candidate == dependency ? 0 : hops[dependency] + 1
                }
            }
        }

        for (i, runbook) in runbooks.enumerated() where worst[i] >= 0 && runbooks[worst[i]].rto > runbook.rto {
            diagnostics.append(chainDiagnostic(i, worst: worst, via: via, hops: hops[i], context: context))
        }
        diagnostics += recoveryPoints(runbooks, graph: graph)
        return diagnostics
    }

    /// The longest stretch of a chain a message names in full.
    static let namedHops = 6

    static func chainDiagnostic(_ i: Int, worst: [Int], via: [Int], hops: Int, context: CheckContext) -> Diagnostic {
        let runbooks = context.plan.runbooks
        let runbook = runbooks[i]
        let target = runbooks[worst[i]]
        // Walk the chain from the runbook towards the one with the longest RTO, naming the first hops.
        var chain: [String] = []
        var node = via[i]
        while node >= 0, node != worst[i], chain.count < namedHops {
            chain.append(runbooks[node].id)
            node = via[node]
        }
        if hops > chain.count { chain.append("… (\(hops - chain.count) more)") }
        let through = chain.isEmpty ? "" : " through " + chain.joined(separator: " → ")
        let firstHop = runbook.dependsOn.first { $0.id == runbooks[via[i]].id }?.location ?? runbook.origin["depends_on"]
        return .error(
            .rtoChain,
            "\(context.describe(runbook)) depends on \(context.describe(target))\(through): it cannot recover before what it depends on",
            at: firstHop,
            notes: [Diagnostic.Note("\(target.id) has an RTO of \(target.rto.display)", at: target.origin["rto"])],
            hint: "give '\(target.id)' an RTO of at most \(runbook.rto.display), or lengthen this runbook's RTO")
    }

    static func cycleDiagnostic(_ component: [Int], members: Set<Int>, graph: DependencyGraph) -> Diagnostic {
        let runbooks = graph.runbooks
        // Report once, starting from the member with the smallest id, so the output is stable.
        let start = component.min { runbooks[$0].id < runbooks[$1].id } ?? component[0]
        let cycle = graph.cycle(from: start, within: members)
        let names = (cycle + [start]).map { runbooks[$0].id }.joined(separator: " → ")
        func edgeLocation(_ from: Int, _ to: Int) -> SourceLocation {
            runbooks[from].dependsOn.first { $0.id == runbooks[to].id }?.location ?? runbooks[from].origin["depends_on"]
        }
        var notes: [Diagnostic.Note] = []
        for (k, node) in cycle.enumerated().dropFirst() {
            let next = k + 1 < cycle.count ? cycle[k + 1] : start
            notes.append(Diagnostic.Note("\(runbooks[node].id) depends on \(runbooks[next].id)", at: edgeLocation(node, next)))
        }
        let others = component.filter { !cycle.contains($0) }.map { runbooks[$0].id }.sorted()
        if !others.isEmpty {
            notes.append(Diagnostic.Note("also caught in the cycle: \(others.joined(separator: ", "))"))
        }
        let next = cycle.count > 1 ? cycle[1] : start
        return .error(
            .dependencyCycle, "depends_on forms a cycle: \(names)", at: edgeLocation(start, next), notes: notes,
            hint: "a runbook cannot wait for itself: remove one of these dependencies")
    }

    /// A direct dependency may not lose more data than the runbook that relies on it (warning).
    static func recoveryPoints(_ runbooks: [Runbook], graph: DependencyGraph) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for (i, runbook) in runbooks.enumerated() {
            guard let rpo = runbook.rpo else { continue }
            for d in graph.edges[i] {
                guard let dependencyRPO = runbooks[d].rpo, dependencyRPO > rpo else { continue }
                let location = runbook.dependsOn.first { $0.id == runbooks[d].id }?.location ?? runbook.origin["depends_on"]
                diagnostics.append(
                    .warning(
                        .rpoChain,
                        "runbook '\(runbook.id)' has an RPO of \(rpo.display) but depends on '\(runbooks[d].id)', whose RPO is \(dependencyRPO.display)",
                        at: location,
                        notes: [Diagnostic.Note("\(runbooks[d].id)'s RPO", at: runbooks[d].origin["rpo"])],
                        hint: "data lost in '\(runbooks[d].id)' is lost to this runbook too"))
            }
        }
        return diagnostics
    }
}
