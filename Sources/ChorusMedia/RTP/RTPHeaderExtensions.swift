/// Iterates the elements of an RFC 8285 header-extension block, one-byte or two-byte form, without
/// copying: each element is its ID and the byte range of its data inside the packet.
///
/// Why its own type: the RFC 6464 level lives in here and is the level-only fast path; and the rules
/// (padding bytes, ID 15 stops the one-byte form, lengths that run past the block) are easy to get
/// wrong. A malformed element ends the iteration (``isMalformed`` becomes true); it never traps.
public struct RTPHeaderExtensions {
    /// Which RFC 8285 form the block uses, from its 16-bit "defined by profile" field.
    public enum Form: Sendable, Equatable {
        /// Profile 0xBEDE: `ID(4)|L(4)` then L+1 data bytes; ID 0 is padding, 15 stops parsing.
        case oneByte
        /// Profile 0x100X (`profile & 0xFFF0 == 0x1000`): `ID(8) length(8)` then length bytes; ID 0 is padding.
        case twoByte
        /// Any other profile: not RFC 8285; no elements are reported.
        case other(UInt16)

        /// The form a block with this profile value uses.
        public init(profile: UInt16) {
            if profile == 0xBEDE {
                self = .oneByte
            } else if profile & 0xFFF0 == 0x1000 {
                self = .twoByte
            } else {
                self = .other(profile)
            }
        }
    }

    /// One extension element: its ID and where its data lies in the packet's bytes.
    public struct Element: Sendable, Equatable {
        /// The local extension ID (1–14 one-byte, 1–255 two-byte), as negotiated (`extmap`).
        public var id: UInt8
        /// The data's byte range within the packet buffer the block was parsed from.
        public var range: Range<Int>
    }

    /// The block's form.
    public let form: Form
    private let bytes: UnsafeRawBufferPointer
    private var offset: Int
    private let end: Int
    /// True once iteration stopped at an element whose length ran past the block.
    public private(set) var isMalformed = false

    /// An iterator over `range` (the extension data, after the 4-byte profile/length header) of `bytes`.
    ///
    /// `range` must lie inside `bytes` (``RTPPacket`` guarantees it); it is clamped if it does not.
    public init(profile: UInt16, bytes: UnsafeRawBufferPointer, range: Range<Int>) {
        self.form = Form(profile: profile)
        self.bytes = bytes
        self.offset = max(0, min(range.lowerBound, bytes.count))
        self.end = max(self.offset, min(range.upperBound, bytes.count))
    }

    /// The next element, or nil at the end of the block, at a stop ID, or at a malformed element.
    ///
    /// - Complexity: O(padding skipped); no allocation.
    public mutating func next() -> Element? {
        switch self.form {
        case .oneByte:
            while self.offset < self.end {
                let header = self.bytes[self.offset]
                if header == 0 {  // padding between elements
                    self.offset &+= 1
                    continue
                }
                let id = header >> 4
                if id == 15 {  // reserved: stop parsing the whole block (RFC 8285 §4.2)
                    self.offset = self.end
                    return nil
                }
                let length = Int(header & 0x0F) &+ 1
                let start = self.offset &+ 1
                guard length <= self.end &- start else {
                    self.isMalformed = true
                    self.offset = self.end
                    return nil
                }
                self.offset = start &+ length
                return Element(id: id, range: start..<(start &+ length))
            }
            return nil
        case .twoByte:
            while self.offset < self.end {
                let id = self.bytes[self.offset]
                if id == 0 {  // padding
                    self.offset &+= 1
                    continue
                }
                guard self.end &- self.offset >= 2 else {
                    self.isMalformed = true
                    self.offset = self.end
                    return nil
                }
                let length = Int(self.bytes[self.offset &+ 1])
                let start = self.offset &+ 2
                guard length <= self.end &- start else {
                    self.isMalformed = true
                    self.offset = self.end
                    return nil
                }
                self.offset = start &+ length
                return Element(id: id, range: start..<(start &+ length))
            }
            return nil
        case .other:
            return nil
        }
    }
}
