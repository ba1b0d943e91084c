#!/usr/bin/env python3
"""What one person does, seen by another: two dashboards attached to the same running
engine in tmux; `p` on the first pauses (then resumes) its selected service, and the time
until the second screen's status bar shows the pause (`PAUSED 1`) or the resume is taken
by polling tmux capture-pane (each poll costs ~2-5 ms: the figures are upper bounds).

usage: bench/action_spread.py CONFIG [PRESSES=50]
Start a headless engine on CONFIG first (`lookout --headless --config CONFIG`); no
service of CONFIG may be paused."""

import os
import statistics
import subprocess
import sys
import time

config = sys.argv[1]
presses = int(sys.argv[2]) if len(sys.argv) > 2 else 50
binary = os.environ.get("BIN", "target/release/lookout")
screens = ["spread-one", "spread-two"]


def tmux(*args):
    return subprocess.run(["tmux", "-L", "spread", *args], capture_output=True, text=True).stdout


def screen(name):
    return tmux("capture-pane", "-p", "-t", name)


tmux("kill-server")
env = "LANG=C.UTF-8 TERM=xterm-256color"
for name in screens:
    tmux("new-session", "-d", "-s", name, "-x", "160", "-y", "48",
         f"{env} exec {binary} --config {config}")
deadline = time.time() + 15
while not all("attached to pid" in screen(name) for name in screens):
    if time.time() > deadline:
        sys.exit("the dashboards did not attach: is a headless engine running on CONFIG?\n"
                 + "\n".join(screen(name) for name in screens))
    time.sleep(0.1)
times = []
for i in range(presses):
    paused = i % 2 == 0
    start = time.perf_counter()
    tmux("send-keys", "-t", screens[0], "p")
    while ("PAUSED 1" in screen(screens[1])) != paused:
        if time.perf_counter() - start > 5:
            break
    times.append((time.perf_counter() - start) * 1000)
    time.sleep(0.2)
tmux("kill-server")
times.sort()
p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
print(f"pause on one screen seen on another: {presses} presses, "
      f"p50 {statistics.median(times):.1f} ms, p99 {p99:.1f} ms, max {times[-1]:.1f} ms")
