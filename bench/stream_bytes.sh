#!/usr/bin/env bash
# Bytes of GET /api/v1/stream in both forms (`api`, for tools; `view`, what an attached
# dashboard reads), over the local socket, for a healthy fleet on the bench nginx: the
# opening snapshot apart, then what the changes cost per minute.
# usage: bench/stream_bytes.sh [SECONDS=60] [BENCH_DIR=../shared/bench]
# BIN=path/to/lookout uses that binary instead of a release build (the bytes do not
# depend on the build).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
bench=$(cd "${2:-../shared/bench}" && pwd)
bin=${BIN:-$PWD/target/release/lookout}
[ -n "${BIN:-}" ] || cargo build --release --quiet
"$bench/nginx.sh" >/dev/null
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT

# measure COUNT INTERVAL FORM: COUNT services every INTERVAL, the stream in FORM read
# for $secs.
measure() {
  local cfg=$w/$1.toml state=$w/state-$1-$3
  {
    printf '[general]\nstate_dir = "%s"\n\n[system]\nenabled = false\n\n' "$state"
    printf '[defaults]\ninterval = "%s"\ntimeout = "900ms"\ndegraded_after = "500ms"\n\n' "$2"
    for i in $(seq 1 "$1"); do
      printf '[[service]]\nname = "svc-%d"\nurl = "http://127.0.0.1:18080/svc/%d/health"\n\n' "$i" "$i"
    done
  } > "$cfg"
  "$bin" --headless --config "$cfg" >/dev/null 2>&1 &
  local pid=$!
  # Every service checked once before reading: the steady state, not the start.
  sleep "$(( ${2%s} + 2 ))"
  timeout "$secs" curl -sN --unix-socket "$state/lookout.sock" \
    "http://lookout/api/v1/stream?form=$3" > "$w/stream-$1" || true
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  local all snapshot
  all=$(wc -c < "$w/stream-$1")
  snapshot=$(awk 'BEGIN { RS = ""; ORS = "\n\n" } NR == 1 { print }' "$w/stream-$1" | wc -c)
  echo "$1 services every $2, form $3: snapshot $snapshot bytes, then $(( (all - snapshot) * 60 / secs )) bytes per minute ($(( all - snapshot )) in ${secs}s)"
}

for form in api view; do
  measure 100 5s "$form"
  measure 1000 10s "$form"
done
