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
        JSONStringLiteral.append(value, to: &self.text)
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
        JSONStringLiteral.append(value.protoName, to: &self.text)
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
            JSONStringLiteral.append(entry.key, to: &self.text)
            self.text += ":"
            JSONStringLiteral.append(entry.value, to: &self.text)
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
}
