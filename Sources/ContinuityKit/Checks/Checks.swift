/// What every check sees: the plan, its policy and the day freshness is measured from.
public struct CheckContext: Sendable {
    public var plan: Plan
    public var today: CalendarDate

    public init(plan: Plan, today: CalendarDate) {
        self.plan = plan
        self.today = today
    }

    public var policy: Policy { plan.configuration.policy }

    /// Tiers 0 and 1: the runbooks whose owners, deputies and exercises the rules watch most closely.
    public func isCritical(_ runbook: Runbook) -> Bool { runbook.tier <= 1 }

    /// "core-network (2 h)" as messages name a runbook.
    func describe(_ runbook: Runbook) -> String { "\(runbook.id) (\(runbook.rto.display))" }
}

/// The checks of the plan: every rule of the contract, each a function from the context to its
/// findings. They are independent and run in a fixed order.
public enum PlanChecks {
    public static let all: [@Sendable (CheckContext) -> [Diagnostic]] = [
        DocumentChecks.run,
        TimeObjectiveChecks.run,
        PeopleChecks.run,
        SiteChecks.run,
        FreshnessChecks.run,
        SummaryChecks.run,
    ]

    public static func run(_ context: CheckContext) -> [Diagnostic] {
        all.flatMap { $0(context) }
    }
}
