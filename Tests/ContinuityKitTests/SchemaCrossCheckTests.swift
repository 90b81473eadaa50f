import Foundation
import Testing
@testable import ContinuityKit

/// Our validator and a reference implementation (Python `jsonschema`) must agree on the exported
/// schemas: every entity of the example plan is valid for both, and a set of broken entities is
/// invalid for both.
@Suite("Schemas against a reference implementation")
struct SchemaCrossCheckTests {
    /// Entities that both implementations must reject, by kind.
    static let broken: [(SchemaKind, String)] = [
        (.runbook, "title: X\ntier: 1\nowner: lead\nrto: 4h\n"),
        (.runbook, "title: X\ntier: one\nowner: lead\nrto: 4h\nlast_reviewed: 2026-01-01\n"),
        (.runbook, "title: X\ntier: 1\nowner: lead\nrto: 4h\nlast_reviewed: 2026-01-01\nownr: x\n"),
        (.runbook, "title: X\ntier: 1\nowner: lead\nrto: 4h\nlast_reviewed: 2026-01-01\nclassification: public\n"),
        (.runbook, "title: X\ntier: 1\nowner: lead\nrto: 4h\nlast_reviewed: 2026-01-01\ndepends_on: {a: b}\n"),
        (.person, "id: ann\n"),
        (.person, "id: ann\nname: Ann\nemail: [a@b.example]\n"),
        (.scenario, "title: X\nscope: planet\n"),
        (.site, "id: a\nname: A\ncity: C\nregion: r\nkind: castle\n"),
        (.summary, "title: S\nelements: [world-peace]\n"),
        (.config, "organization: {}\npolicy: {}\n"),
    ]

    @Test func agreement() throws {
        let folder = try TemporaryFolder()
        let schemaDir = folder.url.appendingPathComponent("schemas")
        let instanceDir = folder.url.appendingPathComponent("instances")
        try FileManager.default.createDirectory(at: schemaDir, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: instanceDir, withIntermediateDirectories: true)
        for kind in SchemaKind.allCases {
            try Data(kind.builtInText.utf8).write(to: schemaDir.appendingPathComponent("\(kind.rawValue).schema.json"))
        }
        let schemas = try SchemaSet.builtIn()
        var ours: [String: Bool] = [:]
        func add(_ kind: SchemaKind, _ name: String, _ node: YAMLNode) throws {
            let file = "\(kind.rawValue)--\(name).json"
            try Data(LocatedJSON(node, droppingNullMembers: true).value.jsonText.utf8)
                .write(to: instanceDir.appendingPathComponent(file))
            ours[file] = schemas.validate(node, kind: kind, subject: name).isEmpty
        }

        let content = try ContentLoader(root: Repo.exampleContent).load()
        if let root = content.config?.root { try add(.config, "continuity", root) }
        for (document, kind) in [(content.people, SchemaKind.person), (content.roles, .role), (content.sites, .site), (content.vendors, .vendor)] {
            for (i, item) in (document?.root?.items ?? []).enumerated() { try add(kind, "\(i)", item) }
        }
        for (documents, kind) in [(content.scenarios, SchemaKind.scenario), (content.runbooks, .runbook), (content.pages, .page)] {
            for document in documents { if let node = document.frontMatter { try add(kind, document.stem, node) } }
        }
        if let node = content.summary?.frontMatter { try add(.summary, "summary", node) }
        let exampleCount = ours.count
        #expect(exampleCount > 60)
        for (i, (kind, yaml)) in Self.broken.enumerated() {
            guard case .value(let node?) = YAMLReader.read(yaml, path: "broken") else {
                Issue.record("broken case \(i) is not YAML")
                continue
            }
            try add(kind, "broken-\(i)", node)
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Repo.fixtures.appendingPathComponent("schema_crosscheck.py").path, schemaDir.path, instanceDir.path,
        ]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 with jsonschema is needed (make test installs it): \(errors)")

        var reference: [String: Bool] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { reference[String(parts[0])] = parts[1] == "valid" }
        }
        #expect(reference.count == ours.count)
        for (file, valid) in ours.sorted(by: { $0.key < $1.key }) {
            #expect(reference[file] == valid, "\(file): ours says \(valid ? "valid" : "invalid"), jsonschema disagrees")
            #expect(valid == !file.contains("--broken-"), "\(file) should be \(file.contains("--broken-") ? "invalid" : "valid")")
        }
    }
}
