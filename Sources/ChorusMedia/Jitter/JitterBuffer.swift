/// A per-track jitter buffer for RTP/Opus: puts packets back in order, drops duplicates and late
/// packets, waits a bounded reorder window for stragglers, and turns the stream into a gapless run of
/// decoded 48 kHz frames in media time, concealing losses with FEC or PLC and bridging DTX with silence.
///
/// Why: a UDP receiver sees packets duplicated, reordered and lost, and Opus needs its packets fed in
/// order to one decoder (libopus's rule), with each gap concealed at the right moment. Levels and the
/// speaker detector work in media time, so every released sample carries its RTP-timestamp position.
///
/// Usage, on the track's worker thread only:
/// ```swift
/// jitter.insert(sequence: p.sequenceNumber, timestamp: p.timestamp, ssrc: p.ssrc,
///               payload: payloadBytes, arrival: nowNanos, headerLevel: level)
/// while let frame = jitter.nextFrame(now: nowNanos) { meter(frame.samples, at: frame.mediaTime) }
/// // at end of stream: while let frame = jitter.nextFrame(now: nowNanos, flush: true) { ... }
/// ```
///
/// Rules (see `/work/shared/anchors/opus-rtp-alsa.md` §2):
/// - Sequence numbers are extended to 64 bits with wrap logic; timestamps likewise.
/// - A packet below the playout point is a duplicate (if its slot still holds that number) or late.
/// - A missing packet is waited for until the packet after the gap has waited the reorder window in
///   arrival time (the caller's `now`, so a worker polling on a timer releases it on time), or until
///   half the slots are held behind the gap. Media time is not used for this: a DTX pause stretches it.
/// - A gap of one packet whose successor really carries FEC (``OpusPacketDecoder/hasLBRR(_:)``) and
///   spans at least that packet's frame is recovered with it; other lost packets get PLC in multiples
///   of 120 samples, at most ``JitterConfiguration/maxConcealmentSamples`` per gap; the rest of the gap
///   (beyond the cap, or a remainder under 120 samples) is silence.
/// - A timestamp jump beyond ``JitterConfiguration/maxSilenceSamples`` (or backwards by more than
///   120 ms) resets the decoder instead of being bridged, keeping media time continuous.
/// - A sequence jump wider than the slots but below `maxDropout` gives up the packets in between (lost,
///   and any held ones late) and bridges the time with silence.
/// - Contiguous sequence numbers with a timestamp jump are DTX: silence, not loss. Uneven deltas (the
///   648 GStreamer sends first) are accepted: each packet plays at its own timestamp, and where it
///   overlaps audio already released its first samples are dropped, so frames tile media time exactly.
/// - A new SSRC, or a forward jump beyond ``JitterConfiguration/maxDropout`` confirmed by the next
///   packet, restarts the stream and resets the decoder; media time stays continuous.
///
/// All storage is allocated in `init`; `insert` and `nextFrame` allocate nothing and take no lock.
/// A final class because it owns C state (the decoder) and raw storage.
public final class JitterBuffer {
    /// The configuration this buffer was created with (capacity rounded up to a power of two).
    public let configuration: JitterConfiguration
    /// Counters since creation.
    public private(set) var statistics: JitterStatistics {
        get { self.state.pointee.statistics }
        _modify { yield &self.state.pointee.statistics }
    }
    /// The SSRC of the stream being played, or nil before the first packet.
    public private(set) var ssrc: UInt32? {
        get { self.state.pointee.ssrc }
        _modify { yield &self.state.pointee.ssrc }
    }

    /// Mutable state lives behind a pointer allocated once: class stored `var`s would cost a dynamic
    /// exclusivity check (`swift_beginAccess`) on every access on the per-packet path.
    private struct State {
        var statistics: JitterStatistics = JitterStatistics()
        var ssrc: UInt32? = nil
        var started: Bool = false
        var hasPlayed: Bool = false
        var highestSequence: Int64 = 0
        var highestTimestamp: Int64 = 0
        var nextSequence: Int64 = 0
        var playMedia: Int64 = 0
        var mediaOffset: Int64 = 0
        var buffered: Int = 0
        var lastDuration: Int = 960
        var gapConcealed: Int = 0
        var gapIsLoss: Bool = false
        var inPause: Bool = false
        var probation: UInt16? = nil
    }
    private let state: UnsafeMutablePointer<State>

    private let decoder: OpusPacketDecoder
    private let capacity: Int
    private let mask: Int
    private let maxPayload: Int
    private let windowNanoseconds: UInt64

    // Slot storage, indexed by extended sequence number & mask.
    private let slotSequence: UnsafeMutablePointer<Int64>  // Int64.min when never used (extended numbers can be negative)
    private let slotBuffered: UnsafeMutablePointer<Bool>  // true: waiting to play; false: played/empty
    private let slotTimestamp: UnsafeMutablePointer<Int64>
    private let slotArrival: UnsafeMutablePointer<UInt64>
    private let slotLength: UnsafeMutablePointer<Int>
    private let slotLevel: UnsafeMutablePointer<Int16>  // -1: none, else the raw V|level byte
    private let payloads: UnsafeMutableRawPointer
    private let silence: UnsafeMutableBufferPointer<Float>

    // Stream state (extended numbers).
    private var started: Bool {
        get { self.state.pointee.started }
        _modify { yield &self.state.pointee.started }
    }
    private var hasPlayed: Bool {
        get { self.state.pointee.hasPlayed }
        _modify { yield &self.state.pointee.hasPlayed }
    }
    private var highestSequence: Int64 {
        get { self.state.pointee.highestSequence }
        _modify { yield &self.state.pointee.highestSequence }
    }
    private var highestTimestamp: Int64 {
        get { self.state.pointee.highestTimestamp }
        _modify { yield &self.state.pointee.highestTimestamp }
    }
    private var nextSequence: Int64 {
        get { self.state.pointee.nextSequence }
        _modify { yield &self.state.pointee.nextSequence }
    }
    /// Media time where the next output sample belongs.
    private var playMedia: Int64 {
        get { self.state.pointee.playMedia }
        _modify { yield &self.state.pointee.playMedia }
    }
    /// mediaTime = extended timestamp + mediaOffset.
    private var mediaOffset: Int64 {
        get { self.state.pointee.mediaOffset }
        _modify { yield &self.state.pointee.mediaOffset }
    }
    private var buffered: Int {
        get { self.state.pointee.buffered }
        _modify { yield &self.state.pointee.buffered }
    }
    private var lastDuration: Int {
        get { self.state.pointee.lastDuration }
        _modify { yield &self.state.pointee.lastDuration }
    }
    private var gapConcealed: Int {
        get { self.state.pointee.gapConcealed }
        _modify { yield &self.state.pointee.gapConcealed }
    }
    /// The silence before the next decoded packet stands for a loss, not a DTX pause.
    private var gapIsLoss: Bool {
        get { self.state.pointee.gapIsLoss }
        _modify { yield &self.state.pointee.gapIsLoss }
    }
    /// Silence for a DTX pause is being emitted (so the pause is counted once).
    private var inPause: Bool {
        get { self.state.pointee.inPause }
        _modify { yield &self.state.pointee.inPause }
    }
    /// RFC 3550 A.1 probation: the sequence number that would confirm a restart.
    private var probation: UInt16? {
        get { self.state.pointee.probation }
        _modify { yield &self.state.pointee.probation }
    }

    /// Creates a buffer with its own mono 48 kHz Opus decoder.
    ///
    /// - Throws: ``OpusError`` if libopus cannot create the decoder.
    public init(configuration: JitterConfiguration = JitterConfiguration()) throws(OpusError) {
        var config = configuration
        var capacity = 1
        while capacity < max(2, min(config.capacity, 1 << 14)) { capacity <<= 1 }
        config.capacity = capacity
        config.maxConcealmentSamples = max(0, min(config.maxConcealmentSamples, OpusPacketDecoder.maxFrames))
        config.reorderWindowMilliseconds = max(0, config.reorderWindowMilliseconds)
        config.maxPayloadBytes = max(1, config.maxPayloadBytes)
        self.configuration = config
        self.capacity = capacity
        self.mask = capacity - 1
        self.maxPayload = config.maxPayloadBytes
        self.windowNanoseconds = UInt64(config.reorderWindowMilliseconds) * 1_000_000
        self.decoder = try OpusPacketDecoder(channels: 1, sampleRate: 48_000)
        self.slotSequence = .allocate(capacity: capacity)
        self.slotSequence.initialize(repeating: .min, count: capacity)
        self.slotBuffered = .allocate(capacity: capacity)
        self.slotBuffered.initialize(repeating: false, count: capacity)
        self.slotTimestamp = .allocate(capacity: capacity)
        self.slotTimestamp.initialize(repeating: 0, count: capacity)
        self.slotArrival = .allocate(capacity: capacity)
        self.slotArrival.initialize(repeating: 0, count: capacity)
        self.slotLength = .allocate(capacity: capacity)
        self.slotLength.initialize(repeating: 0, count: capacity)
        self.slotLevel = .allocate(capacity: capacity)
        self.slotLevel.initialize(repeating: -1, count: capacity)
        self.payloads = .allocate(byteCount: capacity * config.maxPayloadBytes, alignment: 16)
        self.silence = .allocate(capacity: OpusPacketDecoder.maxFrames)
        self.silence.initialize(repeating: 0)
        self.state = .allocate(capacity: 1)
        self.state.initialize(to: State())
    }

    deinit {
        self.slotSequence.deallocate()
        self.slotBuffered.deallocate()
        self.slotTimestamp.deallocate()
        self.slotArrival.deallocate()
        self.slotLength.deallocate()
        self.slotLevel.deallocate()
        self.payloads.deallocate()
        self.silence.deallocate()
        self.state.deinitialize(count: 1)
        self.state.deallocate()
    }

    /// Packets waiting to be played.
    public var bufferedCount: Int { self.buffered }

    /// What ``insert(sequence:timestamp:ssrc:payload:arrival:headerLevel:)`` did with a packet.
    public enum InsertResult: Sendable, Equatable {
        /// Buffered for playout.
        case accepted
        /// A copy of a packet already buffered or played; dropped.
        case duplicate
        /// Arrived after its playout point; dropped.
        case late
        /// Empty or longer than ``JitterConfiguration/maxPayloadBytes``; dropped.
        case invalid
    }

    /// Offers one packet to the buffer.
    ///
    /// - Parameters:
    ///   - payload: the Opus packet (the RTP payload); copied into preallocated storage.
    ///   - arrival: when it arrived, in monotonic nanoseconds (the same clock as `now` in ``nextFrame(now:flush:)``).
    ///   - headerLevel: the RFC 6464 level from its header, if any.
    /// - Complexity: O(1); no allocation, no lock, no system call.
    @discardableResult
    public func insert(
        sequence: UInt16, timestamp: UInt32, ssrc: UInt32, payload: UnsafeRawBufferPointer,
        arrival: UInt64, headerLevel: RTPAudioLevel? = nil
    ) -> InsertResult {
        guard payload.count > 0, payload.count <= self.maxPayload, let source = payload.baseAddress else {
            self.statistics.invalid += 1
            return .invalid
        }
        if !self.started || ssrc != self.ssrc {
            self.restart(sequence: sequence, timestamp: timestamp, ssrc: ssrc)
        }
        var ext = self.extendSequence(sequence)
        if ext < self.nextSequence {
            let index = Int(ext & Int64(self.mask))
            if self.slotSequence[index] == ext {
                self.statistics.duplicates += 1
                return .duplicate
            }
            if self.nextSequence - ext > Int64(self.configuration.maxMisorder) {
                // Far behind: the sender may have restarted. Restart once the next one confirms it.
                if self.probation == sequence {
                    self.restart(sequence: sequence, timestamp: timestamp, ssrc: ssrc)
                    ext = self.nextSequence
                } else {
                    self.probation = sequence &+ 1
                    self.statistics.late += 1
                    return .late
                }
            } else {
                self.statistics.late += 1
                return .late
            }
        } else if ext - self.nextSequence >= Int64(self.capacity) {
            if ext - self.nextSequence > Int64(self.configuration.maxDropout) {
                if self.probation == sequence {
                    self.restart(sequence: sequence, timestamp: timestamp, ssrc: ssrc)
                    ext = self.nextSequence
                } else {
                    self.probation = sequence &+ 1
                    self.statistics.invalid += 1
                    return .invalid
                }
            } else {
                self.skip(to: ext)
            }
        }
        let index = Int(ext & Int64(self.mask))
        if self.slotSequence[index] == ext {
            self.statistics.duplicates += 1
            return .duplicate
        }
        self.probation = nil
        let extTimestamp = self.extendTimestamp(timestamp)
        if ext > self.highestSequence {
            self.highestSequence = ext
            self.highestTimestamp = extTimestamp
        }
        self.slotSequence[index] = ext
        self.slotBuffered[index] = true
        self.slotTimestamp[index] = extTimestamp
        self.slotArrival[index] = arrival
        self.slotLength[index] = payload.count
        self.slotLevel[index] = headerLevel.map { Int16($0.level) | ($0.voiceActivity ? 0x80 : 0) } ?? -1
        (self.payloads + index * self.maxPayload).copyMemory(from: source, byteCount: payload.count)
        self.buffered += 1
        self.statistics.received += 1
        return .accepted
    }

    /// The next frame in media order, or nil when the next one is not due yet (or nothing is buffered).
    ///
    /// Call repeatedly until it returns nil, each time a packet arrives and on a timer (every 10–20 ms)
    /// so that gaps are concealed once the reorder window has passed.
    /// - Parameters:
    ///   - now: the current monotonic time in nanoseconds (the clock `arrival` used).
    ///   - flush: release everything buffered now, concealing gaps without waiting (end of stream).
    /// - Returns: a frame whose samples stay valid until the next call on this buffer.
    /// - Complexity: O(capacity) at worst when searching past a gap; no allocation, no lock, no system call.
    public func nextFrame(now: UInt64, flush: Bool = false) -> JitterFrame? {
        guard self.started, self.buffered > 0 else { return nil }
        // Each pass returns a frame or consumes a packet or a missing number: bounded by 2 × capacity.
        for _ in 0...(2 * self.capacity + 2) {
            let index = Int(self.nextSequence & Int64(self.mask))
            if self.slotSequence[index] == self.nextSequence && self.slotBuffered[index] {
                if let frame = self.play(index: index) { return frame }
                if self.buffered == 0 { return nil }
                continue  // the packet produced no new samples
            }
            // A gap: find the first buffered packet after it.
            guard let next = self.firstBuffered(after: self.nextSequence) else { return nil }
            let nextIndex = Int(next & Int64(self.mask))
            if !flush {
                let waited = now >= self.slotArrival[nextIndex] ? now - self.slotArrival[nextIndex] : 0
                // Wait the window in arrival time; give up early only when half the slots are held
                // behind the gap (memory pressure, e.g. a stalled worker catching up on a burst).
                guard waited >= self.windowNanoseconds || self.buffered >= self.capacity / 2 else { return nil }
            }
            if let frame = self.conceal(before: next, nextIndex: nextIndex) { return frame }
        }
        return nil
    }

    // MARK: - Release

    /// Plays the packet in slot `index` (which holds `nextSequence`), or the silence before it.
    /// Returns nil when the packet was consumed but added no samples (the caller loops on).
    private func play(index: Int) -> JitterFrame? {
        let media = self.slotTimestamp[index] + self.mediaOffset
        var delta = media - self.playMedia
        if self.hasPlayed && (delta > Int64(self.configuration.maxSilenceSamples) || delta < -Int64(OpusPacketDecoder.maxFrames)) {
            // A timestamp jump too large to bridge: reset, keep media time continuous.
            self.decoder.reset()
            self.statistics.resets += 1
            self.mediaOffset -= delta
            delta = 0
            self.gapIsLoss = false
        }
        if self.hasPlayed && delta > 0 {
            // Contiguous sequence numbers, timestamp jump: a DTX pause. Or the rest of a loss: beyond the
            // concealment cap, or the part of a gap that is not a whole 2.5 ms (PLC and FEC run in
            // multiples of 120 samples; GStreamer's first delta of 648 leaves 48). Silence keeps the
            // frames tiling media time.
            let n = Int(min(delta, Int64(OpusPacketDecoder.maxFrames)))
            let kind: JitterFrameKind = self.gapIsLoss ? .lossSilence : .dtxSilence
            if kind == .dtxSilence && !self.inPause && delta >= Int64(OpusPacketDecoder.concealmentQuantum) {
                self.statistics.dtxPauses += 1
                self.inPause = true
            }
            let frame = JitterFrame(
                kind: kind, mediaTime: self.playMedia,
                samples: UnsafeBufferPointer(rebasing: self.silence[0..<n]), headerLevel: nil,
                sequence: self.nextSequence)
            self.playMedia += Int64(n)
            return frame
        }
        let length = self.slotLength[index]
        let payload = UnsafeRawBufferPointer(start: self.payloads + index * self.maxPayload, count: length)
        let levelByte = self.slotLevel[index]
        let sequence = self.nextSequence
        self.slotBuffered[index] = false
        self.buffered -= 1
        self.nextSequence += 1
        self.gapConcealed = 0
        self.gapIsLoss = false
        self.inPause = false
        var kind = JitterFrameKind.decoded
        var frames: Int
        do {
            frames = try self.decoder.decode(payload)
        } catch {
            // A corrupt payload: conceal it like a loss (or, failing that, silence); never stall.
            self.statistics.decodeErrors += 1
            kind = .plc
            frames = (try? self.decoder.conceal(frames: self.lastDuration)) ?? 0
            if frames == 0 {
                let n = max(1, min(self.lastDuration, OpusPacketDecoder.maxFrames))
                self.playMedia = media + Int64(n)
                return JitterFrame(
                    kind: .lossSilence, mediaTime: media, samples: UnsafeBufferPointer(rebasing: self.silence[0..<n]),
                    headerLevel: nil, sequence: sequence)
            }
        }
        let wasPlaying = self.hasPlayed
        self.hasPlayed = true
        self.lastDuration = frames
        var samples = self.decoder.samples(frames: frames)
        var start = media
        if wasPlaying && media < self.playMedia {
            // Overlap with what was already played (GStreamer's first delta is 648 for a 960-sample
            // packet): drop the samples whose media time is past, so frames tile media time exactly
            // and every later sample sits at its true timestamp.
            let overlap = Int(min(self.playMedia - media, Int64(frames)))
            samples = UnsafeBufferPointer(rebasing: samples[overlap...])
            start = self.playMedia
        }
        self.playMedia = max(self.playMedia, media + Int64(frames))
        if samples.isEmpty { return nil }  // entirely in the past: nothing new to release
        return JitterFrame(
            kind: kind, mediaTime: start, samples: samples,
            headerLevel: levelByte >= 0 ? RTPAudioLevel(byte: UInt8(levelByte)) : nil, sequence: sequence)
    }

    /// Conceals the packet at `nextSequence`, which is missing, given that `next` is the first buffered
    /// packet after it. Returns nil when the missing packet produced no samples (loop again).
    private func conceal(before next: Int64, nextIndex: Int) -> JitterFrame? {
        let missing = next - self.nextSequence
        let sequence = self.nextSequence
        self.statistics.lost += 1
        self.nextSequence += 1
        guard self.hasPlayed else { return nil }  // nothing to conceal from yet
        let remaining = self.slotTimestamp[nextIndex] + self.mediaOffset - self.playMedia
        guard remaining >= Int64(OpusPacketDecoder.concealmentQuantum) else { return nil }
        let quantum = OpusPacketDecoder.concealmentQuantum
        // The lost packet's share of the gap: the whole remainder for the last one.
        let share = missing == 1 ? remaining : max(Int64(quantum), remaining / missing)
        self.gapIsLoss = true
        let payload = UnsafeRawBufferPointer(
            start: self.payloads + nextIndex * self.maxPayload, count: self.slotLength[nextIndex])
        var kind = JitterFrameKind.plc
        var frames = 0
        // FEC only where libopus really decodes it: the next packet carries LBRR data and the gap is at
        // least that packet's frame size (asked for less, libopus silently runs PLC instead).
        if missing == 1, OpusPacketDecoder.hasLBRR(payload), let fecFrames = OpusPacketDecoder.frameCount(of: payload),
            share >= Int64(fecFrames), fecFrames <= OpusPacketDecoder.maxFrames
        {
            frames = (try? self.decoder.recover(from: payload, frames: fecFrames)) ?? 0
            if frames > 0 {
                kind = .fec
                self.statistics.recoveredByFEC += 1
            }
        }
        if frames == 0 && self.gapConcealed < self.configuration.maxConcealmentSamples {
            var want = Int(min(share, Int64(self.configuration.maxConcealmentSamples - self.gapConcealed)))
            want -= want % quantum
            if want > 0 {
                frames = (try? self.decoder.conceal(frames: want)) ?? 0
                if frames > 0 {
                    self.statistics.concealed += 1
                    self.gapConcealed += frames
                }
            }
        }
        if frames > 0 {
            let frame = JitterFrame(
                kind: kind, mediaTime: self.playMedia, samples: self.decoder.samples(frames: frames),
                headerLevel: nil, sequence: sequence)
            self.playMedia += Int64(frames)
            return frame
        }
        // Beyond the concealment cap: silence for this packet's share.
        let n = Int(min(share, Int64(OpusPacketDecoder.maxFrames)))
        let frame = JitterFrame(
            kind: .lossSilence, mediaTime: self.playMedia,
            samples: UnsafeBufferPointer(rebasing: self.silence[0..<n]), headerLevel: nil, sequence: sequence)
        self.playMedia += Int64(n)
        return frame
    }

    private func firstBuffered(after sequence: Int64) -> Int64? {
        var s = sequence + 1
        let last = min(self.highestSequence, sequence + Int64(self.capacity))
        while s <= last {
            let index = Int(s & Int64(self.mask))
            if self.slotSequence[index] == s && self.slotBuffered[index] { return s }
            s += 1
        }
        return nil
    }

    // MARK: - Stream state

    /// Starts (or restarts) the stream at this packet: decoder reset, media time kept continuous.
    private func restart(sequence: UInt16, timestamp: UInt32, ssrc: UInt32) {
        if self.started {
            self.decoder.reset()
            self.statistics.resets += 1
            // Anything still buffered belongs to the old stream and will never play: count it as late
            // instead of received, so that every arrival stays accounted exactly once.
            self.statistics.late += self.buffered
            self.statistics.received -= self.buffered
            for i in 0..<self.capacity { self.slotBuffered[i] = false }
        }
        for i in 0..<self.capacity { self.slotSequence[i] = .min }
        let base = self.started ? self.playMedia : 0
        self.started = true
        self.ssrc = ssrc
        self.buffered = 0
        self.highestSequence = Int64(sequence)
        self.highestTimestamp = Int64(timestamp)
        self.nextSequence = Int64(sequence)
        self.mediaOffset = base - Int64(timestamp)
        self.playMedia = base
        self.gapConcealed = 0
        self.gapIsLoss = false
        self.probation = nil
    }

    /// A forward jump that does not fit the slots: give up on everything before `sequence`.
    private func skip(to sequence: Int64) {
        let first = sequence - Int64(self.capacity) + 1
        while self.nextSequence < first {
            let index = Int(self.nextSequence & Int64(self.mask))
            if self.slotSequence[index] == self.nextSequence && self.slotBuffered[index] {
                self.slotBuffered[index] = false
                self.buffered -= 1
                self.statistics.late += 1  // received, never played
                self.statistics.received -= 1
            }
            self.statistics.lost += 1
            self.nextSequence += 1
        }
        self.gapIsLoss = true
    }

    private func extendSequence(_ sequence: UInt16) -> Int64 {
        let delta = Int16(bitPattern: sequence &- UInt16(truncatingIfNeeded: self.highestSequence))
        return self.highestSequence + Int64(delta)
    }

    private func extendTimestamp(_ timestamp: UInt32) -> Int64 {
        let delta = Int32(bitPattern: timestamp &- UInt32(truncatingIfNeeded: self.highestTimestamp))
        return self.highestTimestamp + Int64(delta)
    }
}
