/// Freshness, measured from "today": reviews within the review interval, critical runbooks exercised
/// within the exercise interval, and no date in the future.
enum FreshnessChecks {
    static func run(_ context: CheckContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let today = context.today
        for runbook in context.plan.runbooks {
            let dates: [(String, CalendarDate?)] = [("last_reviewed", runbook.lastReviewed), ("last_exercised", runbook.lastExercised)]
            var future = false
            for case let (key, date?) in dates where date > today {
                future = true
                diagnostics.append(
                    .error(
                        .futureDate, "'\(key)' of runbook '\(runbook.id)' is \(date), after today (\(today))",
                        at: runbook.origin[key], hint: "a review or exercise cannot have happened yet"))
            }
            guard !future else { continue }
            let policy = context.policy
            let reviewedAgo = today.daysSinceEpoch - runbook.lastReviewed.daysSinceEpoch
            if reviewedAgo * 86_400 > policy.reviewInterval.seconds {
                diagnostics.append(
                    .warning(
                        .staleReview,
                        "runbook '\(runbook.id)' was last reviewed \(reviewedAgo) days ago (\(runbook.lastReviewed)); the policy asks for a review every \(policy.reviewInterval.display)",
                        at: runbook.origin["last_reviewed"],
                        hint: "review the runbook with its owner and update 'last_reviewed'"))
            }
            guard context.isCritical(runbook) else { continue }
            if let exercised = runbook.lastExercised {
                let ago = today.daysSinceEpoch - exercised.daysSinceEpoch
                if ago * 86_400 > policy.exerciseInterval.seconds {
                    diagnostics.append(
                        .warning(
                            .staleExercise,
                            "tier \(runbook.tier) runbook '\(runbook.id)' was last exercised \(ago) days ago (\(exercised)); the policy asks for an exercise every \(policy.exerciseInterval.display)",
                            at: runbook.origin["last_exercised"], hint: "schedule an exercise"))
                }
            } else {
                diagnostics.append(
                    .warning(
                        .staleExercise, "tier \(runbook.tier) runbook '\(runbook.id)' has never been exercised",
                        at: runbook.origin["title"], hint: "exercise it and record 'last_exercised'"))
            }
        }
        if let summary = context.plan.summary, let updated = summary.updated, updated > today {
            diagnostics.append(
                .error(
                    .futureDate, "'updated' of the summary is \(updated), after today (\(today))",
                    at: summary.origin["updated"]))
        }
        return diagnostics
    }
}
