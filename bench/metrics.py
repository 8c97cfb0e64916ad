"""Flow metrics against reading the JSON: is computing every metric cheaper than json.loads?

On a generated board of 10,000 cards and 100,000 actions, written to a temporary export file, time
(a) json.loads of its bytes, (b) parse_board_bytes into the Board model, (c) compute_flow_metrics
plus both forecasts, (d) the same with every metrics option on (work types by a list custom field,
blocked by label and list, business days with holidays in a time zone, size from a number field,
a derived SLE, flow efficiency with a wait list, XmR charts, the backlog forecast of every backlog
card with scope growth at 10,000 trials, flow debt) plus the forecast per work type, each best of
N in one run; (e) the backlog forecast alone for 500 backlog cards at 10,000 trials. The board
carries custom field values on every card and Blocked label actions in place of some comments
(still 100,000 actions). (a) and (b) run with the cyclic garbage collector paused, as
parse_board_bytes pauses it itself: the same setting on both sides. Targets: (b)/(a) < 3,
(c)/(a) < 1, (d)/(a) < 1 and (e) < 1 s.
Also prints the AppTest rerun time after a filter change, when bench/metrics_apptest.py exists.
"""

from __future__ import annotations

import gc
import importlib
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from results import record, repeats
from trellolens.board import parse_board_bytes
from trellolens.metrics import (
    BlockedRule,
    MetricOptions,
    ServiceLevel,
    WorkCalendar,
    WorkTypes,
    compute_flow_metrics,
    forecast_by_type,
    forecast_how_many,
    forecast_when,
)
from trellolens.metrics.backlog import BacklogCard, forecast_backlog
from trellolens.metrics.flow_debt import flow_debt
from trellolens.metrics.options import (
    BacklogForecastOptions,
    BehaviourCharts,
    FlowDebtRule,
    FlowEfficiency,
)
from trellolens.testing import generate_export

CARDS = 10_000
ACTIONS = 100_000
REPEATS = repeats(5, 2)


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


ALL_OPTIONS = MetricOptions(
    calendar=WorkCalendar(
        holidays=frozenset({date(2024, 1, 1), date(2024, 5, 1), date(2023, 12, 25)}),
        time_zone="Europe/Berlin",
    ),
    work_types=WorkTypes(field="Work type"),
    blocked=BlockedRule(labels=("blocked",), lists=("Testing",)),
    size_field="Story points",
    service_level=ServiceLevel(),
    flow_efficiency=FlowEfficiency(wait_lists=("Review",)),
    behaviour=BehaviourCharts(),
    backlog=BacklogForecastOptions(scope_growth=True),
    flow_debt=FlowDebtRule(),
)
BACKLOG_CARDS = 500


def with_options_data(export: dict[str, Any], seed: int = 1) -> dict[str, Any]:
    """Custom fields on every card; a Blocked label added and removed in place of 1 comment in 5."""
    rng = random.Random(seed)
    export["customFields"] = [
        {"id": "f-points", "name": "Story points", "type": "number", "pos": 1},
        {"id": "f-kind", "name": "Work type", "type": "list", "pos": 2, "options": [
            {"id": f"o-{i}", "value": {"text": text}, "pos": i}
            for i, text in enumerate(("Feature", "Bug", "Chore", "Debt"))
        ]},
    ]  # fmt: skip
    blocked = {"id": "label-blocked", "name": "Blocked", "color": "red"}
    export["labels"].append(blocked)
    for card in export["cards"]:
        card["customFieldItems"] = [
            {"idCustomField": "f-points", "value": {"number": str(rng.choice((1, 2, 3, 5, 8)))}},
            {"idCustomField": "f-kind", "idValue": f"o-{rng.randrange(4)}"},
        ]
    carrying: set[str] = set()
    for action in sorted(export["actions"], key=lambda a: (a["date"], a["id"])):
        if action["type"] != "commentCard" or rng.random() >= 0.2:
            continue
        card_id = action["data"]["card"]["id"]
        action["type"] = "removeLabelFromCard" if card_id in carrying else "addLabelToCard"
        action["data"] = {**action["data"], "label": blocked}
        action["data"].pop("text", None)
        carrying ^= {card_id}
    for card in export["cards"]:
        if card["id"] in carrying:
            card["idLabels"] = [*card["idLabels"], blocked["id"]]
    return export


def every_metric_with_options(raw: bytes) -> Callable[[], object]:
    board = parse_board_bytes(raw, source="bench", max_bytes=len(raw) + 1)

    def run() -> object:
        metrics = compute_flow_metrics(board, options=ALL_OPTIONS)
        start = metrics.as_of.date()
        calendar = ALL_OPTIONS.calendar
        when = forecast_when(
            metrics.daily_throughput, len(metrics.wip), start=start, seed=1, calendar=calendar
        )
        many = forecast_how_many(
            metrics.daily_throughput,
            start + timedelta(days=30),
            start=start,
            seed=1,
            calendar=calendar,
        )
        assert metrics.work_types is not None
        by_type = forecast_by_type(
            metrics.work_types, metrics.wip["type"], start=start, seed=1, calendar=calendar
        )
        return metrics, when, many, by_type, flow_debt(metrics, ALL_OPTIONS.flow_debt)

    return run


def backlog_of_500(raw: bytes) -> Callable[[], object]:
    """The backlog forecast alone: 500 backlog cards after the board's WIP, 10,000 trials."""
    board = parse_board_bytes(raw, source="bench", max_bytes=len(raw) + 1)
    metrics = compute_flow_metrics(board)
    cards = tuple(BacklogCard(f"c{n}", f"card {n}", "Backlog", "") for n in range(BACKLOG_CARDS))

    def run() -> object:
        return forecast_backlog(
            metrics.daily_throughput, cards, len(metrics.wip), start=metrics.as_of.date(),
            trials=10_000, seed=1,
        )  # fmt: skip

    return run


def apptest_line(export_path: Path) -> str:
    """The UI's own benchmark (bench/metrics_apptest.py, beside this script) when it exists."""
    try:
        module = importlib.import_module("metrics_apptest")
    except ModuleNotFoundError as missing:
        if missing.name != "metrics_apptest":
            raise
        return "not available (no bench/metrics_apptest.py)"
    seconds = module.apptest_rerun_seconds(export_path)
    return f"{seconds * 1000:,.0f} ms"


def main() -> None:
    export = with_options_data(
        generate_export(lists=6, cards=CARDS, actions=ACTIONS, months=12, seed=1)
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated-board.json"
        path.write_text(json.dumps(export), encoding="utf-8")
        raw = path.read_bytes()
        print(f"board: {CARDS:,} cards, {ACTIONS:,} actions, {len(raw) / 1e6:.1f} MB export")
        gc.disable()  # the setting parse_board_bytes uses, for both (a) and (b)
        loads = best_of(REPEATS, lambda: json.loads(raw))
        parse = best_of(
            REPEATS, lambda: parse_board_bytes(raw, source="bench", max_bytes=len(raw) + 1)
        )
        gc.enable()
        metrics = best_of(REPEATS, every_metric(raw))
        options = best_of(REPEATS, every_metric_with_options(raw))
        backlog = best_of(REPEATS, backlog_of_500(raw))
        print(f"(a) json.loads                       {loads * 1000:8.1f} ms")
        print(f"(b) parse_board_bytes -> Board        {parse * 1000:8.1f} ms")
        print(f"(c) every metric + both forecasts     {metrics * 1000:8.1f} ms")
        print(f"(d) (c) with every option + per type  {options * 1000:8.1f} ms")
        print(f"(e) backlog forecast, 500 cards x 10k  {backlog * 1000:8.1f} ms")
        print(f"(b)/(a) = {parse / loads:.2f}  (target < 3)")
        print(f"(c)/(a) = {metrics / loads:.2f}  (target < 1)")
        print(f"(d)/(a) = {options / loads:.2f}  (target < 1)")
        print(f"(e)     = {backlog:.2f} s  (target < 1 s)")
        rerun = apptest_line(path)
        print(f"AppTest rerun after a workflow change: {rerun}")
    peer = f"`json.loads` of the same export, collector paused: {loads * 1000:,.0f} ms"
    for label, seconds, target in (
        ("parsing into the Board", parse, 3),
        ("every metric and both forecasts", metrics, 1),
        ("every metric with every option, plus a forecast per work type", options, 1),
    ):
        record(
            "metrics",
            f"{label}, {CARDS:,} cards and {ACTIONS:,} actions (best of {REPEATS})",
            f"{seconds * 1000:,.0f} ms",
            peer,
            f"{seconds / loads:.2f}x (target < {target}x)",
        )
    record("metrics", "dashboard rerun after a workflow change (AppTest)", rerun, "none", "-")
    record(
        "metrics",
        f"backlog forecast alone: 500 backlog cards, 10,000 trials (best of {REPEATS})",
        f"{backlog * 1000:,.0f} ms",
        "none (target < 1 s)",
        "-",
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
