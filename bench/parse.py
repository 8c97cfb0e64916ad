"""Parsing a big export: trellolens' parser against the standard library's json.loads, in one run.

A generated board of 10,000 cards and 100,000 actions (about 52 MB of JSON, as bench/metrics.py
makes it) is written to a temporary file. Timed, interleaved, best and median of REPEATS:

- json.loads of the bytes (the peer: what a script reading an export does), orjson.loads (the
  peer an expert would pick for speed) and ``msgspec.json.decode`` alone (the floor: the decoder
  trellolens uses, before it builds anything);
- parse_board_bytes: decoding plus building the whole Board model (typed, checked).

The cyclic garbage collector is paused for every candidate alike (parse_board_bytes pauses it
itself while it builds; json.loads with the collector on spends about a third of its time in it),
and each candidate gets the same warm-up round.

Peak memory: each of json.loads and parse_board_bytes runs once in a fresh interpreter that has
already read the bytes; the growth of its peak resident memory (VmHWM) over the resident
memory just before the call is what the call needed. Medians of MEMORY_RUNS.
Goals: parse_board_bytes at most 1.0x json.loads in time, and no more peak memory.
(The goal was set against json.loads with the collector on; with it paused on both sides the
goal is not met: the table says so.)
This machine is shared and noisy: compare the ratios, not the absolute times.

Run: .venv/bin/python bench/parse.py
"""

from __future__ import annotations

import gc
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import msgspec
import orjson

from results import best_median, record, repeats, timed_runs
from trellolens.board import parse_board_bytes
from trellolens.testing import generate_export

CARDS = 10_000
ACTIONS = 100_000
REPEATS = repeats(7, 3)
MEMORY_RUNS = repeats(3, 1)

# VmHWM, not ru_maxrss: a child's ru_maxrss starts at its parent's peak (fork and exec keep it).
PEAK_PROBE = """
import gc, json, sys
from pathlib import Path
gc.disable()
from trellolens.board import parse_board_bytes
def status_kib(field):
    line = next(x for x in Path("/proc/self/status").read_text().splitlines() if x.startswith(field))
    return int(line.split()[1])
raw = Path(sys.argv[2]).read_bytes()
before = status_kib("VmRSS:")
if sys.argv[1] == "json":
    result = json.loads(raw)
else:
    result = parse_board_bytes(raw, source="bench", max_bytes=len(raw) + 1)
print(status_kib("VmHWM:") - before)
"""


def peak_growth_mib(kind: str, path: Path) -> float:
    runs = []
    for _ in range(MEMORY_RUNS):
        done = subprocess.run(
            [sys.executable, "-c", PEAK_PROBE, kind, str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(int(done.stdout.strip()) / 1024)
    return statistics.median(runs)


def main() -> None:
    export = generate_export(lists=6, cards=CARDS, actions=ACTIONS, months=12, seed=1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated-board.json"
        path.write_text(json.dumps(export), encoding="utf-8")
        del export
        raw = path.read_bytes()
        decoder = msgspec.json.Decoder()
        gc.disable()  # the same collector setting for every candidate
        seconds = timed_runs(
            {
                "json.loads (stdlib)": lambda: json.loads(raw),
                "orjson.loads": lambda: orjson.loads(raw),
                "msgspec decode": lambda: decoder.decode(raw),
                "parse_board_bytes -> Board": lambda: parse_board_bytes(
                    raw, source="bench", max_bytes=len(raw) + 1
                ),
            },
            REPEATS,
        )
        gc.enable()
        json_peak = peak_growth_mib("json", path)
        parse_peak = peak_growth_mib("parse", path)
    print(f"board: {CARDS:,} cards, {ACTIONS:,} actions, {len(raw) / 1e6:.1f} MB export")
    print(f"time, collector paused for all, one warm-up, {REPEATS} runs interleaved:")
    for name, runs in seconds.items():
        print(
            f"  {name:<28} best {min(runs) * 1000:7.0f} ms   "
            f"median {statistics.median(runs) * 1000:7.0f} ms"
        )
    base = statistics.median(seconds["json.loads (stdlib)"])
    for name in ("orjson.loads", "msgspec decode", "parse_board_bytes -> Board"):
        print(f"  {name} / json.loads: {statistics.median(seconds[name]) / base:.2f}x (median)")
    print(f"peak memory growth, fresh process each, median of {MEMORY_RUNS}:")
    print(f"  json.loads                   {json_peak:7.1f} MiB")
    print(f"  parse_board_bytes -> Board   {parse_peak:7.1f} MiB")
    print(
        f"parse_board_bytes / json.loads: "
        f"{statistics.median(seconds['parse_board_bytes -> Board']) / base:.2f}x the time "
        f"(goal <= 1.0x), {parse_peak / json_peak:.2f}x the peak memory (goal <= 1.0x)"
    )
    report(seconds, json_peak, parse_peak, len(raw))


def report(seconds: dict[str, list[float]], json_peak: float, parse_peak: float, size: int) -> None:
    ours = seconds["parse_board_bytes -> Board"]
    floor = statistics.median(seconds["msgspec decode"])
    what = (
        f"parsing a {size / 1e6:.0f} MB export ({CARDS:,} cards, {ACTIONS:,} actions) into a Board"
    )
    for peer, label in (
        ("json.loads (stdlib)", "`json.loads` of the same bytes, collector paused too"),
        ("orjson.loads", "`orjson.loads` of the same bytes, collector paused too"),
    ):
        record(
            "parse",
            what,
            best_median(ours, "ms", 1000),
            f"{label}: {best_median(seconds[peer], 'ms', 1000)}",
            f"{statistics.median(ours) / statistics.median(seconds[peer]):.2f}x the time"
            + (" (goal <= 1.0x)" if peer.startswith("json") else ""),
            f"{statistics.median(ours) / floor:.2f}x `msgspec.json.decode` alone "
            f"({floor * 1000:,.0f} ms)",
        )
    record(
        "parse",
        "peak memory growth of that parse, fresh process",
        f"{parse_peak:.1f} MiB",
        f"`json.loads`: {json_peak:.1f} MiB",
        f"{parse_peak / json_peak:.2f}x (goal <= 1.0x)",
    )


if __name__ == "__main__":
    main()
