import COpusFile
import ChorusMedia
import ChorusTestSupport
import Foundation
import Testing

/// ``OggOpusFileSource`` from memory, and its limit on the silence a damaged granule may claim.
@Suite("Ogg Opus source")
struct OggOpusFileSourceTests {
    /// A short spoken Ogg Opus file made by espeak-ng, sox and opusenc.
    static func speechFile(_ label: String) throws -> URL {
        let dir = try Fixtures.temporaryDirectory(label)
        let wav = dir.appendingPathComponent("speech.wav")
        try Fixtures.speech("One two three.", leadSeconds: 0.2, tailSeconds: 0.2, to: wav)
        let opus = dir.appendingPathComponent("speech.opus")
        try Fixtures.opus(from: wav, to: opus)
        return opus
    }

    static func readAll(_ source: OggOpusFileSource) throws -> [Float] {
        var all: [Float] = []
        var buffer = [Float](repeating: 0, count: 5760 * source.format.channels)
        while true {
            let n = try buffer.withUnsafeMutableBufferPointer { try source.read(into: $0) }
            if n == 0 { return all }
            all += buffer[0..<(n * source.format.channels)]
        }
    }

    /// Rewrites the granule position of the file's last page, with a valid CRC, as a damaged or
    /// hostile muxer might.
    static func settingLastGranule(of bytes: [UInt8], to granule: Int64) -> [UInt8] {
        var bytes = bytes
        var last = 0
        for index in stride(from: bytes.count - 27, through: 0, by: -1)
        where bytes[index] == 0x4F && bytes[index + 1] == 0x67 && bytes[index + 2] == 0x67 && bytes[index + 3] == 0x53 {
            last = index
            break
        }
        for byte in 0..<8 { bytes[last + 6 + byte] = UInt8(truncatingIfNeeded: granule >> (8 * byte)) }
        let segments = Int(bytes[last + 26])
        let headerLength = 27 + segments
        let bodyLength = bytes[(last + 27)..<(last + headerLength)].reduce(0) { $0 + Int($1) }
        bytes.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress! + last
            var page = ogg_page(header: base, header_len: headerLength, body: base + headerLength, body_len: bodyLength)
            ogg_page_checksum_set(&page)
        }
        return bytes
    }

    @Test("bytes in memory read exactly as the same file from disk")
    func memoryMatchesFile() throws {
        let opus = try Self.speechFile("ogg-memory")
        let fromFile = try OggOpusFileSource(path: opus.path)
        let bytes = [UInt8](try Data(contentsOf: opus))
        let fromMemory = try bytes.withUnsafeBytes { try OggOpusFileSource(bytes: $0, name: "upload") }
        #expect(fromMemory.format == fromFile.format)
        #expect(fromMemory.declaredFrames == fromFile.declaredFrames)
        #expect(fromMemory.name == "upload")
        let a = try Self.readAll(fromFile), b = try Self.readAll(fromMemory)
        #expect(a.count > 48_000 / 2)
        #expect(a == b)
        #expect(!fromMemory.diagnostics.truncated)
    }

    @Test("bytes that are not Ogg Opus are refused with an error that says what to do")
    func memoryGarbage() {
        let garbage = [UInt8](repeating: 0x42, count: 4000)
        #expect {
            _ = try garbage.withUnsafeBytes { try OggOpusFileSource(bytes: $0, name: "upload") }
        } throws: { error in
            "\(error)".contains("upload") && "\(error)".contains("opusenc")
        }
    }

    @Test("a last granule one second late is a lost tail, filled with a second of silence")
    func smallGapFilled() throws {
        let bytes = [UInt8](try Data(contentsOf: try Self.speechFile("ogg-gap")))
        let honest = try bytes.withUnsafeBytes { try Self.readAll(OggOpusFileSource(bytes: $0)) }
        let truth = try bytes.withUnsafeBytes { try OggOpusFileSource(bytes: $0) }
        let lastGranule = Int64(truth.declaredFrames!) + 312  // opusenc's pre-skip
        let damaged = Self.settingLastGranule(of: bytes, to: lastGranule + 48_000)
        let source = try damaged.withUnsafeBytes { try OggOpusFileSource(bytes: $0) }
        let samples = try Self.readAll(source)
        // The stream keeps the length its last granule declares. The last packet is no longer
        // trimmed (its end is now inside the stream), and the rest is silence owed for the hole.
        #expect(samples.count == honest.count + 48_000)
        #expect(source.diagnostics.holes == 1)
        let silence = source.diagnostics.silencedFrames
        #expect(silence > 48_000 - 5760 && silence <= 48_000)
        #expect(samples[(samples.count - silence)...].allSatisfy { $0 == 0 })
    }

    @Test("a last granule claiming two hours is damage: the real audio is read, not two hours of silence")
    func hugeGapRefused() throws {
        let bytes = [UInt8](try Data(contentsOf: try Self.speechFile("ogg-huge")))
        let honest = try bytes.withUnsafeBytes { try Self.readAll(OggOpusFileSource(bytes: $0)) }
        let truth = try bytes.withUnsafeBytes { try OggOpusFileSource(bytes: $0) }
        let damaged = Self.settingLastGranule(of: bytes, to: Int64(truth.declaredFrames!) + 312 + 7200 * 48_000)
        let source = try damaged.withUnsafeBytes { try OggOpusFileSource(bytes: $0) }
        let samples = try Self.readAll(source)
        // At most the last packet's untrimmed tail is extra.
        #expect(samples.count >= honest.count && samples.count < honest.count + 5760)
        #expect(source.diagnostics.silencedFrames == 0)
        // With a limit of a minute, a gap of 30 s is still believed.
        let lenient = Self.settingLastGranule(of: bytes, to: Int64(truth.declaredFrames!) + 312 + 30 * 48_000)
        let filled = try lenient.withUnsafeBytes { try OggOpusFileSource(bytes: $0, maximumHoleSeconds: 60) }
        #expect(try Self.readAll(filled).count == honest.count + 30 * 48_000)
    }
}
