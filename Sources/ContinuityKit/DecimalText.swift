/// Decimal numbers written straight into UTF-8 output.
enum DecimalText {
    /// Appends `number` as `String(number)` writes it, with zeros in front up to `width` characters (the
    /// zeros go before a minus sign, as `String(repeating: "0", count: width - text.count) + text` puts them).
    static func append(_ number: Int, width: Int = 1, to bytes: inout [UInt8]) {
        let magnitude = number.magnitude
        var divisor: UInt = 1
        var digits = 1
        while divisor <= magnitude / 10 {
            divisor *= 10
            digits += 1
        }
        let length = digits + (number < 0 ? 1 : 0)
        if length < width { bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - length)) }
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        var rest = magnitude
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
