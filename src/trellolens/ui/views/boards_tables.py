"""The Boards page's table: one row per open board of the token, each linking to its overview."""

from __future__ import annotations

import pandas as pd

from trellolens.ui.data.portfolio import BoardRow

BOARD, OPEN = "Board", "Open"
COLUMNS = {
    "wip": "Work in progress",
    "done_7_days": "Done, last 7 days",
    "done_30_days": "Done, last 30 days",
    "median_cycle_days": "Median cycle time (days)",
    "oldest_in_progress_days": "Oldest in progress (days)",
    "oldest_in_progress": "Oldest card in progress",
    "problem": "Problem",
}
"""``BoardRow`` field -> column title, in display order."""


def board_link(board_id: str) -> str:
    """The board's overview, relative to the app (so it works under any base path)."""
    return f"./?board={board_id}"


def rows_table(rows: list[BoardRow]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                BOARD: row.name,
                OPEN: board_link(row.board_id),
                **{title: getattr(row, name) for name, title in COLUMNS.items()},
            }
            for row in rows
        ]
    )
