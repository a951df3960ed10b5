#!/usr/bin/env python3
"""Benchmark `notes-vet watch` on a large folder.

usage: bench/watch.py [N] [--saves S] [--debounce MS] [--keep DIR]

Generates N notes (default 10,000) with ../shared/bench/gen_notes.py, builds
the release binary, starts `watch --format json` on the folder and, once it
is ready, measures:

  latency  over S saves (default 60) of a note the way safe-saving editors
           do it (write a temp file, rename it over the note), the time from
           the rename to the note's summary rewritten, and to the dashboard
           rewritten (each save changes the client's name, which both show)
  idle     CPU used over 5 s while nothing changes
  memory   RSS after the first pass, and after 1,000 more saves
  burst    1,000 notes rewritten at once (as `git checkout` does): time
           until the last of their `note` events and the dashboard update

Latencies are reported as p50/p95/p99 in milliseconds. For scale, the same
run times what a user without `watch` would wait after each save: the read
floor (cat every note), `check` on the unchanged folder, and the peer script
(../shared/bench/peer_vet.py, needs PyYAML and Jinja2), best of 3 each.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "bench")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def mtime(path):
    try:
        return os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return 0


def pct(values, p):
    s = sorted(values)
    k = min(len(s) - 1, max(0, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def save(path, text):
    """Write a temp file beside the note and rename it over the note."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(tmp, path)


def renamed(text, name):
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("client:"):
            lines[i] = f'client: "{name}"'
            break
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=10_000)
    ap.add_argument("--saves", type=int, default=60)
    ap.add_argument("--debounce", type=int, default=None)
    ap.add_argument("--keep", default=None)
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "notes-vet")
    work = args.keep or tempfile.mkdtemp(prefix="nv-watch-")
    notes = os.path.join(work, "notes")
    if os.path.exists(notes):
        shutil.rmtree(notes)
    subprocess.run([sys.executable, os.path.join(SHARED, "gen_notes.py"), notes, str(args.n)],
                   check=True, stdout=subprocess.DEVNULL)
    def best_of(command, shell=False, runs=3):
        best = float("inf")
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(command, shell=shell, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            best = min(best, time.perf_counter() - t)
        return best

    floor = best_of(f"find '{notes}' -name _vetted -prune -o -name _peer -prune -o -name '*.md' -print0 | xargs -0 cat > /dev/null", shell=True)
    subprocess.run([exe, "check", "-q", "--today", "2026-11-23", notes], stdout=subprocess.DEVNULL)
    rerun = best_of([exe, "check", "-q", "--today", "2026-11-23", notes])
    peer_script = os.path.join(SHARED, "peer_vet.py")
    peer = best_of([sys.executable, peer_script, notes]) if os.path.exists(peer_script) else float("nan")
    shutil.rmtree(os.path.join(notes, "_peer"), ignore_errors=True)
    cmd = [exe, "watch", "--format", "json", "--today", "2026-11-23", notes]
    if args.debounce is not None:
        cmd[2:2] = ["--debounce", str(args.debounce)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    events = []
    ready = threading.Event()
    lock = threading.Lock()

    def reader():
        for line in proc.stdout:
            e = json.loads(line)
            with lock:
                events.append((time.perf_counter(), e))
            if e.get("event") == "ready":
                ready.set()

    threading.Thread(target=reader, daemon=True).start()
    if not ready.wait(300):
        sys.exit("watch did not become ready")
    first_pass = time.perf_counter() - started
    client_notes = []
    for dirpath, _, files in os.walk(notes):
        if "_vetted" in dirpath:
            continue
        for name in files:
            if name.endswith(".md"):
                p = os.path.join(dirpath, name)
                with open(p, encoding="utf-8") as f:
                    text = f.read()
                if "\nclient:" in text:
                    client_notes.append((p, text))
    client_notes.sort()
    out = os.path.join(notes, "_vetted")
    index = os.path.join(out, "index.md")
    rss_ready = rss_kib(proc.pid)
    time.sleep(1)

    # Idle CPU.
    c0, t0 = cpu_seconds(proc.pid), time.perf_counter()
    time.sleep(5)
    idle = (cpu_seconds(proc.pid) - c0) / (time.perf_counter() - t0) * 100

    # Latency per save.
    rng = random.Random(7)
    to_summary, to_dashboard = [], []
    for k in range(args.saves):
        path, text = client_notes[rng.randrange(len(client_notes))]
        rel = os.path.relpath(path, notes)
        summary = os.path.join(out, "summaries", rel)
        s0, d0 = mtime(summary), mtime(index)
        save(path, renamed(text, f"Bench Client {k}"))
        t = time.perf_counter()
        got_s = got_d = None
        while time.perf_counter() - t < 5 and (got_s is None or got_d is None):
            now = time.perf_counter()
            if got_s is None and mtime(summary) != s0:
                got_s = now - t
            if got_d is None and mtime(index) != d0:
                got_d = now - t
            time.sleep(0.0005)
        if got_s is None or got_d is None:
            sys.exit(f"save {k} of {rel}: no rewrite within 5 s")
        to_summary.append(got_s * 1000)
        to_dashboard.append(got_d * 1000)
        time.sleep(0.05)

    # Memory over 1,000 more saves.
    for k in range(1000):
        path, text = client_notes[k % len(client_notes)]
        save(path, renamed(text, f"Churn {k}"))
        time.sleep(0.003)
    time.sleep(2)
    rss_after = rss_kib(proc.pid)

    # A burst of 1,000 notes: every one renamed (so every summary and the
    # dashboard must change), written back to back as `git checkout` does.
    burst = client_notes[1000:2000]
    summaries = [os.path.join(out, "summaries", os.path.relpath(p, notes)) for p, _ in burst]
    before = {s: mtime(s) for s in summaries}
    d0 = mtime(index)
    t = time.perf_counter()
    for path, text in burst:
        with open(path, "w", encoding="utf-8") as f:
            f.write(renamed(text, "Burst " + os.path.basename(path)))
    written = time.perf_counter() - t
    burst_s = float("nan")
    pending = set(summaries)
    while time.perf_counter() - t < 30:
        pending = {s for s in pending if mtime(s) == before[s]}
        if not pending and mtime(index) != d0:
            burst_s = time.perf_counter() - t
            break
        time.sleep(0.005)

    proc.send_signal(2)
    proc.wait(5)

    print(f"notes: {len(client_notes)} client notes of {args.n} files; first pass {first_pass:.2f} s")
    print(f"saves: {args.saves} (temp file + rename)")
    print("| | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |")
    print("|---|---|---|---|---|")
    for name, v in (("rename -> summary", to_summary), ("rename -> dashboard", to_dashboard)):
        print(f"| {name} | {pct(v, 50):.1f} | {pct(v, 95):.1f} | {pct(v, 99):.1f} | {max(v):.1f} |")
    print(f"for scale: read floor {floor * 1000:.0f} ms, `check` unchanged re-run {rerun * 1000:.0f} ms, peer_vet.py {peer * 1000:.0f} ms")
    s95 = pct(to_summary, 95) / 1000
    print(f"summary p95 = {s95 / floor:.2f}x the read floor, {rerun / s95:.1f}x faster than a `check` re-run, {peer / s95:.0f}x faster than the peer")
    print(f"idle CPU: {idle:.2f}% of one core over 5 s")
    print(f"RSS: {rss_ready / 1024:.1f} MiB after the first pass, {rss_after / 1024:.1f} MiB after 1,000 more saves")
    print(f"burst of 1,000 notes (written in {written * 1000:.0f} ms): every summary and the dashboard rewritten {burst_s:.2f} s after the first write")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
