import Chorus

/// How results are printed: JSON lines for machines, text for people.
enum OutputFormat: String {
    case jsonl
    case text

    /// Reads `--format`, defaulting to text on a terminal and JSON lines otherwise.
    static func from(_ arguments: ParsedArguments) throws(UsageError) -> OutputFormat {
        guard let text = arguments.value("--format") else { return Terminal.stdoutIsTTY ? .text : .jsonl }
        guard let format = OutputFormat(rawValue: text) else {
            throw UsageError("--format \(text): expected jsonl or text")
        }
        return format
    }
}
