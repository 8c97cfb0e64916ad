"""The analytics options in the sidebar. Owns the session-state keys starting ``analytics_options.``.

Split by work type, the blocked rule, business days (holidays, time zone), size, the service
level expectation and the wait lists of flow efficiency, drawn for the flow pages and the overview and turned into ``MetricOptions``.
The visitor's choice is kept per board id in ``CHOICE_KEY`` (widget state does not survive a page
that does not draw the widgets), so a live board's reload keeps it; it is checked against the
board's current labels, lists and fields, and seeds the widgets on every run.
"""

from __future__ import annotations

import functools
import zoneinfo
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import streamlit as st

from trellolens.board import Board
from trellolens.connection import app_settings
from trellolens.errors import ConfigError, MetricOptionError
from trellolens.metrics import (
    BlockedRule,
    MetricOptions,
    ServiceLevel,
    WorkCalendar,
    WorkTypes,
    parse_holidays,
)
from trellolens.metrics.options import FlowEfficiency
from trellolens.settings import Settings
from trellolens.ui.data.board_source import BoardChoice
from trellolens.ui.markdown_text import plain

KEY_PREFIX = "analytics_options."
BY_KEY = f"{KEY_PREFIX}by"
"""Selectbox: ``""`` (no split), ``"label"`` or ``"field:<custom field id>"``."""
BY_LABELS_KEY = f"{KEY_PREFIX}by_labels"
"""Multiselect: the label names that are types, in order of precedence (empty: every label)."""
BLOCKED_KEY = f"{KEY_PREFIX}blocked"
"""Selectbox: ``""`` (off), ``"label:<name>"`` or ``"list:<list id>"``."""
BUSINESS_DAYS_KEY = f"{KEY_PREFIX}business_days"
TIME_ZONE_KEY = f"{KEY_PREFIX}time_zone"
HOLIDAYS_FILE_KEY = f"{KEY_PREFIX}holidays_file"
FORGET_HOLIDAYS_KEY = f"{KEY_PREFIX}forget_holidays"
SIZE_KEY = f"{KEY_PREFIX}size"
"""Selectbox: ``""`` (cards) or a number custom field's id."""
SLE_KEY = f"{KEY_PREFIX}sle"
"""Selectbox: ``"p85"`` (derived) or ``"set"``."""
SLE_DAYS_KEY = f"{KEY_PREFIX}sle_days"
WAIT_LISTS_KEY = f"{KEY_PREFIX}wait_lists"
"""Multiselect: ids of the lists whose time is waiting (flow efficiency; empty: off)."""
CHOICE_KEY = f"{KEY_PREFIX}choice"
"""The visitor's ``AnalyticsChoice`` (kept across pages)."""
UPLOADED_HOLIDAYS_KEY = f"{KEY_PREFIX}uploaded_holidays"
"""``(file name, dates)`` of the last holidays file that parsed."""

MAX_HOLIDAYS_BYTES = 1024 * 1024
DEFAULT_BLOCKED_LABEL = "blocked"
DEFAULT_SLE_DAYS = 10.0
SLE_SOURCES = {"p85": "85th percentile of cycle time", "set": "85 % within N days"}

WIDGET_FIELDS = {
    BY_KEY: "by",
    BY_LABELS_KEY: "by_labels",
    BLOCKED_KEY: "blocked",
    BUSINESS_DAYS_KEY: "business_days",
    TIME_ZONE_KEY: "time_zone",
    SIZE_KEY: "size",
    SLE_KEY: "sle",
    SLE_DAYS_KEY: "sle_days",
    WAIT_LISTS_KEY: "wait_lists",
}


@dataclass(frozen=True)
class AnalyticsChoice:
    board_id: str
    by: str = ""
    by_labels: list[str] = field(default_factory=list)
    blocked: str = ""
    business_days: bool = False
    time_zone: str = "UTC"
    size: str = ""
    sle: str = "p85"
    sle_days: float = DEFAULT_SLE_DAYS
    wait_lists: list[str] = field(default_factory=list)


def default_choice(choice: BoardChoice) -> AnalyticsChoice:
    """Everything off except the blocked label (a label named Blocked, any case) and the p85 SLE."""
    blocked = next(
        (
            f"label:{label.name}"
            for label in choice.board.labels
            if label.name.strip().casefold() == DEFAULT_BLOCKED_LABEL
        ),
        "",
    )
    return AnalyticsChoice(choice.board.id, blocked=blocked)


def analytics_options(choice: BoardChoice) -> MetricOptions:
    """Draw the options in the sidebar; the ``MetricOptions`` they stand for."""
    board = choice.board
    seed_widgets(choice)
    with st.sidebar.expander("Analytics options", icon=":material/tune:"):
        work_types = _work_types_widgets(board)
        blocked = _blocked_widget(board)
        calendar = _calendar_widgets()
        size = _size_widget(board)
        level = _service_level_widgets()
        efficiency = _wait_lists_widget(board)
    return MetricOptions(
        calendar=calendar,
        work_types=work_types,
        blocked=blocked,
        size_field=size,
        service_level=level,
        flow_efficiency=efficiency,
    )


def seed_widgets(choice: BoardChoice) -> AnalyticsChoice:
    """The kept choice for this board, into the widgets' state: the truth, on every run."""
    kept = _kept(choice)
    st.session_state[CHOICE_KEY] = kept
    for key, name in WIDGET_FIELDS.items():
        st.session_state[key] = getattr(kept, name)
    return kept


def keep_widget_values() -> None:
    """On a change in the options (before the rerun): keep what the widgets now hold."""
    kept = st.session_state.get(CHOICE_KEY)
    if isinstance(kept, AnalyticsChoice):
        values = {name: st.session_state.get(key) for key, name in WIDGET_FIELDS.items()}
        chosen = {name: value for name, value in values.items() if value is not None}
        st.session_state[CHOICE_KEY] = replace(kept, **chosen)


def _kept(choice: BoardChoice) -> AnalyticsChoice:
    """The kept choice for this board, its values checked against the board's current names."""
    kept = st.session_state.get(CHOICE_KEY)
    if not isinstance(kept, AnalyticsChoice) or kept.board_id != choice.board.id:
        kept = default_choice(choice)
    board = choice.board
    fixes: dict[str, Any] = {}
    if kept.by not in by_choices(board):
        fixes["by"] = ""
    names = label_names(board)
    if any(name not in names for name in kept.by_labels):
        fixes["by_labels"] = [name for name in kept.by_labels if name in names]
    if kept.blocked not in blocked_choices(board):
        fixes["blocked"] = ""
    if kept.size not in size_choices(board):
        fixes["size"] = ""
    lists = {lst.id for lst in board.lists}
    if any(list_id not in lists for list_id in kept.wait_lists):
        fixes["wait_lists"] = [list_id for list_id in kept.wait_lists if list_id in lists]
    return replace(kept, **fixes)


# --- the choices a board offers ------------------------------------------------------------------


def label_names(board: Board) -> list[str]:
    """The board's label names, once each, in board order (a nameless label cannot be chosen:
    a split by every label still counts it, by its colour)."""
    return list(dict.fromkeys(label.name.strip() for label in board.labels if label.name.strip()))


def by_choices(board: Board) -> dict[str, str]:
    found = {"": "No split", "label": "Labels"}
    for custom in board.custom_fields:
        if custom.type == "list":
            found[f"field:{custom.id}"] = f"Custom field: {custom.name}"
    return found


def blocked_choices(board: Board) -> dict[str, str]:
    found = {"": "Off"}
    for label in board.labels:
        if label.name.strip():
            found.setdefault(f"label:{label.name}", f"Label: {label.name}")
    for lst in sorted(board.lists, key=lambda lst: (lst.closed, lst.pos)):
        found[f"list:{lst.id}"] = f"List: {lst.name}"
    return found


def size_choices(board: Board) -> dict[str, str]:
    found = {"": "Cards"}
    for custom in board.custom_fields:
        if custom.type == "number":
            found[custom.id] = f"Custom field: {custom.name}"
    return found


# --- the widgets ---------------------------------------------------------------------------------


def _work_types_widgets(board: Board) -> WorkTypes | None:
    choices = by_choices(board)
    by = st.selectbox(
        "Split by work type",
        list(choices),
        format_func=choices.__getitem__,
        key=BY_KEY,
        on_change=keep_widget_values,
        help="Each card has one type: its first label (in the board's order, or the order "
        "chosen below) or the option of a list custom field. Charts get a colour per type.",
    )
    if by == "label":
        chosen = st.multiselect(
            "Only these labels (first wins)",
            label_names(board),
            key=BY_LABELS_KEY,
            on_change=keep_widget_values,
            help="Empty: every label of the board, in the board's order.",
        )
        return WorkTypes(labels=tuple(chosen))
    if by.startswith("field:"):
        return WorkTypes(field=by.removeprefix("field:"))
    return None


def _blocked_widget(board: Board) -> BlockedRule | None:
    choices = blocked_choices(board)
    blocked = st.selectbox(
        "Blocked while",
        list(choices),
        format_func=choices.__getitem__,
        key=BLOCKED_KEY,
        on_change=keep_widget_values,
        help="A card is blocked while it carries this label (any case) or sits in this list.",
    )
    if blocked.startswith("label:"):
        return BlockedRule(labels=(blocked.removeprefix("label:"),))
    if blocked.startswith("list:"):
        return BlockedRule(labels=(), lists=(blocked.removeprefix("list:"),))
    return None


@functools.cache
def time_zones() -> tuple[str, ...]:
    return ("UTC", *sorted(zoneinfo.available_timezones() - {"UTC"}))


def _calendar_widgets() -> WorkCalendar | None:
    on = st.checkbox(
        "Business days only",
        key=BUSINESS_DAYS_KEY,
        on_change=keep_widget_values,
        help="Count Monday to Friday, minus holidays: cycle times, ages, the SLE and forecasts "
        "are in working days (see docs/metrics.md).",
    )
    if not on:
        return None
    zone = st.selectbox(
        "Time zone of the working days",
        time_zones(),
        key=TIME_ZONE_KEY,
        on_change=keep_widget_values,
    )
    holidays = secret_holidays() | _uploaded_holidays()
    st.caption(f"{plain(holidays_text(len(holidays)))} in all.")
    return WorkCalendar(weekdays_only=True, holidays=holidays, time_zone=zone)


def secret_holidays() -> frozenset[date]:
    """``[trellolens] holidays`` from the secrets (a list of ISO dates, or one string of them),
    else ``TRELLOLENS_HOLIDAYS`` (dates separated by commas or spaces): ``Settings.holidays``."""
    settings = app_settings()
    try:
        return parse_holidays(settings.holidays, settings.origin(Settings.holidays))
    except (MetricOptionError, ConfigError) as exc:
        st.error(plain(exc))
        return frozenset()


def _uploaded_holidays() -> frozenset[date]:
    """The holidays file's dates; a bad file gets one error line and the last good file stays."""
    uploaded = st.file_uploader(
        "Holidays file (one date per line, like 2026-12-25)",
        type=["txt", "csv"],
        key=HOLIDAYS_FILE_KEY,
        max_upload_size=MAX_HOLIDAYS_BYTES // (1024 * 1024),  # the uploader states the real 1 MB
    )
    if uploaded is not None:
        data = uploaded.getvalue()
        try:
            st.session_state[UPLOADED_HOLIDAYS_KEY] = (
                uploaded.name,
                holidays_from_bytes(data, uploaded.name),
            )
        except MetricOptionError as exc:
            st.error(plain(exc))
    kept = st.session_state.get(UPLOADED_HOLIDAYS_KEY)
    if not isinstance(kept, tuple):
        return frozenset()
    name, days = kept
    st.caption(f"{plain(holidays_text(len(days)))} from {plain(name)}.")
    # The uploader is empty again after a page without it; the file's dates stay until forgotten.
    if uploaded is None and st.button("Forget the holidays file", key=FORGET_HOLIDAYS_KEY):
        st.session_state.pop(UPLOADED_HOLIDAYS_KEY, None)
        st.rerun()
    return frozenset(days)


def holidays_text(count: int) -> str:
    return f"{count} holiday" if count == 1 else f"{count} holidays"


def holidays_from_bytes(data: bytes, name: str) -> frozenset[date]:
    """An uploaded holidays file's dates; ``MetricOptionError`` (one line) when it is not one."""
    if len(data) > MAX_HOLIDAYS_BYTES:
        raise MetricOptionError(f"{name}: over 1 MB; a holidays file holds one date per line")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MetricOptionError(
            f"{name}: cannot be read as UTF-8 text; write one date per line"
        ) from None
    return parse_holidays(text.splitlines(), name)


def _size_widget(board: Board) -> str | None:
    choices = size_choices(board)
    size = st.selectbox(
        "Size",
        list(choices),
        format_func=choices.__getitem__,
        key=SIZE_KEY,
        on_change=keep_widget_values,
        help="Cumulative flow and throughput in cards, or in the sum of a number custom field "
        "(story points, say).",
    )
    return size or None


def _service_level_widgets() -> ServiceLevel:
    source = st.selectbox(
        "Service level expectation",
        list(SLE_SOURCES),
        format_func=SLE_SOURCES.__getitem__,
        key=SLE_KEY,
        on_change=keep_widget_values,
        help="The overview lists cards in progress past it, or within two days of it.",
    )
    if source != "set":
        return ServiceLevel()
    days = st.number_input(
        "85 % of cards finish within (days)",
        min_value=0.5,
        max_value=3650.0,
        step=0.5,
        key=SLE_DAYS_KEY,
        on_change=keep_widget_values,
    )
    return ServiceLevel(days=float(days))


def _wait_lists_widget(board: Board) -> FlowEfficiency | None:
    """Flow efficiency is on when at least one list is chosen as waiting."""
    names = {lst.id: lst.name for lst in (*board.open_lists, *board.lists) if lst.id}
    chosen = st.multiselect(
        "Wait lists (flow efficiency)",
        list(names),
        format_func=names.__getitem__,
        key=WAIT_LISTS_KEY,
        on_change=keep_widget_values,
        help="Queues such as Ready for review: time there is waiting, the rest of a card's cycle "
        "is active (blocked time waits too). The Flow page shows where the time goes.",
    )
    return FlowEfficiency(wait_lists=tuple(chosen)) if chosen else None
