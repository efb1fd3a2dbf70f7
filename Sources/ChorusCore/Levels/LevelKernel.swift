/// The per-block level kernel: Σx² and max|x| over a buffer of float samples, with explicit SIMD.
///
/// Why it is written this way (measured, see BENCHMARKS.md and `chorus-bench levels`):
/// - swiftc does not vectorize floating-point reductions under strict IEEE rules, so the loop keeps
///   independent `SIMD8<Float>` accumulators and reduces them once, after the loop.
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
        var top = zero
        var index = 0
        let wholeBlocks = count & ~31
        while index < wholeBlocks {
            let offset = index &* 4
            let v0 = raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            let v1 = raw.loadUnaligned(fromByteOffset: offset &+ stride, as: SIMD8<Float>.self)
            let v2 = raw.loadUnaligned(fromByteOffset: offset &+ 2 &* stride, as: SIMD8<Float>.self)
            let v3 = raw.loadUnaligned(fromByteOffset: offset &+ 3 &* stride, as: SIMD8<Float>.self)
            let q0 = v0 * v0, q1 = v1 * v1, q2 = v2 * v2, q3 = v3 * v3
            // Four independent sums hide the add latency; one reduction after the loop.
            s0 += q0
            s1 += q1
            s2 += q2
            s3 += q3
            // The peak comes from the squares already computed: max(v²) = max|v|², so no abs is
            // needed. A compare-and-blend written as `replacing(with:where:)` lowers to `maxps`.
            let m01 = q0.replacing(with: q1, where: q1 .> q0)
            let m23 = q2.replacing(with: q3, where: q3 .> q2)
            let m = m01.replacing(with: m23, where: m23 .> m01)
            top = top.replacing(with: m, where: m .> top)
            index &+= 32
        }
        while index &+ 8 <= count {
            let v = raw.loadUnaligned(fromByteOffset: index &* 4, as: SIMD8<Float>.self)
            let q = v * v
            s0 += q
            top = top.replacing(with: q, where: q .> top)
            index &+= 8
        }
        // One reduction per block, outside the loop.
        var sum = ((s0 + s1) + (s2 + s3)).sum()
        var peakSquare = top.max()
        while index < count {
            let v = base[index]
            let q = v * v
            sum += q
            if q > peakSquare { peakSquare = q }
            index &+= 1
        }
        let peak = peakSquare.squareRoot()
        return BlockMeasure(sumOfSquares: Double(sum), peak: peak, count: count)
    }

    /// |v| lane by lane, by clearing the IEEE sign bits: one AND, no compare or blend.
    @inline(__always)
    static func magnitude(_ v: SIMD8<Float>) -> SIMD8<Float> {
        let bits = unsafeBitCast(v, to: SIMD8<UInt32>.self) & SIMD8<UInt32>(repeating: 0x7FFF_FFFF)
        return unsafeBitCast(bits, to: SIMD8<Float>.self)
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
