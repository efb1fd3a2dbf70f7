#!/usr/bin/env bash
# Synthesizes a short three-voice conversation into Samples/generated/: one Ogg Opus track per
# participant, each silent while the others speak, so `chorus levels` and `chorus detect` have a
# room to look at. Voices come from espeak-ng and flite, shaped with sox, encoded with opusenc.
set -euo pipefail
out="${1:-Samples/generated}"
mkdir -p "$out"
[ -f "$out/carol.opus" ] && exit 0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

say_espeak() { espeak-ng -v "$1" -s 160 -w "$tmp/$2.raw.wav" "$3"; }
say_espeak en-us alice "Good morning everyone. Shall we start with the release plan?"
flite -voice slt -t "Yes. The build is green and the benchmarks look good." -o "$tmp/bob.raw.wav"
say_espeak en-gb carol "Great. Then let us ship it on Friday."

# Place each utterance on its own track at its turn: alice at 0.5 s, bob at 4.5 s, carol at 8.5 s.
place() { # name start_seconds gain_db
  sox -R -V1 "$tmp/$1.raw.wav" -r 48000 -c 1 -b 16 "$tmp/$1.48k.wav" gain -n -3 gain "$3" pad "$2" \
      && sox -R -V1 "$tmp/$1.48k.wav" "$tmp/$1.wav" pad 0 12 trim 0 12
  opusenc --quiet --bitrate 32 "$tmp/$1.wav" "$out/$1.opus"
}
place alice 0.5 0
place bob 4.5 -6
place carol 8.5 -3
echo "sample: $out/alice.opus $out/bob.opus $out/carol.opus (12 s each)"
