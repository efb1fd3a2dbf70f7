import Chorus
import ChorusCore

/// The live view of `chorus detect --format text` on a terminal: event lines scroll as usual, and
/// one status line at the bottom is redrawn in place about ten times a second with every
/// participant's level meter and a dot while they are listed as speaking.
///
/// Only used when stdout is a terminal and a source is live (a mic, a pipe, RTP): piped output and
/// file runs get plain lines, one per change.
final class LiveStatusLine {
    private var order: [String] = []
    private var levels: [String: Double] = [:]
    private var speaking: Set<String> = []
    private var lastDraw = -1.0
    private var shown = false

    /// Records a frame's level; redraws if 100 ms of media passed since the last redraw.
    func frame(identity: String, measure: BlockMeasure, at time: MediaTime) {
        if self.levels[identity] == nil { self.order.append(identity) }
        self.levels[identity] = measure.level.rmsDBFS
        if time.seconds - self.lastDraw >= 0.1 {
            self.lastDraw = time.seconds
            self.draw()
        }
    }

    /// Prints an event line above the status line.
    func event(_ event: RoomEvent, line: String?) {
        if case .activeSpeakersChanged(let speakers, _) = event { self.speaking = Set(speakers.map(\.identity)) }
        guard let line else { return }
        self.clear()
        Terminal.line(line)
        self.draw()
    }

    /// Leaves the terminal with the cursor on a fresh line.
    func finish() {
        self.clear()
        Terminal.flush()
    }

    private func clear() {
        if self.shown { Terminal.write("\r\u{1B}[K") }
        self.shown = false
    }

    private func draw() {
        guard !self.order.isEmpty else { return }
        var text = "\r\u{1B}[K"
        for identity in self.order {
            let dbfs = self.levels[identity] ?? -127
            text += (self.speaking.contains(identity) ? "● " : "  ") + identity + " "
            text += LevelBar.render(dbfs: dbfs, width: 12) + " " + (dbfs <= -100 ? "  --" : dbfs.formatted(decimals: 0)).leftPadded(to: 4) + " dBFS   "
        }
        Terminal.write(text)
        Terminal.flush()
        self.shown = true
    }
}
