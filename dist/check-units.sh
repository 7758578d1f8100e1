#!/usr/bin/env bash
# Checks the systemd units of dist/systemd with `systemd-analyze verify`
# (pointed at a built binary) and prints the service's exposure score from
# `systemd-analyze security`. Skipped, and said so, without systemd-analyze.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v systemd-analyze >/dev/null; then
    echo "not checked: systemd-analyze is not on this machine"
    exit 0
fi
binary=${1:-target/release/fittrackee}
[ -x "$binary" ] || cargo build --release --quiet --bin fittrackee
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for unit in dist/systemd/*; do
    sed "s|/usr/bin/fittrackee|$(realpath "$binary")|" "$unit" >"$work/$(basename "$unit")"
done
SYSTEMD_LOG_LEVEL=warning systemd-analyze verify "$work"/*
echo "units verified: $(cd dist/systemd && echo *)"
systemd-analyze security --offline=true "$work/fittrackee.service" | tail -1
