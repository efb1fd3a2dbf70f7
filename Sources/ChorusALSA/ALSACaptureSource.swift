import CALSA
import ChorusCore
import ChorusMedia
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Captures audio from an ALSA PCM device as a local microphone track.
///
/// The device is opened non-blocking and read one period at a time. Between periods the reading
/// thread waits in `poll` on the PCM's descriptors *and* an eventfd, so ``stop()`` from any other
/// thread wakes it at once and ``read(into:)`` returns 0 (end of stream). Overruns, suspends and
/// interrupts are recovered with `snd_pcm_recover` and counted in ``counters``. Each read's buffer
/// is zeroed first, because some plugins (the `file` plugin at EOF) return a full count without
/// writing. Media time is the count of frames read, never the wall clock.
///
/// Threading: one thread reads (the track's producer); ``stop()`` may be called from any thread.
public final class ALSACaptureSource: AudioSource, @unchecked Sendable {
    public let format: AudioFormat
    public let name: String
    public private(set) var diagnostics = SourceDiagnostics()
    /// What the device granted.
    public let negotiated: NegotiatedCapture
    /// Recoverable trouble so far (reader thread only).
    public private(set) var counters = CaptureCounters()
    /// Frames read so far: the media position of the next frame (reader thread only).
    public private(set) var framesRead = 0
    /// Why capture ended, if it ended on its own.
    public private(set) var endReason: CaptureError?

    private let pcm: OpaquePointer
    private let wakeup: Int32
    private let stopped = Atomic<Bool>(false)
    private let isFloat: Bool
    private let maxFrames: Int?
    private let periodFrames: Int
    private let scratch: UnsafeMutableRawBufferPointer
    private let pollDescriptors: UnsafeMutableBufferPointer<pollfd>
    private let pcmDescriptorCount: Int

    /// Opens `device` for capture.
    ///
    /// - Parameters:
    ///   - device: an ALSA PCM name (`default`, `hw:0`, `plughw:1,0`, or a name from the configuration).
    ///   - configuration: what to ask for.
    ///   - configurationText: an ALSA configuration (asoundrc syntax) to resolve `device` in instead
    ///     of the system's, for hermetic use: the PCM is opened with `snd_pcm_open_lconf`.
    /// - Throws: ``CaptureError`` naming the device and what to try.
    public init(device: String, configuration: CaptureConfiguration = CaptureConfiguration(),
                configurationText: String? = nil) throws(CaptureError) {
        chorus_alsa_silence_library_errors()
        var opened = try Self.open(device, configurationText: configurationText)
        var grant: (NegotiatedCapture, Bool)
        do {
            grant = try Self.negotiate(opened, device: device, configuration)
        } catch {
            snd_pcm_close(opened)
            throw error
        }
        // A device that cannot run at the asked rate goes through ALSA's `plug` converter.
        if grant.0.sampleRate != configuration.sampleRate && !device.hasPrefix("plug") {
            snd_pcm_close(opened)
            let plugged = "plug:\(device)"
            opened = try Self.open(plugged, configurationText: configurationText)
            do {
                grant = try Self.negotiate(opened, device: plugged, configuration)
            } catch {
                snd_pcm_close(opened)
                throw error
            }
        }
        self.pcm = opened
        self.negotiated = grant.0
        self.isFloat = grant.1
        self.name = "mic:\(device)"
        self.format = AudioFormat(sampleRate: grant.0.sampleRate, channels: grant.0.channels)
        self.periodFrames = grant.0.periodFrames
        self.maxFrames = configuration.maxFrames
        self.scratch = .allocate(byteCount: grant.0.periodFrames * grant.0.channels * 4, alignment: 16)
        self.wakeup = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        let count = Int(snd_pcm_poll_descriptors_count(opened))
        self.pcmDescriptorCount = max(0, count)
        self.pollDescriptors = .allocate(capacity: self.pcmDescriptorCount + 1)
        self.pollDescriptors.initialize(repeating: pollfd())
        if self.pcmDescriptorCount > 0 {
            _ = snd_pcm_poll_descriptors(opened, self.pollDescriptors.baseAddress, UInt32(self.pcmDescriptorCount))
        }
        self.pollDescriptors[self.pcmDescriptorCount] = pollfd(fd: self.wakeup, events: Int16(POLLIN), revents: 0)
        snd_pcm_prepare(opened)
    }

    deinit {
        snd_pcm_close(self.pcm)
        close(self.wakeup)
        self.scratch.deallocate()
        self.pollDescriptors.deallocate()
    }

    /// A capture device is an ingress (a local microphone track).
    public var ingressKind: IngressInfo.Kind? { .microphone }

    /// Ends capture: a blocked or later ``read(into:)`` returns 0. Safe from any thread.
    public func stop() {
        self.stopped.store(true, ordering: .releasing)
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { write(self.wakeup, $0.baseAddress, 8) }
    }

    /// Reads up to one period, waiting for it; 0 once stopped, at `maxFrames`, or after a fatal error
    /// (then ``endReason`` says why and the error is thrown).
    public func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(MediaError) -> Int {
        let channels = self.format.channels
        var want = min(buffer.count / channels, self.periodFrames)
        if let maxFrames { want = min(want, maxFrames - self.framesRead) }
        guard want > 0, let out = buffer.baseAddress else { return 0 }
        while true {
            if self.stopRequested() { return 0 }
            // Zero first: a plugin may report frames it never wrote.
            self.scratch.initializeMemory(as: UInt8.self, repeating: 0)
            let n = snd_pcm_readi(self.pcm, self.scratch.baseAddress, snd_pcm_uframes_t(want))
            if n > 0 {
                let frames = Int(n)
                self.convert(frames: frames, into: out)
                self.framesRead += frames
                self.counters.reads += 1
                return frames
            }
            let code = Int32(n)
            switch -code {
            case 0, EAGAIN:
                if !self.waitForData() { return 0 }
            case EPIPE, ESTRPIPE, EINTR:
                if -code == EPIPE { self.counters.overruns += 1 }
                if -code == ESTRPIPE { self.counters.suspends += 1 }
                if -code == EINTR { self.counters.interrupts += 1 }
                let recovered = snd_pcm_recover(self.pcm, code, 1)
                if recovered < 0 { throw self.lost(recovered) }
            default:
                throw self.lost(code)
            }
        }
    }

    // MARK: - Internals

    /// An atomic load, not a system call: checked before every read.
    private func stopRequested() -> Bool {
        self.stopped.load(ordering: .acquiring)
    }

    /// Waits until the PCM is readable or stop() was called; false when stopped.
    private func waitForData() -> Bool {
        while true {
            let r = poll(self.pollDescriptors.baseAddress, nfds_t(self.pcmDescriptorCount + 1), 1000)
            if r < 0 && errno == EINTR { continue }
            if self.pollDescriptors[self.pcmDescriptorCount].revents != 0 { return false }
            if r > 0 && self.pcmDescriptorCount > 0 {
                var events: UInt16 = 0
                snd_pcm_poll_descriptors_revents(self.pcm, self.pollDescriptors.baseAddress, UInt32(self.pcmDescriptorCount), &events)
                if events != 0 { return true }
            } else if self.pcmDescriptorCount == 0 || r == 0 {
                return true  // no descriptors to wait on, or a timeout: try the read again
            }
        }
    }

    private func convert(frames: Int, into out: UnsafeMutablePointer<Float>) {
        let samples = frames * self.format.channels
        if self.isFloat {
            out.update(from: self.scratch.baseAddress!.assumingMemoryBound(to: Float.self), count: samples)
        } else {
            let int16s = self.scratch.baseAddress!.assumingMemoryBound(to: Int16.self)
            for i in 0..<samples { out[i] = Float(int16s[i]) * (1.0 / 32768.0) }
        }
    }

    private func lost(_ code: Int32) -> MediaError {
        let reason = String(cString: snd_strerror(code))
        let error = CaptureError(.deviceLost, "\(self.name): capture failed: \(reason); check the device with `chorus devices`", code: code)
        self.endReason = error
        return MediaError(.io, error.message)
    }

    private static func open(_ device: String, configurationText: String?) throws(CaptureError) -> OpaquePointer {
        var handle: OpaquePointer?
        let mode = Int32(SND_PCM_NONBLOCK)
        let r: Int32
        if let configurationText {
            var config: OpaquePointer?
            let loaded = configurationText.withCString { snd_config_load_string(&config, $0, 0) }
            guard loaded >= 0, let config else {
                throw CaptureError(.other, "mic:\(device): the ALSA configuration does not parse: \(String(cString: snd_strerror(loaded)))", code: loaded)
            }
            defer { snd_config_delete(config) }
            r = snd_pcm_open_lconf(&handle, device, SND_PCM_STREAM_CAPTURE, mode, config)
        } else {
            r = snd_pcm_open(&handle, device, SND_PCM_STREAM_CAPTURE, mode)
        }
        guard r >= 0, let handle else { throw openError(device, r) }
        return handle
    }

    private static func openError(_ device: String, _ code: Int32) -> CaptureError {
        let reason = String(cString: snd_strerror(code))
        switch -code {
        case ENOENT, ENODEV, ENXIO:
            let hint = device == "default" ? " (no sound card?)" : ""
            return CaptureError(.noSuchDevice, "mic:\(device): no such capture device\(hint) (\(reason)); list devices with `chorus devices`", code: code)
        case EBUSY:
            return CaptureError(.busy, "mic:\(device): device is busy (another program is capturing); close it, or capture through `dsnoop`", code: code)
        default:
            return CaptureError(.other, "mic:\(device): cannot open for capture (\(reason)); list devices with `chorus devices`", code: code)
        }
    }

    /// Sets interleaved S16_LE (or FLOAT_LE), channels, rate, period and buffer; returns the grant
    /// and whether samples are float.
    private static func negotiate(_ pcm: OpaquePointer, device: String, _ want: CaptureConfiguration) throws(CaptureError) -> (NegotiatedCapture, Bool) {
        var hw: OpaquePointer?
        guard snd_pcm_hw_params_malloc(&hw) >= 0, let hw else { throw CaptureError(.other, "mic:\(device): out of memory") }
        defer { snd_pcm_hw_params_free(hw) }
        func unsupported(_ what: String, _ code: Int32) -> CaptureError {
            CaptureError(.unsupportedFormat, "mic:\(device): the device cannot capture \(what) (\(String(cString: snd_strerror(code)))); try mic:plug:\(device), or another --rate/--channels", code: code)
        }
        var r = snd_pcm_hw_params_any(pcm, hw)
        guard r >= 0 else { throw unsupported("at all", r) }
        r = snd_pcm_hw_params_set_access(pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED)
        guard r >= 0 else { throw unsupported("interleaved frames", r) }
        var isFloat = false
        if snd_pcm_hw_params_set_format(pcm, hw, SND_PCM_FORMAT_S16_LE) < 0 {
            r = snd_pcm_hw_params_set_format(pcm, hw, SND_PCM_FORMAT_FLOAT_LE)
            guard r >= 0 else { throw unsupported("S16_LE or FLOAT_LE samples", r) }
            isFloat = true
        }
        var channels = UInt32(want.channels)
        r = snd_pcm_hw_params_set_channels_near(pcm, hw, &channels)
        guard r >= 0, channels == UInt32(want.channels) else { throw unsupported("\(want.channels) channel(s)", r < 0 ? r : -EINVAL) }
        var rate = UInt32(want.sampleRate)
        var dir: Int32 = 0
        r = snd_pcm_hw_params_set_rate_near(pcm, hw, &rate, &dir)
        guard r >= 0 else { throw unsupported("\(want.sampleRate) Hz", r) }
        var period = snd_pcm_uframes_t(want.periodFrames)
        _ = snd_pcm_hw_params_set_period_size_near(pcm, hw, &period, &dir)
        var buffer = snd_pcm_uframes_t(want.periodFrames * want.bufferPeriods)
        _ = snd_pcm_hw_params_set_buffer_size_near(pcm, hw, &buffer)
        r = snd_pcm_hw_params(pcm, hw)
        guard r >= 0 else { throw unsupported("\(want.sampleRate) Hz \(want.channels) ch with \(want.periodFrames)-frame periods", r) }
        _ = snd_pcm_hw_params_get_period_size(hw, &period, &dir)
        _ = snd_pcm_hw_params_get_buffer_size(hw, &buffer)
        let grant = NegotiatedCapture(
            device: device, sampleRate: Int(rate), channels: Int(channels),
            periodFrames: max(1, Int(period)), bufferFrames: Int(buffer),
            sampleFormat: isFloat ? "FLOAT_LE" : "S16_LE")
        return (grant, isFloat)
    }
}
