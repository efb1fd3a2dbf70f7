/// Draws a level as a fixed-width bar for people: `████████░░░░`.
public enum LevelBar {
    /// The dBFS value drawn as an empty bar; anything quieter is empty too.
    public static let floorDBFS: Double = -60

    /// A bar `width` cells wide, filled in proportion to `dbfs` between −60 and 0 dBFS.
    public static func render(dbfs: Double, width: Int) -> String {
        let fraction = max(0, min(1, (dbfs - floorDBFS) / -floorDBFS))
        let filled = Int((fraction * Double(width)).rounded())
        return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    }
}
