#!/usr/bin/env bash
# Installs what building, testing and the demo need, and only what is missing, so a second run is
# near-instant. Debian 12, as root (or with sudo). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  pkg-config libopus-dev libopusfile-dev libogg-dev libasound2-dev libssl-dev
  opus-tools sox espeak-ng flite alsa-utils librsvg2-bin
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  python3 python3-venv
)
PY_PACKAGES=(numpy livekit-api)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Python test oracles (numpy; livekit-api, the webhook receiver) live in a virtualenv, never in the system Python.
stamp=".venv/.chorus-deps-$(printf '%s\n' "${PY_PACKAGES[@]}" | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  echo "deps: creating .venv with ${PY_PACKAGES[*]}"
  PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
  "$PY" -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check "${PY_PACKAGES[@]}"
  rm -f .venv/.chorus-deps-*
  touch "$stamp"
fi
