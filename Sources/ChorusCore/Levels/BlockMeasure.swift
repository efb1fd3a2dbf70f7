/// The two raw sums a level needs from one block of samples: energy and the largest magnitude.
///
/// Kept raw (not in dB) so that blocks can be combined exactly into longer windows with
/// ``BlockMeasure/merge(_:)`` before any logarithm is taken.
public struct BlockMeasure: Sendable, Equatable {
    /// Σx² over the block, with full scale = 1.0 (a full-scale square wave sums to `count`).
    public var sumOfSquares: Double
    /// The largest |x| seen in the block, full scale = 1.0.
    public var peak: Float
    /// How many samples were measured (all channels, interleaved).
    public var count: Int

    /// An empty measure: no samples, no energy.
    public init() {
        self.sumOfSquares = 0
        self.peak = 0
        self.count = 0
    }

    /// A measure from already-known sums.
    public init(sumOfSquares: Double, peak: Float, count: Int) {
        self.sumOfSquares = sumOfSquares
        self.peak = peak
        self.count = count
    }

    /// Adds another block's sums to this one, as if both blocks had been measured together.
    @inlinable
    public mutating func merge(_ other: BlockMeasure) {
        self.sumOfSquares += other.sumOfSquares
        if other.peak > self.peak { self.peak = other.peak }
        self.count += other.count
    }

    /// Mean square (full scale = 1.0); 0 for an empty block.
    @inlinable
    public var meanSquare: Double {
        self.count > 0 ? self.sumOfSquares / Double(self.count) : 0
    }

    /// The levels a person or a protocol reads, derived from these sums.
    @inlinable
    public var level: AudioLevel { AudioLevel(meanSquare: self.meanSquare, peak: self.peak) }
}
