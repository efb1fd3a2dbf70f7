#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The loudness of a window of audio, in the units that meters, RFC 6464 and LiveKit use.
///
/// All values derive from the window's mean square and sample peak, full scale = 1.0:
/// - ``rmsDBFS``: `10·log10(meanSquare)`; 0 dBFS is a full-scale square wave, a full-scale sine
///   reads −3.01 dBFS. Silence reads ``AudioLevel/floorDB`` (−127), never NaN or −∞.
/// - ``peakDBFS``: `20·log10(peak)`, same floor.
/// - ``dBov``: the RFC 6464 value exactly as WebRTC's `RmsLevel::ComputeRms` computes it: on the int16
///   scale, `Int(−10·log10(ms / 32768²) + 0.5)`, clamped to 0...127, 127 for silence or no samples.
/// - ``linear``: `sqrt(meanSquare)` clamped to 0...1 (1 = full scale), the value meters draw.
public struct AudioLevel: Sendable, Equatable {
    /// The dB value reported for digital silence, matching RFC 6464's 127.
    public static let floorDB: Double = -127
    /// WebRTC's `kMinLevel`: 10^(−127/10), the mean square (full scale 1) at or below which dBov is 127.
    public static let minMeanSquare: Double = 1.995262314968883e-13

    /// Mean of x² over the window, full scale = 1.0.
    public var meanSquare: Double
    /// Largest sample magnitude in the window, full scale = 1.0.
    public var peak: Float

    /// A level from a window's mean square and sample peak (both full scale = 1.0).
    @inlinable
    public init(meanSquare: Double, peak: Float) {
        self.meanSquare = meanSquare
        self.peak = peak
    }

    /// RMS in dB relative to full scale; −127 for silence.
    @inlinable
    public var rmsDBFS: Double {
        guard self.meanSquare > Self.minMeanSquare else { return Self.floorDB }
        return max(Self.floorDB, 10 * log10(self.meanSquare))
    }

    /// Sample peak in dB relative to full scale; −127 for silence.
    @inlinable
    public var peakDBFS: Double {
        let p = Double(self.peak)
        guard p > 0 else { return Self.floorDB }
        return max(Self.floorDB, 20 * log10(p))
    }

    /// The RFC 6464 audio level, 0 (loudest) ... 127 (silence), as WebRTC computes it.
    @inlinable
    public var dBov: Int {
        guard self.meanSquare > Self.minMeanSquare else { return 127 }
        let value = Int((-10 * log10(self.meanSquare) + 0.5).rounded(.down))
        return min(127, max(0, value))
    }

    /// Linear RMS 0...1 (1 = full scale), for meters and ranking.
    @inlinable
    public var linear: Double {
        min(1, self.meanSquare.squareRoot())
    }
}
