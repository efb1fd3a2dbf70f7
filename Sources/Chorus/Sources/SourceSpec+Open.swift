import ChorusMedia

extension SourceSpec {
    /// Opens a file or pipe source as a stream of decoded audio.
    ///
    /// - Parameter pcmFormat: rate and channels for `pcm:` sources (raw PCM has no header).
    /// - Throws: ``MediaError`` when the file cannot be opened or is not what it claims; a
    ///   ``UsageError`` for kinds that are not streams of decoded audio (RTP, mic) here.
    public func openAudioSource(pcmFormat: AudioFormat) throws -> any AudioSource {
        switch self.kind {
        case .oggOpus(let path):
            return try OggOpusFileSource(path: path)
        case .pcm(let path):
            return try PCMStreamSource(path: path, format: pcmFormat)
        case .rtp:
            throw UsageError("source '\(self.text)': RTP input is not available in this build yet; use an Ogg Opus file or pcm:")
        case .mic:
            throw UsageError("source '\(self.text)': microphone capture is not available in this build yet; pipe it instead: arecord -q -f S16_LE -r 48000 -c 1 -t raw | chorus levels pcm:-")
        }
    }
}
