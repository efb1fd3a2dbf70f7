import Foundation

@testable import ChorusWebhooks

/// LiveKit's Python server SDK behind a small HTTP server on 127.0.0.1 (`webhook_receiver.py serve`), or run
/// once as a verifier or signer.
final class PythonReceiver: Sendable {
    /// The port it listens on.
    let port: Int
    /// Its JSON-lines log of requests.
    let log: URL
    private let process: Process

    /// The URL to post webhooks to.
    var url: URL { URL(string: "http://127.0.0.1:\(self.port)/webhook")! }

    /// Starts a receiver and waits until it accepts connections.
    ///
    /// - Parameters:
    ///   - options: Extra options for `serve` (failure injection, see the script).
    ///   - port: The port, 0 for any free one.
    ///   - key/secret: The API key and secret it verifies with.
    init(
        _ options: [String] = [], port: Int = 0, log: URL? = nil, key: String = TestEnvironment.apiKey,
        secret: String = TestEnvironment.apiSecret
    ) throws {
        let log = log ?? TestEnvironment.temporaryDirectory("receiver").appendingPathComponent("log.jsonl")
        self.log = log
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestEnvironment.python())
        process.arguments =
            [TestEnvironment.receiverScript.path, "serve", "--key", key, "--secret", secret, "--port", String(port),
             "--log", log.path] + options
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        self.process = process
        // Read the "LISTENING <port>" line on another thread, so that a dead receiver cannot hang the test.
        let found = Locked<Int?>(nil)
        let ready = DispatchSemaphore(value: 0)
        let handle = output.fileHandleForReading
        Thread.detachNewThread {
            var text = ""
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
                if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("LISTENING ") }) {
                    found.withLock { $0 = Int(line.dropFirst("LISTENING ".count)) }
                    break
                }
            }
            ready.signal()
        }
        _ = ready.wait(timeout: .now() + 20)
        guard let listening = found.withLock({ $0 }) else {
            kill(process.processIdentifier, SIGKILL)
            throw TestSetupError("the Python webhook receiver did not start (is livekit-api in the venv?)")
        }
        self.port = listening
    }

    deinit { self.stop() }

    /// Kills the receiver (it then refuses connections). SIGKILL, because a child started from a Dispatch
    /// thread inherits that thread's blocked signals, SIGTERM among them.
    func stop() {
        guard self.process.isRunning else { return }
        kill(self.process.processIdentifier, SIGKILL)
        self.process.waitUntilExit()
    }

    /// Every request logged so far.
    func entries() -> [[String: Any]] {
        guard let data = try? Data(contentsOf: self.log) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// The requests the SDK accepted, in arrival order.
    func accepted() -> [[String: Any]] { self.entries().filter { $0["kind"] as? String == "accepted" } }

    /// Waits until `condition` holds for the log, up to `timeout` seconds.
    @discardableResult
    func waitFor(timeout: TimeInterval, _ condition: ([[String: Any]]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(self.entries()) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return condition(self.entries())
    }

    /// Runs the script once in `mode` with `input` on stdin and returns its stdout.
    static func run(_ mode: String, input: Data, key: String = TestEnvironment.apiKey,
                    secret: String = TestEnvironment.apiSecret) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestEnvironment.python())
        process.arguments = [TestEnvironment.receiverScript.path, mode, "--key", key, "--secret", secret]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestSetupError("webhook_receiver.py \(mode) failed") }
        return String(decoding: output, as: UTF8.self)
    }

    /// A port that was free a moment ago and on which nothing listens now.
    static func closedPort() throws -> Int {
        let receiver = try PythonReceiver()
        receiver.stop()
        return receiver.port
    }
}
