import Chorus
import ChorusMedia

/// Opens the SOURCE operands of a command as named participants.
enum ParticipantSources {
    /// Parses and opens every operand, in order, checking what the CLI contract requires: at least
    /// one source, standard input used once, identities distinct. `--rate` and `--channels` give
    /// the format of `pcm:` sources (default 48000 Hz mono).
    ///
    /// - Parameter example: a command line shown when no source is given.
    /// - Throws: ``UsageError`` for bad or conflicting operands, ``MediaError`` when a file cannot be opened.
    static func open(_ parsed: ParsedArguments, example: String) throws -> [ParticipantSource] {
        let rate = try parsed.integer("--rate", in: AudioFormat.supportedRates, default: 48_000, unit: " Hz")
        let channels = try parsed.integer("--channels", in: AudioFormat.supportedChannels, default: 1)
        let pcmFormat = AudioFormat(sampleRate: rate, channels: channels)
        let operands = parsed.operands
        guard !operands.isEmpty else { throw UsageError("no SOURCE given; e.g. \(example)") }
        let specs = try operands.map { (text) throws(UsageError) in try SourceSpec(parsing: text) }
        let stdinCount = specs.filter { $0.kind == .pcm(path: "-") }.count
        if stdinCount > 1 { throw UsageError("pcm:- given \(stdinCount) times; standard input can feed one source") }
        var opened: [ParticipantSource] = []
        var seen: Set<String> = []
        for spec in specs {
            let identity = spec.identity ?? spec.text
            guard seen.insert(identity).inserted else {
                throw UsageError("two sources are named '\(identity)'; name them apart with NAME=PATH")
            }
            opened.append(ParticipantSource(identity: identity, source: try spec.openAudioSource(pcmFormat: pcmFormat)))
        }
        return opened
    }
}
