import Testing
@testable import ContinuityKit

@Suite("Value types")
struct ValueTests {
    @Test(arguments: [
        ("30m", 1_800), ("4h", 14_400), ("2d", 172_800), ("1w", 604_800), ("0m", 0), ("365d", 31_536_000),
        ("PT4H", 14_400), ("P2D", 172_800), ("PT30M", 1_800), ("P1DT12H", 129_600), ("P1W", 604_800),
        ("PT1H30M", 5_400), ("PT45S", 45),
    ])
    func durations(_ text: String, _ seconds: Int) throws {
        let period = try #require(Period(text))
        #expect(period.seconds == seconds)
        #expect(period.text == text)
    }

    @Test(arguments: ["", "4", "h", "4x", "-1h", "4.5h", "4 h", "P", "PT", "P1H", "PT1D", "P1Y", "P1M", "4H", "1234567890h", "PT4H5"])
    func badDurations(_ text: String) {
        #expect(Period(text) == nil)
    }

    @Test func durationDisplay() {
        #expect(Period("90m")?.display == "90 min")
        #expect(Period("PT4H")?.display == "4 h")
        #expect(Period("48h")?.display == "2 d")
        #expect(Period("0m")?.display == "0")
        // Counts made once and counts made each time read alike, in every unit, across the boundary.
        for (size, name) in Period.displayUnits {
            for count in [1, 2, 59, 60, 99, 127, 128, 129, 1_000] {
                let seconds = count * size
                let largest = Period.displayUnits.first { seconds % $0.0 == 0 }!
                #expect(Period(seconds: seconds, text: "").display == "\(seconds / largest.0)\(largest.1)", "\(count)\(name)")
            }
        }
        #expect(Period(seconds: -7_200, text: "").display == "-2 h")
    }

    @Test(arguments: ["2026-05-01", "2024-02-29", "1999-12-31"])
    func dates(_ text: String) throws {
        #expect(try #require(CalendarDate(text)).description == text)
    }

    @Test(arguments: ["2026-5-1", "2026-02-30", "2025-02-29", "2026-13-01", "26-05-01", "2026/05/01", "", "2026-05-01T00:00"])
    func badDates(_ text: String) {
        #expect(CalendarDate(text) == nil)
    }

    @Test("a date is written YYYY-MM-DD, zeros in front", arguments: [
        (987, 1, 2, "0987-01-02"), (9999, 10, 31, "9999-10-31"), (2026, 12, 6, "2026-12-06"), (5, 9, 9, "0005-09-09"),
    ])
    func dateText(_ year: Int, _ month: Int, _ day: Int, _ text: String) throws {
        #expect(try #require(CalendarDate(year: year, month: month, day: day)).description == text)
    }

    @Test func unixTimeAndDays() throws {
        #expect(CalendarDate(unixTime: 1_793_491_200).description == "2026-11-01")
        #expect(CalendarDate(unixTime: 0).description == "1970-01-01")
        #expect(try #require(CalendarDate("2026-11-01")).daysSinceEpoch == 1_793_491_200 / 86_400)
    }

    @Test(arguments: [
        ("+1 866-467-5441", "18664675441"), ("+44 (20) 7946.0123", "442079460123"), ("+4930123456", "4930123456"),
    ])
    func phones(_ text: String, _ digits: String) throws {
        let phone = try #require(PhoneNumber(text))
        #expect(phone.digits == digits)
        #expect(phone.telURL == "tel:+\(digits)")
    }

    @Test(arguments: ["866-467-5441", "+1 555", "+1 555 010 0100 ext 4", "+1234567890123456", "+ 1 555 010 0100", "+1 555 010 0100-"])
    func badPhones(_ text: String) {
        #expect(PhoneNumber(text) == nil)
    }

    @Test(arguments: [("a", true), ("core-network", true), ("0day", true), ("-a", false), ("A", false), ("a_b", false),
        ("a.b", false), ("..", false), ("a/b", false), ("", false), ("ａ", false), (String(repeating: "a", count: 65), false)])
    func ids(_ id: String, _ valid: Bool) {
        #expect(Identifier.isValid(id) == valid)
    }

    @Test(arguments: [("jane@example.com", true), ("a.b@c.example", true), ("nobody", false), ("a@b", false),
        ("a @b.com", false), ("@b.com", false), ("a@b.c", false)])
    func emails(_ email: String, _ valid: Bool) {
        #expect(EmailAddress.isValid(email) == valid)
    }

    @Test func suggestions() {
        #expect(Suggestion.closest(to: "ownr", among: ["owner", "deputy", "rto"]) == "owner")
        #expect(Suggestion.closest(to: "zzzzz", among: ["owner", "deputy"]) == nil)
        #expect(Suggestion.distance("kitten", "sitting") == 3)
        #expect(Suggestion.distance("alpah", "alpha") == 1)
    }
}
