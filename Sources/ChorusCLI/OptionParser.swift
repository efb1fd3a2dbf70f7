import Chorus

/// One option a command accepts.
struct OptionSpec {
    /// The long name with its dashes, e.g. `--interval`.
    var name: String
    /// The placeholder for its value, or nil for a flag.
    var value: String?
    /// One line of help.
    var help: String
    /// Whether it may be given more than once.
    var repeatable = false
}

/// The options and operands of one command line, after parsing against a command's specs.
struct ParsedArguments {
    var values: [String: [String]] = [:]
    var flags: Set<String> = []
    var operands: [String] = []

    func value(_ name: String) -> String? { self.values[name]?.last }
    func all(_ name: String) -> [String] { self.values[name] ?? [] }
    func has(_ name: String) -> Bool { self.flags.contains(name) }

    /// An integer option in `range`, or `defaultValue` when absent.
    func integer(_ name: String, in range: ClosedRange<Int>, default defaultValue: Int, unit: String = "") throws(UsageError) -> Int {
        guard let text = self.value(name) else { return defaultValue }
        guard let number = Int(text), range.contains(number) else {
            throw UsageError("\(name) \(text): expected a whole number from \(range.lowerBound) to \(range.upperBound)\(unit)")
        }
        return number
    }

    /// A positive number of seconds, or nil when absent.
    func seconds(_ name: String) throws(UsageError) -> Double? {
        guard let text = self.value(name) else { return nil }
        guard let value = Double(text), value > 0, value.isFinite else {
            throw UsageError("\(name) \(text): expected a positive number of seconds, e.g. \(name) 10")
        }
        return value
    }

    /// Parses `arguments` (without the command name). `--name=value` and `--name value` both work;
    /// `--` ends options; a lone `-` is an operand.
    static func parse(_ arguments: [String], specs: [OptionSpec]) throws(UsageError) -> ParsedArguments {
        var result = ParsedArguments()
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
                result.operands.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            var name = argument
            var inlineValue: String?
            if let eq = argument.firstIndex(of: "=") {
                name = String(argument[..<eq])
                inlineValue = String(argument[argument.index(after: eq)...])
            }
            if name == "-h" { name = "--help" }
            guard let spec = specs.first(where: { $0.name == name }) else {
                let hint = specs.map(\.name).first { $0.hasPrefix(name) || name.hasPrefix($0) }
                throw UsageError("unknown option \(name)" + (hint.map { "; did you mean \($0)?" } ?? ""))
            }
            if spec.value != nil {
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else if index < arguments.count {
                    value = arguments[index]
                    index += 1
                } else {
                    throw UsageError("option \(name) needs a value (\(name) \(spec.value!))")
                }
                if !spec.repeatable, result.values[name] != nil {
                    throw UsageError("option \(name) given twice; give it once")
                }
                result.values[name, default: []].append(value)
            } else {
                if inlineValue != nil { throw UsageError("option \(name) takes no value") }
                result.flags.insert(name)
            }
        }
        return result
    }
}
