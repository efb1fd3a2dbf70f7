import ChorusCore
import ChorusMedia

/// Ogg Opus streams through libopusfile and ``OggOpusFileSource``: the stream opens or is refused
/// with an error; reading ends with end of stream or an error, never a trap; no read returns more
/// than asked; every sample is finite and within full scale; silence owed for holes stays within
/// the source's limit, so a small damaged stream cannot become hours of audio.
enum OggOpusHarness {
    /// Gaps up to 2 s are filled: enough to exercise hole filling, small enough to stay fast.
    static let maximumHoleSeconds = 2
    /// One Opus packet holds at most 120 ms, and each costs at least a byte of page data, so no
    /// honest stream of N bytes yields more than N × 5760 frames plus its holes.
    static let framesPerByte = 5760

    static func run(_ bytes: UnsafeRawBufferPointer, _ findings: inout FuzzFindings) {
        guard let source = try? OggOpusFileSource(bytes: bytes, maximumHoleSeconds: maximumHoleSeconds) else { return }
        let channels = source.format.channels
        findings.expect(channels == 1 || channels == 2, "\(channels) channels")
        let capacity = 5760 * channels
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var frames = 0
        while true {
            let n: Int
            do { n = try source.read(into: buffer) } catch { break }
            if n == 0 { break }
            findings.expect(n > 0 && n * channels <= capacity, "read returned \(n) frames into room for \(capacity / channels)")
            guard n > 0 && n * channels <= capacity else { return }
            let measure = LevelKernel.measure(UnsafeBufferPointer(rebasing: buffer[0..<(n * channels)]))
            findings.expect(measure.sumOfSquares.isFinite && measure.peak <= 1,
                            "samples at frame \(frames): peak \(measure.peak), sum \(measure.sumOfSquares)")
            frames += n
            let holes = source.diagnostics.holes + 2  // the lost start and end are holes too
            let bound = bytes.count * framesPerByte + holes * maximumHoleSeconds * 48_000
            if frames > bound {
                findings.expect(false, "\(frames) frames from \(bytes.count) bytes and \(source.diagnostics.holes) holes")
                return
            }
        }
        let diagnostics = source.diagnostics
        findings.expect(diagnostics.silencedFrames <= (diagnostics.holes + 1) * maximumHoleSeconds * 48_000,
                        "\(diagnostics.silencedFrames) frames of silence for \(diagnostics.holes) holes")
        findings.expect(diagnostics.silencedFrames <= frames, "more silence than frames delivered")
    }
}
