import ChorusALSA
import ChorusMedia

/// How sources are opened: the settings that the source text itself does not carry.
public struct SourceOpenOptions: Sendable {
    /// Rate and channels of `pcm:` sources (raw PCM has no header), and what a mic is asked for.
    public var format: AudioFormat = AudioFormat(sampleRate: 48_000, channels: 1)
    /// Stop live sources after this many seconds of audio (media time), or nil to run to the end.
    public var durationSeconds: Double?
    /// An ALSA configuration text to resolve mic devices in, instead of the system's (tests).
    public var alsaConfiguration: String?

    /// The defaults: 48 kHz mono, no limit, the system's ALSA configuration.
    public init() {}
}

extension SourceSpec {
    /// Opens a file, pipe or capture device as a stream of decoded audio.
    ///
    /// - Throws: ``MediaError`` or `CaptureError` when the source cannot be opened, naming it and what
    ///   to try; a ``UsageError`` for kinds that are not streams of decoded audio here (RTP).
    public func openAudioSource(_ options: SourceOpenOptions = SourceOpenOptions()) throws -> any AudioSource {
        switch self.kind {
        case .oggOpus(let path):
            return try OggOpusFileSource(path: path)
        case .pcm(let path):
            return try PCMStreamSource(path: path, format: options.format)
        case .mic(let device):
            var configuration = CaptureConfiguration()
            configuration.sampleRate = options.format.sampleRate
            configuration.channels = options.format.channels
            configuration.periodFrames = max(1, options.format.sampleRate / 100)
            if let seconds = options.durationSeconds {
                configuration.maxFrames = Int((seconds * Double(options.format.sampleRate)).rounded())
            }
            return try ALSACaptureSource(device: device, configuration: configuration,
                                         configurationText: options.alsaConfiguration)
        case .rtp:
            throw UsageError("source '\(self.text)': RTP input is not available in this command yet; use an Ogg Opus file, pcm: or mic")
        }
    }
}
