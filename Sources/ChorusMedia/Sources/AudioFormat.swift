/// The shape of decoded audio: sample rate and channel count, samples interleaved as Float.
public struct AudioFormat: Sendable, Equatable, CustomStringConvertible {
    /// Samples per second per channel.
    public var sampleRate: Int
    /// Interleaved channels (1 = mono, 2 = stereo).
    public var channels: Int

    /// Opus's native format: 48 kHz; every Opus decode in Chorus runs at this rate.
    public static let opus48kMono = AudioFormat(sampleRate: 48_000, channels: 1)

    /// Creates a format.
    public init(sampleRate: Int, channels: Int) {
        self.sampleRate = sampleRate
        self.channels = channels
    }

    /// The rates Chorus accepts for raw PCM input.
    public static let supportedRates: ClosedRange<Int> = 8_000...192_000
    /// The channel counts Chorus accepts for raw PCM input.
    public static let supportedChannels: ClosedRange<Int> = 1...8

    /// Frames (samples per channel) in `milliseconds` of audio, rounded down.
    public func frames(milliseconds: Int) -> Int { self.sampleRate * milliseconds / 1000 }

    public var description: String { "\(self.sampleRate) Hz, \(self.channels) ch" }
}
