import Chorus
import Foundation

/// `--record DIR`: egress of each participant's decoded audio to a WAV file.
enum Recording {
    /// The recorder for `--record`, reporting egress webhooks through `webhooks` if given.
    static func make(_ parsed: ParsedArguments, webhooks: RoomWebhookBridge?, roomName: String) throws -> TrackRecorder? {
        guard let path = parsed.value("--record") else { return nil }
        let recorder: TrackRecorder
        do {
            recorder = try TrackRecorder(directory: URL(fileURLWithPath: path, isDirectory: true))
        } catch {
            throw RuntimeError("--record \(path): cannot create the directory (\(error.localizedDescription)); choose a writable place")
        }
        if let webhooks {
            let egress = EgressWebhooks(notifier: webhooks.notifier, roomName: roomName, roomSid: webhooks.roomSid)
            recorder.onProgress = { egress.handle($0) }
        }
        return recorder
    }

    /// Closes every file and says on stderr what was recorded; 1 if anything could not be written.
    static func finish(_ recorder: TrackRecorder?) -> Int32 {
        guard let recorder else { return 0 }
        let previous = recorder.onProgress
        let summary = Summary()
        recorder.onProgress = { progress in
            previous?(progress)
            if progress.phase == .ended { summary.add(progress) }
        }
        recorder.finish()
        for line in summary.lines { Terminal.note("chorus detect: recorded \(line)") }
        for error in recorder.errors { Terminal.error("chorus detect: --record: \(error)") }
        if recorder.droppedChunks > 0 {
            Terminal.error("chorus detect: --record: \(recorder.droppedChunks) chunk(s) of audio dropped because the disk could not keep up")
        }
        return recorder.errors.isEmpty ? 0 : 1
    }

    /// Collects the end-of-run lines (written on the recorder thread, read after it was joined).
    final class Summary: @unchecked Sendable {
        var lines: [String] = []
        func add(_ progress: TrackRecorder.Progress) {
            self.lines.append("\(progress.url.path) (\(progress.identity), \(JSONLine.fixed(progress.seconds, decimals: 2)) s, \(progress.bytes) bytes)")
        }
    }
}
