import ChorusCore
import Synchronization

/// The worker side of one RTP track: drains the track's packet ring into a ``JitterBuffer`` and hands
/// out decoded 48 kHz mono frames in media time, each with the sender's header level.
///
/// Why: it is the consumer counterpart of ``RTPIngest``; everything per track that must run on one
/// thread (ring consumer, jitter buffer, Opus decoder) lives here, so a worker owns a set of these.
/// ```swift
/// let decoder = try RTPTrackDecoder(track: track)
/// loop every 10-20 ms (or when woken):
///     decoder.pump()
///     let now = MonotonicClock.nanoseconds()
///     while let frame = decoder.nextFrame(now: now) {
///         // decoder.ssrc, frame.mediaTime, frame.samples, frame.headerLevel, frame.kind
///     }
/// at the end: while let frame = decoder.nextFrame(now: t, flush: true) { ... }
/// ```
/// `pump` and `nextFrame` allocate nothing, take no lock and make no system call.
/// A final class because it owns the ring's consumer handle and the decoder.
public final class RTPTrackDecoder {
    /// The track this decoder drains.
    public let track: RTPTrack
    /// The track's jitter buffer (its statistics and configuration).
    public let jitter: JitterBuffer
    /// Held behind a pointer allocated once, so popping costs no dynamic exclusivity check.
    private let consumer: UnsafeMutablePointer<SPSCRing<RTPPacketSlot>.Consumer>

    /// Takes the track's ring consumer (only one decoder per track can exist) and creates the jitter
    /// buffer and Opus decoder.
    ///
    /// - Throws: ``MediaError`` if the track already has a decoder or libopus fails.
    public init(track: RTPTrack, configuration: JitterConfiguration = JitterConfiguration()) throws(MediaError) {
        guard let consumer = track.takeConsumer() else {
            throw MediaError(.notSupported, "RTP track \(track.ssrc) already has a decoder")
        }
        do {
            self.jitter = try JitterBuffer(configuration: configuration)
        } catch {
            throw MediaError(.decoder, "cannot create an Opus decoder: \(error)")
        }
        self.track = track
        self.consumer = .allocate(capacity: 1)
        self.consumer.initialize(to: consumer)
    }

    deinit {
        self.consumer.deinitialize(count: 1)
        self.consumer.deallocate()
    }

    /// The track's SSRC.
    public var ssrc: UInt32 { self.track.ssrc }

    /// Moves every packet waiting in the ring into the jitter buffer.
    ///
    /// - Returns: packets moved.
    @discardableResult
    public func pump() -> Int {
        var moved = 0
        let jitter = self.jitter
        while let _ = self.consumer.pointee.withFront({ slot in
            let length = Int(slot.pointee.payloadLength)
            let base = UnsafeRawPointer(slot) + RTPPacketSlot.payloadOffset
            jitter.insert(
                sequence: slot.pointee.sequenceNumber, timestamp: slot.pointee.timestamp, ssrc: slot.pointee.ssrc,
                payload: UnsafeRawBufferPointer(start: base, count: length), arrival: slot.pointee.arrival,
                headerLevel: slot.pointee.headerLevel)
        }) {
            moved &+= 1
        }
        return moved
    }

    /// The next decoded frame, or nil when none is due (see ``JitterBuffer/nextFrame(now:flush:)``).
    ///
    /// - Parameters:
    ///   - now: monotonic nanoseconds (`CLOCK_MONOTONIC`, the clock packet arrivals are stamped with).
    ///   - flush: release everything buffered without waiting (end of stream).
    public func nextFrame(now: UInt64, flush: Bool = false) -> JitterFrame? {
        self.jitter.nextFrame(now: now, flush: flush)
    }

    /// The jitter buffer's counters, including the packets the ring dropped before they got here.
    public var statistics: JitterStatistics {
        var s = self.jitter.statistics
        s.droppedRingFull = self.track.droppedRingFull.load(ordering: .relaxed)
        return s
    }
}
