import ChorusCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A track fed by the host application itself: it pushes the Opus packets it already receives
/// (from its own WebRTC stack, a WebSocket, a file it demuxes) and Chorus decodes and measures them
/// as one more participant.
///
/// The host's thread is the single producer of a lock-free ring of packet slots: ``push(_:)``
/// copies the packet into a preallocated slot and returns at once (false, counted, when the ring is
/// full), so the host's network thread never waits on Chorus. The reading side is an ordinary
/// ``AudioSource`` for the pipeline: it decodes in order, conceals a packet the host marks as lost
/// with ``pushLoss(frames:)``, and ends after ``finish()``.
public final class OpusPacketFeed: AudioSource, @unchecked Sendable {
    /// One packet in the ring: length plus up to 1275 bytes (the largest Opus frame; 1500 for margin).
    struct Slot: BitwiseCopyable {
        var length: Int32  // -1: a loss of `lost` frames; -2: end of stream
        var lost: Int32
        var bytes: InlineArray<1500, UInt8>
    }

    public let format: AudioFormat
    public let name: String
    public private(set) var diagnostics = SourceDiagnostics()
    /// Packets refused because the ring was full (the reader fell behind).
    public let refused = Atomic<Int>(0)
    /// Packets the decoder rejected as corrupt (each read as silence of the last packet's length).
    public private(set) var corrupt = 0

    private let producer: Mutex<SPSCRing<Slot>.Producer?>
    private var consumer: SPSCRing<Slot>.Consumer
    private let decoder: OpusPacketDecoder
    private let finished = Atomic<Bool>(false)
    private var pending: UnsafeBufferPointer<Float>?
    private var lastFrames = 960

    /// Creates a feed of 48 kHz audio with `channels` output channels.
    ///
    /// - Parameters:
    ///   - name: for messages.
    ///   - capacity: packets the ring holds (default 256: five seconds of 20 ms packets).
    public init(name: String = "feed", channels: Int = 1, capacity: Int = 256) throws(OpusError) {
        self.decoder = try OpusPacketDecoder(channels: channels)
        self.format = AudioFormat(sampleRate: 48_000, channels: channels)
        self.name = name
        let endpoints = SPSCRing<Slot>.makeEndpoints(capacity: capacity)
        self.producer = Mutex(endpoints.producer)
        self.consumer = endpoints.consumer
    }

    /// Queues one Opus packet (one RTP payload's worth). Host thread; never blocks.
    ///
    /// - Returns: false if the packet was refused: too long, after ``finish()``, or the ring is full
    ///   (counted in ``refused``).
    @discardableResult
    public func push(_ packet: UnsafeRawBufferPointer) -> Bool {
        guard packet.count > 0, packet.count <= 1500, !self.finished.load(ordering: .acquiring) else { return false }
        return self.enqueue { slot in
            slot.pointee.length = Int32(packet.count)
            slot.pointee.lost = 0
            (UnsafeMutableRawPointer(slot) + MemoryLayout<Slot>.offset(of: \Slot.bytes)!)
                .copyMemory(from: packet.baseAddress!, byteCount: packet.count)
        }
    }

    /// Tells the feed that `frames` samples (per channel, 48 kHz) were lost: they are concealed.
    @discardableResult
    public func pushLoss(frames: Int) -> Bool {
        self.enqueue { slot in
            slot.pointee.length = -1
            slot.pointee.lost = Int32(min(frames, Int(Int32.max)))
        }
    }

    /// Ends the stream: the reader delivers what is queued, then 0.
    public func finish() {
        _ = self.enqueue { slot in slot.pointee.length = -2 }
        self.finished.store(true, ordering: .releasing)
    }

    /// Ends the stream from the reading side's owner (pipeline stop).
    public func stop() { self.finished.store(true, ordering: .releasing) }

    private func enqueue(_ fill: (UnsafeMutablePointer<Slot>) -> Void) -> Bool {
        // The lock only keeps two host threads from pushing at once; one host thread never contends.
        let pushed = self.producer.withLock { producer -> Bool in
            guard producer != nil else { return false }
            return producer!.tryPush { slot in
                fill(slot)
                return true
            }
        }
        if !pushed { self.refused.add(1, ordering: .relaxed) }
        return pushed
    }

    public func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(MediaError) -> Int {
        let channels = self.format.channels
        while true {
            if let pending = self.pending {
                let frames = min(pending.count / channels, buffer.count / channels)
                _ = UnsafeMutableBufferPointer(rebasing: buffer[0..<(frames * channels)]).update(fromContentsOf: pending[0..<(frames * channels)])
                let rest = UnsafeBufferPointer(rebasing: pending[(frames * channels)...])
                self.pending = rest.isEmpty ? nil : rest
                return frames
            }
            let next = self.consumer.withFront { slot -> Int32 in
                let length = slot.pointee.length
                if length > 0 {
                    let bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(slot) + MemoryLayout<Slot>.offset(of: \Slot.bytes)!,
                                                       count: Int(length))
                    do {
                        let frames = try self.decoder.decode(bytes)
                        self.lastFrames = frames
                        self.pending = self.decoder.samples(frames: frames)
                    } catch {
                        self.corrupt += 1
                        self.diagnostics.holes += 1
                        if let frames = try? self.decoder.conceal(frames: self.lastFrames) {
                            self.pending = self.decoder.samples(frames: frames)
                        }
                    }
                } else if length == -1 {
                    let frames = (try? self.decoder.conceal(frames: Int(slot.pointee.lost))) ?? 0
                    self.diagnostics.silencedFrames += frames
                    self.pending = frames > 0 ? self.decoder.samples(frames: frames) : nil
                }
                return length
            }
            switch next {
            case .some(-2): return 0
            case .some: continue
            case .none:
                if self.finished.load(ordering: .acquiring) { return 0 }
                usleep(1_000)  // nothing queued yet: the host pushes in real time
            }
        }
    }
}
