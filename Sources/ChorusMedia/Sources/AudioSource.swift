import ChorusCore

/// Something that produces decoded audio in media time: a file, a pipe, a device.
///
/// A source is read by one thread at a time. `read(into:)` fills whole frames (all channels) and
/// returns how many; 0 means the stream has ended. Problems that lose data without ending the
/// stream (a corrupt page, a gap) are counted in ``AudioSource/diagnostics`` rather than thrown,
/// so that audio already accepted is never thrown away with them.
public protocol AudioSource: AnyObject {
    /// The format of the samples `read(into:)` delivers.
    var format: AudioFormat { get }
    /// A short name for messages, such as the file path or `stdin`.
    var name: String { get }
    /// Reads up to `buffer.count / format.channels` frames of interleaved samples.
    ///
    /// - Returns: frames read; 0 at the end of the stream.
    /// - Throws: ``MediaError`` when the stream cannot go on.
    func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(MediaError) -> Int
    /// What went wrong so far without ending the stream.
    var diagnostics: SourceDiagnostics { get }
    /// Asks a live source (a device, a socket) to end: its reader gets 0 soon after. May be called
    /// from any thread. Files and pipes end by themselves and need not implement it.
    func stop()
    /// The kind of ingress this source is (a capture device, a pipe), or nil for a file: an
    /// ingress's start and end are room events and webhooks.
    var ingressKind: IngressInfo.Kind? { get }
}

extension AudioSource {
    /// Files and pipes end at EOF; stopping them is the reader's business.
    public func stop() {}
    /// Files are not ingresses.
    public var ingressKind: IngressInfo.Kind? { nil }
}

/// Counters of recoverable input problems, reported at the end of a run.
public struct SourceDiagnostics: Sendable, Equatable {
    /// Gaps in the stream (a corrupt or missing Ogg page, a hole in the data).
    public var holes: Int = 0
    /// True when the input ended early: a truncated file or a partial final frame.
    public var truncated: Bool = false
    /// Bytes dropped because they did not make a whole frame.
    public var droppedBytes: Int = 0
    /// Frames of silence put in place of lost audio, so that media time stays true.
    public var silencedFrames: Int = 0

    /// No problems.
    public init() {}

    /// True when nothing was lost.
    public var isClean: Bool { self.holes == 0 && !self.truncated && self.droppedBytes == 0 }
}
