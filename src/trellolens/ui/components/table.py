"""Every table of the dashboard, drawn in the one header style (``views.headers``).

``show_table`` renames the columns to their headers (a column config's label counts as the
title of its column) and rounds fractions to 0.1, so what a visitor reads and what a test
reads from the page are the same header.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from trellolens.ui.views.headers import header, table_frame


def titles_of(column_config: Mapping[str, Any]) -> dict[str, str]:
    """Column name -> the label its config gives it: pass it to the table's CSV download too."""
    return {
        name: str(entry["label"]) for name, entry in column_config.items() if entry.get("label")
    }


def show_table(
    frame: pd.DataFrame,
    *,
    key: str | None = None,
    column_config: Mapping[str, Any] | None = None,
    keep: frozenset[str] = frozenset(),
    width: int | str = "stretch",
) -> None:
    """``st.dataframe`` of ``frame`` without its index, headers in the one style."""
    config = dict(column_config or {})
    titles = titles_of(config)
    shown = table_frame(frame, titles, keep)
    renamed = {
        name if name in keep else titles.get(name) or header(name): {
            field: value for field, value in entry.items() if field != "label"
        }
        for name, entry in config.items()
    }
    st.dataframe(shown, hide_index=True, key=key, column_config=renamed, width=width)  # type: ignore[arg-type]
