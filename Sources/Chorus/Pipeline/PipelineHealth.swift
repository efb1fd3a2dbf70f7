import ChorusCore

/// Whether a live pipeline keeps up: the overload policy's report.
///
/// **Policy.** Every queue in the pipeline is a fixed ring, so memory stays bounded whatever is
/// offered. When workers cannot decode as fast as packets arrive, a track's packet ring fills and
/// its newest packets are dropped and counted (the jitter buffer then conceals the gap, so levels
/// and events for the tracks still go on); when the room thread falls behind, level frames are
/// dropped and counted the same way. The runner checks the counters twice a second: new drops make
/// the pipeline *overloaded* (reported once, with the counts); two seconds without a new drop make
/// it *recovered*.
public struct PipelineHealth: Sendable, Equatable {
    /// True when the report starts an overload, false when it ends one.
    public var overloaded: Bool
    /// Room time of the report.
    public var time: MediaTime
    /// Packets dropped by full packet rings so far (all tracks).
    public var droppedPackets: Int
    /// Level frames dropped by full level rings so far.
    public var droppedFrames: Int
    /// RTP tracks at the time.
    public var tracks: Int
}
