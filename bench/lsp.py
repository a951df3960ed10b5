#!/usr/bin/env python3
"""Benchmark `notes-vet lsp`: how long an editor waits for diagnostics.

usage: bench/lsp.py [--edits E] [--starts S] [--contacts C]

Builds the release binary and a folder with the four example plugins plus a
fifth Lua rule that walks every contact (5 Lua rules in all), and one note
of about 1,000 lines with C contacts (default 200). Then it measures:

  startup    from starting the process to the first publishDiagnostics of
             the note (initialize, initialized, didOpen), S times
  didChange  from sending an incremental didChange (one contact's tone
             changed, as a keystroke would) to its publishDiagnostics,
             E times

and prints the median, p95 and worst of each, in milliseconds.
"""
import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "notes-vet")

FIFTH_RULE = """return {
  code = "BEN001",
  name = "late-and-loud",
  severity = "info",
  summary = "Contacts both after hours and rude or aggressive",
  check = function(note, ctx)
    local n = 0
    for _, c in ipairs(note.meta.contacts or {}) do
      if c.tone == "rude" or c.tone == "aggressive" then
        local d = ctx.parse_date(c.at)
        if d and d.hour and (d.hour < 9 or d.hour >= 18) then n = n + 1 end
      end
    end
    if n > 0 then
      return { field = "contacts", message = string.format("%d late and hostile contacts", n) }
    end
  end,
}
"""


def make_note(contacts):
    lines = ["---", "client: Bench Client Ltd", "status: active", "since: 2025-01-10",
             "topic: branding", "applicant: self", "expectations_set: 2025-01-12",
             "rate: {quoted: 100, requested: 90, currency: EUR}", "contacts:"]
    tones = ["neutral", "neutral", "neutral", "rude", "aggressive", "friendly"]
    today = datetime.date(2026, 11, 23)
    for i in range(contacts):
        # One about every day, ending today; some after hours.
        day = today - datetime.timedelta(days=contacts - 1 - i)
        hour = 8 + (i * 7) % 15
        lines += [f"  - at: \"{day.isoformat()}T{hour:02d}:15\"",
                  f"    channel: {['phone', 'email', 'message'][i % 3]}",
                  f"    tone: {tones[i % len(tones)]}",
                  f"    note: \"contact {i}\""]
    lines += ["invoices:"]
    for i in range(12):
        lines += [f"  - {{id: INV-{i:03d}, amount: 1200, issued: 2026-{1 + i % 11:02d}-01, "
                  f"due: 2026-{1 + i % 11:02d}-28, paid: 2026-{2 + i % 10:02d}-10}}"]
    lines += ["---", "", "# Bench Client Ltd", ""]
    while len(lines) < 1000:
        lines.append(f"- Meeting note {len(lines)}: discussed scope, timeline and the next steps.")
    return "\n".join(lines) + "\n"


class Server:
    def __init__(self, folder):
        self.proc = subprocess.Popen([BIN, "lsp", "--today", "2026-11-23"], cwd=folder,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, env={**os.environ, "LANG": "C.UTF-8"})
        self.next = 0

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                sys.exit("the server went away")
            line = line.strip()
            if not line:
                break
            if line.startswith(b"Content-Length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length))

    def request(self, method, params):
        self.next += 1
        self.send({"jsonrpc": "2.0", "id": self.next, "method": method, "params": params})
        while True:
            m = self.read()
            if m.get("id") == self.next and "method" not in m:
                return m

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics(self, uri):
        while True:
            m = self.read()
            if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
                return m["params"]["diagnostics"]

    def stop(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        self.proc.wait(timeout=10)


def stats(ms):
    ms = sorted(ms)
    p = lambda q: ms[min(len(ms) - 1, int(round(q * (len(ms) - 1))))]
    return f"median {p(0.5):6.2f} ms   p95 {p(0.95):6.2f} ms   worst {ms[-1]:6.2f} ms   ({len(ms)} runs)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edits", type=int, default=300)
    ap.add_argument("--starts", type=int, default=20)
    ap.add_argument("--contacts", type=int, default=200)
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    folder = tempfile.mkdtemp(prefix="nv-lsp-bench-")
    try:
        os.makedirs(os.path.join(folder, "plugins"))
        for f in os.listdir(os.path.join(ROOT, "plugins")):
            if f.endswith(".lua") and not f.endswith(".d.lua"):
                shutil.copy(os.path.join(ROOT, "plugins", f), os.path.join(folder, "plugins", f))
        with open(os.path.join(folder, "plugins", "late-and-loud.lua"), "w") as fh:
            fh.write(FIFTH_RULE)
        with open(os.path.join(folder, "notes-vet.toml"), "w") as fh:
            fh.write('[plugins]\ndirs = ["plugins"]\n')
        text = make_note(args.contacts)
        path = os.path.join(folder, "bench-client.md")
        with open(path, "w") as fh:
            fh.write(text)
        uri = "file://" + path
        lines = text.split("\n")
        lua = len([f for f in os.listdir(os.path.join(folder, "plugins")) if f.endswith(".lua")])
        print(f"note: {len(lines) - 1} lines, {args.contacts} contacts, {len(text)} bytes; "
              f"{lua} Lua rules; {os.cpu_count()} cores")

        starts = []
        for _ in range(args.starts):
            t0 = time.perf_counter()
            s = Server(folder)
            s.request("initialize", {"processId": None, "rootUri": "file://" + folder,
                                     "capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}})
            s.notify("initialized", {})
            s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown",
                                                               "version": 1, "text": text}})
            diags = s.diagnostics(uri)
            starts.append((time.perf_counter() - t0) * 1000)
            s.stop()
        codes = sorted({d.get("code", "") for d in diags})
        print(f"findings on the note: {len(diags)} ({', '.join(codes)})")
        print(f"startup to first publish   {stats(starts)}")

        s = Server(folder)
        s.request("initialize", {"processId": None, "rootUri": "file://" + folder,
                                 "capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}})
        s.notify("initialized", {})
        s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown",
                                                           "version": 1, "text": text}})
        s.diagnostics(uri)
        tone_lines = [i for i, l in enumerate(lines) if l.startswith("    tone: ")]
        current = {i: lines[i][len("    tone: "):] for i in tone_lines}
        changes = []
        for k in range(args.edits):
            i = tone_lines[(k * 37) % len(tone_lines)]
            new = "aggressive" if current[i] != "aggressive" else "neutral"
            edit = {"range": {"start": {"line": i, "character": 10},
                              "end": {"line": i, "character": 10 + len(current[i])}},
                    "text": new}
            current[i] = new
            t0 = time.perf_counter()
            s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": k + 2},
                                                "contentChanges": [edit]})
            s.diagnostics(uri)
            changes.append((time.perf_counter() - t0) * 1000)
        s.stop()
        print(f"didChange to publish       {stats(changes)}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
