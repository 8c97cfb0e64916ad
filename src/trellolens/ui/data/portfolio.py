"""Several boards at once: each open board of a token loaded in a small thread pool, one row each.

Nothing here imports Streamlit: ``pages/boards.py`` draws the progress and the table, and
``data.py`` caches the rows per credential. The pool is small (``WORKERS``) and every request
still goes through the client's process-wide rate limiter, so Trello's 100 requests per 10 s
per token hold however many boards there are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime

from trellolens.board import Board
from trellolens.errors import TrellolensError
from trellolens.metrics import compute_flow_metrics
from trellolens.trello import BoardSummary

WORKERS = 6
"""Boards loaded at the same time: enough to hide Trello's latency, few enough to share the
token's rate limit with the visitor's other pages."""


@dataclass(frozen=True)
class BoardRow:
    """One board of the portfolio: its flow figures, or the one-line reason it has none."""

    board_id: str
    name: str
    wip: int | None = None
    done_7_days: int | None = None
    done_30_days: int | None = None
    median_cycle_days: float | None = None
    oldest_in_progress_days: float | None = None
    oldest_in_progress: str = ""
    problem: str = ""


def board_row(board: Board, as_of: datetime) -> BoardRow:
    """The board's row as of ``as_of`` under its default workflow."""
    try:
        metrics = compute_flow_metrics(board, as_of=as_of)
    except TrellolensError as exc:  # a board the default workflow does not fit
        return BoardRow(board.id, board.name, problem=" ".join(str(exc).split()))
    wip = metrics.wip  # oldest first
    oldest = wip.iloc[0] if len(wip) else None
    return BoardRow(
        board_id=board.id,
        name=board.name,
        wip=len(wip),
        done_7_days=metrics.throughput_in_last(7),
        done_30_days=metrics.throughput_in_last(30),
        median_cycle_days=metrics.cycle_time_percentiles.get(50),
        oldest_in_progress_days=None if oldest is None else float(oldest["age_days"]),
        oldest_in_progress="" if oldest is None else str(oldest["name"]),
    )


def load_rows(
    boards: Sequence[BoardSummary],
    load: Callable[[str], Board],
    as_of: datetime,
    done: Callable[[int, int], None] | None = None,
    workers: int = WORKERS,
) -> list[BoardRow]:
    """A row per board, in the order given; ``load`` runs in ``workers`` threads and ``done``
    (on the calling thread) hears ``(finished, total)`` after each board.

    A board Trello refuses (403, 404, a revoked token...) gets its row with the reason; the
    others load all the same.
    """

    def one(summary: BoardSummary) -> BoardRow:
        try:
            return board_row(load(summary.id), as_of)
        except TrellolensError as exc:
            return BoardRow(summary.id, summary.name, problem=" ".join(str(exc).split()))

    rows: dict[str, BoardRow] = {}
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="trellolens-boards") as pool:
        futures = [pool.submit(one, summary) for summary in boards]
        for finished, future in enumerate(as_completed(futures), start=1):
            row = future.result()
            rows[row.board_id] = row
            if done is not None:
                done(finished, len(futures))
    return [rows[summary.id] for summary in boards if summary.id in rows]
