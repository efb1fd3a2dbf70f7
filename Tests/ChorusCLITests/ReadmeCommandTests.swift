import Foundation
import Testing
import ChorusTestSupport

/// The console examples of README.md, read from the file itself.
///
/// A console block is a fenced block with no language whose lines start with `$ ` (a command; a
/// line ending in `\` continues it). The lines after a command are the output it shows: `...` marks
/// lines left out, and `…` inside a line stands for text that differs from run to run.
struct ReadmeConsoleBlock {
    /// The README line the block starts on, for messages.
    var line: Int
    /// The commands, continuation lines joined, without the `$ ` prompt.
    var commands: [String]
    /// The output lines shown, in order, `...` markers included.
    var shown: [String]

    /// Every console block of `markdown`, in order.
    static func blocks(in markdown: String) -> [ReadmeConsoleBlock] {
        var blocks: [ReadmeConsoleBlock] = []
        var current: ReadmeConsoleBlock?
        var inFence = false
        var continuing = false
        for (index, line) in markdown.components(separatedBy: "\n").enumerated() {
            if line.hasPrefix("```") {
                if inFence {
                    if let block = current, !block.commands.isEmpty { blocks.append(block) }
                    current = nil
                } else if line == "```" {
                    current = ReadmeConsoleBlock(line: index + 1, commands: [], shown: [])
                }
                inFence.toggle()
                continue
            }
            guard inFence, current != nil else { continue }
            if continuing {
                current!.commands[current!.commands.count - 1] += "\n" + line
                continuing = line.hasSuffix("\\")
            } else if line.hasPrefix("$ ") {
                current!.commands.append(String(line.dropFirst(2)))
                continuing = line.hasSuffix("\\")
            } else if !current!.commands.isEmpty {
                current!.shown.append(line)
            }
        }
        return blocks
    }

    /// The shown lines (not `...`) that `output` does not contain in order. A shown line matches an
    /// output line equal to it, with each `…` matching any text.
    static func missing(_ shown: [String], in output: [String]) -> [String] {
        var remaining = output[...]
        var missing: [String] = []
        for line in shown where line.trimmingCharacters(in: .whitespaces) != "..." {
            if let found = remaining.firstIndex(where: { matches(line, $0) }) {
                remaining = remaining[(found + 1)...]
            } else {
                missing.append(line)
            }
        }
        return missing
    }

    static func matches(_ pattern: String, _ line: String) -> Bool {
        let parts = pattern.trimmingCharacters(in: .whitespaces).components(separatedBy: "…")
        var rest = Substring(line.trimmingCharacters(in: .whitespaces))
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        if parts.count == 1 { return rest.isEmpty }
        for part in parts.dropFirst().dropLast() {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.hasSuffix(parts.last!)
    }
}

/// Runs every command line of README.md as shown, in the room `make demo` synthesizes, and checks
/// the output the README shows; runs every option the README names; checks every make target.
///
/// The commands run as one bash script a block (so `&` and `wait` work as in a shell) in a
/// directory holding alice.opus, bob.opus and carol.opus from scripts/make-sample.sh, `talk.wav`
/// (alice's first five seconds, for GStreamer) and an ALSA configuration whose `default` device is
/// the `file` plugin reading alice's speech, so `mic` and `arecord` work without a sound card. A
/// block that posts webhooks gets LiveKit's own Python SDK listening at its URL, with its key and
/// secret.
@Suite("README commands", .serialized)
struct ReadmeCommandTests {
    static let readme: String = (try? String(contentsOf: Fixtures.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""

    /// The room of `make demo`, plus what the live examples need.
    static let room: Result<URL, FixtureError> = {
        do {
            let dir = try Fixtures.temporaryDirectory("readme")
            try ProcessRunner.require(Fixtures.packageRoot.appendingPathComponent("scripts/make-sample.sh").path, [dir.path])
            let alice = dir.appendingPathComponent("alice.opus").path
            let wav = dir.appendingPathComponent("alice.wav").path
            try ProcessRunner.require("opusdec", ["--quiet", alice, wav])
            try ProcessRunner.require("sox", ["-R", "-V1", wav, dir.appendingPathComponent("talk.wav").path, "trim", "0", "5"])
            let raw = dir.appendingPathComponent("mic.raw").path
            try ProcessRunner.require("sox", ["-R", "-V1", wav, "-t", "raw", "-e", "signed", "-b", "16", raw])
            try "pcm.!default { type file slave.pcm \"null\" file \"/dev/null\" infile \"\(raw)\" format \"raw\" }\n"
                .write(to: dir.appendingPathComponent("asound.conf"), atomically: true, encoding: .utf8)
            return .success(dir)
        } catch let error as FixtureError {
            return .failure(error)
        } catch {
            return .failure(FixtureError("\(error)"))
        }
    }()

    static var environment: [String: String] {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let dir = (try? room.get().path) ?? "/nonexistent"
        return [
            "PATH": "\(Fixtures.binDirectory.path):\(path)",
            "ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(dir)/asound.conf",
        ]
    }

    /// Runs `script` with bash in the room directory, stdout and stderr together, for at most two minutes.
    static func shell(_ script: String, in dir: URL) throws -> ProcessResult {
        // Background jobs (`cmd &`) still running at the end would hold the output pipe open. They
        // get SIGKILL: processes started from a test thread inherit its blocked signal mask
        // (libdispatch blocks signals on its threads), so SIGTERM would wait forever.
        let prelude = "set -e -o pipefail\nexec 2>&1\ncd '\(dir.path)'\ntrap 'kill -9 $(jobs -p) 2>/dev/null || true' EXIT\n"
        return try ProcessRunner.run("timeout", ["120", "bash", "-c", prelude + script], environment: environment)
    }

    @Test("the output matcher refuses what is not there, honours order, ... and …")
    func matcher() {
        let output = ["a 1", "b 2", "c 3"]
        #expect(ReadmeConsoleBlock.missing(["a 1", "...", "c 3"], in: output).isEmpty)
        #expect(ReadmeConsoleBlock.missing(["c 3", "a 1"], in: output) == ["a 1"])
        #expect(ReadmeConsoleBlock.missing(["b …"], in: output).isEmpty)
        #expect(ReadmeConsoleBlock.missing(["b … 2 x"], in: output) == ["b … 2 x"])
        #expect(ReadmeConsoleBlock.missing(["d 4"], in: output) == ["d 4"])
    }

    @Test("README has the console blocks this suite runs")
    func blocksFound() {
        let blocks = ReadmeConsoleBlock.blocks(in: Self.readme)
        let commands = blocks.flatMap(\.commands)
        #expect(blocks.count >= 4, "\(blocks.map(\.line))")
        for needed in ["chorus detect --format text", "chorus levels", "rtp://", "chorus detect mic", "pcm:-", "--webhook", "chorus devices"] {
            #expect(commands.contains { $0.contains(needed) }, "no README command with \(needed)")
        }
    }

    @Test("every console block of README.md runs as shown and prints what it shows",
          arguments: ReadmeConsoleBlock.blocks(in: ReadmeCommandTests.readme).map(\.line))
    func consoleBlock(line: Int) throws {
        let dir = try Self.room.get()
        let block = try #require(ReadmeConsoleBlock.blocks(in: Self.readme).first { $0.line == line })
        var script = block.commands.joined(separator: "\n")
        let webhook = try Self.webhookReceiver(for: script, in: dir)
        if let webhook { script = webhook.start + "\n" + script }
        let result = try Self.shell(script, in: dir)
        let output = result.stdout.components(separatedBy: "\n")
        #expect(result.status == 0, "README line \(line): exit \(result.status)\n\(result.stdout)")
        let missing = ReadmeConsoleBlock.missing(block.shown, in: output)
        #expect(missing.isEmpty, "README line \(line): not printed as shown:\n\(missing.joined(separator: "\n"))\n--- printed:\n\(result.stdout)")
        if let webhook {
            // Every request the run reports as sent was verified by LiveKit's SDK, none refused.
            let log = (try? String(contentsOf: webhook.log, encoding: .utf8)) ?? ""
            let entries = log.split(separator: "\n")
            let accepted = entries.filter { $0.contains("\"kind\": \"accepted\"") || $0.contains("\"kind\":\"accepted\"") }.count
            let sent = try #require(result.stdout.firstMatch(of: /webhooks: (\d+) sent/).map { Int($0.1)! })
            #expect(sent > 0 && accepted == sent, "\(sent) sent, \(accepted) accepted by livekit-api:\n\(log)")
            #expect(entries.count == accepted, "requests refused or failed:\n\(log)")
        }
    }

    /// For a block posting webhooks to 127.0.0.1: shell lines that start LiveKit's SDK listening at
    /// the block's port with its --api-key and --api-secret, and stop it when the script exits.
    static func webhookReceiver(for script: String, in dir: URL) throws -> (start: String, log: URL)? {
        guard let url = script.firstMatch(of: /--webhook http:\/\/127\.0\.0\.1:(\d+)/),
              let key = script.firstMatch(of: /--api-key (\S+)/), let secret = script.firstMatch(of: /--api-secret (\S+)/)
        else { return nil }
        let log = dir.appendingPathComponent("webhooks-\(UUID().uuidString.prefix(6)).jsonl")
        let receiver = Fixtures.packageRoot.appendingPathComponent("Tests/ChorusWebhooksTests/Resources/webhook_receiver.py").path
        let start = """
            '\(Fixtures.python)' '\(receiver)' serve --key '\(key.1)' --secret '\(secret.1)' --port \(url.1) --log '\(log.path)' > receiver.out 2>&1 &
            for i in $(seq 100); do grep -q LISTENING receiver.out 2>/dev/null && break; sleep 0.1; done
            """
        return (start, log)
    }

    /// A value for each option README names, as a user would give it. An option README names that
    /// is missing here fails `everyOption`, so a new option cannot go untried.
    static let optionValues: [String: [String]] = [
        "--format": ["jsonl", "text"], "--frame": ["10", "20"], "--hangover": ["300"], "--room": ["standup"],
        "--realtime": [], "--quiet": [], "--stats": [], "--per-channel": [], "--rate": ["48000"], "--channels": ["1"],
        "--duration": ["3"], "--name": ["alice", "1234=alice"], "--idle-timeout": ["5"], "--max-tracks": ["2"],
        "--reorder-window": ["60"], "--workers": ["2"], "--audio-level-ext": ["1"], "--levels-from": ["header", "decode"],
        "--plot": ["PLOT"], "--record": ["RECORD"], "--interval": ["1000"], "--api-key": ["K"], "--api-secret": ["S"],
        "--departure-timeout": ["1"], "--webhook-drain-timeout": ["1"], "--webhook-queue": ["QUEUE"],
    ]
    /// Options README names that are checked elsewhere: `--webhook` by its console block (a receiver
    /// must listen), `--help`/`--version` by `helpAndVersion`, `--prompt-seconds` (AgentBargeIn) by SamplesTests.
    static let optionsCheckedElsewhere: Set<String> = ["--webhook", "--help", "--version", "--prompt-seconds"]

    @Test("every option README names is in a command's help and runs with a value as README gives it")
    func everyOption() throws {
        let dir = try Self.room.get()
        let prose = Self.readme.components(separatedBy: "```swift").enumerated()
            .map { $0.offset == 0 ? $0.element : ($0.element.components(separatedBy: "```").dropFirst().joined(separator: "```")) }
            .joined()
        let named = Set(prose.matches(of: /--[a-z][a-z-]*/).map { String($0.0) })
        #expect(named.count > 25)
        let detectHelp = try ProcessRunner.run(Fixtures.chorusBinary, ["help", "detect"]).stdout
        let levelsHelp = try ProcessRunner.run(Fixtures.chorusBinary, ["help", "levels"]).stdout
        for option in named.sorted() where !Self.optionsCheckedElsewhere.contains(option) {
            let inDetect = detectHelp.contains("  \(option) ") || detectHelp.contains("  \(option)\n")
            let inLevels = levelsHelp.contains("  \(option) ") || levelsHelp.contains("  \(option)\n")
            #expect(inDetect || inLevels, "\(option) is in README but in no command's help")
            guard let values = Self.optionValues[option] else {
                Issue.record("\(option) is in README but this test has no value for it")
                continue
            }
            let command = inDetect ? "detect" : "levels"
            for value in values.isEmpty ? [nil] : values.map(Optional.some) {
                var arguments = [command, "--quiet", option]
                if let value {
                    arguments.append(["PLOT", "RECORD", "QUEUE"].contains(value)
                        ? dir.appendingPathComponent("\(value.lowercased())-\(UUID().uuidString.prefix(6))\(value == "PLOT" ? ".svg" : "")").path
                        : value)
                }
                arguments += ["alice=\(dir.path)/alice.opus", "bob=\(dir.path)/bob.opus"]
                let result = try ProcessRunner.run(Fixtures.chorusBinary, arguments)
                let what = "chorus \(arguments.joined(separator: " "))"
                #expect(result.status == 0, "\(what): exit \(result.status): \(result.stderr)")
                let expected = command == "levels" ? "alice" : (value == "text" ? "speaking: alice" : "\"identity\":\"alice\",\"speaking\":true")
                #expect(result.stdout.contains(expected), "\(what) printed no \(expected)")
            }
        }
    }

    @Test("--help and --version answer, and every make target README names exists and is in make help")
    func helpAndVersion() throws {
        #expect(try ProcessRunner.run(Fixtures.chorusBinary, ["--help"]).stdout.contains("usage: chorus COMMAND"))
        for command in ["detect", "levels", "devices"] {
            let help = try ProcessRunner.run(Fixtures.chorusBinary, [command, "--help"])
            #expect(help.status == 0 && help.stdout.contains("usage: chorus \(command)"), "chorus \(command) --help")
        }
        #expect(try ProcessRunner.run(Fixtures.chorusBinary, ["--version"]).stdout.contains("chorus "))
        let makefile = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("Makefile"), encoding: .utf8)
        let help = try ProcessRunner.run("make", ["-s", "-C", Fixtures.packageRoot.path, "help"]).stdout
        // `make X` in backticks, or at the start of a line in a block.
        let quoted = Self.readme.matches(of: /`make ([a-z]+)/).map { String($0.1) }
        let lines = Self.readme.matches(of: /\nmake ([a-z]+)/).map { String($0.1) }
        let targets = Set(quoted + lines)
        #expect(targets.isSuperset(of: ["demo", "test", "bench", "fuzz"]))
        for target in targets {
            #expect(makefile.contains("\n\(target):"), "make \(target) is in README but not in the Makefile")
            #expect(help.contains("make \(target) "), "make \(target) is not in make help")
        }
    }
}
