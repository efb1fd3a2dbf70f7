#if canImport(Glibc)
import Glibc
#endif
import ChorusCore

/// The level-only worker side of one RTP track: reads each packet's RFC 6464 audio level from the
/// ring without decoding, the way LiveKit's SFU follows speakers (`--levels-from header`).
///
/// Why: decoding costs tens of microseconds a packet; reading a header byte costs nanoseconds, so one
/// core can follow tens of thousands of tracks. The price is the sender's word for the level (and
/// GStreamer's `level` element reads digital silence as about 59, not 127), no sample peak, and no
/// audio for recording. Ordering follows LiveKit: a packet whose timestamp is not newer than the last
/// one is ignored (counted as late); its duration comes from the Opus TOC
/// (`opus_packet_get_nb_samples`), so DTX gaps are gaps, not speech.
public final class RTPHeaderLevelReader {
    /// One packet's level on the track's media time.
    public struct Reading {
        /// First sample, 48 kHz ticks since the track's first packet.
        public var mediaTime: Int64
        /// Duration in 48 kHz samples.
        public var duration: Int
        /// The sender's level, or nil when the packet had no extension.
        public var level: RTPAudioLevel?

        /// The level as sums for the detector: mean square `10^(−level/10)` over `duration` samples
        /// (127 is silence); the peak is unknown and given as the RMS.
        public var measure: BlockMeasure {
            guard let level, level.level < 127 else { return BlockMeasure(sumOfSquares: 0, peak: 0, count: self.duration) }
            let meanSquare = pow10(-Double(level.level) / 10)
            return BlockMeasure(sumOfSquares: meanSquare * Double(self.duration), peak: Float(meanSquare.squareRoot()), count: self.duration)
        }
    }

    /// The track being read.
    public let track: RTPTrack
    /// Packets read.
    public private(set) var received = 0
    /// Packets ignored because their timestamp was not newer (reordered or duplicated).
    public private(set) var late = 0
    /// Packets with no audio-level extension (read as silence).
    public private(set) var withoutLevel = 0
    private var consumer: SPSCRing<RTPPacketSlot>.Consumer
    private var firstTimestamp: UInt32?
    private var lastTimestamp: Int64 = -1
    private var unwrapped: Int64 = 0
    private var previousRaw: UInt32 = 0

    /// Takes the track's ring consumer (only one reader or decoder per track can exist).
    ///
    /// - Throws: ``MediaError`` if the track already has a reader.
    public init(track: RTPTrack) throws(MediaError) {
        guard let consumer = track.takeConsumer() else {
            throw MediaError(.notSupported, "RTP track \(track.ssrc) already has a reader")
        }
        self.track = track
        self.consumer = consumer
    }

    /// The next packet's reading, or nil when the ring is empty. No allocation, lock or system call.
    public func next() -> Reading? {
        while true {
            guard let reading = self.consumer.withFront({ slot -> Reading? in
                let raw = slot.pointee.timestamp
                let payload = UnsafeRawBufferPointer(start: UnsafeRawPointer(slot) + RTPPacketSlot.payloadOffset,
                                                     count: Int(slot.pointee.payloadLength))
                return self.read(timestamp: raw, payload: payload, level: slot.pointee.headerLevel)
            }) else { return nil }
            if let reading { return reading }
        }
    }

    private func read(timestamp raw: UInt32, payload: UnsafeRawBufferPointer, level: RTPAudioLevel?) -> Reading? {
        self.received += 1
        if self.firstTimestamp == nil {
            self.firstTimestamp = raw
            self.previousRaw = raw
        }
        // Unwrap the 32-bit timestamp relative to the previous packet (wraps every 24.8 h at 48 kHz).
        self.unwrapped += Int64(Int32(bitPattern: raw &- self.previousRaw))
        self.previousRaw = raw
        let time = self.unwrapped
        guard time > self.lastTimestamp else {
            self.late += 1
            return nil
        }
        self.lastTimestamp = time
        if level == nil { self.withoutLevel += 1 }
        let duration = OpusPacketDecoder.frameCount(of: payload) ?? 960
        return Reading(mediaTime: time, duration: duration, level: level)
    }
}

/// 10^x without Foundation.
@inline(__always)
func pow10(_ x: Double) -> Double {
    pow(10, x)
}
