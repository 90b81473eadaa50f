/// Every name a view answers, as templates write it (`{{title}}`, `{{#owner}}`, `nav.callTree`).
///
/// A template's names are turned into these once, when it is compiled; a view then answers a lookup
/// with a `switch` on a small number instead of comparing texts, and a name no view knows becomes nil
/// there, found by none. The compiler holds the list true: a view cannot answer a name missing here.
enum FieldName: String, Sendable {
    case alternateNames, alternates, anchor, body, buildDate, callTree, canDeclare, caption, chrome, city, clean, code, confidential
    case contact, contacts, count, counts, dependencies, dependencyList, dependents, deputy, diagram, disclaimers, district, edges
    case elements, elementsSentence, email, errors, extras, face, focus, handbook, health, height, hidden, home
    case href, id, isPublic, items, kind, label, lastExercised, lastReviewed, levels, mailto, matrix, maxRTO
    case message, mtpd, mtpdSeconds, name, nav, nodes, note, organization, others, owner, pages, path, people, phone
    case phones, position, primary, provides, publicSummary, region, responsibilities, roles, root, rows, rpo
    case rpoSeconds, rto, rtoSeconds, runbookCount, runbooks, scenarios, scope, scopes, severity, site, sites
    case staleExercises, staleReviews, steps, tags, tel, text, tier, tierName, tiers, timeObjectives, title, updated
    case url, urlText, value, vendors, warnings, website, width, x, y
}
