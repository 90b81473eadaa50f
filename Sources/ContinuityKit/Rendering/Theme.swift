import Foundation

/// A theme: Mustache templates (all HTML lives there) and static assets copied to both sites.
public struct Theme: Sendable {
    var templates: TemplateLibrary
    /// Asset files, relative to the theme's `assets/` folder, in path order.
    public var assets: [OutputFile]
    /// Where the theme came from, for messages.
    public var origin: String

    /// The templates every theme must provide.
    public static let requiredTemplates = [
        "public/summary", "public/public-page",
        "internal/home", "internal/runbook", "internal/scenario", "internal/roles", "internal/people",
        "internal/sites", "internal/vendors", "internal/page", "internal/matrix", "internal/call-tree",
        "internal/handbook",
    ]

    /// Loads a theme folder holding `templates/**/*.mustache` and `assets/**`.
    public static func load(directory: URL) throws -> Theme {
        let templatesURL = directory.appendingPathComponent("templates")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: templatesURL.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw EnvironmentError("theme has no templates/ folder", path: directory.path)
        }
        let templateFiles = try files(under: templatesURL).filter { $0.path.hasSuffix(".mustache") }
        let assetsURL = directory.appendingPathComponent("assets")
        let assets = FileManager.default.fileExists(atPath: assetsURL.path) ? try files(under: assetsURL) : []
        return try make(templates: templateFiles, assets: assets, origin: directory.path)
    }

    /// The default theme, embedded in the binary.
    public static func builtIn() throws -> Theme {
        var templates: [OutputFile] = []
        var assets: [OutputFile] = []
        for (path, bytes) in DefaultTheme.files {
            if path.hasPrefix("templates/") {
                templates.append(OutputFile(path: String(path.dropFirst("templates/".count)), bytes: bytes))
            } else if path.hasPrefix("assets/") {
                assets.append(OutputFile(path: String(path.dropFirst("assets/".count)), bytes: bytes))
            }
        }
        return try make(templates: templates, assets: assets, origin: "built-in default theme")
    }

    static func make(templates files: [OutputFile], assets: [OutputFile], origin: String) throws -> Theme {
        var library = TemplateLibrary()
        var names: Set<String> = []
        for file in files.sorted(by: { $0.path < $1.path }) {
            let name = String(file.path.dropLast(".mustache".count))
            let text = String(decoding: file.bytes, as: UTF8.self)
            do {
                library.register(try TemplateParser.parse(text), named: name)
            } catch {
                throw EnvironmentError("template error at \(error)", path: "\(origin)/templates/\(file.path)")
            }
            names.insert(name)
        }
        for name in requiredTemplates where !names.contains(name) {
            throw EnvironmentError("theme is missing the template \(name).mustache", path: origin)
        }
        // A partial or parent that does not exist would render as nothing: refuse it instead.
        for name in names.sorted() {
            for reference in library[name]?.partialNames ?? [] where !names.contains(reference) {
                throw EnvironmentError(
                    "template \(name).mustache uses '\(reference)', which the theme does not have", path: origin)
            }
        }
        return Theme(templates: library, assets: assets.sorted { $0.path < $1.path }, origin: origin)
    }

    /// Renders a named template; a template that is missing is an environment error, never an empty page.
    func render(
        _ view: any TemplateValue, template name: String, sizeHint: Int = 16_384, fragments: FragmentCache? = nil
    ) throws -> [UInt8] {
        guard let output = templates.render(view, template: name, sizeHint: sizeHint, fragments: fragments) else {
            throw EnvironmentError("theme is missing the template \(name).mustache", path: origin)
        }
        return output
    }

    /// `render` handing the page to `piece` in parts as it is made; returns the rest.
    func render(
        _ view: any TemplateValue, template name: String, fragments: FragmentCache? = nil, pieces piece: ([UInt8]) -> Void
    ) throws -> [UInt8] {
        guard let output = templates.render(view, template: name, fragments: fragments, pieces: piece) else {
            throw EnvironmentError("theme is missing the template \(name).mustache", path: origin)
        }
        return output
    }

    private static func files(under directory: URL) throws -> [OutputFile] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else {
            throw EnvironmentError("cannot read theme folder", path: directory.path)
        }
        var result: [OutputFile] = []
        for case let relative as String in enumerator {
            let url = directory.appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                !(relative as NSString).lastPathComponent.hasPrefix(".")
            else { continue }
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw EnvironmentError("cannot read theme file", path: url.path)
            }
            result.append(OutputFile(path: relative, bytes: [UInt8](data)))
        }
        return result.sorted { $0.path < $1.path }
    }
}
