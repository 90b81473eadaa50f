import Foundation

/// The text of one content file, decoded and normalized: UTF-8 validated, a leading byte order mark
/// removed, CRLF line endings turned into LF. Line numbers are those of the file on disk.
public struct SourceFile: Sendable, Hashable {
    /// Path relative to the content folder, with `/` separators.
    public var path: String
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

public enum SourceLimits {
    /// The largest content file read.
    public static let maxFileBytes = 10 * 1024 * 1024
    /// The largest front matter block composed.
    public static let maxYAMLBytes = 256 * 1024
    /// The largest YAML registry file (`people.yaml`, `roles.yaml`…) composed: a registry grows with the
    /// organization (10,000 people take about 1.8 MB), and anchors and aliases, which could make a small
    /// file expensive, are refused before composing.
    public static let maxRegistryYAMLBytes = 8 * 1024 * 1024
}

extension SourceFile {
    /// Decodes file bytes, or explains why they are not a usable text file.
    public static func decode(_ bytes: [UInt8], path: String) -> Checked<SourceFile> {
        let start = SourceLocation(path: path)
        if bytes.count > SourceLimits.maxFileBytes {
            return .problem(
                .error(
                    .fileTooLarge,
                    "file is \(bytes.count) bytes; the limit is \(SourceLimits.maxFileBytes) bytes (10 MiB)",
                    at: start))
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        // The standard library's validation decides; the byte-by-byte scan only runs to place a problem.
        var text: String
        // Whether `text` holds exactly the bytes of `body`, which are then searched instead of the text.
        var textIsBody = false
        if let valid = body.withUnsafeBufferPointer({ UTF8Text.string($0, repairing: false) }) {
            text = valid
            textIsBody = true
        } else {
            if let bad = firstInvalidUTF8(body) {
                let location = position(ofByte: bad, in: body, path: path)
                return .problem(
                    .error(
                        .invalidUTF8, "file is not valid UTF-8 (byte 0x\(String(body[bad], radix: 16, uppercase: true)))",
                        at: location, hint: "save the file as UTF-8"))
            }
            text = String(decoding: body, as: UTF8.self)
        }
        // A carriage return found with memchr: a byte loop over every file cost about 1% of a build.
        let hasCarriageReturn = textIsBody
            ? body.withUnsafeBufferPointer { bytes in bytes.baseAddress.map { memchr($0, 13, bytes.count) != nil } ?? false }
            : text.utf8.contains(13)
        if hasCarriageReturn {
            text = text.replacingOccurrences(of: "\r\n", with: "\n")
        }
        if text.allSatisfy({ $0.isWhitespace }) {
            return .problem(.error(.emptyFile, "file is empty", at: start))
        }
        return .value(SourceFile(path: path, text: text))
    }

    /// The index of the first byte that does not belong to a valid UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
        bytes.withUnsafeBufferPointer { UTF8Text.firstInvalid($0) }.map { bytes.startIndex + $0 }
    }

    static func position(ofByte index: Int, in bytes: ArraySlice<UInt8>, path: String) -> SourceLocation {
        var line = 1
        var lineStart = bytes.startIndex
        for i in bytes.startIndex..<index where bytes[i] == 10 {
            line += 1
            lineStart = i + 1
        }
        // Columns count characters; the bytes before the bad one on its line are valid UTF-8.
        let column = String(decoding: bytes[lineStart..<index], as: UTF8.self).count + 1
        return SourceLocation(path: path, line: line, column: column)
    }
}

/// Strings made from UTF-8 bytes, validated as the standard library validates them, but in pieces: long
/// runs of ASCII bytes (which the standard library checks a word at a time) apart from the rest (which
/// it checks byte by byte). A multi-byte sequence has no ASCII byte, so no sequence spans two pieces and
/// the pieces are valid exactly when the whole is.
enum UTF8Text {
    /// The shortest ASCII run made a piece of its own; shorter runs stay with their neighbours.
    static let minimumASCIIRun = 64

    /// The text of `bytes`: nil when they are not valid UTF-8, or, when `repairing`, with each invalid
    /// sequence replaced as `String(decoding:as:)` replaces it.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>, repairing: Bool) -> String? {
        func piece(_ range: Range<Int>) -> String? {
            let slice = UnsafeBufferPointer(rebasing: bytes[range])
            return repairing ? String(decoding: slice, as: UTF8.self) : String(validating: slice, as: UTF8.self)
        }
        let count = bytes.count
        guard count >= 4 * minimumASCIIRun, let base = bytes.baseAddress else { return piece(0..<count) }
        let raw = UnsafeRawPointer(base)
        var result = ""
        result.reserveCapacity(count)
        var pending = 0  // the first byte not yet in `result`
        var i = 0
        while i < count {
            // The ASCII run from i: to the next byte >= 0x80, a word at a time.
            var j = i
            while j + 8 <= count, raw.loadUnaligned(fromByteOffset: j, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                j += 8
            }
            while j < count, bytes[j] < 0x80 { j += 1 }
            if j - i >= minimumASCIIRun {
                if pending < i {
                    guard let before = piece(pending..<i) else { return nil }
                    result.append(before)
                }
                guard let ascii = piece(i..<j) else { return nil }
                result.append(ascii)
                pending = j
            }
            // Past the bytes >= 0x80 that end the run.
            i = j
            while i < count, bytes[i] >= 0x80 { i += 1 }
        }
        if pending < count {
            guard let rest = piece(pending..<count) else { return nil }
            result.append(rest)
        }
        return result
    }

    /// The offset of the first byte that does not belong to a valid UTF-8 sequence (a stray or missing
    /// continuation byte, an overlong form, a surrogate, anything past U+10FFFF), nil when every byte
    /// does. ASCII is passed over a word at a time.
    static func firstInvalid(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        var i = 0
        while i < count {
            while i + 8 <= count, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
            }
            while i < count, bytes[i] < 0x80 { i += 1 }
            guard i < count else { return nil }
            // One scalar of two to four bytes; the second byte's range depends on the first.
            let width: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch bytes[i] {
            case 0xC2...0xDF: width = 2
            case 0xE0: width = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: width = 3
            case 0xED: width = 3; high = 0x9F
            case 0xF0: width = 4; low = 0x90
            case 0xF1...0xF3: width = 4
            case 0xF4: width = 4; high = 0x8F
            default: return i
            }
            guard i + width <= count, bytes[i + 1] >= low, bytes[i + 1] <= high else { return i }
            for k in (i + 2)..<(i + width) where bytes[k] & 0xC0 != 0x80 { return i }
            i += width
        }
        return nil
    }

    /// Whether `bytes` are valid UTF-8 (`firstInvalid`).
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { firstInvalid(bytes) == nil }

    /// `bytes` when they are valid UTF-8, else their text with each invalid sequence replaced as
    /// `String(decoding:as:)` replaces it.
    static func repaired(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { isValid($0) } ? bytes : Array(String(decoding: bytes, as: UTF8.self).utf8)
    }

    /// The scalar whose first byte is at `index` of UTF-8, and how many bytes it takes (its lead byte
    /// tells; one for a stray continuation byte). The scalar is nil for what is not one (a stray
    /// continuation byte, a surrogate, a sequence cut short by the end). Kept out of line: it serves the
    /// rare non-ASCII path of loops that are hot for ASCII.
    @inline(never)
    static func scalar<Bytes: RandomAccessCollection<UInt8>>(in bytes: Bytes, at index: Int) -> (scalar: Unicode.Scalar?, width: Int)
    where Bytes.Index == Int {
        let lead = bytes[index]
        guard lead >= 0x80 else { return (Unicode.Scalar(lead), 1) }
        guard lead & 0xC0 != 0x80 else { return (nil, 1) }
        let width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard index + width <= bytes.endIndex else { return (nil, bytes.endIndex - index) }
        var value = UInt32(lead) & (0xFF >> (width + 1))
        for next in bytes[(index + 1)..<(index + width)] { value = value << 6 | UInt32(next & 0x3F) }
        return (Unicode.Scalar(value), width)
    }
}

extension String {
    /// `body` with the string's UTF-8 bytes: read in place when they are contiguous (a native string's
    /// are), else from a copy. Unlike `withUTF8`, it needs no mutable copy of the string, whose retain and
    /// release cost more than a short key's comparison.
    @inline(__always) func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let result = utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return result }
        var copy = self
        return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    /// True when only a string of the same UTF-8 bytes equals this one: ASCII without ";", "`" and "K",
    /// the only characters another character is canonically equivalent to on its own (U+037E, U+1FEF and
    /// U+212A; checked over every scalar). Tested eight bytes at a time.
    var equalsOnlyItsBytes: Bool {
        withBytes { bytes in
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            @inline(__always) func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
            @inline(__always) func plain(_ word: UInt64) -> Bool {
                word & highs == 0
                    && (hasZero(word ^ (ones &* 0x3B)) | hasZero(word ^ (ones &* 0x60)) | hasZero(word ^ (ones &* 0x4B))) == 0
            }
            var index = 0
            while index + 8 <= bytes.count {
                guard plain(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) else { return false }
                index += 8
            }
            while index < bytes.count {
                let byte = bytes[index]
                if byte >= 0x80 || byte == 0x3B || byte == 0x60 || byte == 0x4B { return false }
                index += 1
            }
            return true
        }
    }
}
