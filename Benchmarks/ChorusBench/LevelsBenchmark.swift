import BenchSupport
import ChorusCore

#if canImport(Glibc)
import Glibc
#endif

/// `levels.*`: the SIMD level kernel against the plain scalar loop on the same 20 ms frames.
enum LevelsBenchmark {
    static let frameSamples = 960
    static let frameCount = 256

    static func run(quick: Bool) -> [BenchmarkResult] {
        // Speech-like test signal: a few partials plus noise, different in every frame.
        let total = frameSamples * frameCount
        let samples = UnsafeMutableBufferPointer<Float>.allocate(capacity: total)
        defer { samples.deallocate() }
        var seed: UInt32 = 12345
        for i in 0..<total {
            seed = seed &* 1_664_525 &+ 1_013_904_223
            let noise = Float(Int32(bitPattern: seed)) / Float(Int32.max) * 0.05
            let t = Float(i) / 48_000
            samples[i] = 0.3 * sinf(2 * .pi * 220 * t) + 0.1 * sinf(2 * .pi * 1330 * t) + noise
        }
        let passes = quick ? 40 : 400
        let runs = quick ? 5 : 11

        func kernelTime(_ kernel: (UnsafeBufferPointer<Float>) -> BlockMeasure) -> Double {
            let times = measureRuns(runs: runs) {
                var acc = 0
                for _ in 0..<passes {
                    for frame in 0..<frameCount {
                        let block = UnsafeBufferPointer(rebasing: samples[(frame * frameSamples)..<((frame + 1) * frameSamples)])
                        let m = kernel(identity(block))
                        acc &+= Int(m.peak * 1000) &+ Int(m.sumOfSquares)
                    }
                }
                return acc
            }
            return median(times) / Double(passes * frameCount)
        }
        let simd = kernelTime(LevelKernel.measure)
        let scalar = kernelTime(LevelKernel.measureScalar)
        let bytesPerSecond = Double(frameSamples * 4) / (simd * 1e-9)
        return [
            BenchmarkResult(
                name: "levels.simd_vs_scalar", value: simd, unit: "ns/frame", baseline: scalar,
                ratio: scalar / simd, goal: "ratio >= 8, value < 150 ns",
                extra: [("gb_per_s", bytesPerSecond / 1e9)]),
        ]
    }
}
