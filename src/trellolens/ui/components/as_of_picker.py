"""The "as of" date of the flow pages. Owns the session-state keys starting ``as_of_picker.``
and the ``?as_of=YYYY-MM-DD`` query parameter (read once per value, written after every run, so
a copied link or a reload shows the same day).

The default is the metrics' own (``default_as_of``): the newest action of an export, so an old
export does not show every card as years old; now for a live board. Another date means the end
of that day, UTC (``as_of_for_day``, the CLI's rule too).
"""

from __future__ import annotations

from datetime import date, datetime

import streamlit as st

from trellolens.metrics import as_of_for_day, default_as_of
from trellolens.ui.data.board_source import BoardChoice, BoardKind
from trellolens.ui.data.cache import as_of_now

KEY_PREFIX = "as_of_picker."
DATE_KEY = f"{KEY_PREFIX}date"
"""Date input widget."""
CHOSEN_KEY = f"{KEY_PREFIX}chosen"
"""``(board cache key, date)`` kept across pages that do not draw the picker."""

APPLIED_PARAM_KEY = f"{KEY_PREFIX}applied_param"
"""The ``?as_of=`` text last read or written, so an unchanged URL is not re-applied."""
QUERY_PARAM = "as_of"
YEARS = range(2000, 2101)

FILE_KINDS = frozenset({BoardKind.DEMO, BoardKind.UPLOAD})


def default_as_of_for(choice: BoardChoice) -> datetime:
    """Now (to the minute, so reruns share caches) for a live board, else the newest action."""
    if choice.kind in FILE_KINDS:
        return default_as_of(choice.board)
    return as_of_now()


def as_of_picker(choice: BoardChoice) -> datetime:
    """Draw the date input in the sidebar and return the as-of time it stands for."""
    default = default_as_of_for(choice)
    _apply_link(choice)
    kept = st.session_state.get(CHOSEN_KEY)
    if not (isinstance(kept, tuple) and kept[0] == choice.cache_key):
        kept = (choice.cache_key, default.date())
        st.session_state.pop(DATE_KEY, None)
    if DATE_KEY not in st.session_state:
        st.session_state[DATE_KEY] = kept[1]
    picked = st.sidebar.date_input(
        "As of (UTC)",
        key=DATE_KEY,
        help="Metrics are computed as the board stood at the end of this day. "
        f"The default, {default:%Y-%m-%d %H:%M} UTC, is "
        + ("now." if choice.kind not in FILE_KINDS else "the export's newest action."),
    )
    st.session_state[CHOSEN_KEY] = (choice.cache_key, picked)
    if isinstance(picked, date):
        param = picked.isoformat()
        if st.query_params.get(QUERY_PARAM) != param:
            st.query_params[QUERY_PARAM] = param
        st.session_state[APPLIED_PARAM_KEY] = param
    return as_of_for_date(picked, default)


def parse_as_of_param(raw: str) -> date:
    """A ``?as_of=`` value: an ISO date (``2024-05-31``) between 2000 and 2100; else ValueError."""
    if len(raw) != 10:
        raise ValueError(raw)
    picked = date.fromisoformat(raw)
    if picked.year not in YEARS:
        raise ValueError(raw)
    return picked


def _apply_link(choice: BoardChoice) -> None:
    """Adopt a new ``?as_of=`` value for this board; a bad one gets one line and is dropped."""
    raw = st.query_params.get(QUERY_PARAM)
    if raw is None or raw == st.session_state.get(APPLIED_PARAM_KEY):
        return
    st.session_state[APPLIED_PARAM_KEY] = raw
    try:
        picked = parse_as_of_param(raw)
    except ValueError:
        st.warning("Ignored the as-of date in the link: expected a date such as 2024-05-31.")
        del st.query_params[QUERY_PARAM]
        return
    st.session_state[CHOSEN_KEY] = (choice.cache_key, picked)
    st.session_state.pop(DATE_KEY, None)


def as_of_for_date(picked: date, default: datetime) -> datetime:
    """The instant ``picked`` stands for: the same rule as ``trellolens metrics --as-of DATE``."""
    return as_of_for_day(picked, default)
