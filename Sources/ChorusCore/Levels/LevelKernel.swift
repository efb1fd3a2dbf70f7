/// The per-block level kernel: Σx² and max|x| over a buffer of float samples, with explicit SIMD.
///
/// Why it is written this way (measured, see BENCHMARKS.md and `chorus-bench levels`):
/// - swiftc does not vectorize floating-point reductions under strict IEEE rules, so the loop keeps
///   four independent `SIMD8<Float>` accumulators and reduces them once, after the loop.
/// - The peak uses compare masks with `replacing(with:where:)` (one compare and one blend per
///   vector); `pointwiseMax` is an outlined per-lane generic call and runs about 10x slower.
/// - No `addProduct`: on baseline x86-64 it becomes a `fmaf` libcall per lane.
/// Blocks are sized for one frame (480 or 960 samples), so Float accumulation is exact enough
/// (relative error ~1e-6); windows combine blocks in Double via ``BlockMeasure/merge(_:)``.
public enum LevelKernel {
    /// Measures a block of samples (any channel layout; interleaved channels are measured together).
    ///
    /// - Parameter samples: samples at full scale 1.0. Values beyond ±1 are measured as they are;
    ///   clamp first (``LevelKernel/clamp(_:)``) where the source can overshoot, as libopus's float
    ///   decoder can.
    /// - Returns: the block's Σx², max|x| and sample count.
    /// - Complexity: O(n), no allocation, no locks, no system calls.
    public static func measure(_ samples: UnsafeBufferPointer<Float>) -> BlockMeasure {
        guard let base = samples.baseAddress, samples.count > 0 else { return BlockMeasure() }
        let count = samples.count
        let raw = UnsafeRawPointer(base)
        let stride = MemoryLayout<SIMD8<Float>>.stride
        let zero = SIMD8<Float>(repeating: 0)
        var s0 = zero, s1 = zero, s2 = zero, s3 = zero
        var p0 = zero, p1 = zero, p2 = zero, p3 = zero
        var index = 0
        while index &+ 32 <= count {
            let offset = index &* 4
            let v0 = raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            let v1 = raw.loadUnaligned(fromByteOffset: offset &+ stride, as: SIMD8<Float>.self)
            let v2 = raw.loadUnaligned(fromByteOffset: offset &+ 2 &* stride, as: SIMD8<Float>.self)
            let v3 = raw.loadUnaligned(fromByteOffset: offset &+ 3 &* stride, as: SIMD8<Float>.self)
            s0 += v0 * v0
            s1 += v1 * v1
            s2 += v2 * v2
            s3 += v3 * v3
            let a0 = v0.replacing(with: -v0, where: v0 .< zero)
            let a1 = v1.replacing(with: -v1, where: v1 .< zero)
            let a2 = v2.replacing(with: -v2, where: v2 .< zero)
            let a3 = v3.replacing(with: -v3, where: v3 .< zero)
            p0 = p0.replacing(with: a0, where: a0 .> p0)
            p1 = p1.replacing(with: a1, where: a1 .> p1)
            p2 = p2.replacing(with: a2, where: a2 .> p2)
            p3 = p3.replacing(with: a3, where: a3 .> p3)
            index &+= 32
        }
        while index &+ 8 <= count {
            let v = raw.loadUnaligned(fromByteOffset: index &* 4, as: SIMD8<Float>.self)
            s0 += v * v
            let a = v.replacing(with: -v, where: v .< zero)
            p0 = p0.replacing(with: a, where: a .> p0)
            index &+= 8
        }
        // One reduction per block, outside the loop.
        let sums = (s0 + s1) + (s2 + s3)
        var peaks = p0.replacing(with: p1, where: p1 .> p0)
        let peaks23 = p2.replacing(with: p3, where: p3 .> p2)
        peaks = peaks.replacing(with: peaks23, where: peaks23 .> peaks)
        var sum = sums.sum()
        var peak = peaks.max()
        while index < count {
            let v = base[index]
            sum += v * v
            let a = v < 0 ? -v : v
            if a > peak { peak = a }
            index &+= 1
        }
        return BlockMeasure(sumOfSquares: Double(sum), peak: peak, count: count)
    }

    /// The plain scalar loop the SIMD kernel is measured against; same results up to rounding.
    ///
    /// Kept as the benchmark baseline and as a test oracle, not for use on the hot path.
    public static func measureScalar(_ samples: UnsafeBufferPointer<Float>) -> BlockMeasure {
        var sum: Float = 0
        var peak: Float = 0
        for v in samples {
            sum += v * v
            let a = v < 0 ? -v : v
            if a > peak { peak = a }
        }
        return BlockMeasure(sumOfSquares: Double(sum), peak: peak, count: samples.count)
    }

    /// Clamps samples to [−1, 1] in place, so that overshoot from a float decoder never reads as
    /// more than full scale.
    ///
    /// - Complexity: O(n), no allocation.
    public static func clamp(_ samples: UnsafeMutableBufferPointer<Float>) {
        guard let base = samples.baseAddress, samples.count > 0 else { return }
        let count = samples.count
        let raw = UnsafeMutableRawPointer(base)
        let one = SIMD8<Float>(repeating: 1)
        let minusOne = SIMD8<Float>(repeating: -1)
        var index = 0
        while index &+ 8 <= count {
            let offset = index &* 4
            var v = raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            v = v.replacing(with: one, where: v .> one)
            v = v.replacing(with: minusOne, where: v .< minusOne)
            raw.storeBytes(of: v, toByteOffset: offset, as: SIMD8<Float>.self)
            index &+= 8
        }
        while index < count {
            let v = base[index]
            base[index] = v > 1 ? 1 : (v < -1 ? -1 : v)
            index &+= 1
        }
    }
}
