"""The caching boundary: every ``st.cache_data``/``st.cache_resource`` of the dashboard lives here.

Process-wide caches are shared by every visitor, so they only ever hold the bundled demo board
and tables derived from it. Tables derived from a visitor's upload are memoised in that
visitor's session state, keyed by the upload's content hash: never in a shared cache.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from trellolens.board import Board, demo_board
from trellolens.metrics import FlowMetrics, Workflow, compute_flow_metrics, workflow_from_names
from trellolens.ui.tables import cards_table

if TYPE_CHECKING:
    from trellolens.ui.board_source import BoardChoice

SESSION_TABLE_KEY = "data.cards_table"
"""Session-state key of ``(cache_key, as_of, DataFrame)`` for a visitor's own board."""
SESSION_METRICS_KEY = "data.flow_metrics"
"""Session-state key of ``{(cache_key, stage ids, start id, as_of): FlowMetrics}``, newest last."""
SESSION_METRICS_ENTRIES = 4


def as_of_now() -> datetime:
    """The dashboard's "now" for due-date buckets: the current UTC time, to the minute.

    Rounding to the minute lets a minute's reruns share one cached table.
    """
    return datetime.now(UTC).replace(second=0, microsecond=0)


@st.cache_resource(show_spinner=False)
def cached_demo_board() -> Board:
    """The bundled demo board, parsed once per process (the same for every visitor)."""
    return demo_board()


@st.cache_data(show_spinner=False, max_entries=4)
def _demo_cards_table(as_of: datetime) -> pd.DataFrame:
    return cards_table(cached_demo_board(), as_of)


def cards_table_for(choice: BoardChoice, as_of: datetime) -> pd.DataFrame:
    """The cards table of the visitor's board as of ``as_of`` (see ``tables.cards_table``)."""
    if choice.is_demo:
        return _demo_cards_table(as_of)
    memo = st.session_state.get(SESSION_TABLE_KEY)
    if isinstance(memo, tuple) and memo[:2] == (choice.cache_key, as_of):
        frame: pd.DataFrame = memo[2]
        return frame.copy()
    frame = cards_table(choice.board, as_of)
    st.session_state[SESSION_TABLE_KEY] = (choice.cache_key, as_of, frame)
    return frame.copy()


@st.cache_data(show_spinner=False, max_entries=16)
def _demo_flow_metrics(stage_ids: tuple[str, ...], start_id: str, as_of: datetime) -> FlowMetrics:
    board = cached_demo_board()
    return compute_flow_metrics(board, workflow_from_names(board, stage_ids, start_id), as_of)


def flow_metrics_for(choice: BoardChoice, workflow: Workflow, as_of: datetime) -> FlowMetrics:
    """Flow metrics of the visitor's board for ``workflow`` as of ``as_of``.

    The demo board's are shared by every visitor; a visitor's own board's stay in their
    session (the last few workflow/as-of combinations, so switching back is instant).
    """
    stage_ids = tuple(stage.id for stage in workflow.stages)
    if choice.is_demo:
        return _demo_flow_metrics(stage_ids, workflow.start_list.id, as_of)
    key = (choice.cache_key, stage_ids, workflow.start_list.id, as_of)
    memo = st.session_state.get(SESSION_METRICS_KEY)
    if not isinstance(memo, dict):
        memo = {}
    metrics = memo.pop(key, None)
    if not isinstance(metrics, FlowMetrics):
        metrics = compute_flow_metrics(choice.board, workflow, as_of)
    memo[key] = metrics
    while len(memo) > SESSION_METRICS_ENTRIES:
        del memo[next(iter(memo))]
    st.session_state[SESSION_METRICS_KEY] = memo
    return metrics
