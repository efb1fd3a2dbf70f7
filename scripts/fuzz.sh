#!/usr/bin/env bash
# Builds the libFuzzer binary and runs each fuzz target on its corpus in Tests/Fuzz/corpus/NAME.
#
# SwiftPM renames an executable's `main`, so the fuzz driver has its own build line: the library
# modules (ChorusCore, ChorusMedia, ChorusWebhooks, ChorusALSA, Chorus) and the harnesses
# (Tests/Fuzz/Harness, the same code FuzzRegressionTests replays in `make test`) are compiled with
# -sanitize=fuzzer,address into static libraries, then linked with Tests/Fuzz/Driver once. Each
# target is a hard link named after it; the binary picks its harness from its name.
#
#   FUZZ_SECONDS=60     how long each target runs (default 60)
#   FUZZ_TARGETS="..."  which targets (default: all of rtp source-spec jitter ogg opus webhook)
#   FUZZ_RUNS=N         stop each target after N executions instead (with FUZZ_SECONDS as a cap)
#   FUZZ_JOBS=N         libFuzzer worker processes per target (default 1)
#   FUZZ_MINIMIZE=1     instead of fuzzing, shrink each corpus to the inputs that keep its coverage
#                       (libFuzzer -merge=1), so the corpus `make test` replays stays small
#
# The jitter and opus inputs are capped at 1024 bytes (up to ~250 packets an input): longer ones
# only repeat what shorter ones test, at a fraction of the speed.
#
# Inputs that crash are kept in Tests/Fuzz/crashes/NAME, where `make test` replays them. The
# executions of each run are appended to .build/fuzz/executions.log.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
targets="${FUZZ_TARGETS:-rtp source-spec jitter ogg opus webhook}"
jobs="${FUZZ_JOBS:-1}"
out=.build/fuzz
mods="$out/modules"
mkdir -p "$mods"

cflags=$(pkg-config --cflags-only-I opus opusfile alsa libcrypto | sed 's/-I/-Xcc -I/g')
cmodules="-I Sources/COpus -I Sources/COpusFile -I Sources/CNetShim -I Sources/CALSA -I Sources/CCrypto $cflags"
swiftflags="-sanitize=fuzzer,address -parse-as-library -O -wmo -I $mods $cmodules"

module() { # name source-dir: a static library and module, rebuilt when its sources change
  local name=$1 dir=$2
  local stamp="$mods/$name.stamp"
  local sum
  sum=$(find "$dir" -name '*.swift' -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$sum" && -f "$mods/lib$name.a" ]]; then return; fi
  echo "fuzz: building $name"
  # shellcheck disable=SC2086
  swiftc $swiftflags -module-name "$name" -emit-module -emit-module-path "$mods/$name.swiftmodule" \
    -emit-library -static -o "$mods/lib$name.a" $(find "$dir" -name '*.swift' | sort)
  echo "$sum" > "$stamp"
}
module ChorusCore Sources/ChorusCore
module ChorusMedia Sources/ChorusMedia
module ChorusWebhooks Sources/ChorusWebhooks
module ChorusALSA Sources/ChorusALSA
module Chorus Sources/Chorus
module FuzzHarness Tests/Fuzz/Harness
echo "fuzz: linking the driver"
# shellcheck disable=SC2086
swiftc $swiftflags -module-name ChorusFuzz Tests/Fuzz/Driver/FuzzDriver.swift -L "$mods" \
  -lFuzzHarness -lChorus -lChorusALSA -lChorusWebhooks -lChorusMedia -lChorusCore \
  -lopusfile -logg -lopus -lasound -lcrypto -o "$out/chorus-fuzz" 2>&1 \
  | { grep -v "Cannot export local symbol '__asan" || true; }

# Swift's own crash handler and ASan fight over a crashing process; let ASan and libFuzzer report.
export SWIFT_BACKTRACE=enable=no
# A leak in libopusfile itself is suppressed (see the file); every other leak is a finding.
export LSAN_OPTIONS="suppressions=$PWD/Tests/Fuzz/lsan.supp:print_suppressions=0"
status=0
for name in $targets; do
  ln -f "$out/chorus-fuzz" "$out/$name"
  mkdir -p "Tests/Fuzz/corpus/$name" "Tests/Fuzz/crashes/$name"
  if [[ -n "${FUZZ_MINIMIZE:-}" ]]; then
    before=$(ls "Tests/Fuzz/corpus/$name" | wc -l)
    rm -rf "$out/merged-$name" && mkdir -p "$out/merged-$name"
    "$out/$name" -merge=1 "$out/merged-$name" "Tests/Fuzz/corpus/$name" 2> "$out/$name.merge.log"
    # The seeds stay whatever their coverage: they are the documented starting points.
    cp Tests/Fuzz/corpus/"$name"/seed-* "$out/merged-$name/" 2>/dev/null || true
    rm -rf "Tests/Fuzz/corpus/$name" && mv "$out/merged-$name" "Tests/Fuzz/corpus/$name"
    echo "  $name: corpus $before -> $(ls "Tests/Fuzz/corpus/$name" | wc -l) inputs"
    continue
  fi
  limits=(-max_total_time="$seconds")
  case $name in jitter | opus) limits+=(-max_len=1024) ;; esac
  [[ -n "${FUZZ_RUNS:-}" ]] && limits+=(-runs="$FUZZ_RUNS")
  parallel=()
  [[ "$jobs" -gt 1 ]] && parallel=(-jobs="$jobs" -workers="$jobs")
  echo "fuzz $name for up to ${seconds}s${FUZZ_RUNS:+ or $FUZZ_RUNS runs}"
  if ! "$out/$name" "${limits[@]}" "${parallel[@]}" -print_final_stats=1 \
      -artifact_prefix="Tests/Fuzz/crashes/$name/" "Tests/Fuzz/corpus/$name" 2> "$out/$name.log"; then
    echo "fuzz $name: CRASH, input kept in Tests/Fuzz/crashes/$name/ (see $out/$name.log)"
    status=1
  fi
  # With -jobs, each worker writes fuzz-N.log; their figures add up.
  stats=$(cat "$out/$name.log" fuzz-*.log 2>/dev/null || true)
  runs=$(awk '/stat::number_of_executed_units/ {s += $2} END {print s + 0}' <<< "$stats")
  rate=$(awk '/stat::average_exec_per_sec/ {s += $2} END {print s + 0}' <<< "$stats")
  rm -f fuzz-*.log
  echo "  $name: $runs executions, $rate per second"
  echo "$(date -u +%FT%TZ) $name $runs" >> "$out/executions.log"
done
exit $status
