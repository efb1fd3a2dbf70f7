import Chorus
import ChorusMedia

/// Opens the SOURCE operands of a command as named participants.
enum ParticipantSources {
    /// Parses and opens every operand, in order, checking what the CLI contract requires: at least
    /// one source, standard input used once, identities distinct. `--rate` and `--channels` give
    /// the format of `pcm:` sources (default 48000 Hz mono).
    ///
    /// - Parameters:
    ///   - options: PCM format, duration limit and ALSA configuration for the sources.
    ///   - localName: `--name`: the identity of a source that would otherwise be `local` (mic, stdin).
    ///   - example: a command line shown when no source is given.
    /// - Throws: ``UsageError`` for bad or conflicting operands, ``MediaError`` or `CaptureError` when a
    ///   source cannot be opened.
    static func open(_ operands: [String], options: SourceOpenOptions, localName: String? = nil,
                     example: String, allowEmpty: Bool = false) throws -> [ParticipantSource] {
        guard !operands.isEmpty || allowEmpty else { throw UsageError("no SOURCE given; e.g. \(example)") }
        let specs = try operands.map { (text) throws(UsageError) in try SourceSpec(parsing: text) }
        let stdinCount = specs.filter { $0.kind == .pcm(path: "-") }.count
        if stdinCount > 1 { throw UsageError("pcm:- given \(stdinCount) times; standard input can feed one source") }
        var opened: [ParticipantSource] = []
        var seen: Set<String> = []
        for spec in specs {
            var identity = spec.identity ?? spec.text
            if spec.explicitIdentity == nil, identity == "local", let localName { identity = localName }
            guard seen.insert(identity).inserted else {
                throw UsageError("two sources are named '\(identity)'; name them apart with NAME=PATH")
            }
            opened.append(ParticipantSource(identity: identity, source: try spec.openAudioSource(options)))
        }
        return opened
    }
}
