#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One participant's detector state: noise floor, recent frames, speaking state, ranking level.
///
/// Internal to ``SpeakerDetector``; sized once when the participant is added, so a frame allocates
/// nothing.
struct SpeakerState {
    /// Frames kept for onset and bleed tests (bit masks and the level ring are this long).
    static let historyLength = 64

    let identity: String

    // Frame not yet decided (observe → update).
    var pending = BlockMeasure()
    var pendingTicks: Int64 = 0

    // Noise floor: minimum of block mean levels over the window.
    var blockEnergy: Double = 0          // Σ meanSquare·ticks within the current block
    var blockTicks: Int64 = 0
    var blockMinima: [Double]            // ring of past block levels (dBFS)
    var blockCount = 0                   // filled entries
    var blockNext = 0                    // next slot to write
    var floorDB: Double

    // Frame history, newest in bit 0 / at `levelNext - 1`.
    var levels: [Double]                 // frame levels (dBFS), ring
    var levelNext = 0
    var rawVoiced: UInt64 = 0            // above floor + margin
    var voiced: UInt64 = 0               // raw voiced and not bleed
    var frameTicks: Int64 = 480          // duration of the newest history entry
    var coveredUntil = MediaTime.zero    // end of the media the newest frame covers
    var fresh = false                    // the newest entry was added in this update

    // Speaking state.
    var speaking = false
    var lastVoicedEnd = MediaTime.zero

    // Ranking level: mean square smoothed with attack/release time constants.
    var smoothedEnergy: Double = 0

    init(identity: String, floorBlocks: Int, minimumFloorDBFS: Double) {
        self.identity = identity
        self.blockMinima = [Double](repeating: 0, count: max(1, floorBlocks))
        self.levels = [Double](repeating: AudioLevel.floorDB, count: Self.historyLength)
        self.floorDB = minimumFloorDBFS
    }

    /// The newest frame level (dBFS).
    var latestLevel: Double { self.levels[(self.levelNext + Self.historyLength - 1) % Self.historyLength] }

    /// The level `back` frames before the newest (0 = newest).
    func level(back: Int) -> Double {
        self.levels[(self.levelNext + Self.historyLength - 1 - back) % Self.historyLength]
    }

    /// The smoothed ranking level in dBFS.
    var smoothedDB: Double {
        self.smoothedEnergy > AudioLevel.minMeanSquare ? 10 * log10(self.smoothedEnergy) : AudioLevel.floorDB
    }

    /// The smoothed level as linear RMS 0...1, the value reported in ``SpeakerInfo``.
    var smoothedLinear: Double { min(1, self.smoothedEnergy.squareRoot()) }

    /// Folds one frame's energy into the noise-floor blocks and returns the floor to judge it by.
    mutating func updateFloor(meanSquare: Double, ticks: Int64, blockTicksTarget: Int64, minimumFloorDBFS: Double) {
        self.blockEnergy += meanSquare * Double(ticks)
        self.blockTicks += ticks
        if self.blockTicks >= blockTicksTarget {
            let mean = self.blockEnergy / Double(self.blockTicks)
            let db = mean > AudioLevel.minMeanSquare ? 10 * log10(mean) : AudioLevel.floorDB
            self.blockMinima[self.blockNext] = db
            self.blockNext = (self.blockNext + 1) % self.blockMinima.count
            self.blockCount = min(self.blockCount + 1, self.blockMinima.count)
            self.blockEnergy = 0
            self.blockTicks = 0
            var floor = Double.infinity
            for index in 0..<self.blockCount where self.blockMinima[index] < floor { floor = self.blockMinima[index] }
            self.floorDB = max(minimumFloorDBFS, floor)
        } else if self.blockCount == 0 {
            // Before the first block completes, judge by the quietest level so far (fast down).
            let mean = self.blockEnergy / Double(self.blockTicks)
            let db = mean > AudioLevel.minMeanSquare ? 10 * log10(mean) : AudioLevel.floorDB
            self.floorDB = max(minimumFloorDBFS, db)
        }
    }

    /// Appends one frame to the history.
    mutating func push(level: Double, rawVoiced: Bool, ticks: Int64) {
        self.levels[self.levelNext] = level
        self.levelNext = (self.levelNext + 1) % Self.historyLength
        self.rawVoiced = (self.rawVoiced << 1) | (rawVoiced ? 1 : 0)
        self.voiced = (self.voiced << 1) | (rawVoiced ? 1 : 0)
        self.frameTicks = max(1, ticks)
    }

    /// Frames covering `span`, at the current frame size, 1...64.
    func frames(_ span: MediaTime) -> Int {
        Int(max(1, min(Int64(Self.historyLength), (span.ticks + self.frameTicks / 2) / self.frameTicks)))
    }

    /// Smooths the ranking level with one frame (attack when rising, release when falling).
    mutating func smooth(meanSquare: Double, ticks: Int64, attack: MediaTime, release: MediaTime) {
        let tau = meanSquare > self.smoothedEnergy ? attack.ticks : release.ticks
        let alpha = tau > 0 ? 1 - exp(-Double(ticks) / Double(tau)) : 1
        self.smoothedEnergy += (meanSquare - self.smoothedEnergy) * alpha
    }
}
