import Foundation

/// A length of time from the content: `30m`, `4h`, `2d`, `1w`, or ISO 8601 (`PT4H`, `P2D`, `P1DT12H`).
public struct Period: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var seconds: Int
    /// As written in the content.
    public var text: String

    public init(seconds: Int, text: String) {
        self.seconds = seconds
        self.text = text
    }

    public init?(_ text: String) {
        let trimmed = text.trimmingWhitespaces()
        guard let seconds = Period.parseShortASCII(trimmed) ?? Period.parseShort(trimmed) ?? Period.parseISO(trimmed)
        else { return nil }
        self.init(seconds: seconds, text: trimmed)
    }

    public static func < (a: Period, b: Period) -> Bool { a.seconds < b.seconds }
    public static func == (a: Period, b: Period) -> Bool { a.seconds == b.seconds }
    public func hash(into hasher: inout Hasher) { hasher.combine(seconds) }

    public var description: String { text }

    /// A short human form in the largest whole unit: `90m` → "90 min", `PT4H` → "4 h", `P2D` → "2 d".
    public var display: String {
        if seconds == 0 { return "0" }
        for (unit, (size, name)) in Self.displayUnits.enumerated() where seconds % size == 0 {
            let count = seconds / size
            // Pages ask for it tens of times per runbook: the common counts are made once.
            if count > 0, count < Self.displayedCounts { return Self.displayed[unit][count] }
            return Self.display(count, name)
        }
        return Self.display(seconds, " s")
    }

    static func display(_ count: Int, _ unit: String) -> String { String(count) + unit }

    /// The units `display` writes, largest first, with the space before them.
    static let displayUnits: [(Int, String)] = [(604_800, " w"), (86_400, " d"), (3_600, " h"), (60, " min"), (1, " s")]

    /// `display` of each count below `displayedCounts` in each of `displayUnits`.
    static let displayedCounts = 128
    static let displayed: [[String]] = displayUnits.map { _, name in (0..<displayedCounts).map { display($0, name) } }

    static let unitSeconds: [Character: Int] = ["m": 60, "h": 3_600, "d": 86_400, "w": 604_800]

    /// `parseShort` for ASCII text (`30m`, `4h`), byte by byte; nil for anything else, which the other
    /// parsers then read.
    static func parseShortASCII(_ text: String) -> Int? {
        let utf8 = text.utf8
        guard let unit = utf8.last, utf8.count >= 2, utf8.count <= 10 else { return nil }
        let size: Int
        switch unit {
        case UInt8(ascii: "m"): size = 60
        case UInt8(ascii: "h"): size = 3_600
        case UInt8(ascii: "d"): size = 86_400
        case UInt8(ascii: "w"): size = 604_800
        default: return nil
        }
        var value = 0
        for byte in utf8.dropLast() {
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value * size
    }

    static func parseShort(_ text: String) -> Int? {
        guard let unit = text.last, let size = unitSeconds[unit] else { return nil }
        let number = text.dropLast()
        guard !number.isEmpty, number.count <= 9, number.allSatisfy({ $0.isASCII && $0.isNumber }),
            let value = Int(number)
        else { return nil }
        return value * size
    }

    /// ISO 8601 durations without years and months (whose length varies): `P1W`, `P2D`, `PT4H30M`.
    static func parseISO(_ text: String) -> Int? {
        guard text.hasPrefix("P"), text.count > 1 else { return nil }
        var total = 0
        var number = ""
        var inTime = false
        var sawComponent = false
        for c in text.dropFirst() {
            if c.isASCII && c.isNumber {
                number.append(c)
                guard number.count <= 9 else { return nil }
                continue
            }
            if c == "T" {
                guard !inTime, number.isEmpty else { return nil }
                inTime = true
                continue
            }
            guard let value = Int(number) else { return nil }
            number = ""
            let size: Int
            switch (c, inTime) {
            case ("W", false): size = 604_800
            case ("D", false): size = 86_400
            case ("H", true): size = 3_600
            case ("M", true): size = 60
            case ("S", true): size = 1
            default: return nil
            }
            total += value * size
            sawComponent = true
        }
        guard number.isEmpty, sawComponent, !text.hasSuffix("T") else { return nil }
        return total
    }
}

/// A calendar day, `YYYY-MM-DD`.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...CalendarDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public init?(_ text: String) {
        guard let fields = CalendarDate.asciiFields(text) ?? CalendarDate.characterFields(text) else { return nil }
        self.init(year: fields.0, month: fields.1, day: fields.2)
    }

    /// Year, month and day of `YYYY-MM-DD` written in ASCII digits, read byte by byte; nil for any other
    /// text, which `characterFields` then reads.
    static func asciiFields(_ text: String) -> (Int, Int, Int)? {
        let utf8 = text.utf8
        guard utf8.count == 10 else { return nil }
        var fields = (0, 0, 0)
        for (i, byte) in utf8.enumerated() {
            if i == 4 || i == 7 {
                guard byte == 45 else { return nil }  // -
                continue
            }
            guard byte >= 48, byte <= 57 else { return nil }
            let digit = Int(byte - 48)
            if i < 4 {
                fields.0 = fields.0 * 10 + digit
            } else if i < 7 {
                fields.1 = fields.1 * 10 + digit
            } else {
                fields.2 = fields.2 * 10 + digit
            }
        }
        return fields
    }

    /// Year, month and day of `YYYY-MM-DD`, read character by character.
    static func characterFields(_ text: String) -> (Int, Int, Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        return (y, m, d)
    }

    /// The UTC day of a Unix timestamp (as in `SOURCE_DATE_EPOCH`).
    public init(unixTime: Int) {
        let days = unixTime >= 0 ? unixTime / 86_400 : (unixTime - 86_399) / 86_400
        // Civil-from-days, after Howard Hinnant's public-domain algorithm.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public var description: String {
        // YYYY-MM-DD; a year past 9999 keeps all its digits.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        DecimalText.append(year, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        DecimalText.append(month, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        DecimalText.append(day, width: 2, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A phone number as written (`+1 555-010-0100`), with its digits for `tel:` links and comparison.
public struct PhoneNumber: Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var digits: String

    /// `+`, then 8–15 digits; spaces, dashes, dots and parentheses between digits.
    public init?(_ text: String) {
        let trimmed = text.trimmingWhitespaces()
        guard trimmed.hasPrefix("+"), let last = trimmed.last, last.isASCII, last.isNumber else { return nil }
        var digits = ""
        for c in trimmed.dropFirst() {
            if c.isASCII && c.isNumber {
                digits.append(c)
            } else if !" -.()".contains(c) {
                return nil
            }
        }
        guard let first = trimmed.dropFirst().first, first.isNumber, (8...15).contains(digits.count) else {
            return nil
        }
        self.text = trimmed
        self.digits = digits
    }

    /// The `tel:` URL: `tel:+15550100100`.
    public var telURL: String { "tel:+\(digits)" }
    public var description: String { text }
}

public enum Identifier {
    /// Ids match `^[a-z0-9][a-z0-9-]{0,63}$`.
    public static func isValid(_ id: String) -> Bool {
        // Every scalar must be ASCII, so the bytes decide: a byte of a non-ASCII scalar matches nothing.
        id.withBytes { bytes in
            guard let first = bytes.first, bytes.count <= 64, isLowerAlnum(first) else { return false }
            for byte in bytes where !(isLowerAlnum(byte) || byte == 45) { return false }
            return true
        }
    }

    static func isLowerAlnum(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 48 && b <= 57) }

    /// `isValid`, scalar by scalar, as the pattern reads.
    static func isValidScalars(_ id: String) -> Bool {
        let scalars = id.unicodeScalars
        guard let first = scalars.first, scalars.count <= 64, isLowerAlnum(first) else { return false }
        return scalars.allSatisfy { isLowerAlnum($0) || $0 == "-" }
    }

    static func isLowerAlnum(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("0"..."9").contains(s)
    }
}

public enum EmailAddress {
    /// `local@domain.tld`: one `@`, no spaces, a dot in the domain with a final part of two letters or more.
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !text.contains(where: { $0.isWhitespace }) else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }), let tld = labels.last, tld.count >= 2,
            tld.allSatisfy({ $0.isLetter })
        else { return false }
        return true
    }
}

/// How widely a document may be read.
public enum Classification: String, Sendable, Hashable, CaseIterable {
    case `public`, `internal`, confidential
}

/// How far a disruption reaches, smallest first.
public enum Scope: String, Sendable, Hashable, CaseIterable, Comparable {
    case facility, district, city, region

    public static func < (a: Scope, b: Scope) -> Bool {
        allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
    }
}

public enum SiteKind: String, Sendable, Hashable, CaseIterable {
    case office, dataCenter = "data-center", noc, recovery, remote
}

/// The plan element vocabulary of the public summary.
public enum PlanElement: String, Sendable, Hashable, CaseIterable {
    case businessImpactAnalysis = "business-impact-analysis"
    case disasterScenarios = "disaster-scenarios"
    case planOwnershipAndDistribution = "plan-ownership-and-distribution"
    case exposureAndRiskAnalysis = "exposure-and-risk-analysis"
    case emergencyRolesAndResponsibilities = "emergency-roles-and-responsibilities"
    case recoveryTimeObjectives = "recovery-time-objectives"
    case dataBackupAndRecovery = "data-backup-and-recovery"
    case missionCriticalSystems = "mission-critical-systems"
    case financialAndOperationalAssessments = "financial-and-operational-assessments"
    case alternateCommunicationsCustomers = "alternate-communications-customers"
    case alternateCommunicationsEmployees = "alternate-communications-employees"
    case regulatoryReporting = "regulatory-reporting"
    case alternatePhysicalLocation = "alternate-physical-location"
    case criticalCounterparties = "critical-counterparties"
    case communicationsWithRegulators = "communications-with-regulators"
    case customerAccessToFunds = "customer-access-to-funds"

    /// The element in words, as the public summary lists it.
    public var phrase: String {
        switch self {
        case .businessImpactAnalysis: return "a business impact analysis"
        case .disasterScenarios: return "disaster scenarios"
        case .planOwnershipAndDistribution: return "plan ownership and internal distribution"
        case .exposureAndRiskAnalysis: return "an exposure and risk analysis"
        case .emergencyRolesAndResponsibilities: return "emergency roles and responsibilities"
        case .recoveryTimeObjectives: return "recovery time objectives"
        case .dataBackupAndRecovery: return "data backup and recovery"
        case .missionCriticalSystems: return "mission-critical systems"
        case .financialAndOperationalAssessments: return "financial and operational assessments"
        case .alternateCommunicationsCustomers: return "alternate communications with customers"
        case .alternateCommunicationsEmployees: return "alternate communications with employees"
        case .regulatoryReporting: return "regulatory reporting after an event"
        case .alternatePhysicalLocation: return "alternate physical locations"
        case .criticalCounterparties: return "the effect on critical counterparties"
        case .communicationsWithRegulators: return "communications with regulators"
        case .customerAccessToFunds: return "customers' prompt access to their funds"
        }
    }
}

extension String {
    /// `trimmingCharacters(in: .whitespaces)`, without Foundation when there is nothing to trim: the only
    /// ASCII characters of `.whitespaces` are space and tab, so text that starts and ends with another
    /// ASCII character is returned as it is.
    func trimmingWhitespaces() -> String {
        let utf8 = self.utf8
        if let first = utf8.first, let last = utf8.last, first < 0x80, last < 0x80, first != 32, first != 9,
            last != 32, last != 9
        {
            return self
        }
        return trimmingCharacters(in: .whitespaces)
    }
}
