import Foundation

/// Base64url without padding (RFC 4648 §5), the encoding of JWT segments (RFC 7515 §2).
enum Base64URL {
    /// Encodes `bytes` as base64url without `=` padding.
    static func encode(_ bytes: some ContiguousBytes) -> String {
        let data = bytes.withUnsafeBytes { Data($0) }
        var text = data.base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    /// Decodes base64url text, with or without padding; nil if it is not base64url.
    static func decode(_ text: Substring) -> Data? {
        var standard = String(text)
        guard standard.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "=") })
        else { return nil }
        while standard.hasSuffix("=") { standard.removeLast() }
        standard = standard.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let remainder = standard.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { standard += String(repeating: "=", count: 4 - remainder) }
        return Data(base64Encoded: standard)
    }
}
