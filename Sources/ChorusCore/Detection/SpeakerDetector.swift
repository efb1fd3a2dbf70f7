/// Room-wide active-speaker detection, decided frame by frame in media time.
///
/// Per participant (see ``SpeakerDetectorConfiguration`` for every value):
/// - an adaptive **noise floor**, the quietest 100 ms block level of the last 8 s (fast down, slow
///   up), so a steady fan is floor, not speech;
/// - a frame is **voiced** when it is 10 dB above that floor and above −55 dBFS;
/// - **onset** needs 50 ms of voiced frames within 70 ms, all within 15 dB of the loudest, so a
///   keyboard click (one loud frame and a fast-decaying tail) is not speech;
/// - **hangover**: speaking ends 400 ms after the last voiced frame;
/// - **bleed**: a voiced frame is ignored when another participant is voiced at the same time,
///   10 dB louder on average over the last 300 ms, and this track's level follows theirs
///   (correlation ≥ 0.5, or a level difference steady within 6 dB): this track carries an
///   attenuated copy of theirs. A genuinely quieter talker overlapping a louder one does not
///   follow them and is kept.
///
/// Known limits: the floor is learned from the first 100 ms of a participant's media, so a stream
/// whose very first frame is speech is detected only at its first pause; right after double talk
/// of two participants who pick each other up, the quieter one's release can take up to ~300 ms
/// longer (until the bleed window holds bleed alone).
///
/// Room-wide, speakers are ranked by a smoothed level (fast attack, slow release) with hysteresis
/// on order; the dominant speaker is the one leading that list for a while.
///
/// Usage, on one thread (the detector is a value; it is not shared):
/// 1. ``addParticipant(identity:)`` once per participant, keeping the slot;
/// 2. per period of media time (10 or 20 ms, aligned across participants):
///    ``observe(slot:measure:duration:)`` for each participant that has a frame starting in it, then
///    ``update(at:into:)`` with the period's end, which appends the resulting events. Participants
///    may use different frame sizes: a 20 ms frame in a room decided every 10 ms is decided in the
///    period it starts in and holds through the next;
/// 3. ``removeParticipant(_:at:into:)`` when the participant leaves.
///
/// - Complexity: ``update(at:into:)`` is O(n·k) for n participants and k speakers; it allocates
///   only when the speaker list changes (the list in the event).
public struct SpeakerDetector {
    /// The configuration in use.
    public let configuration: SpeakerDetectorConfiguration

    private var states: [SpeakerState?] = []
    private var order: [Int] = []            // slots of the active speakers, in list order
    private var scratch: [Int] = []
    private var dominant: Int?
    private var leader: Int?
    private var leaderSince = MediaTime.zero
    private var lastSpeechEnd = MediaTime.zero
    private var lastFrameUpdate = MediaTime.zero

    /// A detector with `configuration`.
    public init(configuration: SpeakerDetectorConfiguration = SpeakerDetectorConfiguration()) {
        self.configuration = configuration
    }

    // MARK: - Participants

    /// Adds a participant and returns its slot, the handle for every other call.
    ///
    /// Slots are never reused, so they stay valid in logs; removed slots cost one `nil`.
    public mutating func addParticipant(identity: String) -> Int {
        let blocks = Int(max(1, self.configuration.noiseFloorWindow.ticks / max(1, self.configuration.noiseFloorBlock.ticks)))
        self.states.append(SpeakerState(identity: identity, floorBlocks: blocks, minimumFloorDBFS: self.configuration.minimumFloorDBFS))
        return self.states.count - 1
    }

    /// Removes a participant: if it was speaking, appends `isSpeakingChanged(false)` and the new
    /// speaker list; if it was dominant, `dominantSpeakerChanged(nil)`.
    public mutating func removeParticipant(_ slot: Int, at time: MediaTime, into events: inout [RoomEvent]) {
        guard slot < self.states.count, let state = self.states[slot] else { return }
        if state.speaking {
            events.append(.isSpeakingChanged(identity: state.identity, speaking: false, time: time))
        }
        self.states[slot] = nil
        if let index = self.order.firstIndex(of: slot) {
            self.order.remove(at: index)
            events.append(.activeSpeakersChanged(speakers: self.speakerList(), time: time))
        }
        if self.leader == slot { self.leader = nil }
        if self.dominant == slot {
            self.dominant = nil
            events.append(.dominantSpeakerChanged(identity: nil, time: time))
        }
    }

    // MARK: - Frames

    /// Gives one frame of a participant's audio (its level sums) to be decided at the next
    /// ``update(at:into:)``. Several calls before an update merge into one frame.
    ///
    /// - Parameters:
    ///   - measure: Σx², peak and sample count of the frame (``LevelKernel/measure(_:)``).
    ///   - duration: the frame's length in media time (10 or 20 ms).
    public mutating func observe(slot: Int, measure: BlockMeasure, duration: MediaTime) {
        guard slot < self.states.count, self.states[slot] != nil else { return }
        self.states[slot]!.pending.merge(measure)
        self.states[slot]!.pendingTicks += duration.ticks
    }

    /// Decides the frame ending at `time` for every participant and appends what changed, in this
    /// order: `isSpeakingChanged` (by slot), `activeSpeakersChanged`, `dominantSpeakerChanged`.
    ///
    /// Call once per frame period after observing every participant's frame; a call without any
    /// pending frame only runs the clocks (hangover, dominant silence).
    public mutating func update(at time: MediaTime, into events: inout [RoomEvent]) {
        let config = self.configuration
        var anyFrame = false
        for slot in self.states.indices where self.states[slot]?.pendingTicks ?? 0 > 0 {
            anyFrame = true
            break
        }
        if anyFrame {
            // 1. Levels, floors and raw voicing. A participant's history is in its own frames: a new
            //    frame is one entry; a frame longer than the period (20 ms frames in a room decided
            //    every 10 ms) adds nothing while it still covers the period; no media is one silent
            //    entry per period.
            let period = max(1, time.ticks - self.lastFrameUpdate.ticks)
            for slot in self.states.indices {
                guard var state = self.states[slot] else { continue }
                // Take the state out so its arrays are uniquely referenced: mutating them must not copy.
                self.states[slot] = nil
                let ticks = state.pendingTicks
                state.fresh = true
                if ticks > 0 {
                    let meanSquare = state.pending.meanSquare
                    let level = state.pending.level.rmsDBFS
                    state.updateFloor(
                        meanSquare: meanSquare, ticks: ticks, blockTicksTarget: config.noiseFloorBlock.ticks,
                        minimumFloorDBFS: config.minimumFloorDBFS)
                    let voiced = level >= state.floorDB + config.voicedMarginDB && level >= config.minimumSpeechDBFS
                    state.push(level: level, rawVoiced: voiced, ticks: ticks)
                    state.smooth(meanSquare: meanSquare, ticks: ticks, attack: config.levelAttack, release: config.levelRelease)
                    state.coveredUntil = self.lastFrameUpdate + MediaTime(ticks: ticks)
                } else if state.coveredUntil >= time {
                    state.fresh = false
                } else {
                    state.push(level: AudioLevel.floorDB, rawVoiced: false, ticks: period)
                    state.smooth(meanSquare: 0, ticks: period, attack: config.levelAttack, release: config.levelRelease)
                }
                state.pending = BlockMeasure()
                state.pendingTicks = 0
                self.states[slot] = state
            }
            self.lastFrameUpdate = time
            // 2. Bleed: drop new voiced frames that are an attenuated copy of a louder participant's.
            for slot in self.states.indices {
                guard let state = self.states[slot], state.fresh, state.rawVoiced & 1 == 1 else { continue }
                if self.isBleed(slot, state) { self.states[slot]!.voiced &= ~1 }
            }
        }
        // 3. Speaking state per participant.
        for slot in self.states.indices {
            guard var state = self.states[slot] else { continue }
            let wasSpeaking = state.speaking
            let voicedNow = anyFrame && state.voiced & 1 == 1
            if voicedNow { state.lastVoicedEnd = time }
            if !state.speaking {
                if voicedNow && state.fresh {
                    let window = state.frames(config.onsetWindow)
                    let needed = state.frames(config.onsetVoiced)
                    if Self.strongVoicedFrames(state, window: window, spread: config.onsetSpreadDB) >= needed {
                        state.speaking = true
                    }
                }
            } else if time - state.lastVoicedEnd >= config.hangover {
                state.speaking = false
            }
            if state.speaking != wasSpeaking {
                events.append(.isSpeakingChanged(identity: state.identity, speaking: state.speaking, time: time))
            }
            self.states[slot] = state
        }
        // 4. Ranking with hysteresis.
        self.scratch.removeAll(keepingCapacity: true)
        for slot in self.order where self.states[slot]?.speaking == true { self.scratch.append(slot) }
        for slot in self.states.indices where self.states[slot]?.speaking == true && !self.scratch.contains(slot) {
            let level = self.states[slot]!.smoothedDB
            let position = self.scratch.firstIndex { self.states[$0]!.smoothedDB < level } ?? self.scratch.count
            self.scratch.insert(slot, at: position)
        }
        let hysteresis = max(0, config.rankingHysteresisDB)  // negative would swap forever
        var swapped = true
        while swapped {
            swapped = false
            for index in 0..<max(0, self.scratch.count - 1) {
                let ahead = self.states[self.scratch[index]]!.smoothedDB
                let behind = self.states[self.scratch[index + 1]]!.smoothedDB
                if behind > ahead + hysteresis {
                    self.scratch.swapAt(index, index + 1)
                    swapped = true
                }
            }
        }
        if self.scratch != self.order {
            swap(&self.scratch, &self.order)
            events.append(.activeSpeakersChanged(speakers: self.speakerList(), time: time))
        }
        // 5. Dominant speaker: the list's leader, once it has led long enough.
        if !self.order.isEmpty { self.lastSpeechEnd = time }
        let first = self.order.first
        if first != self.leader {
            self.leader = first
            self.leaderSince = time
        }
        if let first, first != self.dominant {
            let incumbentSpeaking = self.dominant.flatMap { self.states[$0]?.speaking } ?? false
            let delay = incumbentSpeaking ? config.dominantOverlapDelay : config.dominantDelay
            if time - self.leaderSince >= delay {
                self.dominant = first
                events.append(.dominantSpeakerChanged(identity: self.states[first]!.identity, time: time))
            }
        } else if first == nil, self.dominant != nil, let timeout = config.dominantSilenceTimeout,
            time - self.lastSpeechEnd >= timeout
        {
            self.dominant = nil
            events.append(.dominantSpeakerChanged(identity: nil, time: time))
        }
    }

    // MARK: - Queries

    /// Whether the participant in `slot` is speaking now.
    public func isSpeaking(_ slot: Int) -> Bool { slot < self.states.count && self.states[slot]?.speaking == true }

    /// The participant's smoothed level, linear RMS 0...1 (the value speaker lists report).
    public func level(_ slot: Int) -> Double { slot < self.states.count ? self.states[slot]?.smoothedLinear ?? 0 : 0 }

    /// The participant's current noise floor in dBFS.
    public func noiseFloorDBFS(_ slot: Int) -> Double {
        slot < self.states.count ? self.states[slot]?.floorDB ?? AudioLevel.floorDB : AudioLevel.floorDB
    }

    /// The active speakers now, loudest first (by the hysteresis order).
    public var activeSpeakers: [SpeakerInfo] { self.speakerList() }

    /// The dominant speaker's identity, if any.
    public var dominantSpeaker: String? { self.dominant.flatMap { self.states[$0]?.identity } }

    // MARK: - Private

    /// Voiced frames among the last `window` that are within `spread` dB of the loudest of them.
    private static func strongVoicedFrames(_ state: SpeakerState, window: Int, spread: Double) -> Int {
        var loudest = AudioLevel.floorDB
        for back in 0..<window where state.voiced & (1 << UInt64(back)) != 0 {
            loudest = max(loudest, state.level(back: back))
        }
        var count = 0
        for back in 0..<window where state.voiced & (1 << UInt64(back)) != 0 && state.level(back: back) >= loudest - spread {
            count += 1
        }
        return count
    }

    private func speakerList() -> [SpeakerInfo] {
        self.order.map { SpeakerInfo(identity: self.states[$0]!.identity, level: self.states[$0]!.smoothedLinear) }
    }

    /// True when `slot`'s newest voiced frame is an attenuated copy of a louder participant: over
    /// the frames of the bleed window where the other was voiced, this one was on average at least
    /// ``SpeakerDetectorConfiguration/bleedAttenuationDB`` quieter and its level followed theirs
    /// (or the overlap is still shorter than ``SpeakerDetectorConfiguration/bleedMinimumOverlap``).
    private func isBleed(_ slot: Int, _ state: SpeakerState) -> Bool {
        let config = self.configuration
        let window = state.frames(config.bleedWindow)
        let minimum = state.frames(config.bleedMinimumOverlap)
        for other in self.states.indices where other != slot {
            guard let loud = self.states[other], loud.rawVoiced & 1 == 1,
                loud.latestLevel > state.latestLevel + config.bleedAttenuationDB / 2
            else { continue }
            var count = 0.0
            var sumQuiet = 0.0, sumLoud = 0.0
            var sumQuiet2 = 0.0, sumLoud2 = 0.0, sumProduct = 0.0
            for back in 0..<window {
                // The louder participant's entry at the same time (frame sizes may differ).
                let loudBack = Int(Int64(back) * state.frameTicks / loud.frameTicks)
                guard loudBack + 1 < SpeakerState.historyLength, loud.rawVoiced & (1 << UInt64(loudBack)) != 0 else { continue }
                // This track's level, not below its floor: a copy fades into the floor, not to −127.
                let quiet = max(state.level(back: back), state.floorDB)
                // The copy arrives a few milliseconds late (the acoustic path), so a frame here may
                // carry the end of their previous, louder frame: compare with the louder of the two.
                let louder = max(loud.level(back: loudBack), loud.level(back: loudBack + 1))
                count += 1
                sumQuiet += quiet
                sumLoud += louder
                sumQuiet2 += quiet * quiet
                sumLoud2 += louder * louder
                sumProduct += quiet * louder
            }
            guard count > 0 else { continue }
            let meanQuiet = sumQuiet / count
            let meanLoud = sumLoud / count
            guard meanQuiet <= meanLoud - config.bleedAttenuationDB else { continue }
            // Too little overlap to tell yet (the louder one just started): count the frame as bleed,
            // so a neighbour's first syllable cannot extend this participant's hangover. A real talker
            // loses at most the first few frames, before onset could happen anyway.
            if count < Double(minimum) { return true }
            let varQuiet = max(0, sumQuiet2 / count - meanQuiet * meanQuiet)
            let varLoud = max(0, sumLoud2 / count - meanLoud * meanLoud)
            let covariance = sumProduct / count - meanQuiet * meanLoud
            let varDifference = max(0, varQuiet + varLoud - 2 * covariance)
            if varLoud > 0, varQuiet > 0, covariance / (varQuiet * varLoud).squareRoot() >= config.bleedMinimumCorrelation {
                return true
            }
            if varDifference <= config.bleedMaxDeviationDB * config.bleedMaxDeviationDB { return true }
        }
        return false
    }
}
