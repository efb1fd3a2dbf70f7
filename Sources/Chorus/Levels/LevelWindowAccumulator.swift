import ChorusCore

/// Gathers a live participant's frames into windows of media time, for `chorus levels` on live
/// sources: frames arrive in time order from the room thread, and a window is complete when a frame
/// starts at or after its end.
public struct LevelWindowAccumulator {
    /// Window length.
    public let interval: MediaTime
    private var windowIndex: Int64 = -1
    private var measure = BlockMeasure()
    private var frames = 0

    /// Creates an accumulator of `intervalMilliseconds` windows.
    public init(intervalMilliseconds: Int) {
        self.interval = .milliseconds(max(1, intervalMilliseconds))
    }

    /// Adds a frame starting at `start`; returns the window it completed, if any.
    public mutating func add(_ frame: BlockMeasure, duration: MediaTime, at start: MediaTime, identity: String) -> LevelWindow? {
        let index = start.ticks / self.interval.ticks
        var completed: LevelWindow?
        if index != self.windowIndex {
            completed = self.flush(identity: identity)
            self.windowIndex = index
        }
        self.measure.merge(frame)
        self.frames += Int(duration.ticks)
        return completed
    }

    /// The window in progress, if it has anything; the accumulator is then empty.
    public mutating func flush(identity: String) -> LevelWindow? {
        defer {
            self.measure = BlockMeasure()
            self.frames = 0
        }
        guard self.windowIndex >= 0, self.measure.count > 0 else { return nil }
        let time = MediaTime(ticks: self.windowIndex * self.interval.ticks).seconds
        return LevelWindow(time: time, identity: identity, level: self.measure.level, frames: self.frames)
    }
}
