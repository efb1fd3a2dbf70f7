import ChorusMedia

/// The end-of-run report on sources, shared by the commands that read them.
enum SourceReport {
    /// Tells on stderr what went wrong with any source; returns exit status 1 if anything was lost,
    /// else 0.
    ///
    /// - Parameter outcome: what the command still did with audio before a cut, for the message.
    static func report(command: String, errors: [(identity: String, error: MediaError)], sources: [any AudioSource], outcome: String) -> Int32 {
        var status: Int32 = 0
        for (identity, error) in errors {
            Terminal.error("chorus \(command): \(identity): \(error.message)")
            status = 1
        }
        for source in sources {
            let diagnostics = source.diagnostics
            let name = source.name
            if diagnostics.truncated {
                Terminal.error("chorus \(command): \(name): input is truncated (it ends without its last Ogg page or mid-frame); \(outcome)")
                status = 1
            }
            if diagnostics.holes > 0 {
                let lost = Double(diagnostics.silencedFrames) / Double(source.format.sampleRate)
                Terminal.error("chorus \(command): \(name): \(diagnostics.holes) damaged part(s) of the stream (\(lost.formatted(decimals: 2)) s) read as silence to keep media time; the rest was measured")
                status = 1
            }
            if diagnostics.droppedBytes > 0 && !diagnostics.truncated {
                Terminal.error("chorus \(command): \(name): dropped \(diagnostics.droppedBytes) trailing byte(s) that did not make a whole frame")
            }
        }
        return status
    }
}
