import ChorusMedia

/// A progress line on stderr for long file runs ("12.0 of 60.0 s, 20 %"), redrawn at most five
/// times a second of wall time, only when stderr is a terminal and the files' length is known.
final class RunProgress {
    private let total: Double?
    private var lastDraw = 0.0
    private var shown = false

    /// Progress over `sources`; only Ogg Opus files declare their length.
    init(sources: [any AudioSource]) {
        let lengths = sources.compactMap { ($0 as? OggOpusFileSource)?.declaredFrames.map { Double($0) / 48_000 } }
        self.total = lengths.count == sources.count ? lengths.max() : nil
    }

    /// Reports media time `seconds` reached.
    func update(_ seconds: Double) {
        guard let total, total > 10 else { return }  // short runs finish before anyone could read it
        let now = RealtimePacer.now()
        guard now - self.lastDraw >= 0.2 else { return }
        self.lastDraw = now
        let percent = Int(min(100, seconds / total * 100))
        Terminal.progress("\(seconds.formatted(decimals: 1)) of \(total.formatted(decimals: 1)) s, \(percent) %")
        self.shown = true
    }

    /// Clears the line.
    func finish() {
        if self.shown { Terminal.progress(nil) }
    }
}
