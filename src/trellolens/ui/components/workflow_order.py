"""The workflow editor's stage order: one row per stage, its full name (wrapped, never cut) and
up/down buttons. Owns the session-state keys starting ``workflow_order.``; the order it changes
is the editor's kept choice (``workflow_editor.CHOICE_KEY``), applied on the next run."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import streamlit as st

from trellolens.ui.markdown_text import plain

KEY_PREFIX = "workflow_order."
UP = ":material/arrow_upward:"
DOWN = ":material/arrow_downward:"


def moved(stage_ids: Sequence[str], index: int, step: int) -> tuple[str, ...]:
    """``stage_ids`` with the stage at ``index`` swapped with its neighbour ``step`` away (-1
    up, +1 down); unchanged at either end."""
    order = list(stage_ids)
    other = index + step
    if 0 <= index < len(order) and 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
    return tuple(order)


def stage_order(
    stage_ids: Sequence[str], names: Mapping[str, str], move: Callable[[int, int], None]
) -> None:
    """Draw the stages in order, numbered, each with its up and down buttons."""
    last = len(stage_ids) - 1
    for index, stage_id in enumerate(stage_ids):
        name, arrows = st.columns([5, 2], vertical_alignment="center")
        if index == last:
            name.markdown(f"**{index + 1:d}** {plain(names.get(stage_id, stage_id))} (done)")
        else:
            name.markdown(f"**{index + 1:d}** {plain(names.get(stage_id, stage_id))}")
        up, down = arrows.columns(2, gap="small")
        up.button(
            "",
            icon=UP,
            key=f"{KEY_PREFIX}up.{index}",
            help="Move up",
            disabled=index == 0,
            on_click=move,
            args=(index, -1),
        )
        down.button(
            "",
            icon=DOWN,
            key=f"{KEY_PREFIX}down.{index}",
            help="Move down",
            disabled=index == last,
            on_click=move,
            args=(index, 1),
        )
