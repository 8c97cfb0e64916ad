"""Parsing a big export: trellolens' parser against the standard library's json.loads, in one run.

A generated board of 10,000 cards and 100,000 actions (about 52 MB of JSON, as bench/metrics.py
makes it) is written to a temporary file. Timed, interleaved, best and median of REPEATS:

- json.loads of the bytes (the peer), orjson.loads and msgspec's decoder (the two candidate
  decoders, to show why trellolens uses msgspec);
- parse_board_bytes: decoding plus building the whole Board model (typed, checked).

Peak memory: each of json.loads and parse_board_bytes runs once in a fresh interpreter that has
already read the bytes; the growth of its peak resident memory (VmHWM) over the resident
memory just before the call is what the call needed. Medians of MEMORY_RUNS.
Goals: parse_board_bytes at most 1.0x json.loads in time, and no more peak memory.
This machine is shared and noisy: compare the ratios, not the absolute times.

Run: .venv/bin/python bench/parse.py
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import msgspec
import orjson

from trellolens.board import parse_board_bytes
from trellolens.testing import generate_export

CARDS = 10_000
ACTIONS = 100_000
REPEATS = 7
MEMORY_RUNS = 3

# VmHWM, not ru_maxrss: a child's ru_maxrss starts at its parent's peak (fork and exec keep it).
PEAK_PROBE = """
import json, sys
from pathlib import Path
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


def timings(candidates: dict[str, Callable[[], object]]) -> dict[str, list[float]]:
    seconds: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(REPEATS):
        for name, work in candidates.items():
            started = time.perf_counter()
            work()
            seconds[name].append(time.perf_counter() - started)
    return seconds


def main() -> None:
    export = generate_export(lists=6, cards=CARDS, actions=ACTIONS, months=12, seed=1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated-board.json"
        path.write_text(json.dumps(export), encoding="utf-8")
        del export
        raw = path.read_bytes()
        decoder = msgspec.json.Decoder()
        seconds = timings(
            {
                "json.loads (stdlib)": lambda: json.loads(raw),
                "orjson.loads": lambda: orjson.loads(raw),
                "msgspec decode": lambda: decoder.decode(raw),
                "parse_board_bytes -> Board": lambda: parse_board_bytes(
                    raw, source="bench", max_bytes=len(raw) + 1
                ),
            }
        )
        json_peak = peak_growth_mib("json", path)
        parse_peak = peak_growth_mib("parse", path)
    print(f"board: {CARDS:,} cards, {ACTIONS:,} actions, {len(raw) / 1e6:.1f} MB export")
    print(f"time, {REPEATS} runs interleaved:")
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


if __name__ == "__main__":
    main()
