/// JSON string literals, escaped as Go's protojson escapes them, for every JSON Chorus writes: the
/// webhook bodies and tokens (which LiveKit's receivers hash and parse) and the CLI's JSON lines.
public enum JSONStringLiteral {
    /// Appends `value` as a JSON string literal, escaping as Go's protojson does: `"`, `\`, and control
    /// characters (`\b \f \n \r \t`, else `\u00XX`); everything else, non-ASCII included, is written as UTF-8.
    public static func append(_ value: String, to out: inout String) {
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
