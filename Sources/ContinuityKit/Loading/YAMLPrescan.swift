/// A light scan of YAML text for the constructs content may not use: anchors (`&name`), aliases
/// (`*name`) and tabs in indentation. It follows quoting, comments, flow collections and block
/// scalars well enough to tell `R&D` (text) from `&ref` (an anchor) without composing the document.
enum YAMLPrescan {
    enum Kind: Equatable { case anchor, alias, tab }

    struct Problem: Equatable {
        var kind: Kind
        var line: Int
        var column: Int
    }

    static func scan(_ yaml: String) -> Problem? {
        var quote: Character?
        var flowDepth = 0
        var blockScalarParent: Int?
        var lineNumber = 0
        for rawLine in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let chars = Array(rawLine)
            let indent = chars.prefix { $0 == " " }.count
            let isBlank = chars.allSatisfy { $0 == " " || $0 == "\t" }
            if let parent = blockScalarParent {
                if isBlank || indent > parent { continue }
                blockScalarParent = nil
            }
            if quote == nil, flowDepth == 0, !isBlank, indent < chars.count, chars[indent] == "\t" {
                return Problem(kind: .tab, line: lineNumber, column: indent + 1)
            }
            var atNodeStart = quote == nil
            var nodeColumn = indent
            var i = 0
            func next(_ k: Int) -> Character? { k < chars.count ? chars[k] : nil }
            func isBreakOrSpace(_ c: Character?) -> Bool { c == nil || c == " " || c == "\t" }
            scanning: while i < chars.count {
                let c = chars[i]
                if let q = quote {
                    if q == "\"" {
                        if c == "\\" { i += 2; continue }
                        if c == "\"" { quote = nil }
                    } else if c == "'" {
                        if next(i + 1) == "'" { i += 2; continue }
                        quote = nil
                    }
                    i += 1
                    continue
                }
                if c == " " || c == "\t" { i += 1; continue }
                if c == "#", i == 0 || chars[i - 1] == " " || chars[i - 1] == "\t" { break }
                if atNodeStart {
                    switch c {
                    case "&": return Problem(kind: .anchor, line: lineNumber, column: i + 1)
                    case "*": return Problem(kind: .alias, line: lineNumber, column: i + 1)
                    case "!":
                        while i < chars.count, chars[i] != " " { i += 1 }
                        continue scanning
                    case "\"", "'":
                        quote = c
                        nodeColumn = i
                        atNodeStart = false
                        i += 1
                        continue scanning
                    case "|" where flowDepth == 0, ">" where flowDepth == 0:
                        let rest = chars[(i + 1)...].prefix { $0 != "#" }
                        if rest.allSatisfy({ $0.isNumber || $0 == "+" || $0 == "-" || $0 == " " || $0 == "\t" }) {
                            blockScalarParent = nodeColumn
                            break scanning
                        }
                    case "-" where isBreakOrSpace(next(i + 1)), "?" where isBreakOrSpace(next(i + 1)),
                        ":" where isBreakOrSpace(next(i + 1)):
                        nodeColumn = i
                        i += 1
                        continue scanning
                    case "[", "{":
                        flowDepth += 1
                        i += 1
                        continue scanning
                    case "]", "}":
                        flowDepth = max(0, flowDepth - 1)
                        atNodeStart = false
                        i += 1
                        continue scanning
                    default:
                        break
                    }
                    atNodeStart = false
                    nodeColumn = i
                }
                switch c {
                case ":" where isBreakOrSpace(next(i + 1)) || (flowDepth > 0 && [",", "]", "}"].contains(next(i + 1))):
                    atNodeStart = true
                case "," where flowDepth > 0:
                    atNodeStart = true
                case "[" where flowDepth > 0, "{" where flowDepth > 0:
                    flowDepth += 1
                    atNodeStart = true
                case "]" where flowDepth > 0, "}" where flowDepth > 0:
                    flowDepth -= 1
                default:
                    break
                }
                i += 1
            }
        }
        return nil
    }
}
