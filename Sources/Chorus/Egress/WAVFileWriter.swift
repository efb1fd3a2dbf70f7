import Foundation

/// Writes 16-bit PCM WAV, fixing the RIFF and data sizes when closed (and once a second, so a
/// file cut short by a crash is still readable up to then).
final class WAVFileWriter {
    let url: URL
    let sampleRate: Int
    let channels: Int
    private let handle: FileHandle
    private var dataBytes = 0
    private var pending = Data()

    init(url: URL, sampleRate: Int, channels: Int) throws {
        self.url = url
        self.sampleRate = sampleRate
        self.channels = channels
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)  // a failure shows as the open below throwing
        self.handle = try FileHandle(forWritingTo: url)
        try self.handle.write(contentsOf: Self.header(dataBytes: 0, sampleRate: sampleRate, channels: channels))
        self.pending.reserveCapacity(1 << 16)
    }

    /// Bytes in the file so far (header included).
    var size: Int { 44 + self.dataBytes + self.pending.count }

    private var scratch = [Int16](repeating: 0, count: 1024)

    /// Appends samples (full scale ±1, clamped), converting to little-endian int16.
    func append(_ samples: UnsafeBufferPointer<Float>) {
        if self.scratch.count < samples.count { self.scratch = [Int16](repeating: 0, count: samples.count) }
        self.scratch.withUnsafeMutableBufferPointer { out in
            for (index, sample) in samples.enumerated() {
                out[index] = Int16(max(-32768, min(32767, (sample * 32768).rounded()))).littleEndian
            }
            self.pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(out)[0..<(samples.count * 2)]))
        }
        if self.pending.count >= 1 << 16 { try? self.flush() }
    }

    /// Writes what is buffered; with `header`, also updates the header's sizes (done once a second
    /// and at close, so a file cut short is still readable up to then).
    func flush(header: Bool = false) throws {
        if !self.pending.isEmpty {
            try self.handle.seekToEnd()
            try self.handle.write(contentsOf: self.pending)
            self.dataBytes += self.pending.count
            self.pending.removeAll(keepingCapacity: true)
        }
        if header {
            try self.handle.seek(toOffset: 0)
            try self.handle.write(contentsOf: Self.header(dataBytes: self.dataBytes, sampleRate: self.sampleRate, channels: self.channels))
        }
    }

    /// Flushes and closes the file.
    func close() throws {
        try self.flush(header: true)
        try self.handle.close()
    }

    static func header(dataBytes: Int, sampleRate: Int, channels: Int) -> Data {
        var data = Data()
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian) { data.append(contentsOf: $0) } }
        func u16(_ v: Int) { withUnsafeBytes(of: UInt16(truncatingIfNeeded: v).littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: Array("RIFF".utf8)); u32(36 + dataBytes)
        data.append(contentsOf: Array("WAVE".utf8))
        data.append(contentsOf: Array("fmt ".utf8)); u32(16); u16(1); u16(channels); u32(sampleRate)
        u32(sampleRate * channels * 2); u16(channels * 2); u16(16)
        data.append(contentsOf: Array("data".utf8)); u32(dataBytes)
        return data
    }
}
