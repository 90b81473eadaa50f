/// A relative path put together component by component, as links are resolved: `push` adds one (after
/// a `/`), `pop` takes the last away (for `..`).
struct PathComponents {
    private(set) var bytes: [UInt8] = []
    /// Where each component ends, separators excluded.
    private var ends: [Int] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func push(_ component: some Collection<UInt8>, suffix: [UInt8] = []) {
        if !ends.isEmpty { bytes.append(UInt8(ascii: "/")) }
        bytes.append(contentsOf: component)
        bytes.append(contentsOf: suffix)
        ends.append(bytes.count)
    }

    /// Removes the last component; false when there is none.
    mutating func pop() -> Bool {
        guard !ends.isEmpty else { return false }
        ends.removeLast()
        bytes.removeSubrange((ends.last ?? 0)...)
        return true
    }
}

extension String {
    /// The index of the last `/`, found on the bytes in place: the generic walk back through the UTF-8
    /// view took about 1,200 instructions a path.
    func lastSlash() -> String.Index? {
        let offset = withBytes { bytes -> Int? in
            var k = bytes.count
            while k > 0 {
                k -= 1
                if bytes[k] == UInt8(ascii: "/") { return k }
            }
            return nil
        }
        return offset.map { utf8.index(utf8.startIndex, offsetBy: $0) }
    }
}
