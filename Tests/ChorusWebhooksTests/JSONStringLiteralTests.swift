import Chorus
import ChorusCore
import ChorusWebhooks
import Foundation
import Testing

/// The one JSON string escaper behind webhook bodies, tokens and the CLI's JSON lines: whatever a
/// participant names itself, Foundation's JSON parser reads back exactly that name.
@Suite("JSON string literals")
struct JSONStringLiteralTests {
    static let hostile = ["plain", "quote \" and backslash \\", "line\nbreak\r\ttab", "bell \u{07} backspace \u{08} form \u{0C}",
                          "nul \u{00} unit \u{1F}", "ünïcödé ✓ 🎙️", "</script>", ""]

    @Test("each literal parses back to the same string, with protojson's short escapes", arguments: hostile)
    func roundTrip(_ value: String) throws {
        var literal = ""
        JSONStringLiteral.append(value, to: &literal)
        let parsed = try JSONSerialization.jsonObject(with: Data("[\(literal)]".utf8)) as? [String]
        #expect(parsed == [value])
        #expect(!literal.unicodeScalars.contains { $0.value < 0x20 }, "no raw control characters in \(literal)")
        if value.contains("\u{08}") { #expect(literal.contains("\\b") && literal.contains("\\f")) }
    }

    @Test("a room event about a participant with any identity is one parseable JSON line")
    func roomEventLine() throws {
        for identity in Self.hostile {
            let line = RoomEvent.isSpeakingChanged(identity: identity, speaking: true, time: .milliseconds(590)).jsonLine
            #expect(!line.contains("\n"))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["identity"] as? String == identity)
            #expect(object["time"] as? Double == 0.59)
        }
    }
}
