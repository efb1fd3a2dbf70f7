#if canImport(Glibc)
import Glibc
#endif

/// Writes to stdout and stderr through C stdio, buffered, so that a run printing thousands of
/// lines makes few system calls.
enum Terminal {
    /// Buffered stdout. (Glibc's `stdout` global is a mutable C variable Swift 6 refuses to read.)
    nonisolated(unsafe) static let out: UnsafeMutablePointer<FILE> = {
        let stream = fdopen(STDOUT_FILENO, "w")!
        setvbuf(stream, nil, _IOFBF, 1 << 16)
        return stream
    }()
    /// True when stdout is a terminal: the default format is then `text`.
    static var stdoutIsTTY: Bool { isatty(STDOUT_FILENO) == 1 }
    /// True when stderr is a terminal: progress lines are shown then.
    static var stderrIsTTY: Bool { isatty(STDERR_FILENO) == 1 }

    /// `--quiet`: informational lines on stderr (summaries, progress) are not shown; errors are.
    nonisolated(unsafe) static var quiet = false

    /// Writes an informational line to stderr (a summary), unless `--quiet`.
    static func note(_ text: String) {
        if !self.quiet { self.error(text) }
    }

    /// Shows a progress line on stderr, redrawn in place, when stderr is a terminal and not `--quiet`;
    /// `nil` clears it.
    static func progress(_ text: String?) {
        guard !self.quiet, self.stderrIsTTY else { return }
        let line = "\r\u{1B}[K" + (text ?? "")
        _ = line.withCString { Glibc.write(STDERR_FILENO, $0, strlen($0)) }
    }

    /// Writes text to stdout without a newline (status lines redrawn in place).
    static func write(_ text: String) {
        fputs(text, out)
    }

    /// Writes a line to stdout.
    static func line(_ text: String) {
        fputs(text, out)
        fputc(0x0A, out)
    }

    /// Writes a line to stderr, unbuffered.
    static func error(_ text: String) {
        fflush(out)
        _ = text.withCString { Glibc.write(STDERR_FILENO, $0, strlen($0)) }
        _ = Glibc.write(STDERR_FILENO, "\n", 1)
    }

    /// Flushes stdout.
    static func flush() { fflush(out) }
}
