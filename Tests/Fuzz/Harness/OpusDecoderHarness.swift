import ChorusCore
import ChorusMedia

/// Raw Opus packets into ``OpusPacketDecoder``.
///
/// The first byte picks the channel count and output rate; then records of one operation byte
/// (decode, conceal, recover from FEC, reset), one length byte and a payload. Every call returns
/// a frame count or throws; counts never exceed the buffer; a decoded packet yields exactly the
/// duration its TOC declares; every sample is finite and within full scale.
enum OpusDecoderHarness {
    static let rates = [8000, 12000, 16000, 24000, 48000]

    static func run(_ bytes: UnsafeRawBufferPointer, _ findings: inout FuzzFindings) {
        var input = FuzzReader(bytes)
        guard let format = input.byte() else { return }
        let channels = 1 + Int(format & 1)
        let rate = rates[Int(format >> 1) % rates.count]
        guard let decoder = try? OpusPacketDecoder(channels: channels, sampleRate: rate) else {
            findings.expect(false, "cannot create a \(channels)-channel \(rate) Hz decoder")
            return
        }
        let limit = OpusPacketDecoder.maxFrames
        func check(_ frames: Int, _ what: String) {
            findings.expect(frames >= 0 && frames <= limit, "\(what) returned \(frames) frames")
            guard frames >= 0 && frames <= limit else { return }
            let measure = LevelKernel.measure(decoder.samples(frames: frames))
            findings.expect(measure.sumOfSquares.isFinite && measure.peak <= 1,
                            "\(what): peak \(measure.peak), sum \(measure.sumOfSquares)")
        }
        while let operation = input.byte(), let length = input.byte() {
            let payload = input.take(Int(length))
            _ = OpusPacketDecoder.hasLBRR(payload)
            _ = OpusPacketDecoder.mayCarryFEC(payload)
            switch operation % 4 {
            case 0:
                guard let frames = try? decoder.decode(payload) else { continue }
                check(frames, "decode")
                if let declared = OpusPacketDecoder.frameCount(of: payload) {
                    findings.expect(frames * 48_000 == declared * rate,
                                    "decoded \(frames) frames at \(rate) Hz from a packet of \(declared) at 48 kHz")
                }
            case 1:
                guard let frames = try? decoder.conceal(frames: Int(length) * 120) else { continue }
                check(frames, "conceal")
            case 2:
                guard let frames = try? decoder.recover(from: payload, frames: Int(operation >> 2) * 120) else { continue }
                check(frames, "recover")
            default:
                decoder.reset()
            }
        }
    }
}
