import ChorusCore
import Synchronization

/// One SSRC seen by an ``RTPIngest``: the consumer end of its packet ring plus counters the ingest
/// thread keeps for it.
///
/// Why: the ingest thread is the single producer of every track's ring; a worker takes the consumer
/// end exactly once (``RTPTrackDecoder`` does) and owns it from then on. Counters written by the ingest
/// thread are atomics (single writer, relaxed: they are statistics, not synchronization).
public final class RTPTrack: Sendable {
    /// The track's SSRC.
    public let ssrc: UInt32
    /// The order in which the ingest saw this SSRC (0 for the first).
    public let index: Int
    /// When the track's first packet arrived (``MonotonicClock`` nanoseconds). Each track's media time
    /// starts at 0 with its first packet; to put tracks on one room timeline, offset each by its first
    /// arrival: `roomSamples = (firstArrival − roomStart) · 48 000 / 10⁹ + mediaTime`.
    public let firstArrival: UInt64
    /// Packets refused because the ring was full (the newest packet is dropped; see ``SPSCRing``).
    public let droppedRingFull = Atomic<Int>(0)
    /// Packets pushed into the ring.
    public let pushed = Atomic<Int>(0)
    private let consumer: Mutex<SPSCRing<RTPPacketSlot>.Consumer?>

    init(ssrc: UInt32, index: Int, firstArrival: UInt64, consumer: consuming SPSCRing<RTPPacketSlot>.Consumer) {
        self.ssrc = ssrc
        self.index = index
        self.firstArrival = firstArrival
        self.consumer = Mutex(consume consumer)
    }

    /// Takes the consumer end of this track's ring; only the first call gets it.
    ///
    /// Not for the hot path: it takes a lock, once per track.
    public func takeConsumer() -> SPSCRing<RTPPacketSlot>.Consumer? {
        self.consumer.withLock { $0.take() }
    }

    /// Counts one packet as pushed or as dropped (ring full). Ingest thread only: each counter has a
    /// single writer, so a relaxed load and store suffice (no read-modify-write).
    @inline(__always)
    func count(pushed: Bool) {
        if pushed {
            self.pushed.store(self.pushed.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
        } else {
            self.droppedRingFull.store(self.droppedRingFull.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
        }
    }
}
