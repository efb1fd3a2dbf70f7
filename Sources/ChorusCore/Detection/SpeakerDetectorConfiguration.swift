/// Every timing and threshold of the ``SpeakerDetector``, with defaults tuned on the evaluation
/// corpus (`make eval`, BENCHMARKS.md "Speaker detection").
///
/// Levels are 10 ms or 20 ms frame RMS levels in dBFS (0 dBFS = full-scale square wave). Durations
/// are media time. Durations that count frames are rounded to whole frames of the frame size the
/// caller feeds; frame windows hold at most 64 frames.
public struct SpeakerDetectorConfiguration: Sendable, Hashable {
    // MARK: - Noise floor (per participant)

    /// The noise floor is the quietest ``noiseFloorBlock`` mean level seen within this window:
    /// it follows a quieter input at once (fast down) and rises only when the quiet part leaves the
    /// window (slow up), so a steady fan becomes the floor while speech pauses keep the floor low.
    /// Default 8 s (Jitsi DSI uses 15 s).
    public var noiseFloorWindow: MediaTime = .seconds(8)
    /// Length of the blocks whose mean levels the floor is the minimum of. Default 100 ms.
    public var noiseFloorBlock: MediaTime = .milliseconds(100)
    /// The floor never goes below this, so digital silence does not make every hiss speech.
    /// Default −70 dBFS.
    public var minimumFloorDBFS: Double = -70
    /// A frame is voiced when its level is at least this far above the floor. Default 10 dB
    /// (DSI zeroes levels below floor + 10 of its 127 units).
    public var voicedMarginDB: Double = 10
    /// A frame quieter than this is never voiced, whatever the floor. Low enough for a talker 14 dB
    /// under the others (about −32 dBFS here). Default −55 dBFS.
    public var minimumSpeechDBFS: Double = -55

    // MARK: - Onset and release

    /// Onset needs ``onsetVoiced`` of voiced frames within the last ``onsetWindow``: a keyboard
    /// click (one or two frames) is not speech. Default 70 ms.
    public var onsetWindow: MediaTime = .milliseconds(70)
    /// Voiced time needed within ``onsetWindow`` for onset. Default 50 ms (5 of 7 10-ms frames,
    /// 3 of 4 20-ms frames: a click that straddles two 20 ms frames is still not speech).
    public var onsetVoiced: MediaTime = .milliseconds(50)
    /// Only voiced frames within this many dB of the loudest frame of ``onsetWindow`` count toward
    /// onset: a click is one loud frame and a decaying tail (20 dB down within 10 ms, even after Opus
    /// smears it), while speech stays within a few dB over 40 ms. Default 15 dB.
    public var onsetSpreadDB: Double = 15
    /// A speaker stays speaking until no voiced frame was seen for this long (hangover), which also
    /// bridges pauses between words and sentences. Default 400 ms.
    public var hangover: MediaTime = .milliseconds(400)

    // MARK: - Ranking

    /// Time constant of the ranking level when the level rises. Default 50 ms.
    public var levelAttack: MediaTime = .milliseconds(50)
    /// Time constant of the ranking level when the level falls, so word gaps do not reorder the
    /// list. Default 500 ms.
    public var levelRelease: MediaTime = .milliseconds(500)
    /// Two speakers in the list swap places only when the one behind is louder by more than this
    /// (smoothed levels), so near-equal talkers do not swap every frame. Negative values act as 0.
    /// Default 4 dB.
    public var rankingHysteresisDB: Double = 4

    // MARK: - Bleed (microphones without echo cancellation)

    /// How far back the bleed test compares two participants' frame levels. Default 300 ms.
    public var bleedWindow: MediaTime = .milliseconds(300)
    /// Least time the louder participant must have been voiced within ``bleedWindow`` for a
    /// verdict; until then a frame that much quieter than a voiced participant counts as bleed
    /// (so a neighbour's first syllable cannot extend a hangover). Default 40 ms.
    public var bleedMinimumOverlap: MediaTime = .milliseconds(40)
    /// A voiced frame is bleed when, over the frames of ``bleedWindow`` in which another participant
    /// was voiced, this participant was on average at least this many dB quieter... Default 10 dB
    /// (a neighbour's microphone picks a talker up about 20 dB down; a quiet talker is 14 dB down
    /// but not a copy).
    public var bleedAttenuationDB: Double = 10
    /// ...and its frame levels follow the louder participant's: their correlation over those frames
    /// is at least this (an attenuated copy follows every syllable; an independent quieter talker
    /// does not). Default 0.5.
    public var bleedMinimumCorrelation: Double = 0.5
    /// ...or the level difference is this steady (standard deviation, dB): a copy through a real acoustic
    /// path and a codec differs by a few dB per 10 ms frame, two independent talkers by 10 or more.
    /// Default 6 dB.
    public var bleedMaxDeviationDB: Double = 6

    // MARK: - Dominant speaker

    /// The loudest speaker becomes dominant after leading the list this long, when the current
    /// dominant speaker is silent. Default 200 ms.
    public var dominantDelay: MediaTime = .milliseconds(200)
    /// The same while the current dominant speaker still speaks: an interruption must last.
    /// Default 1 s.
    public var dominantOverlapDelay: MediaTime = .seconds(1)
    /// When set, the dominant speaker becomes nil after this long without any speaker (Jitsi's
    /// optional silence). Default nil: the last dominant speaker stays, as in DSI and LiveKit.
    public var dominantSilenceTimeout: MediaTime? = nil

    /// The defaults.
    public init() {}
}
