#!/usr/bin/env bash
# lookout's figures with the shared bench scripts (../shared/bench), to be read beside
# the peers measured by peers.sh in the same run.
# usage: bench/lookout.sh [SECONDS=30] [BENCH_DIR=../shared/bench] [PARTS=probes,tui,machine,headless,start]
# Needs: the bench nginx on 127.0.0.1:18080 (BENCH_DIR/nginx.sh), tmux, a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
bench=$(cd "${2:-../shared/bench}" && pwd)
parts=",${3:-probes,tui,machine,headless,start},"
want() { [[ $parts == *",$1,"* ]]; }
bin=$PWD/target/release/lookout
status=http://127.0.0.1:18080/nginx_status
cargo build --release --quiet  # a no-op when the build is current
w=$(mktemp -d)
trap 'tmux -L lookout-bench kill-server 2>/dev/null || true; rm -rf "$w"' EXIT

# fleet NAME COUNT INTERVAL [MAX_CONCURRENT]: N services on the bench nginx.
fleet() {
  {
    # ${HOME}: each process is started with a HOME of its own under $w.
    printf '[general]\nstate_dir = "${HOME}/state"\nhistory = "10m"\nmax_concurrent_checks = %s\n\n' "${4:-256}"
    printf '[defaults]\ninterval = "%s"\ntimeout = "900ms"\ndegraded_after = "500ms"\n\n' "$3"
    for i in $(seq 1 "$2"); do
      printf '[[service]]\nname = "svc-%d"\ngroup = "group-%d"\nurl = "http://127.0.0.1:18080/svc/%d/health"\n\n' "$i" $((i % 8)) "$i"
    done
  } > "$w/$1.toml"
  echo "$w/$1.toml"
}

# dashboard NAME CONFIG: lookout's dashboard in tmux at 160x48 (HOME=$w/NAME); prints its pid.
dashboard() {
  mkdir -p "$w/$1"
  tmux -L lookout-bench new-session -d -s "$1" -x 160 -y 48 \
    "HOME=$w/$1 LANG=C.UTF-8 TERM=xterm-256color exec $bin --config $2"
  sleep 3
  pgrep -n -x lookout
}

if want probes; then
echo "== probes: 500 targets, 1 s interval, new connection per check (dashboard on screen)"
pid=$(dashboard probe500 "$(fleet probe500 500 1s)")
sleep 2
printf 'lookout          '; "$bench/probe_cost.sh" "$secs" "$status" "$pid"
tmux -L lookout-bench kill-session -t probe500

echo "== throughput: 8,000 targets, 1 s interval, new connection per check"
pid=$(dashboard probe8000 "$(fleet probe8000 8000 1s 1024)")
sleep 4
printf 'lookout          '; "$bench/probe_cost.sh" "$secs" "$status" "$pid"
tmux -L lookout-bench capture-pane -p -t probe8000 | tail -1
tmux -L lookout-bench kill-session -t probe8000
fi

if want tui; then
echo "== dashboard at 160x48: 100 services every 5 s, ${secs}s"
mkdir -p "$w/tui100"
"$bench/tui_cost.sh" lookout "$secs" lookout env HOME="$w/tui100" "$bin" --config "$(fleet tui100 100 5s)"
fi

# cpu_ns PID: CPU time of all the process's threads in ns (schedstat; /proc/PID/stat
# counts 10 ms ticks, too coarse for a process that uses 20 ms a minute).
cpu_ns() {
  local total=0 ran _
  for f in /proc/"$1"/task/*/schedstat; do
    read -r ran _ < "$f" && total=$((total + ran))
  done
  echo "$total"
}

# side_by_side LABEL CONFIG: the dashboard and headless mode on the same config at the
# same time (each with a HOME, so a state directory, of its own), so both see the same
# machine.
side_by_side() {
  local name pid_tui pid_headless d0 h0 d1 h1
  name=side-$(printf '%s' "$1" | tr -c 'a-zA-Z0-9' '-')
  pid_tui=$(dashboard "$name" "$2")
  mkdir -p "$w/$name-headless"
  HOME="$w/$name-headless" "$bin" --headless --config "$2" >/dev/null 2>&1 &
  pid_headless=$!
  sleep 3
  d0=$(cpu_ns "$pid_tui"); h0=$(cpu_ns "$pid_headless")
  sleep "$secs"
  d1=$(cpu_ns "$pid_tui"); h1=$(cpu_ns "$pid_headless")
  awk -v l="$1" -v d=$((d1 - d0)) -v h=$((h1 - h0)) \
    'BEGIN{printf "%s: dashboard %.1f ms, headless %.1f ms, headless/dashboard %.0f %%\n", l, d/1e6, h/1e6, 100*h/d}'
  kill -TERM "$pid_headless"; wait "$pid_headless" || true
  tmux -L lookout-bench kill-session -t "$name"
}

if want machine; then
echo "== the machine panel alone at 160x48, sampled every 1 s, ${secs}s, beside htop -d 10 and btm -r 1000"
printf '[general]\nstate_dir = "%s/machine"\n\n[system]\ninterval = "1s"\n' "$w" > "$w/machine.toml"
"$bench/tui_cost.sh" lookout "$secs" lookout "$bin" --config "$w/machine.toml"
"$bench/tui_cost.sh" htop "$secs" htop htop -d 10
if command -v btm >/dev/null; then
  "$bench/tui_cost.sh" btm "$secs" btm btm -r 1000
else
  echo "btm: not installed (cargo install bottom --locked)"
fi
fi

if want headless; then
echo "== headless beside the dashboard (160x48), same config, same window of ${secs}s"
side_by_side "config.example.toml" "$PWD/config.example.toml"
printf '[general]\nstate_dir = "${HOME}/state"\n' > "$w/machine-only.toml"
side_by_side "the machine only (no services)" "$w/machine-only.toml"
side_by_side "100 services every 10 s" "$(fleet side100x10 100 10s)"
side_by_side "100 services every 5 s" "$(fleet side100x5 100 5s)"
side_by_side "500 services every 1 s" "$(fleet side500x1 500 1s)"
fi

want start || exit 0
echo "== startup to first frame (time to the first bytes on the terminal), 10 runs"
cfg=$(fleet start100 100 5s)
for _ in $(seq 1 10); do
  python3 - "$bin" "$cfg" <<'PY'
import fcntl, os, pty, select, struct, sys, termios, time
bin, cfg = sys.argv[1], sys.argv[2]
start = time.monotonic()
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 48, 160, 0, 0))
    os.environ.update(LANG="C.UTF-8", TERM="xterm-256color")
    os.execv(bin, [bin, "--config", cfg])
seen = b""
deadline = start + 10
while b"svc-1 " not in seen and time.monotonic() < deadline:
    r, _, _ = select.select([fd], [], [], 1)
    if r:
        seen += os.read(fd, 65536)
print(f"first_frame_ms={1000 * (time.monotonic() - start):.1f}")
os.kill(pid, 15); os.waitpid(pid, 0)
PY
done | sort -t= -k2 -n | awk -F= '{v[NR]=$2} END{printf "first frame: min %s ms, median %s ms, max %s ms\n", v[1], v[int((NR+1)/2)], v[NR]}'
