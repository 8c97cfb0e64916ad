"""Flow metrics against reading the JSON: is computing every metric cheaper than json.loads?

On a generated board of 10,000 cards and 100,000 actions, written to a temporary export file, time
(a) json.loads of its bytes, (b) parse_board_bytes into the Board model, (c) compute_flow_metrics
plus both forecasts, each best of N in one run. Targets: (b)/(a) < 3 and (c)/(a) < 1.
Also prints the AppTest rerun time after a filter change, when bench/metrics_apptest.py exists.
"""

from __future__ import annotations

import importlib
import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from trellolens.board import parse_board_bytes
from trellolens.metrics import compute_flow_metrics, forecast_how_many, forecast_when
from trellolens.testing import generate_export

CARDS = 10_000
ACTIONS = 100_000
REPEATS = 5


def best_of(repeats: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def every_metric(raw: bytes) -> Callable[[], object]:
    board = parse_board_bytes(raw, source="bench", max_bytes=len(raw) + 1)

    def run() -> object:
        metrics = compute_flow_metrics(board)
        start = metrics.as_of.date()
        when = forecast_when(metrics.daily_throughput, len(metrics.wip), start=start, seed=1)
        many = forecast_how_many(
            metrics.daily_throughput, start + timedelta(days=30), start=start, seed=1
        )
        return metrics, when, many

    return run


def apptest_line(export_path: Path) -> str:
    """The UI's own benchmark (bench/metrics_apptest.py, beside this script) when it exists."""
    try:
        module = importlib.import_module("metrics_apptest")
    except ModuleNotFoundError as missing:
        if missing.name != "metrics_apptest":
            raise
        return "AppTest rerun after a filter change: not available (no bench/metrics_apptest.py)"
    seconds = module.apptest_rerun_seconds(export_path)
    return f"AppTest rerun after a filter change: {seconds * 1000:8.1f} ms"


def main() -> None:
    export = generate_export(lists=6, cards=CARDS, actions=ACTIONS, months=12, seed=1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated-board.json"
        path.write_text(json.dumps(export), encoding="utf-8")
        raw = path.read_bytes()
        print(f"board: {CARDS:,} cards, {ACTIONS:,} actions, {len(raw) / 1e6:.1f} MB export")
        loads = best_of(REPEATS, lambda: json.loads(raw))
        parse = best_of(
            REPEATS, lambda: parse_board_bytes(raw, source="bench", max_bytes=len(raw) + 1)
        )
        metrics = best_of(REPEATS, every_metric(raw))
        print(f"(a) json.loads                       {loads * 1000:8.1f} ms")
        print(f"(b) parse_board_bytes -> Board        {parse * 1000:8.1f} ms")
        print(f"(c) every metric + both forecasts     {metrics * 1000:8.1f} ms")
        print(f"(b)/(a) = {parse / loads:.2f}  (target < 3)")
        print(f"(c)/(a) = {metrics / loads:.2f}  (target < 1)")
        print(apptest_line(path))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
