"""Reads the packets of an Ogg Opus stream page by page, for the test scripts (soak, fuzz seeds)."""


def audio_packets(data):
    """The audio packets of one Ogg Opus stream in `data` (bytes), with OpusHead and OpusTags skipped."""
    packets, current, pos = [], b"", 0
    while pos + 27 <= len(data) and data[pos:pos + 4] == b"OggS":
        segments = data[pos + 26]
        table = data[pos + 27:pos + 27 + segments]
        body = pos + 27 + segments
        for lace in table:
            current += data[body:body + lace]
            body += lace
            if lace < 255:
                packets.append(current)
                current = b""
        pos = body
    return packets[2:]
