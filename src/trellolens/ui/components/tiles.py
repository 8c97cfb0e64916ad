"""Rows of ``st.metric`` tiles: the one loop every page that shows headline numbers uses."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

TileValue = int | float | str | None
Tile = tuple[str, TileValue] | tuple[str, TileValue, str | None]
"""``(label, value)`` or ``(label, value, help)``; the label is shown as Markdown, as given."""


def metric_tiles(tiles: Sequence[Tile], per_row: int | None = None) -> None:
    """``tiles`` side by side, ``per_row`` to a row (default: all in one row)."""
    if not tiles:
        return
    width = per_row or len(tiles)
    for start in range(0, len(tiles), width):
        row = tiles[start : start + width]
        for column, tile in zip(st.columns(width), row, strict=False):
            label, value, *rest = tile
            column.metric(label, value, help=rest[0] if rest else None)
