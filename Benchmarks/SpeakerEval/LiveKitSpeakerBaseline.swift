import ChorusCore

#if canImport(Glibc)
import Glibc
#endif

/// LiveKit's server-side active-speaker detection, reimplemented from its documented defaults
/// (livekit/livekit `pkg/sfu/audio/audiolevel.go`, `pkg/rtc/room.go`; see the anchors file):
///
/// - the input is one RFC 6464 level per 20 ms packet (WebRTC's mean-square average, in dBov);
/// - per track, a window of `UpdateInterval` = 400 ms: frames at ≤ `ActiveLevel` 35 dBov are
///   active; if ≥ `MinPercentile` 40 % of the window is active, `linear = 10^(−loudest/20) ·
///   activeFraction` is folded into an EMA with α = 2/(`SmoothIntervals` 2 + 1), else the level
///   resets to 0; the track is active when the EMA ≥ 10^(−35/20);
/// - a room worker polls every 400 ms (here at 200 ms + k·400 ms of media time, the mean phase)
///   and lists active participants loudest first, levels quantized up to eighths.
/// No network or signalling delay is added, which favours LiveKit.
struct LiveKitSpeakerBaseline {
    static let activeLevel = 35
    static let minPercentile = 40
    static let updateIntervalMs = 400
    static let smoothIntervals = 2
    static let pollPhaseMs = 200

    struct Track {
        var identity: String
        var pending = BlockMeasure()
        var pendingTicks: Int64 = 0
        var observedMs = 0
        var activeMs = 0
        var loudest = 127
        var smoothed = 0.0
    }

    private var tracks: [Track] = []
    private var index: [String: Int] = [:]
    private var nextPollMs = Self.pollPhaseMs
    private(set) var timeline = SpeakerTimeline()

    /// Feeds one 10 ms frame of `identity`; two make a 20 ms packet.
    mutating func observe(identity: String, measure: BlockMeasure, start: MediaTime, duration: MediaTime) {
        let end = start + duration
        self.poll(until: end)
        let slot: Int
        if let known = self.index[identity] {
            slot = known
        } else {
            slot = self.tracks.count
            self.tracks.append(Track(identity: identity))
            self.index[identity] = slot
        }
        self.tracks[slot].pending.merge(measure)
        self.tracks[slot].pendingTicks += duration.ticks
        if self.tracks[slot].pendingTicks >= 960 {
            let level = self.tracks[slot].pending.level.dBov
            let ms = Int(self.tracks[slot].pendingTicks / 48)
            self.tracks[slot].pending = BlockMeasure()
            self.tracks[slot].pendingTicks = 0
            Self.observePacket(&self.tracks[slot], level: level, durationMs: ms)
        }
    }

    /// Runs the room worker's polls due up to `time`.
    mutating func poll(until time: MediaTime) {
        let threshold = pow(10.0, -Double(Self.activeLevel) / 20)
        while Int64(self.nextPollMs) * 48 <= time.ticks {
            let active = self.tracks.filter { $0.smoothed >= threshold }
                .sorted { $0.smoothed != $1.smoothed ? $0.smoothed > $1.smoothed : $0.identity < $1.identity }
            self.timeline.record(active.map(\.identity), at: Double(self.nextPollMs) / 1000)
            self.nextPollMs += Self.updateIntervalMs
        }
    }

    /// `observeLocked` of audiolevel.go for one packet.
    private static func observePacket(_ track: inout Track, level: Int, durationMs: Int) {
        track.observedMs += durationMs
        if level <= activeLevel {
            track.activeMs += durationMs
            track.loudest = min(track.loudest, level)
        }
        if track.observedMs >= updateIntervalMs {
            if track.activeMs * 100 >= minPercentile * updateIntervalMs {
                let activity = 20 * log10(Double(track.activeMs) / Double(updateIntervalMs))
                let adjusted = Double(track.loudest) - activity
                let linear = pow(10.0, -adjusted / 20)
                let alpha = 2.0 / Double(smoothIntervals + 1)
                track.smoothed += (linear - track.smoothed) * alpha
            } else {
                track.smoothed = 0
            }
            track.observedMs = 0
            track.activeMs = 0
            track.loudest = 127
        }
    }
}
