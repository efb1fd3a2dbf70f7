import ChorusCore
import ChorusMedia
import Synchronization

/// Measures several sources in one room, window by window in media time: the engine of
/// `chorus levels`.
///
/// Windows are aligned across participants: window *k* of every source covers media time
/// `[k·interval, (k+1)·interval)`, so a row of windows compares the same moment. Sources are
/// read in lockstep, one window each in argument order, so output order is deterministic. A
/// source that fails stops contributing, with its error kept in ``errors``; the others go on, and
/// nothing measured before the failure is lost.
public final class LevelsAnalyzer: @unchecked Sendable {
    /// One participant's source with its identity (the identity is reported in each window).
    public typealias Participant = ParticipantSource

    /// The participants, in output order.
    public let participants: [Participant]
    /// Window length in milliseconds.
    public let intervalMilliseconds: Int
    /// Whether each window also carries per-channel levels.
    public let perChannel: Bool
    /// Errors that ended a source early, by identity, in the order they happened.
    public private(set) var errors: [(identity: String, error: MediaError)] = []

    /// Stop after this much media time, or nil to run to the end of every source.
    public let durationSeconds: Double?

    private var states: [StreamState]
    private let stopped = Atomic<Bool>(false)

    /// Creates an analyzer.
    ///
    /// - Parameters:
    ///   - participants: sources with identities.
    ///   - intervalMilliseconds: the window length, at least 1 ms.
    ///   - perChannel: also measure each channel on its own.
    ///   - durationSeconds: stop after this much media time (e.g. `--duration` for a mic or a pipe).
    public init(participants: [Participant], intervalMilliseconds: Int, perChannel: Bool = false,
                durationSeconds: Double? = nil) {
        self.participants = participants
        self.durationSeconds = durationSeconds
        self.intervalMilliseconds = max(1, intervalMilliseconds)
        self.perChannel = perChannel
        self.states = participants.map { StreamState(format: $0.source.format, intervalMilliseconds: max(1, intervalMilliseconds)) }
    }

    /// True once every source has ended.
    public var isFinished: Bool { self.states.allSatisfy { $0.ended } }

    /// Ends the run from any thread (SIGINT, a host app): live sources are stopped, the window in
    /// progress is finished with what it has, and ``nextWindows()`` then returns nothing.
    public func stop() {
        self.stopped.store(true, ordering: .releasing)
        for participant in self.participants { participant.source.stop() }
    }

    /// Reads the next window of every live source and returns their levels (one per live source,
    /// in participant order); empty once every source has ended.
    public func nextWindows() -> [LevelWindow] {
        if self.stopped.load(ordering: .acquiring) { return [] }
        var out: [LevelWindow] = []
        out.reserveCapacity(self.participants.count)
        for index in self.participants.indices where !self.states[index].ended {
            if let window = self.measureWindow(index) { out.append(window) }
        }
        return out
    }

    private func measureWindow(_ index: Int) -> LevelWindow? {
        let participant = self.participants[index]
        let channels = participant.source.format.channels
        let state = self.states[index]
        var total = BlockMeasure()
        var perChannelMeasures = [BlockMeasure](repeating: BlockMeasure(), count: self.perChannel ? channels : 0)
        var frames = 0
        var windowFrames = state.windowFrames
        if let durationSeconds = self.durationSeconds {
            let limit = Int((durationSeconds * Double(participant.source.format.sampleRate)).rounded())
            windowFrames = min(windowFrames, limit - state.framesRead)
            if windowFrames <= 0 { state.ended = true }
        }
        while frames < windowFrames {
            let want = min(windowFrames - frames, state.blockFrames)
            let buffer = UnsafeMutableBufferPointer(rebasing: state.buffer[0..<(want * channels)])
            let got: Int
            do {
                got = try participant.source.read(into: buffer)
            } catch {
                self.errors.append((participant.identity, error))
                state.ended = true
                break
            }
            if got == 0 {
                state.ended = true
                break
            }
            let samples = UnsafeMutableBufferPointer(rebasing: state.buffer[0..<(got * channels)])
            LevelKernel.clamp(samples)
            total.merge(LevelKernel.measure(UnsafeBufferPointer(samples)))
            if self.perChannel {
                for channel in 0..<channels {
                    perChannelMeasures[channel].merge(state.measureChannel(channel, of: channels, frames: got))
                }
            }
            frames += got
        }
        state.framesRead += frames
        defer { state.windowIndex += 1 }
        guard frames > 0 else { return nil }
        let time = Double(state.windowIndex) * Double(self.intervalMilliseconds) / 1000
        return LevelWindow(
            time: time, identity: participant.identity, level: total.level,
            channelLevels: perChannelMeasures.map(\.level), frames: frames)
    }

    /// Per-source reading state: scratch buffers sized once, so windows allocate nothing per block.
    final class StreamState {
        let windowFrames: Int
        let blockFrames: Int
        let buffer: UnsafeMutableBufferPointer<Float>
        let scratch: UnsafeMutableBufferPointer<Float>
        var windowIndex = 0
        var framesRead = 0
        var ended = false

        init(format: AudioFormat, intervalMilliseconds: Int) {
            self.windowFrames = max(1, format.sampleRate * intervalMilliseconds / 1000)
            // Read in blocks of at most 20 ms so a long window never needs a long buffer.
            self.blockFrames = max(1, min(self.windowFrames, format.sampleRate / 50))
            self.buffer = .allocate(capacity: self.blockFrames * format.channels)
            self.buffer.initialize(repeating: 0)
            self.scratch = .allocate(capacity: self.blockFrames)
            self.scratch.initialize(repeating: 0)
        }

        deinit {
            self.buffer.deallocate()
            self.scratch.deallocate()
        }

        /// De-interleaves one channel into the scratch buffer and measures it with the SIMD kernel.
        func measureChannel(_ channel: Int, of channels: Int, frames: Int) -> BlockMeasure {
            for i in 0..<frames { self.scratch[i] = self.buffer[i * channels + channel] }
            return LevelKernel.measure(UnsafeBufferPointer(rebasing: self.scratch[0..<frames]))
        }
    }
}
