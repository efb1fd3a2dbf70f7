import ChorusMedia

/// One participant's decoded-audio source with its identity: what ``LevelsAnalyzer`` and
/// ``FileRoomRunner`` read, one per participant.
public struct ParticipantSource {
    /// The participant's identity.
    public var identity: String
    /// The audio.
    public var source: any AudioSource
    /// Creates a participant source.
    public init(identity: String, source: any AudioSource) {
        self.identity = identity
        self.source = source
    }
}
