/// People and roles: succession for every role, distinct owners and deputies for critical runbooks,
/// no one overloaded, enough people to declare a disruption, and everyone reachable.
enum PeopleChecks {
    static func run(_ context: CheckContext) -> [Diagnostic] {
        let plan = context.plan
        var diagnostics: [Diagnostic] = []
        for role in plan.roles { diagnostics += succession(role) }
        for runbook in plan.runbooks where context.isCritical(runbook) || runbook.deputy != nil {
            diagnostics += ownerAndDeputy(runbook, context)
        }
        let critical = criticalRoles(context)
        diagnostics += criticalLoad(context, critical: critical)
        diagnostics += declarers(plan)
        diagnostics += reachability(context, critical: critical)
        return diagnostics
    }

    static func succession(_ role: Role) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        if role.alternates.isEmpty {
            diagnostics.append(
                .error(
                    .roleWithoutAlternate, "role '\(role.id)' has no alternate: nobody takes over when the primary is unreachable",
                    at: role.origin["alternates"],
                    hint: "add 'alternates: [person-id]' in order of succession"))
        }
        var seen: [String: SourceLocation] = [:]
        for holder in [role.primary].compactMap({ $0 }) + role.alternates {
            if let first = seen[holder.id] {
                diagnostics.append(
                    .error(
                        .roleHoldersRepeat, "'\(holder.id)' holds role '\(role.id)' twice; primary and alternates must be different people",
                        at: holder.location, notes: [Diagnostic.Note("first named here", at: first)]))
            } else {
                seen[holder.id] = holder.location
            }
        }
        return diagnostics
    }

    static func ownerAndDeputy(_ runbook: Runbook, _ context: CheckContext) -> [Diagnostic] {
        guard let deputy = runbook.deputy else {
            return [
                .error(
                    .missingDeputy,
                    "tier \(runbook.tier) runbook '\(runbook.id)' has no deputy role: it needs a second role to lead if the owner is unavailable",
                    at: runbook.origin["owner"], hint: "add 'deputy: role-id'")
            ]
        }
        guard context.isCritical(runbook) else { return [] }
        if deputy.id == runbook.owner.id {
            return [
                .error(
                    .ownerIsDeputy, "runbook '\(runbook.id)' has the same role, '\(deputy.id)', as owner and deputy",
                    at: deputy.location, notes: [Diagnostic.Note("owner set here", at: runbook.owner.location)])
            ]
        }
        let plan = context.plan
        guard let ownerPrimary = plan.role(runbook.owner.id)?.primary,
            let deputyPrimary = plan.role(deputy.id)?.primary, ownerPrimary.id == deputyPrimary.id
        else { return [] }
        let name = plan.person(ownerPrimary.id)?.name ?? ownerPrimary.id
        return [
            .error(
                .ownerDeputySamePerson,
                "runbook '\(runbook.id)': owner '\(runbook.owner.id)' and deputy '\(deputy.id)' are both held by \(name) (\(ownerPrimary.id))",
                at: deputy.location,
                notes: [
                    Diagnostic.Note("primary of '\(runbook.owner.id)'", at: ownerPrimary.location),
                    Diagnostic.Note("primary of '\(deputy.id)'", at: deputyPrimary.location),
                ],
                hint: "choose a deputy role whose primary is someone else")
        ]
    }

    /// Roles that own or deputise a tier 0–1 runbook, by id.
    static func criticalRoles(_ context: CheckContext) -> Set<String> {
        var roles = Set<String>()
        for runbook in context.plan.runbooks where context.isCritical(runbook) {
            roles.insert(runbook.owner.id)
            if let deputy = runbook.deputy { roles.insert(deputy.id) }
        }
        return roles
    }

    /// `critical`: the roles that own or deputise tier 0–1 runbooks (`criticalRoles`).
    static func criticalLoad(_ context: CheckContext, critical: Set<String>) -> [Diagnostic] {
        let limit = context.policy.maxCriticalRolesPerPerson
        var held: [String: [Role]] = [:]
        for role in context.plan.roles where critical.contains(role.id) {
            if let primary = role.primary { held[primary.id, default: []].append(role) }
        }
        return context.plan.people.compactMap { person in
            guard let roles = held[person.id], roles.count > limit else { return nil }
            return .warning(
                .tooManyCriticalRoles,
                "\(person.name) (\(person.id)) is primary for \(roles.count) critical roles (\(roles.map(\.id).joined(separator: ", "))); the policy allows \(limit)",
                at: person.origin.location,
                notes: roles.map { Diagnostic.Note("primary of '\($0.id)'", at: $0.primary?.location) },
                hint: "one person cannot lead that many recoveries at once: hand some roles to others")
        }
    }

    static func declarers(_ plan: Plan) -> [Diagnostic] {
        let declaring = plan.roles.filter(\.canDeclare)
        let people = Set(declaring.compactMap { $0.primary?.id })
        guard people.count < 2 else { return [] }
        let location = declaring.first?.origin["can_declare"]
            ?? plan.roles.first?.origin.location ?? SourceLocation(path: "roles.yaml")
        return [
            .error(
                .tooFewDeclarers,
                people.isEmpty
                    ? "no role has 'can_declare: true': nobody may declare a disruption"
                    : "only one person (\(people.sorted().joined())) is primary of a role that can declare a disruption",
                at: location,
                hint: "set 'can_declare: true' on roles held by at least two different people")
        ]
    }

    static func reachability(_ context: CheckContext, critical: Set<String>) -> [Diagnostic] {
        let plan = context.plan
        var diagnostics: [Diagnostic] = []
        for person in plan.people where person.phones.isEmpty {
            diagnostics.append(
                .error(
                    .personWithoutPhone, "\(person.name) (\(person.id)) has no phone number", at: person.origin.location,
                    hint: "add 'phone: \"+…\"'"))
        }
        // Holders of roles that lead tier 0–1 runbooks need a second way to be reached.
        var reported = Set<String>()
        for role in plan.roles where critical.contains(role.id) {
            for holder in [role.primary].compactMap({ $0 }) + role.alternates {
                guard let person = plan.person(holder.id), !person.phones.isEmpty,
                    person.phones.count + (person.email == nil ? 0 : 1) < 2, reported.insert(person.id).inserted
                else { continue }
                diagnostics.append(
                    .warning(
                        .singleWayToReach,
                        "\(person.name) (\(person.id)) holds critical role '\(role.id)' but has only one way to be reached",
                        at: person.origin["phone"],
                        hint: "add a second phone or an email"))
            }
        }
        return diagnostics
    }
}
