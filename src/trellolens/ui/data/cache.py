"""The caching boundary: every ``st.cache_data``/``st.cache_resource`` of the dashboard lives here.

Process-wide caches are shared by every visitor, so they only ever hold the bundled demo board
and tables derived from it, or what Trello sent for one token, keyed by that token's fingerprint
(never the token): visitors with different tokens never share data, but a board's model, which
``BoardService`` holds once and hands to a token only after that token proved with its own
request that Trello lets it read the board. The Security page's doctor
report is kept 30 seconds, keyed by the app's credentials' fingerprints and settings. Tables derived from a
visitor's upload are memoised in that visitor's session state, keyed by the upload's content hash.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from trellolens.board import Board, demo_board
from trellolens.connection import TrelloConnection, board_service
from trellolens.credentials import Resolver
from trellolens.doctor import DoctorReport, run_doctor
from trellolens.metrics import (
    FlowMetrics,
    MetricOptions,
    Workflow,
    compute_flow_metrics,
    workflow_from_names,
)
from trellolens.service import BOARD_TTL_SECONDS, DASHBOARD_MAX_ACTIONS, LoadWatch, Who, who
from trellolens.trello.rate_limit import Notice
from trellolens.ui.access import current_access
from trellolens.ui.access.visitor_session import VisitorConnection
from trellolens.ui.data.portfolio import BoardRow
from trellolens.ui.markdown_text import plain
from trellolens.ui.views.tables import cards_table

if TYPE_CHECKING:
    from trellolens.trello import BoardSummary, TokenInfo, TrelloClient
    from trellolens.ui.data.board_choice import BoardChoice

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


def flow_metrics_for(
    choice: BoardChoice,
    workflow: Workflow,
    as_of: datetime,
    *,
    options: MetricOptions | None = None,
) -> FlowMetrics:
    """Flow metrics of the visitor's board for ``workflow`` as of ``as_of``.

    The demo board's are shared by every visitor; a visitor's own board's stay in their
    session (the last few workflow/as-of combinations, so switching back is instant).
    ``options`` (work types, blocked, business days, size, SLE) are part of the cache key.
    """
    if options is not None and options.any:
        return _flow_metrics_with_options(choice, workflow, as_of, options)
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


SESSION_OPTION_METRICS_KEY = "data.flow_metrics_options"
"""Like ``SESSION_METRICS_KEY``, for metrics computed with analytics options (options in the key)."""


def options_key(options: MetricOptions) -> tuple[object, ...]:
    """A canonical, hashable form of ``options`` for cache keys (holidays sorted)."""
    calendar = options.calendar
    types = options.work_types
    blocked = options.blocked
    level = options.service_level
    return (
        None
        if calendar is None
        else (
            calendar.weekdays_only,
            tuple(sorted(day.isoformat() for day in calendar.holidays)),
            calendar.time_zone,
        ),
        None if types is None else (types.field, types.labels),
        None if blocked is None else (blocked.labels, blocked.lists),
        options.size_field,
        None if level is None else (level.days, level.warn_days),
        # The analytics options (issue 27): frozen dataclasses of tuples, dates and numbers.
        options.flow_efficiency,
        options.behaviour,
        options.backlog,
        options.flow_debt,
    )


@st.cache_data(show_spinner=False, max_entries=16)
def _demo_flow_metrics_with_options(
    stage_ids: tuple[str, ...],
    start_id: str,
    as_of: datetime,
    key: tuple[object, ...],
    _options: MetricOptions,
) -> FlowMetrics:
    board = cached_demo_board()
    workflow = workflow_from_names(board, stage_ids, start_id)
    return compute_flow_metrics(board, workflow, as_of, _options)


def _flow_metrics_with_options(
    choice: BoardChoice, workflow: Workflow, as_of: datetime, options: MetricOptions
) -> FlowMetrics:
    stage_ids = tuple(stage.id for stage in workflow.stages)
    key = options_key(options)
    if choice.is_demo:
        return _demo_flow_metrics_with_options(
            stage_ids, workflow.start_list.id, as_of, key, options
        )
    memo_key = (choice.cache_key, stage_ids, workflow.start_list.id, as_of, key)
    memo = st.session_state.get(SESSION_OPTION_METRICS_KEY)
    if not isinstance(memo, dict):
        memo = {}
    metrics = memo.pop(memo_key, None)
    if not isinstance(metrics, FlowMetrics):
        metrics = compute_flow_metrics(choice.board, workflow, as_of, options)
    memo[memo_key] = metrics
    while len(memo) > SESSION_METRICS_ENTRIES:
        del memo[next(iter(memo))]
    st.session_state[SESSION_OPTION_METRICS_KEY] = memo
    return metrics


# --- Live Trello boards: through the process's BoardService (trellolens.service) -------------


def trello_connection() -> TrelloConnection | VisitorConnection:
    """The process's Trello connection (``[connections.trello]``, else the credentials resolver).

    Under ``access = "visitor"``, this visitor's own sign-in instead: never the app's token.
    """
    if current_access().visitor:
        return VisitorConnection()
    return st.connection("trello", type=TrelloConnection)


def checked_token(client: TrelloClient) -> TokenInfo:
    """What the token may do (kept a minute); a ``TrelloError`` if Trello refuses it."""
    return board_service().token_info(client)


def board_list(client: TrelloClient, notice: Notice | None = None) -> list[BoardSummary]:
    """The token's boards, kept 5 minutes. Asked for outside any cached function, so a wait for
    Trello's /1/members window can show ``notice`` lines on the page while it lasts."""
    return board_service().boards(client, notice)


class _StatusWatch:
    """A load shown in a status box: the history actions counted as their pages arrive."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.status: Any = None

    @contextlib.contextmanager
    def watch(self) -> Iterator[LoadWatch]:
        with st.status(f"Loading **{plain(self.name)}** from Trello...") as status:
            self.status = status
            yield self
            status.update(label=f"Loaded **{plain(self.name)}** from Trello", state="complete")

    def progress(self, actions: int) -> None:
        self.status.update(
            label=f"Loading **{plain(self.name)}** from Trello: {actions:d} history actions"
        )

    def notice(self, line: str) -> None:  # a rate-limit wait, a board loaded in parts
        self.status.update(label=line)


def live_board(client: TrelloClient, board_id: str, name: str) -> tuple[Board, str, str | None]:
    """The board, a key naming this load of it and its shared version (None without Redis);
    loads through Trello when not cached.

    A ``Board`` is immutable, so one shared object serves every session of every token that
    may read the board (each token proves it with its own request before it is handed).
    While loading, a status box counts the history actions as their pages arrive.
    """
    watch = _StatusWatch(name).watch
    loaded = board_service().board(client, board_id, max_actions=DASHBOARD_MAX_ACTIONS, watch=watch)
    return loaded.board, loaded.load_key(client), loaded.version


def shared_version(board_id: str) -> str | None:
    """The board's shared version in Redis now: one GET, no Trello request, no board load
    (``BoardService.version``); None without Redis or while it does not answer."""
    return board_service().version(board_id)


def board_loader(client: TrelloClient) -> Callable[[str], Board]:
    """A loader of the token's boards for worker threads (no Streamlit call), for the Boards
    page: it uses a board ``live_board`` holds, and keeps one it loads only while it is used
    (the page keeps rows, not boards)."""
    return board_service().loader(client, DASHBOARD_MAX_ACTIONS, pin=False)


@dataclass
class PortfolioSlot:
    """One token's portfolio rows; the lock makes concurrent visitors wait for one load."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    rows: list[BoardRow] | None = None
    loaded_at: datetime | None = None


@st.cache_resource(ttl=BOARD_TTL_SECONDS, max_entries=16, show_spinner=False)
def _portfolio_slot(who: Who) -> PortfolioSlot:
    return PortfolioSlot()


def portfolio_slot(client: TrelloClient) -> PortfolioSlot:
    """The token's portfolio (every open board's row), kept as long as a live board."""
    return _portfolio_slot(who(client))


# --- The Security page's doctor report: briefly cached, per credential fingerprint -------------

DOCTOR_TTL_SECONDS = 30
"""The doctor runs git and asks Trello about the token: a rerun this soon reuses its report."""
_SETTING_PREFIXES = ("TRELLO", "STREAMLIT_", "AWS_", "GIT_")
_SECRET_SETTING = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|URL", re.IGNORECASE)


def _structure(table: Mapping[str, Any]) -> list[tuple[str, object]]:
    """A secrets table's section and key names (what the doctor reads profiles from), no value."""
    return sorted(
        (name, _structure(value) if isinstance(value, Mapping) else None)
        for name, value in table.items()
    )


def _doctor_key(
    resolver: Resolver | str, error_details: object, secrets_tables: Sequence[Mapping[str, Any]]
) -> str:
    """What the report depends on, as a digest: the place, the settings (a credential-like one by
    name only), the resolved credentials by fingerprint; never a value."""
    if isinstance(resolver, str):  # a CredentialsError's message: names and places only
        who: list[object] = ["unresolved", resolver]
    else:
        found = resolver.check()
        who = [
            found.profile,
            sorted((name, secret.fingerprint()) for name, secret in found.values.items()),
            sorted(found.origins.items()),
            list(found.errors),
        ]
    settings = sorted(
        (name, "set" if _SECRET_SETTING.search(name) else value)
        for name, value in os.environ.items()
        if name.startswith(_SETTING_PREFIXES)
    )
    parts = [str(Path.cwd()), str(Path.home()), repr(error_details), who, settings]
    parts.append([_structure(table) for table in secrets_tables])
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


@st.cache_data(ttl=DOCTOR_TTL_SECONDS, max_entries=16, show_spinner=False)
def _doctor_report(
    key: str,
    _resolver: Resolver | str,
    _error_details: object,
    _secrets_tables: Sequence[Mapping[str, Any]],
) -> DoctorReport:
    return run_doctor(
        _resolver,
        project_dir=Path.cwd(),
        running_error_details=_error_details,
        secrets_tables=_secrets_tables,
    )


def doctor_report(
    resolver: Resolver | str, error_details: object, secrets_tables: Sequence[Mapping[str, Any]]
) -> DoctorReport:
    """``trellolens doctor``'s report for this app, kept ``DOCTOR_TTL_SECONDS`` per key."""
    key = _doctor_key(resolver, error_details, secrets_tables)
    return _doctor_report(key, resolver, error_details, secrets_tables)
