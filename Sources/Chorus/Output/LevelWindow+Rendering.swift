import ChorusCore

extension LevelWindow {
    /// The `levels` line of the JSON-lines contract:
    /// `{"event":"levels","time":..,"identity":"..","rms_dbfs":..,"peak_dbfs":..,"dbov":..,"level":..}`,
    /// plus `"channels":[{...}]` when per-channel levels were measured.
    public var jsonLine: String {
        var json = JSONLine(event: "levels")
        json.number("time", self.time, decimals: 3)
        json.string("identity", self.identity)
        Self.addLevel(self.level, to: &json)
        if !self.channelLevels.isEmpty {
            let parts = self.channelLevels.map { level -> String in
                var channel = JSONLine(event: "channel")
                Self.addLevel(level, to: &channel)
                return channel.line
            }
            json.raw("channels", "[" + parts.joined(separator: ",") + "]")
        }
        return json.line
    }

    private static func addLevel(_ level: AudioLevel, to json: inout JSONLine) {
        json.number("rms_dbfs", level.rmsDBFS, decimals: 2)
        json.number("peak_dbfs", level.peakDBFS, decimals: 2)
        json.integer("dbov", level.dBov)
        json.number("level", level.linear, decimals: 4)
    }
}
