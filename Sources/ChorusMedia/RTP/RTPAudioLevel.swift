/// An RFC 6464 client-to-mixer audio level: one byte `V|level` carried in an RTP header extension
/// (`urn:ietf:params:rtp-hdrext:ssrc-audio-level`).
///
/// Why: a sender's own level lets a receiver (an SFU, or Chorus on its level-only path) rank speakers
/// without decoding. The level is in −dBov, 0 (loudest) … 127 (silence); note that GStreamer's `level`
/// element reports digital silence as about 59, not 127.
public struct RTPAudioLevel: Sendable, Equatable, Hashable {
    /// The level in −dBov: 0 is the loudest, 127 silence.
    public var level: UInt8
    /// The sender's voice-activity flag (the V bit); GStreamer always sends 0.
    public var voiceActivity: Bool

    /// Creates a level; `level` is masked to 7 bits.
    public init(level: UInt8, voiceActivity: Bool) {
        self.level = level & 0x7F
        self.voiceActivity = voiceActivity
    }

    /// Decodes the extension's first data byte (`V(1)|level(7)`).
    public init(byte: UInt8) {
        self.init(level: byte & 0x7F, voiceActivity: byte & 0x80 != 0)
    }

    /// The level as dBov (≤ 0), for comparison with decoded-PCM levels.
    public var dBov: Int { -Int(self.level) }
}
