import COpusFile
import Foundation

/// Splits an Ogg Opus file into its raw Opus packets with libogg, so tests can feed
/// ``OpusPacketDecoder`` exactly what an RTP sender would carry (one Opus packet per payload).
public struct OggPacketDemuxer {
    /// The audio packets, in order (the OpusHead and OpusTags header packets removed).
    public var packets: [[UInt8]] = []
    /// Pre-skip from OpusHead: samples at 48 kHz to discard from the start of the decode.
    public var preSkip = 0
    /// Channel count from OpusHead.
    public var channels = 0

    public init(path: String) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        var sync = ogg_sync_state()
        ogg_sync_init(&sync)
        defer { ogg_sync_clear(&sync) }
        let buffer = ogg_sync_buffer(&sync, bytes.count)!
        bytes.withUnsafeBytes { UnsafeMutableRawPointer(buffer).copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        ogg_sync_wrote(&sync, bytes.count)
        var stream = ogg_stream_state()
        var streamReady = false
        defer { if streamReady { ogg_stream_clear(&stream) } }
        var page = ogg_page()
        var packet = ogg_packet()
        var index = 0
        while ogg_sync_pageout(&sync, &page) == 1 {
            if !streamReady {
                ogg_stream_init(&stream, ogg_page_serialno(&page))
                streamReady = true
            }
            ogg_stream_pagein(&stream, &page)
            while ogg_stream_packetout(&stream, &packet) == 1 {
                let data = [UInt8](UnsafeBufferPointer(start: packet.packet, count: Int(packet.bytes)))
                if index == 0 {
                    self.channels = Int(data[9])
                    self.preSkip = Int(data[10]) | Int(data[11]) << 8
                } else if index > 1 {
                    self.packets.append(data)
                }
                index += 1
            }
        }
    }
}
