import Chorus
import ChorusMedia

/// The source-related options that `detect` and `levels` share, read the same way for both.
extension ParsedArguments {
    /// `--rate`, `--channels` (for pcm: and mic sources) and `--duration`.
    func sourceOpenOptions() throws(UsageError) -> SourceOpenOptions {
        var options = SourceOpenOptions()
        options.format = AudioFormat(
            sampleRate: try self.integer("--rate", in: AudioFormat.supportedRates, default: 48_000, unit: " Hz"),
            channels: try self.integer("--channels", in: AudioFormat.supportedChannels, default: 1))
        options.durationSeconds = try self.seconds("--duration")
        return options
    }

    /// Splits the operands into RTP listeners (named with `--name SSRC=NAME`) and the other sources.
    func rtpListeners(names: NameMapping) throws(UsageError) -> (listeners: [LiveRoomRunner.Listener], others: [String]) {
        var listeners: [LiveRoomRunner.Listener] = []
        var others: [String] = []
        for text in self.operands {
            let spec = try SourceSpec(parsing: text)
            if case .rtp(let host, let port) = spec.kind {
                listeners.append(.init(host: host, port: port, names: names.bySSRC))
            } else {
                others.append(text)
            }
        }
        return (listeners, others)
    }

    /// `--max-tracks` and `--audio-level-ext`.
    func ingestConfiguration() throws(UsageError) -> RTPIngestConfiguration {
        var ingest = RTPIngestConfiguration()
        ingest.maxTracks = try self.integer("--max-tracks", in: 1...100_000, default: 1000)
        ingest.audioLevelExtensionID = UInt8(try self.integer("--audio-level-ext", in: 1...255, default: 1))
        return ingest
    }
}

extension LiveRoomRunner.Participant {
    /// A decoded-audio source in a live room: files are paced on the wall clock, devices and pipes
    /// pace themselves.
    init(_ opened: ParticipantSource) {
        self.init(identity: opened.identity, source: opened.source, paced: opened.source is OggOpusFileSource)
    }
}
