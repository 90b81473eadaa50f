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
    }

    private struct Entry: Sendable {
        /// Holds the view, so that its identity stays its own while the entry exists.
        var view: any TemplateValue
        var bytes: [UInt8]
    }

    private let entries = Mutex<[Key: Entry]>([:])

    init() {}

    subscript(key: Key) -> [UInt8]? {
        entries.withLock { $0[key]?.bytes }
    }

    func store(_ bytes: [UInt8], for key: Key, view: any TemplateValue) {
        entries.withLock { entries in
            if entries[key] == nil { entries[key] = Entry(view: view, bytes: bytes) }
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
