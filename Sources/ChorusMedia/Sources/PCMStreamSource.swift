import ChorusCore
#if canImport(Glibc)
import Glibc
#endif

/// Reads raw interleaved signed 16-bit little-endian PCM (`s16le`) from a file or a pipe.
///
/// The caller states rate and channels (raw PCM has no header). Reads block on a pipe, so a
/// live producer such as `arecord ... -t raw -` paces the reader; the stream ends at EOF. A
/// trailing partial frame is dropped and counted, never invented.
public final class PCMStreamSource: AudioSource {
    public let format: AudioFormat
    public let name: String
    public private(set) var diagnostics = SourceDiagnostics()
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let bytes: UnsafeMutableRawBufferPointer
    private var carried = 0

    /// Bytes read per system call: 20 ms of 48 kHz stereo, the most a live reader should wait for.
    static let chunkBytes = 3840 * 2

    /// Opens a PCM stream. `path` "-" reads standard input.
    ///
    /// - Throws: ``MediaError`` `.cannotOpen` if the file cannot be opened.
    public init(path: String, format: AudioFormat) throws(MediaError) {
        if path == "-" {
            self.descriptor = STDIN_FILENO
            self.ownsDescriptor = false
            self.name = "stdin"
        } else {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                let reason = String(cString: strerror(errno))
                throw MediaError(.cannotOpen, "\(path): \(reason); check the path of the pcm: source")
            }
            self.descriptor = fd
            self.ownsDescriptor = true
            self.name = path
        }
        self.format = format
        self.bytes = .allocate(byteCount: Self.chunkBytes, alignment: 16)
    }

    /// Standard input is a pipe from a live producer (an ingress); a PCM file is not.
    public var ingressKind: IngressInfo.Kind? { self.ownsDescriptor ? nil : .pipe }

    deinit {
        if self.ownsDescriptor { close(self.descriptor) }
        self.bytes.deallocate()
    }

    public func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(MediaError) -> Int {
        let frameBytes = 2 * self.format.channels
        let wantFrames = min(buffer.count / self.format.channels, (Self.chunkBytes / frameBytes))
        guard wantFrames > 0, let out = buffer.baseAddress, let raw = self.bytes.baseAddress else { return 0 }
        let wantBytes = wantFrames * frameBytes
        // Fill at least one whole frame, keeping any partial frame from the last read.
        var have = self.carried
        while have < frameBytes || have < wantBytes {
            let n = Glibc.read(self.descriptor, raw + have, wantBytes - have)
            if n < 0 {
                if errno == EINTR { continue }
                throw MediaError(.io, "\(self.name): read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            have += n
            if have >= frameBytes { break }
        }
        let frames = have / frameBytes
        if frames == 0 {
            if have > 0 {
                self.diagnostics.droppedBytes += have
                self.diagnostics.truncated = true
            }
            self.carried = 0
            return 0
        }
        let used = frames * frameBytes
        let samples = frames * self.format.channels
        let int16s = raw.assumingMemoryBound(to: Int16.self)
        for i in 0..<samples {
            out[i] = Float(Int16(littleEndian: int16s[i])) * (1.0 / 32768.0)
        }
        self.carried = have - used
        if self.carried > 0 { (raw).copyMemory(from: raw + used, byteCount: self.carried) }
        return frames
    }
}
