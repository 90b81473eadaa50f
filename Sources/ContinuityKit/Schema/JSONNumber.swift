/// A JSON number kept exactly as written: a sign, a decimal coefficient of any length and a power of
/// ten. `0.1`, `1e308` and `12345678910111213141516171819202122232425262728293031` are all held without
/// rounding, so comparisons, `1.0 == 1` and `multipleOf` (`0.0075` is a multiple of `0.0001`) are exact.
///
/// The value is kept normalized (no leading or trailing zeros in the coefficient, zero has no sign), so
/// the synthesized equality and hashing are equality and hashing of the mathematical value.
public struct JSONNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whether the number is below zero (never set for zero).
    let isNegative: Bool
    /// The decimal digits (0–9) of the coefficient, most significant first; no leading or trailing
    /// zeros; empty for zero.
    let digits: [UInt8]
    /// The value is `±digits × 10^exponent`.
    let exponent: Int

    /// The largest exponent accepted when reading a number. Far beyond anything a plan needs, small
    /// enough that exponent arithmetic can never overflow.
    static let maxExponent = 1_000_000_000

    init(isNegative: Bool, digits: some Collection<UInt8>, exponent: Int) {
        var body = Array(digits.drop { $0 == 0 })
        var exponent = exponent
        while let last = body.last, last == 0 {
            body.removeLast()
            exponent += 1
        }
        if body.isEmpty {
            self.isNegative = false
            self.digits = []
            self.exponent = 0
        } else {
            self.isNegative = isNegative
            self.digits = body
            self.exponent = exponent
        }
    }

    /// A number from its JSON text (`-12.5e3`); `nil` if the text is not a JSON number or its exponent
    /// is out of range (beyond ±10⁹).
    public init?(_ text: String) {
        guard let number = JSONNumber(jsonBytes: Array(text.utf8)[...]) else { return nil }
        self = number
    }

    public init(_ value: Int) {
        let magnitude = value.magnitude
        self.init(
            isNegative: value < 0, digits: String(magnitude).utf8.map { $0 - UInt8(ascii: "0") }, exponent: 0)
    }

    /// Reads the JSON number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    init?(jsonBytes bytes: ArraySlice<UInt8>) {
        var i = bytes.startIndex
        let end = bytes.endIndex
        func isDigit(_ index: Int) -> Bool { index < end && (48...57).contains(bytes[index]) }

        var negative = false
        if i < end, bytes[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        guard isDigit(i) else { return nil }
        var coefficient: [UInt8] = []
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while isDigit(i) {
                coefficient.append(bytes[i] - 48)
                i += 1
            }
        }
        var fractionDigits = 0
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { return nil }
            while isDigit(i) {
                coefficient.append(bytes[i] - 48)
                fractionDigits += 1
                i += 1
            }
        }
        var exponent = 0
        if i < end, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            var exponentNegative = false
            if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            guard isDigit(i) else { return nil }
            while isDigit(i) {
                exponent = exponent * 10 + Int(bytes[i] - 48)
                guard exponent <= JSONNumber.maxExponent else { return nil }
                i += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        guard i == end else { return nil }
        self.init(isNegative: negative, digits: coefficient, exponent: exponent - fractionDigits)
    }

    public static let zero = JSONNumber(0)

    public var isZero: Bool { digits.isEmpty }

    /// Whether the number has no fractional part: `1`, `1.0` and `1e3` are integers; `1.5` is not.
    public var isInteger: Bool { exponent >= 0 }

    /// The value as an `Int`, when it is an integer that fits.
    public var intValue: Int? {
        guard isInteger, digits.count + exponent <= 18 else { return nil }
        var value = 0
        for digit in digits { value = value * 10 + Int(digit) }
        for _ in 0..<exponent { value *= 10 }
        return isNegative ? -value : value
    }

    /// The nearest `Double` (infinite when out of its range).
    public var doubleValue: Double {
        Double(description) ?? (isNegative ? -.infinity : .infinity)
    }

    /// The number in JSON notation: plain for everyday magnitudes (`19.99`, `0.0075`, `1000`),
    /// scientific beyond them (`1e+308`).
    public var description: String {
        if digits.isEmpty { return "0" }
        let sign = isNegative ? "-" : ""
        let text = String(decoding: digits.map { $0 + 48 }, as: UTF8.self)
        let pointPosition = digits.count + exponent  // digits before the decimal point
        if exponent >= 0, pointPosition <= 21 {
            return sign + text + String(repeating: "0", count: exponent)
        }
        if exponent < 0, pointPosition > 0 {
            let split = text.index(text.startIndex, offsetBy: pointPosition)
            return sign + text[..<split] + "." + text[split...]
        }
        if exponent < 0, pointPosition > -6 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + text
        }
        let power = pointPosition - 1
        let mantissa = digits.count == 1 ? text : String(text.prefix(1)) + "." + text.dropFirst()
        return sign + mantissa + "e" + (power < 0 ? "-" : "+") + String(power.magnitude)
    }

    /// -1, 0 or 1.
    var signum: Int { digits.isEmpty ? 0 : (isNegative ? -1 : 1) }

    /// Compares the absolute values of two non-zero numbers: -1, 0 or 1.
    static func compareMagnitudes(_ a: JSONNumber, _ b: JSONNumber) -> Int {
        // The position of the leading digit decides, then the digits (no trailing zeros, so a prefix is
        // the smaller).
        let aLead = a.digits.count + a.exponent
        let bLead = b.digits.count + b.exponent
        if aLead != bLead { return aLead < bLead ? -1 : 1 }
        for (x, y) in zip(a.digits, b.digits) where x != y {
            return x < y ? -1 : 1
        }
        if a.digits.count == b.digits.count { return 0 }
        return a.digits.count < b.digits.count ? -1 : 1
    }

    public static func < (a: JSONNumber, b: JSONNumber) -> Bool {
        if a.signum != b.signum { return a.signum < b.signum }
        if a.signum == 0 { return false }
        let order = compareMagnitudes(a, b)
        return a.isNegative ? order > 0 : order < 0
    }

    /// Whether dividing this number by `divisor` gives an integer, computed exactly. A zero divisor
    /// gives `false` (schemas refuse `multipleOf: 0` when they are compiled).
    public func isMultiple(of divisor: JSONNumber) -> Bool {
        if divisor.isZero { return false }
        if isZero { return true }
        // self = A × 10^p, divisor = B × 10^q with B = 2^x × 5^y × B′ and B′ coprime to 10.
        // self / divisor = A × 10^(p−q) / B is an integer exactly when B′ divides A and A × 10^(p−q)
        // holds at least x twos and y fives. The powers of ten are never built, so `1e308` costs nothing.
        var b = BigDigits(decimal: divisor.digits)
        let twos = b.removeFactors(2)
        let fives = b.removeFactors(5)
        let shift = exponent - divisor.exponent
        var a = BigDigits(decimal: digits)
        if a.removeFactors(2, atMost: max(0, twos - shift)) + shift < twos { return false }
        if a.removeFactors(5, atMost: max(0, fives - shift)) + shift < fives { return false }
        return BigDigits.remainder(ofDecimal: digits, dividedBy: b).isZero
    }
}

/// A minimal unsigned arbitrary-precision integer (base 2³² limbs, least significant first), with only
/// what `JSONNumber.isMultiple(of:)` needs.
struct BigDigits: Sendable, Hashable {
    private(set) var limbs: [UInt32] = []

    init() {}

    init(decimal digits: [UInt8]) {
        for digit in digits { multiplyAdd(10, UInt32(digit)) }
    }

    var isZero: Bool { limbs.isEmpty }

    /// self = self × factor + addend.
    mutating func multiplyAdd(_ factor: UInt32, _ addend: UInt32) {
        var carry = UInt64(addend)
        for i in limbs.indices {
            let product = UInt64(limbs[i]) * UInt64(factor) + carry
            limbs[i] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
        trim()
    }

    /// Divides by a small divisor in place; returns the remainder.
    mutating func divide(by divisor: UInt32) -> UInt32 {
        var remainder: UInt64 = 0
        for i in limbs.indices.reversed() {
            let current = (remainder << 32) | UInt64(limbs[i])
            limbs[i] = UInt32(current / UInt64(divisor))
            remainder = current % UInt64(divisor)
        }
        trim()
        return UInt32(remainder)
    }

    /// Divides out `factor` as often as it goes (at most `limit` times); returns how often it did.
    mutating func removeFactors(_ factor: UInt32, atMost limit: Int = .max) -> Int {
        var count = 0
        while count < limit, !isZero {
            var copy = self
            guard copy.divide(by: factor) == 0 else { break }
            self = copy
            count += 1
        }
        return count
    }

    static func compare(_ a: BigDigits, _ b: BigDigits) -> Int {
        if a.limbs.count != b.limbs.count { return a.limbs.count < b.limbs.count ? -1 : 1 }
        for i in a.limbs.indices.reversed() where a.limbs[i] != b.limbs[i] {
            return a.limbs[i] < b.limbs[i] ? -1 : 1
        }
        return 0
    }

    /// self −= other; requires self ≥ other.
    mutating func subtract(_ other: BigDigits) {
        var borrow: Int64 = 0
        for i in limbs.indices {
            var difference = Int64(limbs[i]) - borrow - (i < other.limbs.count ? Int64(other.limbs[i]) : 0)
            borrow = 0
            if difference < 0 {
                difference += 1 << 32
                borrow = 1
            }
            limbs[i] = UInt32(difference)
        }
        trim()
    }

    /// The remainder of a decimal number divided by `divisor`, computed digit by digit (each step keeps
    /// the running remainder below the divisor, so it needs at most nine subtractions).
    static func remainder(ofDecimal digits: [UInt8], dividedBy divisor: BigDigits) -> BigDigits {
        var remainder = BigDigits()
        if divisor.limbs == [1] { return remainder }
        for digit in digits {
            remainder.multiplyAdd(10, UInt32(digit))
            while compare(remainder, divisor) >= 0 { remainder.subtract(divisor) }
        }
        return remainder
    }

    private mutating func trim() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }
}
