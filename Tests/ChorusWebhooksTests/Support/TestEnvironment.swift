import Foundation

/// Where the tests find the package, the venv's Python and the receiver script.
enum TestEnvironment {
    /// The API key the tests sign with.
    static let apiKey = "APIchorusTest"
    /// The API secret (at least 32 bytes, so PyJWT does not warn about it).
    static let apiSecret = "chorus-webhook-test-secret-0123456789abcdef"

    /// The package root (three levels above this file).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The receiver script run by the venv's Python.
    static let receiverScript = packageRoot.appendingPathComponent(
        "Tests/ChorusWebhooksTests/Resources/webhook_receiver.py")

    /// The venv's Python: `$CHORUS_PYTHON` (set by the Makefile), else `<package root>/.venv/bin/python`.
    static func python() throws -> String {
        let candidates = [ProcessInfo.processInfo.environment["CHORUS_PYTHON"], packageRoot.path + "/.venv/bin/python"]
        for case let path? in candidates where !path.isEmpty {
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw TestSetupError(
            "no Python with livekit-api: set CHORUS_PYTHON or run scripts/deps.sh (make deps) to create "
                + "\(packageRoot.path)/.venv")
    }

    /// A fresh empty directory under the system's temporary directory.
    static func temporaryDirectory(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("chorus-webhooks-\(name)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A test could not set up what it needs (e.g. the Python receiver).
struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
