#if canImport(Glibc)
import Glibc
#endif
import ChorusCore
import Synchronization

/// Receives RTP/Opus on a UDP socket on its own thread, demultiplexes by SSRC and pushes each packet
/// into that SSRC's ``SPSCRing``; workers drain the rings with ``RTPTrackDecoder``.
///
/// Why: one socket feeds many tracks, and the hot path must not lock. The ingest thread is the single
/// producer of every track's ring (DESIGN.md); each ring's consumer belongs to one worker. Per wake-up
/// the thread makes one `recvmmsg` call for up to 64 datagrams; per packet it does one parse
/// (``RTPPacket``), an open-addressing SSRC lookup and one in-place ring push: no allocation, no lock,
/// no system call. A new SSRC allocates its ring and track once and calls
/// ``onNewTrack`` (outside the hot path by definition). A full ring drops the newest packet, counted on
/// the track (``RTPTrack/droppedRingFull``).
///
/// ```swift
/// let ingest = try RTPIngest(host: "127.0.0.1", port: 5004)
/// ingest.onNewTrack = { track in startWorker(for: track) }   // before start()
/// try ingest.start()
/// ...
/// ingest.stop()
/// ```
/// A final class because it owns a socket, a thread and the producer handles.
public final class RTPIngest: @unchecked Sendable {
    /// The configuration in use.
    public let configuration: RTPIngestConfiguration
    /// The socket (its ``UDPReceiver/port`` is the one actually bound).
    public let receiver: UDPReceiver
    /// Called on the ingest thread when a new SSRC is accepted; set it before ``start()``.
    /// Keep it short: packets wait while it runs.
    public var onNewTrack: (@Sendable (RTPTrack) -> Void)?

    private let state = Mutex(State())
    private let publishedTracks = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private var thread: pthread_t?

    // Owned by the ingest thread while it runs (and by deinit after it has been joined).
    private let producers: UnsafeMutablePointer<SPSCRing<RTPPacketSlot>.Producer>
    private let tableKeys: UnsafeMutablePointer<UInt32>
    private let tableValues: UnsafeMutablePointer<Int32>  // -1 empty, else track index
    private let tableMask: Int
    private let batch = UDPReceiveBatch()
    /// Ingest-thread state behind a pointer allocated once: class stored `var`s would cost a dynamic
    /// exclusivity check (`swift_beginAccess`) per access on the per-packet path.
    private let owned: UnsafeMutablePointer<Owned>

    private struct Owned {
        var producerCount = 0
        var local = RTPIngestStatistics()
        var trackObjects: [RTPTrack] = []
    }

    private struct State {
        var tracks: [RTPTrack] = []
        var statistics = RTPIngestStatistics()
        var started = false
    }

    /// Binds the socket (port 0 picks a free one; read it from ``receiver``) without starting the thread.
    ///
    /// - Throws: ``MediaError`` when the socket cannot be bound.
    public init(host: String, port: Int, configuration: RTPIngestConfiguration = RTPIngestConfiguration()) throws(MediaError) {
        var config = configuration
        config.maxTracks = max(1, min(config.maxTracks, 1 << 20))
        config.ringCapacity = min(max(2, config.ringCapacity), 1 << 16)
        self.configuration = config
        self.receiver = try UDPReceiver(host: host, port: port)
        self.producers = .allocate(capacity: config.maxTracks)
        var tableSize = 16
        while tableSize < config.maxTracks * 2 { tableSize <<= 1 }
        self.tableMask = tableSize - 1
        self.tableKeys = .allocate(capacity: tableSize)
        self.tableKeys.initialize(repeating: 0, count: tableSize)
        self.tableValues = .allocate(capacity: tableSize)
        self.tableValues.initialize(repeating: -1, count: tableSize)
        self.owned = .allocate(capacity: 1)
        self.owned.initialize(to: Owned())
        self.owned.pointee.trackObjects.reserveCapacity(config.maxTracks)
    }

    deinit {
        self.stop()
        self.producers.deinitialize(count: self.owned.pointee.producerCount)
        self.owned.deinitialize(count: 1)
        self.owned.deallocate()
        self.producers.deallocate()
        self.tableKeys.deallocate()
        self.tableValues.deallocate()
    }

    /// The tracks seen so far, in order of first packet. Takes a lock: poll ``trackCount`` first.
    public var tracks: [RTPTrack] { self.state.withLock { $0.tracks } }

    /// How many tracks ``tracks`` holds: a lock-free (acquiring) load, so workers can check for new
    /// SSRCs on every pass and take the lock only when the number changed.
    public var trackCount: Int { self.publishedTracks.load(ordering: .acquiring) }

    /// Counters as of the last received batch.
    public var statistics: RTPIngestStatistics { self.state.withLock { $0.statistics } }

    /// Starts the ingest thread. Calling it twice does nothing. Call ``start()`` and ``stop()`` from the
    /// thread that owns the ingest; the ingest thread keeps the object alive until ``stop()``.
    ///
    /// - Throws: ``MediaError`` if the thread cannot be created.
    public func start() throws(MediaError) {
        let first = self.state.withLock { state -> Bool in
            defer { state.started = true }
            return !state.started
        }
        guard first else { return }
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let r = pthread_create(&thread, nil, { context in
            let ingest = Unmanaged<RTPIngest>.fromOpaque(context!).takeRetainedValue()
            ingest.run()
            return nil
        }, context)
        guard r == 0 else {
            Unmanaged<RTPIngest>.fromOpaque(context).release()
            throw MediaError(.io, "cannot start the RTP ingest thread (error \(r))")
        }
        self.thread = thread
    }

    /// Stops the ingest thread and waits for it; returns promptly (the thread's `poll` is woken up).
    /// Calling it twice, or before ``start()``, does nothing. Tracks and their rings stay readable.
    public func stop() {
        guard !self.stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        self.receiver.wakeUp()
        if let thread = self.thread {
            pthread_join(thread, nil)
            self.thread = nil
        }
    }

    // MARK: - Ingest thread

    private func run() {
        while !self.stopping.load(ordering: .acquiring) {
            switch self.receiver.wait(timeoutMilliseconds: self.configuration.pollTimeoutMilliseconds) {
            case .wokenUp: continue
            case .timedOut: continue
            case .readable: break
            }
            let arrival = MonotonicClock.nanoseconds()  // once per batch
            // Up to 4 full batches per wake-up, then publish statistics and check for stop.
            var rounds = 0
            while rounds < 4 {
                let n = self.receiver.receive(batch: self.batch)
                for i in 0..<n {
                    self.handle(self.batch.datagram(i), truncated: self.batch.isTruncated(i), arrival: arrival)
                }
                if n < self.batch.capacity { break }
                rounds &+= 1
            }
            let snapshot = self.owned.pointee.local
            self.state.withLock { $0.statistics = snapshot }  // once per batch, not per packet
        }
        let snapshot = self.owned.pointee.local
        self.state.withLock { $0.statistics = snapshot }
    }

    @inline(__always)
    private func handle(_ bytes: UnsafeRawBufferPointer, truncated: Bool, arrival: UInt64) {
        self.owned.pointee.local.datagrams &+= 1
        guard !truncated, let packet = try? RTPPacket(parsing: bytes) else {
            self.owned.pointee.local.malformed &+= 1
            return
        }
        // RTCP multiplexed on the same port (RFC 5761 §4): packet types 192-223 in the second byte.
        if bytes[1] >= 192 && bytes[1] <= 223 {
            self.owned.pointee.local.rtcp &+= 1
            return
        }
        if let pt = self.configuration.payloadType, packet.payloadType != pt {
            self.owned.pointee.local.wrongPayloadType &+= 1
            return
        }
        let payloadCount = packet.payloadRange.count
        guard payloadCount > 0, payloadCount <= RTPPacketSlot.maxPayload else {
            self.owned.pointee.local.oversized &+= 1
            return
        }
        guard let index = self.trackIndex(for: packet.ssrc, arrival: arrival) else {
            self.owned.pointee.local.refusedPackets &+= 1
            return
        }
        var levelByte: Int16 = -1
        if let id = self.configuration.audioLevelExtensionID, let level = packet.audioLevel(extensionID: id, in: bytes) {
            levelByte = Int16(level.level) | (level.voiceActivity ? 0x80 : 0)
        }
        let source = bytes.baseAddress! + packet.payloadRange.lowerBound
        let pushed = self.producers[index].tryPush { slot in
            slot.pointee.arrival = arrival
            slot.pointee.timestamp = packet.timestamp
            slot.pointee.ssrc = packet.ssrc
            slot.pointee.sequenceNumber = packet.sequenceNumber
            slot.pointee.payloadLength = UInt16(payloadCount)
            slot.pointee.levelByte = levelByte
            slot.pointee.marker = packet.marker
            (UnsafeMutableRawPointer(slot) + RTPPacketSlot.payloadOffset).copyMemory(from: source, byteCount: payloadCount)
            return true
        }
        self.owned.pointee.trackObjects[index].count(pushed: pushed)
    }

    /// The track index for `ssrc`, creating the track on first sight; nil when refused.
    @inline(__always)
    private func trackIndex(for ssrc: UInt32, arrival: UInt64) -> Int? {
        var slot = Int(truncatingIfNeeded: (ssrc &* 0x9E37_79B1) >> 7) & self.tableMask
        while true {
            let value = self.tableValues[slot]
            if value < 0 { break }
            if self.tableKeys[slot] == ssrc { return value == Int32.max ? nil : Int(value) }
            slot = (slot &+ 1) & self.tableMask
        }
        // New SSRC (slot is the empty one that ends its probe sequence).
        guard self.owned.pointee.producerCount < self.configuration.maxTracks else {
            self.owned.pointee.local.refusedTracks &+= 1
            // Remember the refusal (value Int32.max) so it is counted once, if the table has room.
            if self.owned.pointee.trackObjects.count + self.owned.pointee.local.refusedTracks < self.tableMask / 2 {
                self.tableKeys[slot] = ssrc
                self.tableValues[slot] = Int32.max
            }
            return nil
        }
        let index = self.owned.pointee.producerCount
        let endpoints = SPSCRing<RTPPacketSlot>.makeEndpoints(capacity: self.configuration.ringCapacity)
        (self.producers + index).initialize(to: endpoints.producer)
        self.owned.pointee.producerCount += 1
        let track = RTPTrack(ssrc: ssrc, index: index, firstArrival: arrival, consumer: endpoints.consumer)
        self.owned.pointee.trackObjects.append(track)
        self.tableKeys[slot] = ssrc
        self.tableValues[slot] = Int32(index)
        self.owned.pointee.local.tracks = self.owned.pointee.producerCount
        let published = self.state.withLock { state -> Int in
            state.tracks.append(track)
            return state.tracks.count
        }
        self.publishedTracks.store(published, ordering: .releasing)
        self.onNewTrack?(track)
        return index
    }
}
