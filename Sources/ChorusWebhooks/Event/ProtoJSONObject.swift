import Foundation

/// Reads a protobuf message's JSON object as protojson parsers do: a field may be named in lowerCamelCase
/// or as in the `.proto` file (snake_case); 64-bit integers may be strings or numbers; enums may be names or
/// numbers; unknown fields are ignored.
struct ProtoJSONObject {
    /// The decoded JSON object.
    let object: [String: Any]

    /// Wraps a value from `JSONSerialization`, or fails if it is not an object.
    init?(_ value: Any?) {
        guard let object = value as? [String: Any] else { return nil }
        self.object = object
    }

    /// The raw value of the field `camel` (or its snake_case spelling), if present and not null.
    func value(_ camel: String) -> Any? {
        if let value = self.object[camel], !(value is NSNull) { return value }
        let snake = Self.snakeCase(camel)
        if snake != camel, let value = self.object[snake], !(value is NSNull) { return value }
        return nil
    }

    /// A string field, "" when absent.
    func string(_ key: String) -> String { self.value(key) as? String ?? "" }

    /// An integer field (number or quoted number), 0 when absent or not an integer.
    func int64(_ key: String) -> Int64 { self.value(key).flatMap(Self.integer) ?? 0 }

    /// An unsigned 32-bit field, 0 when absent or out of range.
    func uint32(_ key: String) -> UInt32 { UInt32(exactly: self.int64(key)) ?? 0 }

    /// A bool field, false when absent.
    func bool(_ key: String) -> Bool {
        guard let value = self.value(key) else { return false }
        if let flag = value as? Bool { return flag }
        return (value as? NSNumber)?.boolValue ?? false
    }

    /// An enum field, its zero value when absent or unknown.
    func enumeration<E: ProtoEnum>(_ key: String, _ type: E.Type) -> E {
        self.value(key).flatMap { E(protoJSON: $0) } ?? E(rawValue: 0)!
    }

    /// A message field, nil when absent.
    func message(_ key: String) -> ProtoJSONObject? { ProtoJSONObject(self.value(key)) }

    /// A repeated message field, empty when absent.
    func messages(_ key: String) -> [ProtoJSONObject] {
        (self.value(key) as? [Any] ?? []).compactMap { ProtoJSONObject($0) }
    }

    /// A `map<string, string>` field, empty when absent.
    func stringMap(_ key: String) -> [String: String] {
        (self.value(key) as? [String: Any] ?? [:]).compactMapValues { $0 as? String }
    }

    /// An integer from a JSON number or a string of digits, as protojson accepts for integer fields.
    static func integer(_ value: Any) -> Int64? {
        if let text = value as? String { return Int64(text) }
        // No `is Bool` test: Foundation on Linux lets an NSNumber holding 0 or 1 cast to Bool.
        guard let number = value as? NSNumber else { return nil }
        let double = number.doubleValue
        guard double.rounded() == double, abs(double) < 9.2e18 else { return nil }
        return number.int64Value
    }

    /// `creationTimeMs` → `creation_time_ms`.
    static func snakeCase(_ camel: String) -> String {
        var out = ""
        for character in camel {
            if character.isUppercase {
                out += "_"
                out += character.lowercased()
            } else {
                out.append(character)
            }
        }
        return out
    }
}
