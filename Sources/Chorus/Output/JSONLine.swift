import ChorusWebhooks

/// Builds one JSON object on one line, with numbers formatted the same way on every run.
///
/// Chorus's JSON-lines output is a contract (DESIGN.md) and must be byte-for-byte reproducible
/// for the same input, so numbers are printed with a fixed number of decimals (trailing zeros
/// trimmed) rather than by a general-purpose float printer.
public struct JSONLine: Sendable {
    private var text: String = "{"
    private var first = true

    /// Starts an object whose first key is `"event"`.
    public init(event: String) {
        self.string("event", event)
    }

    /// Adds a string value, escaped.
    public mutating func string(_ key: String, _ value: String) {
        self.key(key)
        JSONStringLiteral.append(value, to: &self.text)
    }

    /// Adds a number with at most `decimals` digits after the point.
    public mutating func number(_ key: String, _ value: Double, decimals: Int) {
        self.key(key)
        self.text += JSONLine.fixed(value, decimals: decimals)
    }

    /// Adds an integer.
    public mutating func integer(_ key: String, _ value: Int) {
        self.key(key)
        self.text += String(value)
    }

    /// Adds a boolean.
    public mutating func bool(_ key: String, _ value: Bool) {
        self.key(key)
        self.text += value ? "true" : "false"
    }

    /// Adds a value that is already JSON (an object or an array built elsewhere).
    public mutating func raw(_ key: String, _ json: String) {
        self.key(key)
        self.text += json
    }

    /// The finished object, without a newline.
    public var line: String { self.text + "}" }

    private mutating func key(_ key: String) {
        if !self.first { self.text += "," }
        self.first = false
        JSONStringLiteral.append(key, to: &self.text)
        self.text += ":"
    }

    /// Formats `value` with up to `decimals` decimals, trimming trailing zeros ("1.5", "-23.1", "0").
    /// Non-finite values, which JSON cannot carry, print as 0.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale: Double = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9.0e15 else { return String(Int(value.rounded())) }
        var units = Int(scaled)
        let negative = value < 0 && units != 0
        var digits = decimals
        while digits > 0 && units % 10 == 0 && units != 0 {
            units /= 10
            digits -= 1
        }
        if units == 0 { return "0" }
        var divisor = 1
        for _ in 0..<digits { divisor *= 10 }
        var out = negative ? "-" : ""
        out += String(units / divisor)
        if digits > 0 {
            let fraction = String(units % divisor)
            out += "."
            out += String(repeating: "0", count: digits - fraction.count)
            out += fraction
        }
        return out
    }
}
