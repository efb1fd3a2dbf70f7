import Chorus
import Foundation

/// `--plot FILE.svg`: records the room on its thread and writes the SVG timeline at the end.
final class PlotWriter {
    let path: String
    var timeline = RoomTimeline()

    init(path: String) { self.path = path }

    /// Writes the SVG; a path that cannot be written is a runtime error naming it.
    func write() throws {
        self.timeline.finish()
        do {
            try self.timeline.svg().write(toFile: self.path, atomically: true, encoding: .utf8)
        } catch {
            throw RuntimeError( "--plot \(self.path): cannot write the SVG (\(error.localizedDescription)); check the directory exists and is writable")
        }
    }
}
