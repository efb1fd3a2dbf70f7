#!/usr/bin/env bash
# Builds a scripted room for evaluating active-speaker detection: one Ogg Opus track per participant
# and the ground truth of who speaks when.
#
#   scripts/make-corpus.sh SEED OUTDIR [--small] [--pcm]
#
# Participants (identities are the file stems):
#   alice, bob   talkers sitting together without echo cancellation: each microphone picks up the
#                other ~20 dB down (delayed 4 ms, low-passed), so each track carries the other's bleed
#   carol        a talker at the same level as alice and bob
#   dave         a quiet talker, 14 dB below the others
#   fan          never speaks; a steady fan (low-passed brown noise) at about -38 dBFS RMS
#   keys         never speaks; bursts of keyboard-like clicks on an otherwise silent track
# A turn is the audible part of its utterance: from the first to the last moment within 40 dB of
# its peak. Every track also has its own faint microphone noise (about -66 dBFS). Voices are espeak-ng and
# flite voices chosen by SEED (odd and even seeds use different voice sets); turn order, sentences,
# gaps and overlaps come from bash's RANDOM seeded with SEED, so the same SEED gives the same room.
#
# Writes OUTDIR/{alice,bob,carol,dave,fan,keys}.opus and OUTDIR/schedule.csv with one line per turn:
#   identity,start,end,voice,text        (seconds from the room's start; start/end of audible speech)
# --small makes a 5-turn room of about 20 s for tests; the default is 18 turns, about 60 s.
# --pcm also writes each participant's microphone signal before encoding as OUTDIR/NAME.s16
# (raw s16le, 48 kHz, mono).
# Harder rooms for robustness checks (defaults in brackets): CORPUS_BLEED_DB [-20] how far down each
# of alice and bob picks up the other; CORPUS_QUIET_DB [-14] dave's level against the others;
# CORPUS_NOISE_DBFS [-66] every microphone's own noise; CORPUS_FAN_DBFS [-38] the fan.
set -euo pipefail
bleed_db=${CORPUS_BLEED_DB:--20}
quiet_db=${CORPUS_QUIET_DB:--14}
noise_dbfs=${CORPUS_NOISE_DBFS:--66}
fan_dbfs=${CORPUS_FAN_DBFS:--38}
bleed_gain=$(awk -v d="$bleed_db" 'BEGIN{printf "%.5f", 10^(d/20)}')
usage="usage: make-corpus.sh SEED OUTDIR [--small] [--pcm]"
seed="${1:?$usage}"
out="${2:?$usage}"
turns=18; pcm=0
for flag in "${@:3}"; do
  case "$flag" in
    --small) turns=5 ;;
    --pcm) pcm=1 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
RANDOM=$seed
rate=48000
# Every sox call in repeatable mode: fixed seeds for noise and dither, so the same SEED gives the
# same files byte for byte.
sox() { command sox -R "$@"; }

sentences=(
  "Good morning everyone, shall we start with the release plan?"
  "The build is green and the benchmarks look good."
  "I think we should ship it on Friday."
  "Can somebody check the latency numbers again?"
  "We measured forty milliseconds on the second machine."
  "That sounds right to me."
  "Let me share my screen for a moment."
  "The customer asked about the recording feature."
  "Yes, and the webhook retries are working now."
  "I disagree, the noise floor still moves too slowly."
  "Please send me the notes after the call."
  "We could try a shorter hangover."
  "The quiet microphone in the meeting room is the problem."
  "Okay, next item on the agenda."
  "I will write the summary tonight."
  "Does anyone have questions about the roadmap?"
)

# Voices: odd seeds and even seeds use different sets. tts VOICE TEXT OUT
if (( seed % 2 == 1 )); then
  declare -A voice=([alice]="espeak:en-us" [bob]="flite:slt" [carol]="espeak:en-gb+m3" [dave]="flite:rms")
else
  declare -A voice=([alice]="flite:awb" [bob]="espeak:en-us+f3" [carol]="flite:kal" [dave]="espeak:en-gb-scotland")
fi
tts() {
  case "$1" in
    espeak:*) espeak-ng -v "${1#espeak:}" -s 165 -w "$3" "$2" ;;
    flite:*) flite -voice "${1#flite:}" -t "$2" -o "$3" ;;
  esac
}
rms_db() { sox "$1" -n stats 2>&1 | awk '/RMS lev dB/ {print $4}'; }
# set_rms IN TARGET_DB OUT: scales IN so that its RMS level is TARGET_DB dBFS.
set_rms() { local g; g=$(awk -v t="$2" -v r="$(rms_db "$1")" 'BEGIN{printf "%.2f", t - r}'); sox -V1 "$1" "$3" gain "$g"; }
ms_of() { awk -v s="$1" 'BEGIN{printf "%d", s * 1000 + 0.5}'; }
sec_of() { awk -v m="$1" 'BEGIN{printf "%.3f", m / 1000}'; }

# 1. Utterances: synthesized, 48 kHz mono, trimmed to audible speech, peak-normalized to -3 dBFS
#    (the quiet talker 14 dB lower); their lengths drive the schedule.
speakers=(alice bob carol dave)
declare -A last_end=([alice]=-10000 [bob]=-10000 [carol]=-10000 [dave]=-10000)
declare -A count=([alice]=0 [bob]=0 [carol]=0 [dave]=0)
: > "$tmp/turns"
prev=""; prev_end=600
for ((i = 0; i < turns; i++)); do
  while :; do who=${speakers[RANDOM % 4]}; [ "$who" != "$prev" ] && break; done
  # The first turns visit everyone once so a small room still has each kind of talker.
  (( i < 4 && turns >= 4 )) && who=${speakers[(seed + i) % 4]}
  [ "$who" = "$prev" ] && who=${speakers[(seed + i + 1) % 4]}
  text=${sentences[RANDOM % ${#sentences[@]}]}
  n=${count[$who]}; count[$who]=$((n + 1))
  clip="$tmp/$who.$n.wav"
  tts "${voice[$who]}" "$text" "$tmp/raw.wav"
  gain=0; [ "$who" = dave ] && gain=$quiet_db
  sox -V1 "$tmp/raw.wav" -r $rate -c 1 -b 16 "$clip" \
    gain -n -3 silence 1 0.02 -40d reverse silence 1 0.02 -40d reverse gain $gain
  dur=$(ms_of "$(soxi -D "$clip")")
  # Gap before this turn: mostly 0.4-1.6 s of silence; one turn in four overlaps the previous by 0.7 s.
  if (( i > 0 && RANDOM % 4 == 0 )); then gap=-700; else gap=$((400 + RANDOM % 1200)); fi
  start=$((prev_end + gap))
  (( start < last_end[$who] + 500 )) && start=$((last_end[$who] + 500))
  end=$((start + dur))
  echo "$who $start $end $n ${voice[$who]} $text" >> "$tmp/turns"
  last_end[$who]=$end
  (( end > prev_end )) && prev_end=$end
  prev=$who
done
total=$((prev_end + 1500))
total_s=$(sec_of $total)

# 2. Clean speech track per talker: each clip padded with the silence before it, concatenated.
for who in "${speakers[@]}"; do
  segs=(); cursor=0
  while read -r w start end n _; do
    [ "$w" = "$who" ] || continue
    sox -V1 "$tmp/$who.$n.wav" "$tmp/$who.seg$n.wav" pad "$(sec_of $((start - cursor)))"
    segs+=("$tmp/$who.seg$n.wav"); cursor=$end
  done < "$tmp/turns"
  if [ ${#segs[@]} -eq 0 ]; then
    sox -V1 -n -r $rate -c 1 -b 16 "$tmp/$who.speech.wav" trim 0 "$total_s"
  else
    sox -V1 "${segs[@]}" -b 16 "$tmp/$who.speech.wav" pad 0 "$total_s" trim 0 "$total_s"
  fi
done

# 3. Microphone noise: one long pink noise, each track a different stretch of it.
sox -V1 -n -r $rate -c 1 -b 16 "$tmp/pink.raw.wav" synth "$(sec_of $((total + 60000)))" pinknoise
set_rms "$tmp/pink.raw.wav" "$noise_dbfs" "$tmp/pink.wav"
noise() { sox -V1 "$tmp/pink.wav" "$2" trim "$1" "$total_s"; }

# 4. The fan: low-passed brown noise at -38 dBFS RMS.
sox -V1 -n -r $rate -c 1 -b 16 "$tmp/fan.raw.wav" synth "$total_s" brownnoise lowpass 400
set_rms "$tmp/fan.raw.wav" "$fan_dbfs" "$tmp/fan.only.wav"

# 5. Keyboard: bursts of 6 ms clicks (high-passed noise, -8 dBFS peak) 80-280 ms apart.
sox -V1 -n -r $rate -c 1 -b 16 "$tmp/click.wav" synth 0.006 whitenoise highpass 1500 fade 0 0.006 0.005 gain -n -8
segs=(); t=$((1000 + RANDOM % 2000)); cursor=0
while (( t < total - 2000 )); do
  burst_end=$((t + 1500 + RANDOM % 2500))
  while (( t < burst_end )); do
    sox -V1 "$tmp/click.wav" "$tmp/click.$t.wav" pad "$(sec_of $((t - cursor)))"
    segs+=("$tmp/click.$t.wav"); cursor=$((t + 6)); t=$((t + 80 + RANDOM % 200))
  done
  t=$((t + 3000 + RANDOM % 5000))
done
sox -V1 "${segs[@]}" -b 16 "$tmp/keys.only.wav" pad 0 "$total_s" trim 0 "$total_s"

# 6. Mix each participant's microphone and encode.
for who in alice bob; do
  other=bob; [ $who = bob ] && other=alice
  sox -V1 "$tmp/$other.speech.wav" "$tmp/$who.bleed.wav" lowpass 3500 delay 0.004 trim 0 "$total_s"
done
noise 0 "$tmp/n0.wav"; noise 7 "$tmp/n1.wav"; noise 19 "$tmp/n2.wav"
noise 29 "$tmp/n3.wav"; noise 41 "$tmp/n4.wav"; noise 53 "$tmp/n5.wav"
sox -V1 -m -v 1 "$tmp/alice.speech.wav" -v "$bleed_gain" "$tmp/alice.bleed.wav" -v 1 "$tmp/n0.wav" "$tmp/alice.wav"
sox -V1 -m -v 1 "$tmp/bob.speech.wav" -v "$bleed_gain" "$tmp/bob.bleed.wav" -v 1 "$tmp/n1.wav" "$tmp/bob.wav"
sox -V1 -m -v 1 "$tmp/carol.speech.wav" -v 1 "$tmp/n2.wav" "$tmp/carol.wav"
sox -V1 -m -v 1 "$tmp/dave.speech.wav" -v 1 "$tmp/n3.wav" "$tmp/dave.wav"
sox -V1 -m -v 1 "$tmp/fan.only.wav" -v 1 "$tmp/n4.wav" "$tmp/fan.wav"
sox -V1 -m -v 1 "$tmp/keys.only.wav" -v 1 "$tmp/n5.wav" "$tmp/keys.wav"
for who in alice bob carol dave fan keys; do
  opusenc --quiet --bitrate 32 --serial 1 "$tmp/$who.wav" "$out/$who.opus"
  [ $pcm = 1 ] && sox -V1 "$tmp/$who.wav" -t raw -e signed -b 16 -L "$out/$who.s16"
done

# 7. Ground truth, in time order.
{
  echo "identity,start,end,voice,text"
  sort -n -k2 "$tmp/turns" | while read -r who start end _ v text; do
    echo "$who,$(sec_of "$start"),$(sec_of "$end"),$v,\"$text\""
  done
} > "$out/schedule.csv"
echo "corpus: seed $seed, $turns turns, $total_s s: $out/{alice,bob,carol,dave,fan,keys}.opus, $out/schedule.csv"
