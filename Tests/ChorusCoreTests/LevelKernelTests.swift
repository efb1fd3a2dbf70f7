import Testing
import ChorusCore

#if canImport(Glibc)
import Glibc
#endif

@Suite("LevelKernel")
struct LevelKernelTests {
    /// Deterministic pseudo-random samples in [-amplitude, amplitude].
    static func noise(count: Int, seed: UInt64, amplitude: Float = 1) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Float(state >> 40) / Float(1 << 24) * 2 - 1) * amplitude
        }
    }

    @Test("SIMD kernel agrees with the scalar loop at every length, including tails",
          arguments: [0, 1, 7, 8, 9, 31, 32, 33, 63, 480, 960, 961, 1023, 5760])
    func simdMatchesScalar(count: Int) {
        let samples = Self.noise(count: count, seed: UInt64(count) + 1, amplitude: 0.8)
        let simd = samples.withUnsafeBufferPointer(LevelKernel.measure)
        let scalar = samples.withUnsafeBufferPointer(LevelKernel.measureScalar)
        #expect(simd.count == count)
        #expect(simd.peak == scalar.peak)
        #expect(abs(simd.sumOfSquares - scalar.sumOfSquares) <= 1e-5 * max(1, scalar.sumOfSquares))
        // Independent check in Double.
        let exact = samples.reduce(0.0) { $0 + Double($1) * Double($1) }
        #expect(abs(simd.sumOfSquares - exact) <= 1e-5 * max(1, exact))
        #expect(simd.peak == samples.map { abs($0) }.max() ?? 0)
    }

    @Test("the peak is the largest magnitude, wherever it sits and whatever its sign")
    func peakFindsNegativeExtremesInEveryLane() {
        for position in 0..<100 {
            var samples = [Float](repeating: 0.25, count: 100)
            samples[position] = -0.9
            let m = samples.withUnsafeBufferPointer(LevelKernel.measure)
            #expect(m.peak == 0.9, "position \(position)")
        }
    }

    @Test("full-scale square wave reads 0 dBFS RMS, 0 dBFS peak, 0 dBov, level 1")
    func fullScaleSquare() {
        let samples = (0..<960).map { $0 % 48 < 24 ? Float(1) : Float(-1) }
        let level = samples.withUnsafeBufferPointer(LevelKernel.measure).level
        #expect(level.rmsDBFS == 0)
        #expect(level.peakDBFS == 0)
        #expect(level.dBov == 0)
        #expect(level.linear == 1)
    }

    @Test("digital silence and empty input read 127 dBov and the -127 dB floor, never NaN or -inf")
    func silence() {
        for samples in [[Float](repeating: 0, count: 960), []] {
            let level = samples.withUnsafeBufferPointer(LevelKernel.measure).level
            #expect(level.dBov == 127)
            #expect(level.rmsDBFS == -127)
            #expect(level.peakDBFS == -127)
            #expect(level.linear == 0)
        }
    }

    @Test("a sine of amplitude A reads 20·log10(A/√2) dBFS RMS and 20·log10(A) peak",
          arguments: [1.0, 0.5, 0.1, 0.01])
    func sine(amplitude: Double) {
        // 1 kHz at 48 kHz: 48 samples a period; 960 samples hold 20 whole periods.
        let samples = (0..<960).map { Float(amplitude * sin(2 * Double.pi * 1000 * Double($0) / 48_000)) }
        let level = samples.withUnsafeBufferPointer(LevelKernel.measure).level
        #expect(abs(level.rmsDBFS - 20 * log10(amplitude / 2.0.squareRoot())) < 0.01)
        #expect(abs(level.peakDBFS - 20 * log10(amplitude)) < 0.01)
    }

    @Test("dBov follows WebRTC's RmsLevel: Int(-10·log10(ms/32768²) + 0.5), clamped to 0...127")
    func dBovMatchesWebRTCFormula() {
        // WebRTC's reference points: a full-scale sine gives 3, an amplitude-0.5 sine 9.
        func sineLevel(_ amplitude: Float) -> AudioLevel {
            let samples = (0..<960).map { amplitude * Float(sin(2 * Double.pi * 1000 * Double($0) / 48_000)) }
            return samples.withUnsafeBufferPointer(LevelKernel.measure).level
        }
        #expect(sineLevel(1).dBov == 3)
        #expect(sineLevel(0.5).dBov == 9)
        // The formula on the int16 scale, computed independently, over a sweep of levels.
        for step in 0..<140 {
            let ms = pow(10.0, -Double(step) / 10 - 0.037)
            let int16MeanSquare = ms * 32768 * 32768
            let expected: Int = int16MeanSquare <= 1.995262314968883e-13 * 32768 * 32768
                ? 127 : min(127, max(0, Int(-10 * log10(int16MeanSquare / (32768.0 * 32768.0)) + 0.5)))
            #expect(AudioLevel(meanSquare: ms, peak: 0).dBov == expected, "step \(step)")
        }
        // Quieter than -127 dBov is silence; just above it is 126 or 127, never more.
        #expect(AudioLevel(meanSquare: 1e-14, peak: 0).dBov == 127)
        #expect(AudioLevel(meanSquare: 2.1e-13, peak: 0).dBov == 127)
    }

    @Test("clamp limits overshoot to ±1 and leaves the rest alone")
    func clamp() {
        var samples: [Float] = (0..<37).map { Float($0 - 18) / 9 }  // -2 ... 2
        let expected = samples.map { min(1, max(-1, $0)) }
        samples.withUnsafeMutableBufferPointer { LevelKernel.clamp($0) }
        #expect(samples == expected)
    }

    @Test("merging block measures equals measuring the whole window at once")
    func mergeIsExact() {
        let samples = Self.noise(count: 4800, seed: 99, amplitude: 0.3)
        let whole = samples.withUnsafeBufferPointer(LevelKernel.measure)
        var merged = BlockMeasure()
        for start in stride(from: 0, to: 4800, by: 960) {
            merged.merge(Array(samples[start..<start + 960]).withUnsafeBufferPointer(LevelKernel.measure))
        }
        #expect(merged.count == whole.count)
        #expect(merged.peak == whole.peak)
        #expect(abs(merged.sumOfSquares - whole.sumOfSquares) < 1e-4)
    }
}
