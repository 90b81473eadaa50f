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
/// is in use; one cache serves one rendering of a site, from any thread.
final class FragmentCache: Sendable {
    struct Key: Hashable, Sendable {
        var object: ObjectIdentifier
        var partial: String
        var indentation: [UInt8]

        /// The object, and only the lengths of the rest: a view has few partials, and hashing the
        /// partial's name at every lookup cost more than the rare collisions.
        func hash(into hasher: inout Hasher) {
            hasher.combine(object)
            hasher.combine(partial.utf8.count)
            hasher.combine(indentation.count)
        }
    }

    /// The entries in parts chosen by the view's address, each behind its own lock, so that the threads
    /// rendering pages seldom wait for one another. A part also holds the views of its entries, so that
    /// an identity stays its own while the entry exists; they are apart from the bytes, which a lookup
    /// then copies alone.
    private final class Shard: Sendable {
        struct Entries {
            var bytes: [Key: [UInt8]] = [:]
            var views: [any TemplateValue] = []
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
        shard(key).entries.withLock { $0.bytes[key] }
    }

    func store(_ bytes: [UInt8], for key: Key, view: any TemplateValue) {
        shard(key).entries.withLock { entries in
            guard entries.bytes[key] == nil else { return }
            entries.bytes[key] = bytes
            entries.views.append(view)
        }
    }

    var count: Int { shards.reduce(0) { total, shard in total + shard.entries.withLock { $0.bytes.count } } }
}
