import Chorus
import ChorusMedia

#if canImport(Glibc)
import Glibc
#endif

/// Entry point: dispatches to a command and maps errors to exit statuses (DESIGN.md):
/// 0 success, 1 runtime error, 2 bad usage, always with the reason on stderr.
func runChorus(_ arguments: [String]) -> Int32 {
    guard let command = arguments.first else {
        Terminal.error(Help.overview)
        return 2
    }
    let rest = Array(arguments.dropFirst())
    Terminal.quiet = rest.contains("--quiet")
    do {
        switch command {
        case "levels":
            return try LevelsCommand.run(rest)
        case "detect":
            return try DetectCommand.run(rest)
        case "devices":
            return try DevicesCommand.run(rest)
        case "help", "--help", "-h":
            switch rest.first {
            case "levels": return try LevelsCommand.run(["--help"])
            case "detect": return try DetectCommand.run(["--help"])
            case "devices": return try DevicesCommand.run(["--help"])
            default: break
            }
            Terminal.line(Help.overview)
            return 0
        case "--version", "version":
            Terminal.line(Help.version)
            return 0
        default:
            Terminal.error("chorus: unknown command '\(command)'; commands: detect, levels, devices, help. Try 'chorus --help'.")
            return 2
        }
    } catch let error as UsageError {
        let usage = switch command {
        case "detect": DetectCommand.usage
        case "devices": DevicesCommand.usage
        default: LevelsCommand.usage
        }
        Terminal.error("chorus \(command): \(error.message)\n\(usage)")
        return 2
    } catch {
        // Every runtime error (MediaError, CaptureError, RuntimeError) describes itself in one line
        // that says what failed and what to try.
        Terminal.error("chorus \(command): \(error)")
        return 1
    }
}

signal(SIGPIPE, SIG_IGN)
let status = runChorus(Array(CommandLine.arguments.dropFirst()))
Terminal.flush()
exit(status)
