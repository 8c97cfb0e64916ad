"""Charts with a "Download CSV" of exactly the data drawn. Owns keys starting ``csv_download.``.

The CSV goes through ``tables.frame_csv``, the same formula defusing as the cards download,
with its headers in the one style of every table (``views.headers.titled``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import altair as alt
import pandas as pd
import streamlit as st

from trellolens.ui.views.headers import titled
from trellolens.ui.views.tables import download_file_name, frame_csv

KEY_PREFIX = "csv_download."
DOWNLOAD_LABEL = "Download CSV"


def csv_file_name(board_name: str, what: str) -> str:
    """``"<board slug>-<what>.csv"``, e.g. ``amirite-cycle-times.csv`` (length capped)."""
    return download_file_name(board_name, what)


def csv_download(
    frame: pd.DataFrame | Callable[[], bytes],
    *,
    board_name: str,
    what: str,
    key: str | None = None,
    titles: Mapping[str, str] | None = None,
    keep: frozenset[str] = frozenset(),
) -> None:
    """A download button holding ``frame`` as CSV; ``what`` names the file and the widget key.

    ``frame`` may instead be a callable returning the CSV bytes: Streamlit runs it only when the
    visitor clicks (on a thread of its own), not on every rerun. It must defuse formulas itself
    (``tables.cards_csv`` and ``tables.frame_csv`` do). A frame's headers become the one style
    (``titles`` first); columns in ``keep`` are board names and stay as they are.
    """
    st.download_button(
        DOWNLOAD_LABEL,
        data=frame_csv(titled(frame, titles, keep)) if isinstance(frame, pd.DataFrame) else frame,
        file_name=csv_file_name(board_name, what),
        mime="text/csv",
        key=key or f"{KEY_PREFIX}{what}",
        on_click="ignore",
        icon=":material/download:",
    )


def chart_with_csv(
    chart: alt.Chart | alt.LayerChart,
    frame: pd.DataFrame,
    *,
    board_name: str,
    what: str,
    keep: frozenset[str] = frozenset(),
) -> None:
    """Draw an Altair chart and, under it, the CSV download of its data."""
    st.altair_chart(chart, width="stretch")
    csv_download(frame, board_name=board_name, what=what, keep=keep)
