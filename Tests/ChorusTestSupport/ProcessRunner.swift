import Foundation

/// The outcome of running a real program in a test.
public struct ProcessResult: Sendable {
    /// Exit status (or 128 + signal).
    public var status: Int32
    /// Everything the program wrote to stdout.
    public var stdout: String
    /// Everything the program wrote to stderr.
    public var stderr: String

    /// A result assembled by a test that ran the process itself.
    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Runs real tools (sox, opusenc, the chorus binary, Python oracles) for tests.
public enum ProcessRunner {
    /// Runs `executable` (a path, or a name looked up on PATH) with `arguments`, feeding `input`
    /// on stdin, and waits for it.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], input: Data? = nil,
                           environment: [String: String]? = nil) throws -> ProcessResult {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        try process.run()
        if let input {
            // Write from another thread so a large input cannot deadlock against a full stdout pipe.
            let writer = inPipe.fileHandleForWriting
            Thread.detachNewThread {
                writer.write(input)
                try? writer.close()
            }
        }
        // Drain stderr on its own thread while this one drains stdout, so neither pipe can fill up
        // and block the child.
        let errorReader = PipeReader(err.fileHandleForReading)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = errorReader.wait()
        process.waitUntilExit()
        return ProcessResult(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs a tool and throws with its stderr if it fails: for fixture-building steps.
    @discardableResult
    public static func require(_ executable: String, _ arguments: [String], input: Data? = nil) throws -> ProcessResult {
        let result = try run(executable, arguments, input: input)
        guard result.status == 0 else {
            throw FixtureError("\(executable) \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        }
        return result
    }
}

/// A fixture could not be built (a tool missing or failing): the message says which.
public struct FixtureError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Reads a pipe to its end on a background thread.
public final class PipeReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    /// Starts reading `handle` to its end.
    public init(_ handle: FileHandle) {
        Thread.detachNewThread {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }
    }

    /// Waits for the end of the pipe and returns what was read. (The semaphore orders the write
    /// before this read, hence the unchecked Sendable.)
    public func wait() -> Data {
        self.done.wait()
        return self.data
    }
}
