import COpusFile
import ChorusCore

#if canImport(Glibc)
import Glibc
#endif

/// Reads an Ogg Opus file (RFC 7845) as 48 kHz float PCM through libopusfile.
///
/// libopusfile applies the pre-skip, the end trim from the last granule position and the output
/// gain, so the samples are exactly the encoder's input length. Mono files read as mono; files
/// with two or more channels read as stereo (libopusfile's downmix for more than two).
///
/// Damage is handled as the rules ask: a corrupt page is a *hole*, counted, and filled with
/// silence of the right length (libopusfile's `op_pcm_tell` knows where the stream resumes from
/// the next page's granule position), so media time after the hole stays true and a room's
/// tracks stay aligned. A lost first audio page is found the same way, from the last granule.
/// A file that ends mid-page or without its end-of-stream page is flagged
/// ``SourceDiagnostics/truncated``, and everything before the damage is still delivered.
/// A gap longer than ``maximumHoleFrames`` is not believed: a damaged granule position must not
/// turn a small file into hours of silence.
///
/// Samples are clamped to ±1: the float decoder can overshoot, and level maths must never see
/// more than full scale.
public final class OggOpusFileSource: AudioSource {
    public let format: AudioFormat
    public let name: String
    public private(set) var diagnostics = SourceDiagnostics()
    /// The file's length in samples per channel as its last granule says, or nil if unknown.
    public let declaredFrames: Int?
    /// The longest run of silence one hole may be filled with, in frames (default one hour).
    public let maximumHoleFrames: Int
    private let file: OpaquePointer
    /// The copy of the bytes an in-memory source reads; libopusfile reads it until `op_free`.
    private let memory: UnsafeMutableRawBufferPointer?
    /// Frames delivered so far, real or silence: the media position of the next frame.
    private var delivered = 0
    /// Silence still owed before the next decoded frame, to cover a hole.
    private var pendingSilence = 0

    /// Opens `path`.
    ///
    /// - Parameters:
    ///   - path: An Ogg Opus file.
    ///   - maximumHoleSeconds: The longest gap filled with silence; a longer one is damage.
    /// - Throws: ``MediaError`` with `.cannotOpen` for a missing or unreadable file and
    ///   `.notSupported` when the file is not Ogg Opus.
    public convenience init(path: String, maximumHoleSeconds: Int = 3600) throws(MediaError) {
        var error: Int32 = 0
        guard let file = op_open_file(path, &error) else {
            throw Self.openError(path: path, code: error)
        }
        self.init(file: file, memory: nil, name: path, tail: OggTail.inspect(path: path), maximumHoleSeconds: maximumHoleSeconds)
    }

    /// Reads an Ogg Opus stream already in memory (for example a file an agent received over
    /// HTTP). The bytes are copied, so the caller's buffer need not outlive the call.
    ///
    /// - Parameters:
    ///   - bytes: The whole Ogg Opus stream.
    ///   - name: How the source is named in messages and events.
    ///   - maximumHoleSeconds: The longest gap filled with silence; a longer one is damage.
    /// - Throws: ``MediaError`` with `.notSupported` when the bytes are not Ogg Opus and
    ///   `.corrupt` when they cannot be opened.
    public convenience init(bytes: UnsafeRawBufferPointer, name: String = "memory", maximumHoleSeconds: Int = 3600) throws(MediaError) {
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        if let base = bytes.baseAddress, bytes.count > 0 {
            memory.baseAddress.unsafelyUnwrapped.copyMemory(from: base, byteCount: bytes.count)
        }
        var error: Int32 = 0
        guard let file = op_open_memory(memory.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count, &error) else {
            memory.deallocate()
            throw Self.openError(name: name, code: error)
        }
        let tail = OggTail.inspect(UnsafeRawBufferPointer(rebasing: memory[max(0, bytes.count - OggTail.window)..<bytes.count]))
        self.init(file: file, memory: memory, name: name, tail: tail, maximumHoleSeconds: maximumHoleSeconds)
    }

    private init(
        file: OpaquePointer, memory: UnsafeMutableRawBufferPointer?, name: String,
        tail: (endsEarly: Bool, lastGranule: Int64?), maximumHoleSeconds: Int
    ) {
        self.file = file
        self.memory = memory
        self.name = name
        self.maximumHoleFrames = max(0, maximumHoleSeconds) * 48_000
        let channels = Int(op_channel_count(file, -1))
        self.format = AudioFormat(sampleRate: 48_000, channels: channels >= 2 ? 2 : 1)
        let total = op_pcm_total(file, -1)
        self.declaredFrames = total >= 0 ? Int(total) : nil
        self.diagnostics.truncated = tail.endsEarly
        // If the first audio page(s) were lost, libopusfile starts the stream at the first page it
        // can decode; the last granule (minus pre-skip) tells how long the stream really is.
        // A claimed gap beyond the limit is a damaged granule, not lost audio: no silence for it.
        if let lastGranule = tail.lastGranule, total >= 0, op_link_count(file) == 1, let head = op_head(file, 0) {
            let length = Int(lastGranule) - Int(head.pointee.pre_skip)
            if length > Int(total) + 960 {
                self.diagnostics.holes += 1
                if length - Int(total) <= self.maximumHoleFrames {
                    self.pendingSilence = length - Int(total)
                    self.diagnostics.silencedFrames += self.pendingSilence
                }
            }
        }
    }

    deinit {
        op_free(self.file)
        self.memory?.deallocate()
    }

    public func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(MediaError) -> Int {
        let capacity = buffer.count - buffer.count % self.format.channels
        guard capacity > 0, let base = buffer.baseAddress else { return 0 }
        if self.pendingSilence > 0 {
            let frames = min(self.pendingSilence, capacity / self.format.channels)
            base.update(repeating: 0, count: frames * self.format.channels)
            self.pendingSilence -= frames
            self.delivered += frames
            return frames
        }
        while true {
            let n: Int32
            if self.format.channels == 2 {
                n = op_read_float_stereo(self.file, base, Int32(capacity))
            } else {
                var link: Int32 = 0
                n = op_read_float(self.file, base, Int32(capacity), &link)
                if n > 0 && op_channel_count(self.file, link) != 1 {
                    throw MediaError(.notSupported, "\(self.name): a chained link changes the channel count; re-encode it as one stream with opusenc")
                }
            }
            if n == OP_HOLE {
                self.diagnostics.holes += 1
                let resumesAt = Int(op_pcm_tell(self.file))
                if resumesAt - self.delivered > self.maximumHoleFrames {
                    throw MediaError(.corrupt, "\(self.name): a gap of \((resumesAt - self.delivered) / 48_000) s after \(self.delivered / 48_000) s is damage, not lost audio; the audio before it was kept. Re-encode the file with opusenc")
                }
                if resumesAt > self.delivered {
                    self.pendingSilence = resumesAt - self.delivered
                    self.diagnostics.silencedFrames += self.pendingSilence
                    return try self.read(into: buffer)
                }
                continue
            }
            if n < 0 {
                throw MediaError(.corrupt, "\(self.name): cannot decode past \(Self.describe(n)); the audio before it was kept. Re-encode the file with opusenc")
            }
            if n == 0, let declared = self.declaredFrames, declared > self.delivered,
                declared - self.delivered <= self.maximumHoleFrames
            {
                // The stream stopped short of its declared length (a lost page near the end):
                // the rest is owed as silence, so the track keeps its true duration.
                self.diagnostics.holes += 1
                self.pendingSilence = declared - self.delivered
                self.diagnostics.silencedFrames += self.pendingSilence
                return try self.read(into: buffer)
            }
            LevelKernel.clamp(UnsafeMutableBufferPointer(start: base, count: Int(n) * self.format.channels))
            self.delivered += Int(n)
            return Int(n)
        }
    }

    private static func openError(path: String, code: Int32) -> MediaError {
        var st = stat()
        if stat(path, &st) != 0 {
            return MediaError(.cannotOpen, "\(path): no such file; check the path")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            return MediaError(.cannotOpen, "\(path): is a directory; give an Ogg Opus file")
        }
        if access(path, R_OK) != 0 {
            return MediaError(.cannotOpen, "\(path): permission denied; make the file readable")
        }
        if code == OP_ENOTFORMAT {
            return MediaError(.notSupported, "\(path): not an Ogg Opus file; convert it with `opusenc input.wav output.opus`, or read raw PCM with pcm:\(path)")
        }
        return openError(name: path, code: code)
    }

    private static func openError(name: String, code: Int32) -> MediaError {
        switch code {
        case OP_ENOTFORMAT:
            return MediaError(.notSupported, "\(name): not Ogg Opus; convert it with `opusenc input.wav output.opus`")
        case OP_EVERSION, OP_EBADHEADER, OP_EIMPL:
            return MediaError(.notSupported, "\(name): unsupported or damaged Opus header (\(describe(code))); re-encode it with opusenc")
        default:
            return MediaError(.corrupt, "\(name): cannot open (\(describe(code))); the stream may be truncated or damaged, re-encode it with opusenc")
        }
    }

    static func describe(_ code: Int32) -> String {
        switch code {
        case OP_EREAD: return "read error"
        case OP_EFAULT: return "internal fault"
        case OP_EIMPL: return "unimplemented feature"
        case OP_EINVAL: return "invalid argument"
        case OP_ENOTFORMAT: return "not Ogg Opus"
        case OP_EBADHEADER: return "bad header"
        case OP_EVERSION: return "unsupported version"
        case OP_ENOTAUDIO: return "not audio"
        case OP_EBADPACKET: return "a bad packet"
        case OP_EBADLINK: return "a bad link"
        case OP_ENOSEEK: return "unseekable input"
        case OP_EBADTIMESTAMP: return "a bad timestamp"
        default: return "error \(code)"
        }
    }
}

/// Looks at the last pages of an Ogg file with libogg to tell whether it was cut short.
///
/// libopusfile reads a truncated file silently up to its last whole page; only the missing
/// end-of-stream flag, or bytes after the last whole page, show the cut.
enum OggTail {
    /// How much of the file's end is examined: more than one maximal Ogg page (65,307 bytes).
    static let window = 70_000

    /// Whether the file ends without an end-of-stream page or with a partial page, and the
    /// granule position of its last whole page.
    static func inspect(path: String) -> (endsEarly: Bool, lastGranule: Int64?) {
        guard let handle = fopen(path, "rb") else { return (false, nil) }
        defer { fclose(handle) }
        guard fseeko(handle, 0, SEEK_END) == 0 else { return (false, nil) }
        let size = Int(ftello(handle))
        let start = max(0, size - window)
        guard fseeko(handle, off_t(start), SEEK_SET) == 0 else { return (false, nil) }
        var tail = [UInt8](repeating: 0, count: size - start)
        let got = tail.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
        return tail.withUnsafeBytes { inspect(UnsafeRawBufferPointer(rebasing: $0[0..<got])) }
    }

    /// The same, for the last ``window`` bytes of a stream (or all of a shorter one).
    static func inspect(_ tail: UnsafeRawBufferPointer) -> (endsEarly: Bool, lastGranule: Int64?) {
        var sync = ogg_sync_state()
        ogg_sync_init(&sync)
        defer { ogg_sync_clear(&sync) }
        guard let buffer = ogg_sync_buffer(&sync, tail.count) else { return (false, nil) }
        if let base = tail.baseAddress, tail.count > 0 { buffer.update(from: base.assumingMemoryBound(to: CChar.self), count: tail.count) }
        ogg_sync_wrote(&sync, tail.count)
        var page = ogg_page()
        var sawPage = false
        var lastWasEOS = false
        var partialTail = false
        var lastGranule: Int64?
        while true {
            let r = ogg_sync_pageseek(&sync, &page)
            if r > 0 {
                sawPage = true
                lastWasEOS = ogg_page_eos(&page) != 0
                let granule = ogg_page_granulepos(&page)
                if granule > 0 { lastGranule = granule }
            } else if r == 0 {
                // Bytes left that do not complete a page: the stream was cut inside a page.
                partialTail = sync.fill > sync.returned
                break
            }
        }
        return (!sawPage || !lastWasEOS || partialTail, lastGranule)
    }
}
