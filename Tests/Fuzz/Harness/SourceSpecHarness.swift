import Chorus

/// CLI SOURCE strings (`NAME=PATH.opus`, `rtp://HOST:PORT`, `mic:DEVICE`, `pcm:-`): any string
/// parses to a source with sane fields or is a usage error.
enum SourceSpecHarness {
    static func run(_ bytes: UnsafeRawBufferPointer, _ findings: inout FuzzFindings) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let spec = try? SourceSpec(parsing: text) else { return }
        if case .rtp(_, let port) = spec.kind { findings.expect((1...65535).contains(port), "port \(port) accepted") }
        if let identity = spec.explicitIdentity {
            findings.expect(!identity.isEmpty && !identity.contains("/"), "identity \(identity.debugDescription) accepted")
        }
        _ = spec.identity
    }
}
