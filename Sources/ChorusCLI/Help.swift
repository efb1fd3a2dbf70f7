import Chorus

/// The help texts of the CLI.
enum Help {
    static let version = "chorus 0.1.0"

    static let overview = """
        chorus: audio levels and active speakers from Opus track streams

        usage: chorus COMMAND [OPTIONS] SOURCE...

        Commands:
          detect     active speakers and room events (JSON lines: active_speakers_changed, ...)
          levels     audio levels per participant per window (RMS, peak, RFC 6464 dBov, 0..1 level)
          devices    list ALSA capture devices (for mic:DEVICE sources)
          help       show help for a command: chorus help detect

        Options:
          --help, -h   show this help
          --version    print the version

        Output is JSON lines when stdout is not a terminal (--format jsonl|text to choose).
        Exit status: 0 success, 1 runtime error (reason on stderr), 2 bad usage.
        """

    static func printCommand(usage: String, summary: String, options: [OptionSpec]) {
        Terminal.line(usage)
        Terminal.line("")
        Terminal.line(summary)
        Terminal.line("")
        Terminal.line("Options:")
        for option in options {
            let left = "  " + option.name + (option.value.map { " " + $0 } ?? "")
            let padded = left.count < 24 ? left + String(repeating: " ", count: 24 - left.count) : left + "  "
            Terminal.line(padded + option.help)
        }
    }

    /// Parses a command's arguments; with `--help`, prints the command's help and returns nil.
    static func parse(_ args: [String], usage: String, summary: String, options: [OptionSpec]) throws(UsageError) -> ParsedArguments? {
        let parsed = try ParsedArguments.parse(args, specs: options)
        guard !parsed.has("--help") else {
            self.printCommand(usage: usage, summary: summary, options: options)
            return nil
        }
        return parsed
    }
}
