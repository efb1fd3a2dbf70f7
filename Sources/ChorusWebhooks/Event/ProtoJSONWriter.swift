/// Writes one JSON object the way Go's `protojson.Marshal` writes a protobuf message with default options.
///
/// Field names are the lowerCamelCase JSON names; fields holding their zero value are left out; 64-bit
/// integers are quoted strings, 32-bit integers are numbers, enums are their value names; maps are written
/// with sorted keys; there is no whitespace. Callers add fields in the message's declaration order, which
/// is the order protojson uses.
struct ProtoJSONWriter {
    private(set) var text = "{"
    private var first = true

    /// Adds a string field unless it is empty.
    mutating func string(_ key: String, _ value: String) {
        guard !value.isEmpty else { return }
        self.key(key)
        Self.appendQuoted(value, to: &self.text)
    }

    /// Adds an `int64` field, quoted, unless it is zero.
    mutating func int64(_ key: String, _ value: Int64) {
        guard value != 0 else { return }
        self.key(key)
        self.text += "\"\(value)\""
    }

    /// Adds a `uint32` field as a number unless it is zero.
    mutating func uint32(_ key: String, _ value: UInt32) {
        guard value != 0 else { return }
        self.key(key)
        self.text += String(value)
    }

    /// Adds a `bool` field unless it is false.
    mutating func bool(_ key: String, _ value: Bool) {
        guard value else { return }
        self.key(key)
        self.text += "true"
    }

    /// Adds an enum field by its value name unless it is the zero value.
    mutating func enumeration<E: ProtoEnum>(_ key: String, _ value: E) {
        guard value.rawValue != 0 else { return }
        self.key(key)
        Self.appendQuoted(value.protoName, to: &self.text)
    }

    /// Adds a message field (an object written by `body`) unless it is absent.
    mutating func message<M>(_ key: String, _ value: M?, _ body: (inout ProtoJSONWriter, M) -> Void) {
        guard let value else { return }
        var nested = ProtoJSONWriter()
        body(&nested, value)
        self.key(key)
        self.text += nested.finished
    }

    /// Adds a repeated message field unless it is empty.
    mutating func messages<M>(_ key: String, _ values: [M], _ body: (inout ProtoJSONWriter, M) -> Void) {
        guard !values.isEmpty else { return }
        self.key(key)
        self.text += "["
        for (index, value) in values.enumerated() {
            if index > 0 { self.text += "," }
            var nested = ProtoJSONWriter()
            body(&nested, value)
            self.text += nested.finished
        }
        self.text += "]"
    }

    /// Adds a `map<string, string>` field with sorted keys unless it is empty.
    mutating func stringMap(_ key: String, _ values: [String: String]) {
        guard !values.isEmpty else { return }
        self.key(key)
        self.text += "{"
        for (index, entry) in values.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { self.text += "," }
            Self.appendQuoted(entry.key, to: &self.text)
            self.text += ":"
            Self.appendQuoted(entry.value, to: &self.text)
        }
        self.text += "}"
    }

    /// The finished object.
    var finished: String { self.text + "}" }

    private mutating func key(_ key: String) {
        if !self.first { self.text += "," }
        self.first = false
        self.text += "\""
        self.text += key
        self.text += "\":"
    }

    /// Appends `value` as a JSON string literal, escaping as Go's protojson does: `"`, `\`, and control
    /// characters (`\b \f \n \r \t`, else `\u00XX`); everything else, non-ASCII included, is written as UTF-8.
    static func appendQuoted(_ value: String, to out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
