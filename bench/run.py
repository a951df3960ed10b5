#!/usr/bin/env python3
"""Benchmark `notes-vet check` side by side with the read floor and the peer.

usage: bench/run.py [N] [--runs R] [--keep DIR]

Generates N notes (default 10,000) with ../shared/bench/gen_notes.py, builds
the release binary, then times, in one run and alternating, R times each:

  floor      find DIR -name '*.md' -print0 | xargs -0 cat > /dev/null
  notes-vet  check DIR --format json: a cold --no-write (--no-cache), a
             first run that writes every output (its output folder and
             cache removed before), and, from the parse cache, an unchanged
             re-run without and with writes, and a re-run after 1% of the
             notes changed (touched to another time)
  peer       python3 ../shared/bench/peer_vet.py DIR: --no-write, first run
             and unchanged re-run

then the latency of `check --no-write ONE.md` (a pre-commit hook's or an
editor's save action), from process start to exit, with no plugin and
with the four example plugins, and the machine's core count.

and prints the best wall time, its ratio to the read floor, peak memory (max
RSS) and the ratios to the peer. The peer needs PyYAML and Jinja2
(`pip install pyyaml jinja2`).
"""
import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "bench")


def timed(cmd, shell=False):
    """Wall seconds and peak RSS (KiB) of one run of cmd."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(cmd, shell=shell, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"failed ({proc.returncode}): {cmd}\n{proc.stderr.decode()}")
    # ru_maxrss of children is the max over all children so far: measure
    # each command in its own /usr/bin/time when available instead.
    return wall, before


def peak_rss(cmd, shell=False):
    if not shutil.which("/usr/bin/time") and not os.path.exists("/usr/bin/time"):
        return None
    full = ["/usr/bin/time", "-f", "%M"] + (["sh", "-c", cmd] if shell else cmd)
    proc = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        return int(proc.stderr.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int, nargs="?", default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", help="generate into (or reuse) this folder")
    ap.add_argument("--lua", action="store_true", help="instead: --no-write with 0, 1 and 5 Lua rules")
    a = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target", "release", "notes-vet")
    notes = a.keep or tempfile.mkdtemp(prefix="notes-vet-bench-")
    if not os.path.isdir(os.path.join(notes, "clients-0000")):
        subprocess.run([sys.executable, os.path.join(SHARED, "gen_notes.py"), notes, str(a.n)], check=True)
    for out in ("_vetted", "_peer"):
        shutil.rmtree(os.path.join(notes, out), ignore_errors=True)
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(notes) for f in fs)

    check = [exe, "check", notes, "--format", "json", "--today", "2026-11-23"]
    if a.lua:
        return bench_lua(a, exe, notes, size, check)
    peer = [sys.executable, os.path.join(SHARED, "peer_vet.py"), notes]
    wipe = lambda sub: (lambda: shutil.rmtree(os.path.join(notes, sub), ignore_errors=True))
    # The peer writes its summaries into the notes folder (`_peer/`), where
    # notes-vet would take them for notes (95,000 more files at 100,000
    # notes): they go before each notes-vet command.
    ours = lambda setup=None: (lambda: (wipe("_peer")(), setup and setup()))
    # name: (command, shell, setup run untimed before each timing)
    commands = {
        # The notes only: generated files left by the runs are not input.
        "floor": (
            f"find '{notes}' -name _vetted -prune -o -name _peer -prune -o -name '*.md' -print0 | xargs -0 cat > /dev/null",
            True,
            None,
        ),
        "notes-vet --no-write": (check + ["--no-write", "--no-cache"], False, ours()),
        "notes-vet first run": (check, False, ours(wipe("_vetted"))),
        "notes-vet unchanged re-run": (check, False, ours()),
        "notes-vet cached --no-write": (check + ["--no-write"], False, ours()),
        "notes-vet 1% changed": (check, False, ours(touch_some(notes, 0.01))),
        "peer --no-write": (peer + ["--no-write"], False, None),
        "peer first run": (peer, False, wipe("_peer")),
        "peer unchanged re-run": (peer, False, None),
    }
    best = {k: float("inf") for k in commands}
    for _ in range(a.runs):
        for name, (cmd, shell, setup) in commands.items():
            if setup:
                setup()
            wall, _ = timed(cmd, shell)
            best[name] = min(best[name], wall)
    rss = {}
    for name, (cmd, shell, setup) in commands.items():
        if setup:
            setup()
        rss[name] = peak_rss(cmd, shell)

    print_table(a, size, commands, best, rss)
    for mode in ["--no-write", "first run", "unchanged re-run"]:
        ratio = best[f"peer {mode}"] / best[f"notes-vet {mode}"]
        print(f"notes-vet {mode}: {ratio:.1f}x faster than the peer's {mode}")
    single_note_latency(exe, notes)
    shutil.rmtree(os.path.join(notes, "_vetted"), ignore_errors=True)
    shutil.rmtree(os.path.join(notes, "_peer"), ignore_errors=True)
    if not a.keep:
        shutil.rmtree(notes)


def touch_some(notes, share):
    """A setup that gives `share` of the notes another modification time
    (an hour ago, different each time): their identity changes, so the
    cache must read them again; not "just now", which the racy rule would
    keep out of the next cache."""
    files = sorted(
        os.path.join(d, f)
        for d, dirs, fs in os.walk(notes)
        if "_vetted" not in d and "_peer" not in d
        for f in fs
        if f.endswith(".md")
    )
    step = max(1, int(1 / share))
    chosen = files[::step]
    count = [0]

    def setup():
        count[0] += 1
        when = time.time() - 3600 - count[0]
        for f in chosen:
            os.utime(f, (when, when))

    return setup


def single_note_latency(exe, notes, runs=30):
    """`check --no-write ONE.md`, process start to exit: no plugin, and the
    four example plugins."""
    one = sorted(
        os.path.join(d, f) for d, _, fs in os.walk(notes) if "_vetted" not in d for f in fs if f.endswith(".md")
    )[0]
    plugged = tempfile.mkdtemp(prefix="notes-vet-one-")
    shutil.copy(one, os.path.join(plugged, "one.md"))
    os.makedirs(os.path.join(plugged, "plugins"))
    for name in ["gone-silent", "scope-creep", "late-payer", "short-notice-cancellations"]:
        shutil.copy(os.path.join(ROOT, "plugins", name + ".lua"), os.path.join(plugged, "plugins"))
    with open(os.path.join(plugged, "notes-vet.toml"), "w") as f:
        f.write('[plugins]\ndirs = ["plugins"]\n')
    for label, path in [("no plugin", one), ("4 example plugins", os.path.join(plugged, "one.md"))]:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([exe, "check", "--no-write", "--today", "2026-11-23", path],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(f"check --no-write one note, {label}: median {times[len(times) // 2]:.1f} ms, "
              f"best {times[0]:.1f} ms ({runs} runs)")
    shutil.rmtree(plugged)


def print_table(a, size, commands, best, rss):
    """The results as a markdown table, with ratios to the read floor."""
    print(f"{a.n} notes, {size / 1e6:.1f} MB, {os.cpu_count()} cores, best of {a.runs}")
    print("| command | wall (s) | x read floor | peak memory (MiB) |")
    print("|---|---|---|---|")
    for name in commands:
        mem = f"{rss[name] / 1024:.1f}" if rss[name] else "?"
        print(f"| {name} | {best[name]:.3f} | {best[name] / best['floor']:.2f} | {mem} |")


def bench_lua(a, exe, notes, size, check):
    """`check --no-write` with no plugin, one Lua rule and five."""
    tmp = tempfile.mkdtemp(prefix="notes-vet-lua-")
    one = os.path.join(tmp, "one")
    five = os.path.join(tmp, "five")
    os.makedirs(one)
    os.makedirs(five)
    plugins = os.path.join(ROOT, "plugins")
    shutil.copy(os.path.join(plugins, "gone-silent.lua"), one)
    for name in ["gone-silent", "scope-creep", "late-payer", "short-notice-cancellations"]:
        shutil.copy(os.path.join(plugins, name + ".lua"), five)
    with open(os.path.join(five, "topics.lua"), "w") as f:
        f.write('return { code = "TOP001", name = "topic-tag", check = function(note, ctx)\n'
                '  for _, t in ipairs(note.meta.tags or {}) do if t == note.meta.topic then return nil end end\n'
                '  return { message = "topic not tagged", field = "tags" } end }\n')
    configs = {}
    for label, folder in [("0 Lua rules", None), ("1 Lua rule", one), ("5 Lua rules", five)]:
        path = os.path.join(tmp, label.replace(" ", "-") + ".toml")
        with open(path, "w") as f:
            if folder:
                f.write(f'[plugins]\ndirs = ["{folder}"]\n')
        configs[label] = path
    commands = {"floor": (f"find '{notes}' -name _vetted -prune -o -name '*.md' -print0 | xargs -0 cat > /dev/null", True)}
    for label, path in configs.items():
        commands[f"check --no-write, {label}"] = (check + ["--no-write", "--config", path], False)
    best = {k: float("inf") for k in commands}
    for _ in range(a.runs):
        for name, (cmd, shell) in commands.items():
            wall, _ = timed(cmd, shell)
            best[name] = min(best[name], wall)
    rss = {name: peak_rss(cmd, shell) for name, (cmd, shell) in commands.items()}
    print_table(a, size, commands, best, rss)
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
