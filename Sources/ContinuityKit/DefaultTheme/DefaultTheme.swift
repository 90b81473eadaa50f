/// The default theme, compiled into the binary so that `continuity build` works in a plan repository
/// without a `themes/` folder. `files/` links to the repository's `themes/default`; each file there must
/// be listed here (a test compares the list with the folder).
enum DefaultTheme {
    static let files: [(path: String, bytes: [UInt8])] = [
        ("assets/matrix.js", PackageResources.matrix_js),
        ("assets/search.js", PackageResources.search_js),
        ("assets/style.css", PackageResources.style_css),
        ("templates/internal/call-tree.mustache", PackageResources.call_tree_mustache),
        ("templates/internal/handbook.mustache", PackageResources.handbook_mustache),
        ("templates/internal/matrix.mustache", PackageResources.matrix_mustache),
        ("templates/internal/home.mustache", PackageResources.home_mustache),
        ("templates/internal/page.mustache", PackageResources.page_mustache),
        ("templates/internal/people.mustache", PackageResources.people_mustache),
        ("templates/internal/roles.mustache", PackageResources.roles_mustache),
        ("templates/internal/runbook.mustache", PackageResources.runbook_mustache),
        ("templates/internal/scenario.mustache", PackageResources.scenario_mustache),
        ("templates/internal/sites.mustache", PackageResources.sites_mustache),
        ("templates/internal/vendors.mustache", PackageResources.vendors_mustache),
        ("templates/internal-layout.mustache", PackageResources.internal_layout_mustache),
        ("templates/public-layout.mustache", PackageResources.public_layout_mustache),
        ("templates/partials/dependency-diagram.mustache", PackageResources.dependency_diagram_mustache),
        ("templates/partials/diagram-node.mustache", PackageResources.diagram_node_mustache),
        ("templates/partials/person.mustache", PackageResources.person_mustache),
        ("templates/partials/role-card.mustache", PackageResources.role_card_mustache),
        ("templates/partials/runbook-table.mustache", PackageResources.runbook_table_mustache),
        ("templates/public/public-page.mustache", PackageResources.public_page_mustache),
        ("templates/public/summary.mustache", PackageResources.summary_mustache),
    ]
}
