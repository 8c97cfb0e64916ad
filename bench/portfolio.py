"""The Boards page's portfolio load against 20 single-board loads, side by side in one run.

The Trello emulator's real HTTP server serves 20 generated boards (500 cards and 2,500 history
actions each) with 40 ms of latency per request and Trello's real rate limits (100 requests per
10 s per token, 300 per key). Both sides load every board in full and compute its row (work in
progress, done in 7/30 days, median cycle time, oldest card in progress):

- portfolio: ``trellolens.ui.data.portfolio.load_rows``, the Boards page's loader (a pool of
  ``WORKERS`` threads, every request through the client's rate limiter);
- single loads: the same boards one after another, as a visitor picking each board in turn would.

Each repetition uses fresh tokens, so neither side inherits the other's rate-limit window. Printed:
requests, 429 answers, the most requests in any 10 s (the limit is 100), wall time and the ratio.

Run: .venv/bin/python bench/portfolio.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

from results import best_median, record, repeats
from trellolens.board import Board
from trellolens.credentials import Secret
from trellolens.testing import TokenSpec, TrelloEmulator, generate_board
from trellolens.testing.emulator.log import RecordedRequest
from trellolens.trello import BoardSummary, TrelloClient, WindowRegistry
from trellolens.ui.data.portfolio import WORKERS, board_row, load_rows

BOARDS, LISTS, CARDS, ACTIONS = 20, 6, 500, 2_500
LATENCY_MS = 40
REPEATS = repeats(2, 1)
KEY = "canary" + "5b6c7d8e" * 3 + "KEY2"
WINDOW_S = 10.0


def token(side: str, run: int) -> str:
    return f"ATTACANARY{side.upper()}{run:02d}" + "0" * 50


def client(base_url: str, token_value: str) -> TrelloClient:
    return TrelloClient(
        Secret(KEY), Secret(token_value), base_url=base_url, registry=WindowRegistry()
    )


def portfolio(trello: TrelloClient, summaries: list[BoardSummary], as_of: datetime) -> None:
    rows = load_rows(summaries, trello.board_snapshot, as_of)
    assert len(rows) == BOARDS
    assert not any(row.problem for row in rows)


def single_loads(trello: TrelloClient, summaries: list[BoardSummary], as_of: datetime) -> None:
    for summary in summaries:
        board: Board = trello.board_snapshot(summary.id)
        board_row(board, as_of)


def busiest_window(requests: list[RecordedRequest]) -> int:
    """The most requests that started within any ``WINDOW_S`` seconds."""
    starts = sorted(request.started for request in requests)
    most, first = 0, 0
    for last, started in enumerate(starts):
        while started - starts[first] >= WINDOW_S:
            first += 1
        most = max(most, last - first + 1)
    return most


def measure(
    emulator: TrelloEmulator,
    base_url: str,
    side: str,
    run: int,
    load: Callable[[TrelloClient, list[BoardSummary], datetime], None],
) -> dict[str, float]:
    emulator.reset()  # the request log and the key's window (each side has its own tokens)
    with client(base_url, token(side, run)) as trello:
        started = time.perf_counter()
        summaries = [board for board in trello.boards() if not board.closed]
        load(trello, summaries, datetime.now(UTC))
        wall = time.perf_counter() - started
    requests = [r for r in emulator.requests if r.path.startswith("/1/")]
    return {
        "wall": wall,
        "requests": len(requests),
        "refused": sum(1 for r in requests if r.status == 429),
        "busiest": busiest_window(requests),
    }


def main() -> None:
    boards = [
        generate_board(lists=LISTS, cards=CARDS, actions=ACTIONS, seed=500 + number)
        for number in range(BOARDS)
    ]
    tokens = [TokenSpec(token(side, run)) for side in ("p", "s") for run in range(REPEATS)]
    emulator = TrelloEmulator(boards=boards, key=KEY, tokens=tokens, latency_ms=LATENCY_MS)
    results: dict[str, list[dict[str, float]]] = {"portfolio": [], "single": []}
    with emulator.serve() as base_url:
        for run in range(REPEATS):  # interleaved: the machine's noise hits both sides alike
            results["portfolio"].append(measure(emulator, base_url, "p", run, portfolio))
            results["single"].append(measure(emulator, base_url, "s", run, single_loads))
    print(
        f"{BOARDS} boards x {CARDS} cards ({ACTIONS:,} actions each), {LATENCY_MS} ms latency, "
        f"Trello's limits (100 requests per 10 s per token); {REPEATS} runs each, median"
    )
    medians = {}
    for name, label in (
        ("portfolio", f"Boards page ({WORKERS} threads)"),
        ("single", f"{BOARDS} single-board loads"),
    ):
        runs = results[name]
        wall = statistics.median(r["wall"] for r in runs)
        medians[name] = wall
        print(
            f"  {label:<28} {wall:6.2f} s (best {min(r['wall'] for r in runs):.2f} s), "
            f"{int(runs[-1]['requests'])} requests, {int(max(r['refused'] for r in runs))} x 429, "
            f"at most {int(max(r['busiest'] for r in runs))} requests in any 10 s"
        )
    ratio = medians["portfolio"] / medians["single"]
    print(f"  ratio (portfolio / single loads): {ratio:.2f}")
    walls = {name: [r["wall"] for r in runs] for name, runs in results.items()}
    record(
        "portfolio",
        f"Boards page: {BOARDS} boards of {CARDS} cards, {LATENCY_MS} ms latency, Trello's limits, "
        f"{int(results['portfolio'][-1]['requests'])} requests, "
        f"{int(max(r['refused'] for r in results['portfolio']))} x 429",
        best_median(walls["portfolio"]),
        f"the same {BOARDS} boards loaded one after another by the same client: "
        f"{best_median(walls['single'])}",
        f"{ratio:.2f}x the time",
    )


if __name__ == "__main__":
    main()
