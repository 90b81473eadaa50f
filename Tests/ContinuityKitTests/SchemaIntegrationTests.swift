import Foundation
import Testing
@testable import ContinuityKit

@Suite("Schemas in the pipeline: built-in, extensions, export")
struct SchemaIntegrationTests {
    static let extensionSchema = """
        # Our own fields for runbooks.
        type: object
        required: [cost_per_hour, regulator]
        properties:
          cost_per_hour:
            type: number
            minimum: 0
          regulator:
            enum: [ofcom, ico, none]
        """

    @Test("every built-in schema compiles and is valid JSON")
    func builtIns() throws {
        let set = try SchemaSet.builtIn()
        for kind in SchemaKind.allCases {
            #expect(set.schemas[kind] != nil)
            let value = try JSONValue(parsing: kind.builtInText)
            #expect(value["$schema"]?.stringValue == "https://json-schema.org/draft/2020-12/schema")
        }
    }

    @Test("an extension makes a missing custom field an error at the runbook's front matter")
    func extensionRequiresField() throws {
        let folder = try TemporaryFolder()
        try folder.write(minimalPlan.merging(["schema/runbook.schema.yaml": Self.extensionSchema]) { _, new in new })
        let diagnostics = try model(folder.url).1
        let missing = diagnostics.filter { $0.code == .missingKey }
        #expect(missing.map(\.message).sorted() == [
            "runbook 'alpha': missing required key 'cost_per_hour'", "runbook 'alpha': missing required key 'regulator'",
        ])
        #expect(missing.allSatisfy { $0.location?.path == "runbooks/alpha.md" && $0.location?.line == 2 })
    }

    @Test("extension fields are checked, allowed, and reach the runbook page")
    func extensionFields() throws {
        let folder = try TemporaryFolder()
        var files = minimalPlan.merging(["schema/runbook.schema.yaml": Self.extensionSchema]) { _, new in new }
        files["runbooks/alpha.md"] = files["runbooks/alpha.md", default: ""].replacingOccurrences(
            of: "rto: 4h\n", with: "rto: 4h\ncost_per_hour: -5\nregulator: fca\n")
        try folder.write(files)
        let bad = try model(folder.url).1
        #expect(bad.contains { $0.code == .outOfRange && $0.location?.line == 7 && $0.message.contains("cost_per_hour") })
        #expect(bad.contains { $0.code == .notInEnum && $0.location?.line == 8 })

        try folder.write(["runbooks/alpha.md": files["runbooks/alpha.md", default: ""]
            .replacingOccurrences(of: "-5", with: "1200").replacingOccurrences(of: "fca", with: "ofcom")])
        let (plan, good) = try model(folder.url)
        #expect(good.isEmpty, "\(good)")
        let runbook = try #require(plan?.runbook("alpha"))
        #expect(runbook.extras == [ExtraField(key: "cost_per_hour", value: "1200"), ExtraField(key: "regulator", value: "ofcom")])
        let output = folder.url.appendingPathComponent("_out")
        _ = try Pipeline.build(PipelineOptions(content: folder.url, output: output, today: CalendarDate(year: 2026, month: 6, day: 1)!))
        let html = try String(contentsOf: output.appendingPathComponent("internal/runbooks/alpha.html"), encoding: .utf8)
        #expect(html.contains("<dt>Cost per hour</dt><dd>1200</dd>"))
    }

    @Test("a broken extension is reported in its own file, and an unknown kind is named")
    func badExtensions() throws {
        let folder = try TemporaryFolder()
        try folder.write(minimalPlan.merging([
            "schema/runbook.schema.yaml": "type: object\nproperties:\n  x:\n    unevaluatedProperties: false\n",
            "schema/runbok.schema.yaml": "type: object\n",
        ]) { _, new in new })
        let diagnostics = try model(folder.url).1.filter { $0.code == .badSchemaExtension }
        #expect(diagnostics.count == 2)
        #expect(diagnostics.contains { $0.location?.path == "schema/runbook.schema.yaml" && $0.message.contains("unevaluatedProperties") })
        #expect(diagnostics.contains { $0.location?.path == "schema/runbok.schema.yaml" && $0.message.contains("extends no kind") })
    }

    @Test("a scalar where a list belongs, and a list where a scalar belongs, are one precise finding each")
    func shapes() throws {
        let folder = try TemporaryFolder()
        var files = minimalPlan
        files["runbooks/alpha.md"] = files["runbooks/alpha.md", default: ""]
            .replacingOccurrences(of: "rto: 4h\n", with: "rto: [4h]\ndepends_on: {a: b}\n")
        try folder.write(files)
        let diagnostics = try model(folder.url).1
        #expect(diagnostics.count == 2, "\(diagnostics.map(\.message))")
        #expect(diagnostics.contains { $0.location?.line == 6 && $0.message.contains("expected text, found a list") })
        #expect(diagnostics.contains { $0.location?.line == 7 && $0.message.contains("expected one id, or a list of ids, found a mapping") })
    }
}
