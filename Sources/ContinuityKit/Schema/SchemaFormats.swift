/// The values of `format` a schema may use. Formats are assertions: a string that does not match is an
/// error. A format not listed here is refused when the schema is compiled.
public enum SchemaFormat: String, Sendable, Hashable, CaseIterable {
    /// RFC 3339 `full-date`: `YYYY-MM-DD`, a real calendar day (years 0001–9999).
    case date
    /// RFC 5321 mailbox: a dot-string or quoted local part, `@`, a domain or an address literal.
    case email
    /// RFC 3986 absolute URI with a scheme (`https://example.com/`, `mailto:a@b.example`).
    case uri
    /// Ours: `30m`, `4h`, `2d`, `1w`, or ISO 8601 without years and months (`PT4H`, `P2D`, `P1DT12H`,
    /// `P1W`). Exactly what plan fields accept (`Period`).
    case duration
    /// Ours: `+` then 8–15 digits; spaces, dashes, dots and parentheses between digits (`PhoneNumber`).
    case phone
    /// Ours: `^[a-z0-9][a-z0-9-]{0,63}$` (`Identifier`).
    case id

    /// Whether `text` is in this format.
    public func matches(_ text: String) -> Bool {
        switch self {
        case .date: return CalendarDate(text) != nil
        case .email: return FormatCheck.isEmail(text)
        case .uri: return FormatCheck.isURI(text)
        // The model's parsers trim surrounding spaces; a formatted value must not have any.
        case .duration: return Period(text)?.text == text
        case .phone: return PhoneNumber(text)?.text == text
        case .id: return Identifier.isValid(text)
        }
    }

    /// The message for a string that does not match.
    var failureMessage: String {
        switch self {
        case .date: return "does not match the date format (YYYY-MM-DD, a real calendar day)"
        case .email: return "does not match the email format (name@example.com)"
        case .uri: return "does not match the uri format (an absolute URI such as https://example.com/)"
        case .duration: return "does not match the duration format (30m, 4h, 2d, 1w or ISO 8601)"
        case .phone:
            return
                "does not match the phone format (+ then 8–15 digits; spaces, dashes, dots and parentheses between digits)"
        case .id:
            return
                "does not match the id format (lowercase letters, digits and dashes, starting with a letter or digit, at most 64)"
        }
    }
}

/// Checkers for the standard formats, written from the RFC grammars over Unicode scalars.
enum FormatCheck {
    static func isAlpha(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("A"..."Z").contains(s) }
    static func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
    static func isHex(_ s: Unicode.Scalar) -> Bool {
        isDigit(s) || ("a"..."f").contains(s) || ("A"..."F").contains(s)
    }
    static func isUnreserved(_ s: Unicode.Scalar) -> Bool {
        isAlpha(s) || isDigit(s) || "-._~".unicodeScalars.contains(s)
    }
    static func isSubDelim(_ s: Unicode.Scalar) -> Bool { "!$&'()*+,;=".unicodeScalars.contains(s) }

    // MARK: URI (RFC 3986)

    /// `scheme ":" hier-part [ "?" query ] [ "#" fragment ]`.
    static func isURI(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let colon = scalars.firstIndex(of: ":"), colon > 0, isAlpha(scalars[0]),
            scalars[1..<colon].allSatisfy({ isAlpha($0) || isDigit($0) || "+-.".unicodeScalars.contains($0) })
        else { return false }
        var rest = scalars[(colon + 1)...]
        var fragment: ArraySlice<Unicode.Scalar>?
        if let hash = rest.firstIndex(of: "#") {
            fragment = rest[(hash + 1)...]
            rest = rest[..<hash]
        }
        var query: ArraySlice<Unicode.Scalar>?
        if let question = rest.firstIndex(of: "?") {
            query = rest[(question + 1)...]
            rest = rest[..<question]
        }
        for part in [query, fragment].compactMap({ $0 }) {
            guard isURIChars(part, allowing: ":@/?") else { return false }
        }
        var path = rest
        if rest.starts(with: "//".unicodeScalars) {
            let afterSlashes = rest.dropFirst(2)
            let authorityEnd = afterSlashes.firstIndex(of: "/") ?? afterSlashes.endIndex
            guard isAuthority(afterSlashes[..<authorityEnd]) else { return false }
            path = afterSlashes[authorityEnd...]
        }
        return isURIChars(path, allowing: ":@/")
    }

    /// Unreserved, sub-delims, percent-encoded triplets and the extra characters given.
    static func isURIChars(_ scalars: ArraySlice<Unicode.Scalar>, allowing extra: String) -> Bool {
        var i = scalars.startIndex
        while i < scalars.endIndex {
            let s = scalars[i]
            if s == "%" {
                guard i + 2 < scalars.endIndex, isHex(scalars[i + 1]), isHex(scalars[i + 2]) else { return false }
                i += 3
                continue
            }
            guard isUnreserved(s) || isSubDelim(s) || extra.unicodeScalars.contains(s) else { return false }
            i += 1
        }
        return true
    }

    /// `[ userinfo "@" ] host [ ":" port ]`.
    static func isAuthority(_ authority: ArraySlice<Unicode.Scalar>) -> Bool {
        var hostPort = authority
        if let at = authority.firstIndex(of: "@") {
            guard isURIChars(authority[..<at], allowing: ":") else { return false }
            hostPort = authority[(at + 1)...]
        }
        var port: ArraySlice<Unicode.Scalar> = []
        var host = hostPort
        if hostPort.first == "[" {
            guard let close = hostPort.firstIndex(of: "]") else { return false }
            let literal = hostPort[(hostPort.startIndex + 1)..<close]
            guard isIPv6(literal) || isIPvFuture(literal) else { return false }
            let after = hostPort[(close + 1)...]
            if let first = after.first {
                guard first == ":" else { return false }
                port = after.dropFirst()
            }
            host = []
        } else if let colon = hostPort.firstIndex(of: ":") {
            host = hostPort[..<colon]
            port = hostPort[(colon + 1)...]
        }
        // reg-name (which includes IPv4 addresses written as digits and dots).
        return isURIChars(host, allowing: "") && port.allSatisfy(isDigit)
    }

    /// `"v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )`.
    static func isIPvFuture(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let first = scalars.first, first == "v" || first == "V",
            let dot = scalars.firstIndex(of: ".")
        else { return false }
        let version = scalars[(scalars.startIndex + 1)..<dot]
        let body = scalars[(dot + 1)...]
        return !version.isEmpty && version.allSatisfy(isHex) && !body.isEmpty
            && body.allSatisfy { isUnreserved($0) || isSubDelim($0) || $0 == ":" }
    }

    /// RFC 3986 `IPv6address`: eight groups of 1–4 hex digits, one `::` standing for one or more zero
    /// groups, the last two groups possibly written as an IPv4 address.
    static func isIPv6(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        let text = String(String.UnicodeScalarView(scalars))
        let halves = text.split(separator: "::", maxSplits: 2, omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return false }
        func groups(_ part: Substring, last: Bool) -> Int? {
            if part.isEmpty { return 0 }
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            var count = 0
            for (i, piece) in pieces.enumerated() {
                if last, i == pieces.count - 1, piece.contains(".") {
                    guard isIPv4(piece) else { return nil }
                    count += 2
                } else {
                    guard (1...4).contains(piece.unicodeScalars.count), piece.unicodeScalars.allSatisfy(isHex) else {
                        return nil
                    }
                    count += 1
                }
            }
            return count
        }
        if halves.count == 1 {
            return groups(halves[0], last: true) == 8
        }
        guard let left = groups(halves[0], last: false), let right = groups(halves[1], last: true) else {
            return false
        }
        return left + right <= 7
    }

    /// Four decimal octets 0–255 without leading zeros.
    static func isIPv4(_ text: Substring) -> Bool {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4
            && octets.allSatisfy { octet in
                let scalars = octet.unicodeScalars
                guard (1...3).contains(scalars.count), scalars.allSatisfy(isDigit),
                    scalars.count == 1 || scalars.first != "0", let value = Int(octet)
                else { return false }
                return value <= 255
            }
    }

    // MARK: Email (RFC 5321 Mailbox)

    /// `Local-part "@" ( Domain / address-literal )`.
    static func isEmail(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first else { return false }
        var at: Int
        if first == "\"" {
            // Quoted-string: printable ASCII except `"` and `\`, or `\` and a printable character.
            var i = 1
            var closed = false
            while i < scalars.count {
                let s = scalars[i]
                if s == "\\" {
                    guard i + 1 < scalars.count, (32...126).contains(scalars[i + 1].value) else { return false }
                    i += 2
                } else if s == "\"" {
                    closed = true
                    break
                } else {
                    guard (32...126).contains(s.value) else { return false }
                    i += 1
                }
            }
            guard closed, i + 1 < scalars.count, scalars[i + 1] == "@", i + 1 <= 64 else { return false }
            at = i + 1
        } else {
            guard let index = scalars.firstIndex(of: "@"), index <= 64 else { return false }
            let local = scalars[..<index]
            let atoms = local.split(separator: ".", omittingEmptySubsequences: false)
            guard atoms.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isAtext) }) else { return false }
            at = index
        }
        let domain = scalars[(at + 1)...]
        if domain.first == "[" {
            guard domain.last == "]", domain.count >= 2 else { return false }
            let literal = domain.dropFirst().dropLast()
            let ipv6Tag = Array("IPv6:".unicodeScalars)
            if literal.starts(with: ipv6Tag) {
                return isIPv6(literal.dropFirst(ipv6Tag.count))
            }
            return isIPv4(Substring(String(String.UnicodeScalarView(literal))))
        }
        guard !domain.isEmpty, domain.count <= 255 else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            guard let first = label.first, let last = label.last, label.count <= 63 else { return false }
            return (isAlpha(first) || isDigit(first)) && (isAlpha(last) || isDigit(last))
                && label.allSatisfy { isAlpha($0) || isDigit($0) || $0 == "-" }
        }
    }

    /// RFC 5322 `atext`.
    static func isAtext(_ s: Unicode.Scalar) -> Bool {
        isAlpha(s) || isDigit(s) || "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(s)
    }
}
