#!/usr/bin/env python3
"""Key-to-screen latency of the dashboard in tmux: a key moves the selection (`l`, then
`h`), and the time until the screen shows the new card selected is taken by polling
tmux capture-pane (each poll costs ~2-5 ms: the figures are upper bounds).

usage: bench/key_latency.py CONFIG [PRESSES=200] [NAME=dashboard]
Run it twice: beside a running headless engine on CONFIG (the dashboard attaches to it)
and without one (the dashboard runs its own engine)."""

import re
import statistics
import subprocess
import sys
import time

config = sys.argv[1]
presses = int(sys.argv[2]) if len(sys.argv) > 2 else 200
name = sys.argv[3] if len(sys.argv) > 3 else "dashboard"
binary = "target/release/lookout"
session = f"keylat-{name}"
selected = re.compile(r"▸\S* (\S+)")


def tmux(*args):
    return subprocess.run(["tmux", "-L", "keylat", *args], capture_output=True, text=True).stdout


def chosen():
    for line in tmux("capture-pane", "-p", "-t", session).splitlines():
        found = selected.search(line)
        if found:
            return found.group(1)
    return None


tmux("kill-server")
env = "LANG=C.UTF-8 TERM=xterm-256color"
tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "48",
     f"{env} exec {binary} --config {config}")
deadline = time.time() + 15
while chosen() is None:
    if time.time() > deadline:
        sys.exit(f"no card selected on screen:\n{tmux('capture-pane', '-p', '-t', session)}")
    time.sleep(0.1)
attached = "attached to pid" in tmux("capture-pane", "-p", "-t", session)
times = []
for i in range(presses):
    before = chosen()
    start = time.perf_counter()
    tmux("send-keys", "-t", session, "l" if i % 2 == 0 else "h")
    while chosen() == before:
        if time.perf_counter() - start > 2:
            break
    times.append((time.perf_counter() - start) * 1000)
    time.sleep(0.05)
tmux("kill-server")
times.sort()
p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
print(f"{name} ({'attached' if attached else 'own engine'}): {presses} keys, "
      f"p50 {statistics.median(times):.1f} ms, p99 {p99:.1f} ms, max {times[-1]:.1f} ms")
