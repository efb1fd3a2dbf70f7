#!/usr/bin/env python3
"""RTP/Opus load for `make soak`: replays the Opus packets of an Ogg Opus file as N tracks (one SSRC
each) at 50 packets/s per track to 127.0.0.1, with simulated loss, duplicates and reordering, plus a
stream of garbage datagrams. Loopback only; stops by itself after --seconds."""
import argparse
import random
import socket
import struct
import time

from oggpackets import audio_packets


def ogg_packets(path):
    """The audio packets of an Ogg Opus file."""
    with open(path, "rb") as handle:
        return audio_packets(handle.read())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--opus", required=True)
    parser.add_argument("--tracks", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--loss", type=float, default=0.05)
    parser.add_argument("--dup", type=float, default=0.02)
    parser.add_argument("--reorder", type=float, default=0.05)
    parser.add_argument("--garbage-per-second", type=int, default=50)
    parser.add_argument("--churn", type=int, default=5,
                        help="this many tracks go silent for 8 s of every 20 s, so tracks leave and rejoin (webhooks all along)")
    args = parser.parse_args()
    packets = ogg_packets(args.opus)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    target = ("127.0.0.1", args.port)
    rng = random.Random(1)
    held = {}  # ssrc -> a datagram held back one tick (reordering)
    start = time.monotonic()
    tick = 0
    sent = dropped = 0
    while time.monotonic() - start < args.seconds:
        payload = packets[tick % len(packets)]
        elapsed = time.monotonic() - start
        for n in range(args.tracks):
            ssrc = 0x10000 + n
            if n < args.churn and (elapsed + 3 * n) % 20 < 8:
                continue
            datagram = struct.pack("!BBHII", 0x80, 111, tick & 0xFFFF, (tick * 960) & 0xFFFFFFFF, ssrc) + payload
            if rng.random() < args.loss:
                dropped += 1
                continue
            if rng.random() < args.reorder and ssrc not in held:
                held[ssrc] = datagram
                continue
            sock.sendto(datagram, target)
            sent += 1
            if ssrc in held:
                sock.sendto(held.pop(ssrc), target)
                sent += 1
            if rng.random() < args.dup:
                sock.sendto(datagram, target)
                sent += 1
        for _ in range(args.garbage_per_second // 50):
            sock.sendto(bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 200))), target)
        tick += 1
        delay = start + tick * 0.02 - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    print(f"soak sender: {sent} datagrams sent, {dropped} dropped on purpose, {tick} ticks")


if __name__ == "__main__":
    main()
