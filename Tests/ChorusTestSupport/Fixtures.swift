import Foundation

/// Paths and generated media shared by the test suites.
public enum Fixtures {
    /// The package's root directory.
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// The directory the test executable was built into (`.build/debug`, or a sanitizer build's own
    /// `--build-path`): the package's other products are there too, built the same way.
    public static let binDirectory: URL = {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = executable.deletingLastPathComponent()
        // Inside an .xctest bundle directory (Darwin layout) the products sit beside the bundle.
        while dir.pathExtension == "xctest" || dir.lastPathComponent == "MacOS" || dir.lastPathComponent == "Contents" {
            dir.deleteLastPathComponent()
        }
        if FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("chorus").path) { return dir }
        return packageRoot.appendingPathComponent(".build/debug")
    }()

    /// The `chorus` binary built with the tests (override with CHORUS_BIN).
    public static var chorusBinary: String {
        if let path = ProcessInfo.processInfo.environment["CHORUS_BIN"] { return path }
        return binDirectory.appendingPathComponent("chorus").path
    }

    /// Another product of this package built with the tests (a sample program).
    public static func product(_ name: String) -> String {
        binDirectory.appendingPathComponent(name).path
    }

    /// The Python of the test virtualenv (numpy, livekit-api), from CHORUS_PYTHON or `.venv`.
    public static var python: String {
        if let path = ProcessInfo.processInfo.environment["CHORUS_PYTHON"], !path.isEmpty { return path }
        return packageRoot.appendingPathComponent(".venv/bin/python").path
    }

    /// A fresh temporary directory for one test.
    public static func temporaryDirectory(_ label: String = "chorus") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Speaks `text` with espeak-ng (`voice` e.g. "en-us") or flite (`voice` "flite:slt") into a
    /// 48 kHz mono 16-bit WAV at `path`, with `gainDB` applied after normalizing to -3 dBFS peak,
    /// padded with `leadSeconds` of silence before and `tailSeconds` after.
    public static func speech(_ text: String, voice: String = "en-us", gainDB: Double = 0,
                              leadSeconds: Double = 0, tailSeconds: Double = 0, to path: URL) throws {
        let raw = path.deletingPathExtension().appendingPathExtension("tts.wav")
        if voice.hasPrefix("flite:") {
            try ProcessRunner.require("flite", ["-voice", String(voice.dropFirst(6)), "-t", text, "-o", raw.path])
        } else {
            try ProcessRunner.require("espeak-ng", ["-v", voice, "-w", raw.path, text])
        }
        try ProcessRunner.require("sox", ["-V1", raw.path, "-r", "48000", "-c", "1", "-b", "16", path.path,
                                          "gain", "-n", "-3", "gain", String(gainDB),
                                          "pad", String(leadSeconds), String(tailSeconds)])
        try? FileManager.default.removeItem(at: raw)
    }

    /// Encodes a WAV to Ogg Opus with opusenc.
    public static func opus(from wav: URL, to path: URL, bitrateKbps: Int = 32, extra: [String] = []) throws {
        try ProcessRunner.require("opusenc", ["--quiet", "--bitrate", String(bitrateKbps)] + extra + [wav.path, path.path])
    }

    /// Decodes an Ogg Opus file with opusdec (an independent decoder) to raw 48 kHz float samples.
    public static func opusdecFloat(_ opus: URL) throws -> [Float] {
        let out = opus.deletingPathExtension().appendingPathExtension("opusdec.f32")
        try ProcessRunner.require("opusdec", ["--quiet", "--rate", "48000", "--float", opus.path, out.path])
        let data = try Data(contentsOf: out)
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }
}
