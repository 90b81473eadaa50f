/// A view value handed to templates. Each view names its fields in a `switch` over `FieldName`, so a
/// template lookup is a jump on a small number rather than reflection or text comparison, and a view
/// exposes only what it chooses to.
///
/// Any field can also be asked for with a `?` suffix, which is true when the value is present and not
/// empty: `{{#dependencies?}}<h2>Depends on</h2>…{{/dependencies?}}` shows a heading once, only when
/// the list has items.
protocol TemplateValue: TemplateData, Sendable {
    /// The value of the field `name`, nil when the view has none. Written `.of(value)`, which takes any
    /// `TemplateData` (or an optional one) as it is, without wrapping it in an existential first.
    func field(_ name: FieldName) -> TemplateContent?
    /// The value of a field whose name is not a `FieldName`; nil (the default) in every view of the sites,
    /// whose names are all there. A view can answer any other name here, looked up as text.
    func field(named name: String) -> TemplateContent?
    /// The object that stands for this value in a `FragmentCache`: given by views made once and shown on
    /// many pages (role cards, people), whose partials are then rendered once. It must be the view itself
    /// (or an object only it holds): two values with the same identity must answer every name alike. Nil
    /// (the default) for the others.
    var fragmentIdentity: AnyObject? { get }
}

extension TemplateValue {
    var templateContent: TemplateContent { .object(self) }
    var fragmentIdentity: AnyObject? { nil }
    func field(named name: String) -> TemplateContent? { nil }
}

/// What a field can hold: text, a flag, a view, or a list of any of these. A template tells them apart
/// without casting: `{{name}}` writes text, `{{#name}}` tests a flag, enters a view, repeats over a list.
protocol TemplateData: Sendable {
    var templateContent: TemplateContent { get }
}

enum TemplateContent {
    case text(String)
    /// Text that is already valid UTF-8 bytes, shown as `.text` would be: large generated HTML need not
    /// become a `String` (and be checked again) only to be copied into the page.
    case utf8([UInt8])
    /// A whole number, shown in decimal as its `String` would be, without making one.
    case number(Int)
    case flag(Bool)
    case object(any TemplateValue)
    case list(any TemplateList)
}

extension TemplateContent {
    /// `value` as a template shows it. (The optional overload below would accept it too, but wrapping
    /// every value in an optional first cost 0.6% of a build's instructions.)
    @inline(__always) static func of<Value: TemplateData>(_ value: Value) -> TemplateContent? { value.templateContent }
    /// `value` as a template shows it; nil when there is none.
    @inline(__always) static func of<Value: TemplateData>(_ value: Value?) -> TemplateContent? { value?.templateContent }
}

/// A list a section repeats over.
protocol TemplateList: Sendable {
    var isEmpty: Bool { get }
    func forEachContent(_ body: (consuming TemplateContent) -> Void)
}

extension Array: TemplateList where Element: TemplateData {
    func forEachContent(_ body: (consuming TemplateContent) -> Void) {
        for element in self { body(element.templateContent) }
    }
}

extension Array: TemplateData where Element: TemplateData {
    var templateContent: TemplateContent { .list(self) }
}

extension String: TemplateData {
    var templateContent: TemplateContent { .text(self) }
}

/// Valid UTF-8 handed to a template as text (see `TemplateContent.utf8`).
struct HTMLBytes: TemplateData {
    var bytes: [UInt8]
    var templateContent: TemplateContent { .utf8(bytes) }
}

extension Int: TemplateData {
    var templateContent: TemplateContent { .number(self) }
}

extension Bool: TemplateData {
    var templateContent: TemplateContent { .flag(self) }
}

/// A link to a page: the text, the relative `href`, an optional note shown beside it. A class: a list
/// hands each element to the template as a value, and a reference is copied without copying the texts.
final class LinkView: TemplateValue {
    let text: String
    let href: String
    let note: String?

    init(text: String, href: String, note: String? = nil) {
        self.text = text
        self.href = href
        self.note = note
    }

    func field(_ name: FieldName) -> TemplateContent? {
        switch name {
        case .text: return .of(text)
        case .href: return .of(href)
        case .note: return .of(note)
        default: return nil
        }
    }
}

/// A phone number: as written, and its `tel:` URL.
final class PhoneView: TemplateValue {
    let text: String
    let tel: String

    init(_ phone: PhoneNumber) {
        text = phone.text
        tel = phone.telURL
    }

    func field(_ name: FieldName) -> TemplateContent? {
        switch name {
        case .text: return .of(text)
        case .tel: return .of(tel)
        default: return nil
        }
    }
}

/// A label and a value, for definition lists.
struct FactView: TemplateValue {
    var label: String
    var value: String

    init(label: String, value: String) {
        self.label = label
        self.value = value
    }

    /// A field from an organization's schema extension.
    init(_ field: ExtraField) {
        self.init(label: field.label, value: field.value)
    }

    func field(_ name: FieldName) -> TemplateContent? {
        switch name {
        case .label: return .of(label)
        case .value: return .of(value)
        default: return nil
        }
    }
}
