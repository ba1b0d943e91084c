#!/usr/bin/env bash
# What one engine with many viewers costs, on the bench nginx: a headless engine alone;
# the same engine while a dashboard is attached to it (both processes, same window);
# and a dashboard running its own engine, as before attaching existed.
# usage: bench/attach_cost.sh [SECONDS=60] [SERVICES=100] [INTERVAL=5s] [BENCH_DIR=../shared/bench]
# BIN=path/to/lookout uses that binary instead of a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
count=${2:-100}
interval=${3:-5s}
bench=$(cd "${4:-../shared/bench}" && pwd)
bin=${BIN:-$PWD/target/release/lookout}
[ -n "${BIN:-}" ] || cargo build --release --quiet
"$bench/nginx.sh" >/dev/null
w=$(mktemp -d)
engine=
trap '[ -n "$engine" ] && kill "$engine" 2>/dev/null; rm -rf "$w"' EXIT

cfg=$w/lookout.toml
{
  printf '[general]\nstate_dir = "%s"\n\n' "$w/state"
  printf '[defaults]\ninterval = "%s"\ntimeout = "900ms"\ndegraded_after = "500ms"\n\n' "$interval"
  for i in $(seq 1 "$count"); do
    printf '[[service]]\nname = "svc-%d"\nurl = "http://127.0.0.1:18080/svc/%d/health"\n\n' "$i" "$i"
  done
} > "$cfg"
settle=$(( ${interval%s} + 2 ))
echo "$count services every $interval, ${secs}s windows, 160x48 screens"

"$bin" --headless --config "$cfg" >/dev/null 2>&1 &
engine=$!
sleep "$settle"
echo "headless alone:        $("$bench/proc_cost.sh" "$secs" "$engine" | tail -1)"

# The viewer is the newest process called lookout, which tui_cost.sh measures.
"$bench/tui_cost.sh" attached "$secs" lookout "$bin --config $cfg" > "$w/attached" &
viewer=$!
sleep 2
echo "headless with a viewer: $("$bench/proc_cost.sh" "$secs" "$engine" | tail -1)"
wait "$viewer"
echo "the attached viewer:    $(cat "$w/attached")"
grep -q "attached to pid $engine" /tmp/tui_screen.attached \
  || echo "  (the viewer's screen did not say it was attached: see /tmp/tui_screen.attached)"
kill "$engine"
wait "$engine" 2>/dev/null || true
engine=

echo "dashboard with its own engine: $("$bench/tui_cost.sh" local "$secs" lookout "$bin --config $cfg")"
