import Synchronization

/// Partials rendered once for a shared view and copied wherever they appear again.
///
/// A role card or a person's contact line is the same on every page of one folder depth: the same view
/// object (see `TemplateValue.fragmentIdentity`), the same partial, the same indentation. The renderer
/// stores a partial's output here only when rendering it consulted nothing but that view and what the
/// partial's own sections entered: a name the view does not answer is looked up in the values around
/// it, which differ from page to page, and such an output is never stored. Nor is a partial that shows
/// a block (`{{$name}}`), whose content depends on the overrides of the page, or that uses a parent.
/// The cache keeps the views it has entries for, so that no other object can take an identity while it
/// is in use; one cache serves one rendering of a site (one template library), from any thread.
final class FragmentCache: Sendable {
    struct Key: Equatable, Sendable {
        var object: ObjectIdentifier
        /// The partial's program number in the library the site is rendered with.
        var partial: Int
        var indentation: [UInt8]

        /// A view has few partials and is seldom indented: the object's address decides the slot, mixed
        /// with the rest by multiplication, with no general-purpose hasher for these short keys.
        var slotHash: UInt64 {
            let address = UInt64(UInt(bitPattern: object))
            return (address &+ UInt64(truncatingIfNeeded: partial) &* 0x9E37_79B9 &+ UInt64(indentation.count))
                &* 0x9E37_79B9_7F4A_7C15
        }
    }

    /// The entries in parts chosen by the view's address, each behind its own lock, so that the threads
    /// rendering pages seldom wait for one another. A part also holds the views of its entries, so that
    /// an identity stays its own while the entry exists; they are apart from the bytes, which a lookup
    /// then copies alone.
    private final class Shard: Sendable {
        /// An open-addressing table: a key's slot is given by the top bits of its hash, and the slots
        /// after it are tried in turn; at most half of the slots are taken.
        struct Entries {
            var keys: [Key?] = Array(repeating: nil, count: 16)
            var bytes: [[UInt8]] = Array(repeating: [], count: 16)
            var count = 0
            var views: [any TemplateValue] = []

            func slot(of key: Key) -> (index: Int, found: Bool) {
                let mask = keys.count - 1
                var index = Int(truncatingIfNeeded: key.slotHash >> 32) & mask
                while let present = keys[index] {
                    if present == key { return (index, true) }
                    index = (index + 1) & mask
                }
                return (index, false)
            }

            mutating func insert(_ key: Key, _ value: [UInt8]) {
                if (count + 1) * 2 > keys.count {
                    let old = (keys, bytes)
                    keys = Array(repeating: nil, count: old.0.count * 2)
                    bytes = Array(repeating: [], count: old.0.count * 2)
                    for (key, value) in zip(old.0, old.1) {
                        guard let key else { continue }
                        let index = slot(of: key).index
                        keys[index] = key
                        bytes[index] = value
                    }
                }
                let index = slot(of: key).index
                keys[index] = key
                bytes[index] = value
                count += 1
            }
        }
        let entries = Mutex<Entries>(Entries())
    }

    private let shards: [Shard] = (0..<16).map { _ in Shard() }

    init() {}

    private func shard(_ key: Key) -> Shard {
        // Objects are at least 16-byte aligned: the bits above those pick the part.
        shards[Int(truncatingIfNeeded: UInt(bitPattern: key.object) >> 4) & (shards.count - 1)]
    }

    subscript(key: Key) -> [UInt8]? {
        shard(key).entries.withLock { entries in
            let (index, found) = entries.slot(of: key)
            return found ? entries.bytes[index] : nil
        }
    }

    func store(_ bytes: [UInt8], for key: Key, view: any TemplateValue) {
        shard(key).entries.withLock { entries in
            guard !entries.slot(of: key).found else { return }
            entries.insert(key, bytes)
            entries.views.append(view)
        }
    }

    var count: Int { shards.reduce(0) { total, shard in total + shard.entries.withLock { $0.count } } }
}
