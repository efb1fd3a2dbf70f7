extension OpusPacketDecoder {
    /// Whether `packet` really carries in-band FEC (SILK LBRR data) for the packet before it.
    ///
    /// Why: ``mayCarryFEC(_:)`` only says the mode allows it; a sender without `inband-fec` sends SILK
    /// packets with no LBRR, and libopus then silently runs PLC, which would make the "recovered by FEC"
    /// counter lie. This reads the LBRR flag the way libopus 1.5's `opus_packet_has_lbrr` does: the first
    /// SILK header bits are coded with probability ½ each, so they are the first frame's leading bits —
    /// one VAD flag per SILK frame (20 ms each, at least one), then the LBRR flag; stereo repeats them for
    /// the side channel. Code-3 packets (many frames) are not inspected and report `false`.
    /// - Complexity: O(1); bounds-checked, never traps.
    public static func hasLBRR(_ packet: UnsafeRawBufferPointer) -> Bool {
        guard self.mayCarryFEC(packet) else { return false }
        let toc = packet[0]
        let first: Int
        switch toc & 0x03 {
        case 0, 1:
            first = 1
        case 2:
            guard packet.count >= 2 else { return false }
            first = packet[1] < 252 ? 2 : 3
        default:
            return false
        }
        guard first < packet.count else { return false }
        let config = Int(toc >> 3)
        // SILK-only configs 0–11 are 10/20/40/60 ms (index config % 4); hybrid 12–15 are 10/20 ms.
        let silkFrames = config < 12 ? max(1, config % 4) : 1
        let byte = packet[first]
        var lbrr = (byte >> (7 - UInt8(silkFrames))) & 1 != 0
        if toc & 0x04 != 0 {
            lbrr = lbrr || (byte >> (6 - 2 * UInt8(silkFrames))) & 1 != 0
        }
        return lbrr
    }
}
