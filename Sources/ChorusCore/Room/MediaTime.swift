/// A point or a span of media time, counted in ticks of the 48 kHz Opus/RTP clock.
///
/// Media time, not wall time, drives levels and detection: the same input gives the same events on
/// any machine at any speed. A `MediaTime` is an integer count of 1/48 000 s ticks, so sums of
/// frame durations never drift; ``seconds`` is derived only for output. Used both for instants
/// (seconds since the room's start) and for durations (timeouts, windows).
public struct MediaTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Ticks per second: Opus's and RTP's 48 kHz clock.
    public static let ticksPerSecond: Int64 = 48_000

    /// The time in 1/48 000 s ticks since the room's start (or the length of a span).
    public var ticks: Int64

    /// The room's start, or an empty span.
    public static let zero = MediaTime(ticks: 0)

    /// A time from a count of 48 kHz ticks.
    @inlinable
    public init(ticks: Int64) { self.ticks = ticks }

    /// The media time of `frames` samples per channel at `sampleRate` Hz, rounded down to a tick.
    ///
    /// Convert a running total of frames (not each frame on its own) to keep rates that are not a
    /// divisor of 48 000 (44.1 kHz) exact over long streams.
    @inlinable
    public init(frames: Int, sampleRate: Int) {
        self.ticks = Int64(frames) * Self.ticksPerSecond / Int64(max(1, sampleRate))
    }

    /// A span of `value` milliseconds.
    @inlinable
    public static func milliseconds(_ value: Int) -> MediaTime { MediaTime(ticks: Int64(value) * 48) }

    /// A span of `value` seconds, rounded to the nearest tick.
    @inlinable
    public static func seconds(_ value: Double) -> MediaTime {
        MediaTime(ticks: Int64((value * Double(Self.ticksPerSecond)).rounded()))
    }

    /// The time in seconds (for output and for rates; decisions compare ticks).
    @inlinable
    public var seconds: Double { Double(self.ticks) / Double(Self.ticksPerSecond) }

    /// Adds two times.
    @inlinable
    public static func + (lhs: MediaTime, rhs: MediaTime) -> MediaTime { MediaTime(ticks: lhs.ticks + rhs.ticks) }

    /// The span between two times (negative if `rhs` is later).
    @inlinable
    public static func - (lhs: MediaTime, rhs: MediaTime) -> MediaTime { MediaTime(ticks: lhs.ticks - rhs.ticks) }

    /// Orders times.
    @inlinable
    public static func < (lhs: MediaTime, rhs: MediaTime) -> Bool { lhs.ticks < rhs.ticks }

    /// Seconds with three decimals, e.g. `12.340 s`.
    public var description: String {
        let ms = self.ticks * 1000 / Self.ticksPerSecond
        let sign = ms < 0 ? "-" : ""
        let magnitude = abs(ms)
        let fraction = String(magnitude % 1000)
        return sign + String(magnitude / 1000) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction + " s"
    }
}
