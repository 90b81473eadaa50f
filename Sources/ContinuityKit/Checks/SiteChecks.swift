/// Sites and scenarios: every site a scenario takes out can move to an alternate the same disruption
/// does not reach, and every scenario has runbooks that answer it.
enum SiteChecks {
    static func run(_ context: CheckContext) -> [Diagnostic] {
        let plan = context.plan
        var diagnostics: [Diagnostic] = []
        for scenario in plan.scenarios {
            diagnostics += separation(scenario, plan)
            if plan.runbooks(answering: scenario.id).isEmpty {
                diagnostics.append(
                    .error(
                        .unansweredScenario, "no runbook answers scenario '\(scenario.id)'",
                        at: scenario.origin["title"],
                        hint: "list '\(scenario.id)' in the 'scenarios' of the runbooks to activate"))
            }
        }
        for runbook in plan.runbooks where context.isCritical(runbook) && runbook.scenarios.isEmpty {
            diagnostics.append(
                .warning(
                    .runbookWithoutScenario,
                    "tier \(runbook.tier) runbook '\(runbook.id)' answers no scenario, so no scenario page lists it",
                    at: runbook.origin["title"], hint: "add 'scenarios: [scenario-id]'"))
        }
        return diagnostics
    }

    /// Whether `alternate` lies outside the reach of a disruption of `scope` centred on `site`.
    static func isOutside(_ alternate: Site, of site: Site, scope: Scope) -> Bool {
        switch scope {
        case .facility:
            return alternate.id != site.id
        case .district:
            // Districts are named within a city; another city is another district.
            guard alternate.city == site.city, alternate.region == site.region else { return true }
            guard let a = alternate.district, let b = site.district else { return false }
            return a != b
        case .city:
            return alternate.city != site.city || alternate.region != site.region
        case .region:
            return alternate.region != site.region
        }
    }

    static func separation(_ scenario: Scenario, _ plan: Plan) -> [Diagnostic] {
        let takenOut = Set(scenario.sites.map(\.id))
        var diagnostics: [Diagnostic] = []
        for ref in scenario.sites {
            guard let site = plan.site(ref.id) else { continue }
            let alternates = plan.sites(site.alternates)
            let usable = alternates.filter {
                !takenOut.contains($0.id) && isOutside($0, of: site, scope: scenario.scope)
            }
            guard usable.isEmpty else { continue }
            let described = alternates.isEmpty
                ? "it has no alternate site"
                : "its alternates (" + alternates.map { alternateDescription($0, scenario: scenario, takenOut: takenOut, site: site) }
                    .joined(separator: "; ") + ") do not survive it"
            diagnostics.append(
                .error(
                    .scopeSeparation,
                    "scenario '\(scenario.id)' (\(scenario.scope.rawValue)) takes out site '\(site.id)', and \(described)",
                    at: ref.location,
                    notes: [Diagnostic.Note("alternates of '\(site.id)'", at: site.origin["alternates"])],
                    hint: "give '\(site.id)' an alternate in another \(scenario.scope == .facility ? "facility" : scenario.scope.rawValue)"))
        }
        return diagnostics
    }

    static func alternateDescription(_ alternate: Site, scenario: Scenario, takenOut: Set<String>, site: Site) -> String {
        if takenOut.contains(alternate.id) { return "\(alternate.id) is taken out too" }
        switch scenario.scope {
        case .facility: return "\(alternate.id) is the same site"
        case .district: return "\(alternate.id) is in the same district"
        case .city: return "\(alternate.id) is also in \(alternate.city)"
        case .region: return "\(alternate.id) is also in \(alternate.region)"
        }
    }
}
