"""Boards: every open board of the token at a glance, each linking to its own overview.

Work in progress, cards done in the last 7 and 30 days, median cycle time and the oldest card in
progress, under each board's default workflow, as of now. With several boards and none chosen,
the app opens here (the board chooser); each board can be made the default (``default_board``). The boards load concurrently
(``portfolio.WORKERS`` at a time, within Trello's rate limit for the token) behind a progress
bar, and the rows are kept per token as long as a live board is.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from trellolens.service import BOARD_TTL_SECONDS
from trellolens.ui.access import access_notice, current_access
from trellolens.ui.components.default_board import default_board_rows
from trellolens.ui.components.table import show_table
from trellolens.ui.data.board_source import board_chosen
from trellolens.ui.data.cache import as_of_now, board_loader, portfolio_slot
from trellolens.ui.data.live_status import LiveState, live_status
from trellolens.ui.data.portfolio import load_rows
from trellolens.ui.markdown_text import plain
from trellolens.ui.views.boards_tables import COLUMNS, OPEN, rows_table
from trellolens.ui.visitor_errors import shows_errors
from trellolens.ui.wording import counted

KEY_PREFIX = "boards_page."
TABLE_KEY = f"{KEY_PREFIX}table"
COLUMN_CONFIG = {
    # Pinned: the link stays in sight however wide the table grows (pinned columns lead).
    OPEN: st.column_config.LinkColumn(OPEN, display_text="Open board", width="small", pinned=True),
    COLUMNS["median_cycle_days"]: st.column_config.NumberColumn(format="%.1f"),
    COLUMNS["oldest_in_progress_days"]: st.column_config.NumberColumn(format="%.1f"),
}


@shows_errors
def render() -> None:
    st.title("Boards")
    decision = current_access()
    if not decision.allowed:
        st.info("This page lists the live boards of Trello accounts; yours are not shown here.")
        access_notice(decision)
        return
    status = live_status()
    if status.state is LiveState.UNCONFIGURED:
        st.info(
            "No Trello credentials are configured yet: the **Connect Trello** page says what to "
            "set. Then every open board of your token is listed here."
        )
        return
    if status.state is not LiveState.READY or status.client is None:
        st.warning(plain(status.reason))
        return
    boards = status.open_boards
    if not boards:
        st.info("This token's member has no open boards.")
        return
    client = status.client
    slot = portfolio_slot(client)
    with slot.lock:
        listed = {board.id for board in boards}
        if slot.rows is None or {row.board_id for row in slot.rows} != listed:
            bar = st.progress(0.0, text=f"Loading {counted(len(boards), 'board')} from Trello...")

            def done(finished: int, total: int) -> None:
                bar.progress(
                    finished / total, text=f"Loaded {finished:d} of {counted(total, 'board')}"
                )

            loader = board_loader(client)
            slot.rows = load_rows(boards, loader, as_of_now(), done)
            slot.loaded_at = datetime.now(UTC)
        rows, loaded_at = list(slot.rows), slot.loaded_at
    refused = sum(1 for row in rows if row.problem)
    st.caption(
        f"{len(rows)} open boards, as of {loaded_at:%Y-%m-%d %H:%M} UTC, each under its default "
        f"workflow (kept {BOARD_TTL_SECONDS // 60} minutes)."
        + (f" {refused:d} could not be shown: see Problem." if refused else "")
    )
    if not board_chosen():
        st.info("Pick a board to open: **Open board** in its row.", icon=":material/touch_app:")
    show_table(rows_table(rows), column_config=COLUMN_CONFIG, key=TABLE_KEY)
    if not decision.visitor:  # the app's own default: not a signed-in visitor's to change
        default_board_rows(boards)


if __name__ == "__main__":
    render()
