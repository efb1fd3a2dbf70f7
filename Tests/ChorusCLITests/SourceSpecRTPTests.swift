import Chorus
import Testing

@Suite("SourceSpec RTP")
struct SourceSpecRTPTests {
    @Test("rtp://HOST:PORT parses host and port; a bad port is a usage error")
    func parsesRTP() throws {
        let spec = try SourceSpec(parsing: "rtp://127.0.0.1:5004")
        #expect(spec.kind == .rtp(host: "127.0.0.1", port: 5004))
        #expect(spec.identity == nil)
        #expect(throws: UsageError.self) { try SourceSpec(parsing: "rtp://127.0.0.1:0") }
        #expect(throws: UsageError.self) { try SourceSpec(parsing: "rtp://127.0.0.1") }
    }
}
