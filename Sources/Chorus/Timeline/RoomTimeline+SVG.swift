import ChorusCore

extension RoomTimeline {
    /// The timeline as a standalone SVG document: one lane a participant with its level over time
    /// (a filled curve from −60 to 0 dBFS), bars where it was listed as speaking, marks for the
    /// other events, and a time axis in seconds.
    public func svg(width: Int = 1200, laneHeight: Int = 80) -> String {
        let left = 110.0, right = 20.0, top = 30.0, axis = 30.0
        let plotWidth = Double(width) - left - right
        let duration = max(self.end, 0.001)
        let height = Int(top + Double(self.lanes.count * laneHeight) + axis)
        func x(_ seconds: Double) -> Double { left + seconds / duration * plotWidth }
        func f(_ value: Double) -> String { JSONLine.fixed(value, decimals: 1) }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="#ffffff"/>
            <text x="\(f(left))" y="18" font-size="14" fill="#222">Chorus room timeline · \(self.lanes.count) participant(s) · \(JSONLine.fixed(duration, decimals: 2)) s</text>

            """
        for (index, lane) in self.lanes.enumerated() {
            let y0 = top + Double(index * laneHeight)
            let base = y0 + Double(laneHeight) - 8
            let span = Double(laneHeight) - 24
            out += "<g class=\"lane\" data-identity=\"\(Self.escape(lane.identity))\">\n"
            out += "<rect x=\"\(f(left))\" y=\"\(f(y0))\" width=\"\(f(plotWidth))\" height=\"\(laneHeight - 2)\" fill=\"\(index % 2 == 0 ? "#f6f7f9" : "#eef0f3")\"/>\n"
            out += "<text x=\"8\" y=\"\(f(y0 + Double(laneHeight) / 2 + 4))\" fill=\"#222\" font-weight=\"bold\">\(Self.escape(lane.identity))</text>\n"
            for range in lane.speaking {
                out += "<rect class=\"speaking\" x=\"\(f(x(range.lowerBound)))\" y=\"\(f(y0 + 4))\" width=\"\(f(max(1, x(range.upperBound) - x(range.lowerBound))))\" height=\"10\" fill=\"#2e9e5b\" data-start=\"\(JSONLine.fixed(range.lowerBound, decimals: 3))\" data-end=\"\(JSONLine.fixed(range.upperBound, decimals: 3))\"/>\n"
            }
            var points = "\(f(left)),\(f(base))"
            for (bin, level) in lane.levels.enumerated() {
                let fraction = max(0, min(1, (level + 60) / 60))
                points += " \(f(x(Double(bin) * self.binSeconds))),\(f(base - fraction * span))"
                points += " \(f(x(Double(bin + 1) * self.binSeconds))),\(f(base - fraction * span))"
            }
            points += " \(f(x(Double(lane.levels.count) * self.binSeconds))),\(f(base))"
            out += "<polygon class=\"level\" points=\"\(points)\" fill=\"#4a78c2\" fill-opacity=\"0.75\"/>\n"
            for (markIndex, mark) in self.marks.enumerated() where mark.identity == lane.identity {
                // Marks at the same moment (connected, active) are stacked; labels near the right edge
                // are drawn to the left of their line.
                let stacked = self.marks[..<markIndex].filter { $0.identity == lane.identity && abs($0.time - mark.time) < duration / 40 }.count
                let nearEnd = x(mark.time) > left + plotWidth * 0.9
                out += "<line x1=\"\(f(x(mark.time)))\" x2=\"\(f(x(mark.time)))\" y1=\"\(f(y0))\" y2=\"\(f(y0 + Double(laneHeight) - 2))\" stroke=\"#c0392b\" stroke-dasharray=\"3,3\"/>\n"
                out += "<text class=\"mark\" x=\"\(f(x(mark.time) + (nearEnd ? -3 : 3)))\" y=\"\(f(y0 + 26 + Double(stacked) * 11))\" fill=\"#c0392b\" font-size=\"10\"\(nearEnd ? " text-anchor=\"end\"" : "")>\(Self.escape(mark.label))</text>\n"
            }
            out += "</g>\n"
        }
        let axisY = top + Double(self.lanes.count * laneHeight) + 4
        out += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(axisY))\" y2=\"\(f(axisY))\" stroke=\"#444\"/>\n"
        let step = Self.tickStep(duration)
        var tick = 0.0
        while tick <= duration + 1e-9 {
            out += "<line x1=\"\(f(x(tick)))\" x2=\"\(f(x(tick)))\" y1=\"\(f(axisY))\" y2=\"\(f(axisY + 5))\" stroke=\"#444\"/>"
            out += "<text x=\"\(f(x(tick)))\" y=\"\(f(axisY + 18))\" text-anchor=\"middle\" fill=\"#444\">\(JSONLine.fixed(tick, decimals: 1)) s</text>\n"
            tick += step
        }
        out += "</svg>\n"
        return out
    }

    static func tickStep(_ duration: Double) -> Double {
        for step in [0.5, 1, 2, 5, 10, 30, 60, 300, 600] where duration / step <= 20 { return step }
        return 3600
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }
}
