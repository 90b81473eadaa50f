/// XXH64, a fast non-cryptographic 64-bit hash (Yann Collet's xxHash, 64-bit variant), reading its input
/// 8 bytes at a time. It tells whether the inputs of a build changed and finds search terms in a table; it is no defence against someone
/// who crafts collisions, and need not be: whoever can edit the content can change the site anyway.
enum FastHash {
    static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    @inline(__always) static func rotate(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

    @inline(__always) static func round(_ accumulator: UInt64, _ input: UInt64) -> UInt64 {
        rotate(accumulator &+ input &* prime2, 31) &* prime1
    }

    @inline(__always) static func merge(_ accumulator: UInt64, _ value: UInt64) -> UInt64 {
        (accumulator ^ round(0, value)) &* prime1 &+ prime4
    }

    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return finish(seed &+ prime5, remaining: UnsafeRawBufferPointer(start: nil, count: 0)) }
        var offset = 0
        var h: UInt64
        if count >= 32 {
            var v1 = seed &+ prime1 &+ prime2
            var v2 = seed &+ prime2
            var v3 = seed
            var v4 = seed &- prime1
            while offset + 32 <= count {
                v1 = round(v1, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                v2 = round(v2, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)))
                v3 = round(v3, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self)))
                v4 = round(v4, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self)))
                offset += 32
            }
            h = rotate(v1, 1) &+ rotate(v2, 7) &+ rotate(v3, 12) &+ rotate(v4, 18)
            h = merge(h, v1)
            h = merge(h, v2)
            h = merge(h, v3)
            h = merge(h, v4)
        } else {
            h = seed &+ prime5
        }
        h = h &+ UInt64(count)
        return finish(h, remaining: UnsafeRawBufferPointer(rebasing: bytes[offset...]))
    }

    @inline(__always) static func finish(_ start: UInt64, remaining bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = start
        var offset = 0
        let count = bytes.count
        if let base = bytes.baseAddress {
            while offset + 8 <= count {
                let k = round(0, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                h = rotate(h ^ k, 27) &* prime1 &+ prime4
                offset += 8
            }
            if offset + 4 <= count {
                h ^= UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))) &* prime1
                h = rotate(h, 23) &* prime2 &+ prime3
                offset += 4
            }
            while offset < count {
                h ^= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) &* prime5
                h = rotate(h, 11) &* prime1
                offset += 1
            }
        }
        h ^= h >> 33
        h = h &* prime2
        h ^= h >> 29
        h = h &* prime3
        h ^= h >> 32
        return h
    }

    static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }

    static func hash(_ text: String, seed: UInt64 = 0) -> UInt64 {
        var text = text
        return text.withUTF8 { hash(UnsafeRawBufferPointer($0), seed: seed) }
    }

    /// 128 bits as 32 hexadecimal digits: the hash under two seeds.
    static func hex128(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { hex(hash($0, seed: 0)) + hex(hash($0, seed: prime1)) }
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

extension FastHash {
    /// FNV-1a (64 bits), for short keys hashed a byte at a time as they are read: start from `fnvOffset`
    /// and take each byte with `fnvStep`.
    static let fnvOffset: UInt64 = 0xCBF2_9CE4_8422_2325
    @inline(__always) static func fnvStep(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
}

/// A file's size and the `FastHash` of its bytes, as the build record's fingerprint describes a file.
struct FileDigest: Sendable, Hashable {
    var size: Int64
    var hash: UInt64

    init(size: Int64, hash: UInt64) {
        self.size = size
        self.hash = hash
    }

    init(_ bytes: [UInt8]) {
        self.init(size: Int64(bytes.count), hash: FastHash.hash(bytes))
    }
}
