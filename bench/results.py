"""What each bench script reports to `make bench`'s table (bench/RESULTS.md), and the shared knobs.

A script calls ``record(...)`` once per measure. Run alone it only prints; run by bench/run_all.py
(which sets BENCH_RESULTS to a JSON-lines file) each row is also appended there. BENCH_QUICK=1
asks for fewer repetitions (``repeats``): the figures are then noisier, and the table says so.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

RESULTS_ENV = "BENCH_RESULTS"
QUICK_ENV = "BENCH_QUICK"


def quick() -> bool:
    return os.environ.get(QUICK_ENV) == "1"


def repeats(full: int, fast: int) -> int:
    """How many repetitions: ``fast`` in quick mode, ``full`` otherwise."""
    return fast if quick() else full


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


@dataclass(frozen=True)
class Row:
    bench: str
    measure: str
    ours: str
    peer: str
    """The peer and how it is used, e.g. ``py-trello 0.20.1, board-level calls: 3.1 s``."""
    ratio: str
    """The ratio the row is about, with its direction, e.g. ``9.8x less wall time``."""
    floor: str = ""
    """trellolens against the floor no implementation can beat, e.g. ``1.4x the floor``."""
    load: str = ""
    date: str = ""
    quick: bool = False


def record(bench: str, measure: str, ours: str, peer: str, ratio: str, floor: str = "") -> Row:
    """One row of the table; also printed, so a script run alone shows what it would report."""
    when = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    row = Row(bench, measure, ours, peer, ratio, floor, load_average(), when, quick())
    print(f"  [row] {measure}: {ours} | {peer} | {ratio} | floor {floor or '-'}")
    target = os.environ.get(RESULTS_ENV)
    if target:
        with Path(target).open("a", encoding="utf-8") as file:
            file.write(json.dumps(asdict(row)) + "\n")
    return row


def timed_runs(
    candidates: dict[str, Callable[[], object]], runs: int, warmups: int = 1
) -> dict[str, list[float]]:
    """Seconds of each candidate, interleaved over ``runs`` rounds after ``warmups`` rounds."""
    seconds: dict[str, list[float]] = {name: [] for name in candidates}
    for round_number in range(warmups + runs):
        for name, work in candidates.items():
            started = time.perf_counter()
            work()
            if round_number >= warmups:
                seconds[name].append(time.perf_counter() - started)
    return seconds


def best_median(runs: Sequence[float], unit: str = "s", scale: float = 1.0) -> str:
    best, median = min(runs) * scale, statistics.median(runs) * scale
    digits = 0 if unit in {"ms", "µs"} else 2
    return f"{median:,.{digits}f} {unit} (best {best:,.{digits}f} {unit})"
