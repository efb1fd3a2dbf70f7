/// The fuzz targets, each a harness that takes arbitrary bytes and checks what Chorus does with them.
///
/// `make fuzz` links one libFuzzer binary and names a copy after each target (`.build/fuzz/ogg`, …);
/// the binary picks its harness from its own name. `make test` replays every kept input of each
/// target through the same harness (FuzzRegressionTests).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// RTP header, RFC 8285 extensions and RFC 6464 levels.
    case rtp
    /// CLI SOURCE strings.
    case sourceSpec = "source-spec"
    /// The jitter buffer with the real Opus decoder behind it, fed packet sequences.
    case jitter
    /// Ogg Opus streams through libopusfile and ``OggOpusFileSource``.
    case ogg
    /// Raw Opus packets into ``OpusPacketDecoder``: decode, conceal, recover, reset.
    case opus
    /// Webhook bodies and `Authorization` tokens into ``WebhookReceiver`` and ``WebhookEvent``.
    case webhook

    /// Runs the target's harness on `input` and returns what it found wrong.
    public func check(_ input: UnsafeRawBufferPointer) -> FuzzFindings {
        var findings = FuzzFindings()
        switch self {
        case .rtp: RTPPacketHarness.run(input, &findings)
        case .sourceSpec: SourceSpecHarness.run(input, &findings)
        case .jitter: JitterBufferHarness.run(input, &findings)
        case .ogg: OggOpusHarness.run(input, &findings)
        case .opus: OpusDecoderHarness.run(input, &findings)
        case .webhook: WebhookHarness.run(input, &findings)
        }
        return findings
    }
}

/// Reads an input front to back: the harnesses' way to turn bytes into operations.
struct FuzzReader {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var remaining: Int { self.bytes.count - self.index }

    mutating func byte() -> UInt8? {
        guard self.index < self.bytes.count else { return nil }
        defer { self.index += 1 }
        return self.bytes[self.index]
    }

    /// Up to `count` bytes (fewer at the end of the input).
    mutating func take(_ count: Int) -> UnsafeRawBufferPointer {
        let n = min(count, self.remaining)
        defer { self.index += n }
        return UnsafeRawBufferPointer(rebasing: self.bytes[self.index..<(self.index + n)])
    }

    /// The rest of the input.
    mutating func rest() -> UnsafeRawBufferPointer { self.take(self.remaining) }
}
