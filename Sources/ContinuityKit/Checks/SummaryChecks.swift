/// The public summary claims only what the plan backs, and every scenario it describes publicly has
/// runbooks behind it.
enum SummaryChecks {
    static func run(_ context: CheckContext) -> [Diagnostic] {
        let plan = context.plan
        var diagnostics: [Diagnostic] = []
        for scenario in plan.scenarios where scenario.publicSummary != nil && plan.runbooks(answering: scenario.id).isEmpty {
            diagnostics.append(
                .error(
                    .publicScenarioUnanswered,
                    "scenario '\(scenario.id)' is described publicly (\(scenario.scope.rawValue) scope) but no runbook answers it",
                    at: scenario.origin["public_summary"],
                    hint: "a public promise needs a runbook: list '\(scenario.id)' in a runbook's 'scenarios'"))
        }
        guard let summary = plan.summary else { return diagnostics }
        var backed = Set<PlanElement>()
        for runbook in plan.runbooks { backed.formUnion(runbook.planElements) }
        for page in plan.pages where page.classification != .public { backed.formUnion(page.planElements) }
        if !plan.scenarios.isEmpty { backed.insert(.disasterScenarios) }
        if !plan.roles.isEmpty { backed.insert(.emergencyRolesAndResponsibilities) }
        if !plan.runbooks.isEmpty { backed.insert(.recoveryTimeObjectives) }

        for claim in summary.claims where !backed.contains(claim.element) {
            diagnostics.append(
                .error(
                    .unbackedElement,
                    "the public summary claims '\(claim.element.rawValue)', but no runbook or internal page backs it",
                    at: claim.location,
                    hint: "list '\(claim.element.rawValue)' in the 'plan_elements' of the runbook or page that covers it, or remove the claim"))
        }
        return diagnostics
    }
}
