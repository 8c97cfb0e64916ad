"""Aging WIP: how old each card in progress is, per stage, against the cycle-time percentiles."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from trellolens.ui.components.drill_down import cards_table, clickable_chart
from trellolens.ui.components.flow_context import flow_context
from trellolens.ui.components.table import show_table
from trellolens.ui.components.tiles import metric_tiles
from trellolens.ui.views.charts import aging_wip_chart
from trellolens.ui.views.drill_down import CARD_PICK, cards_picked, drill_table, picked
from trellolens.ui.views.option_charts import aging_wip_chart_with_options
from trellolens.ui.visitor_errors import shows_errors
from trellolens.ui.wording import counted

if TYPE_CHECKING:
    import pandas as pd

KEY_PREFIX = "aging_wip_page."
TABLE_KEY = f"{KEY_PREFIX}table"


@shows_errors
def render() -> None:
    context = flow_context("Aging work in progress")
    metrics = context.metrics
    workflow = metrics.workflow
    wip = metrics.wip  # oldest first
    in_progress = list(workflow.stage_names[workflow.start_index : workflow.done_index])

    p85 = metrics.cycle_time_percentiles.get(85)
    metric_tiles(
        [
            ("Cards in progress", len(wip)),
            ("Older than the 85 % cycle time", "–" if p85 is None else metrics.wip_older_than(p85)),
            ("Oldest", f"{wip['age_days'].max():.1f} d" if len(wip) else "–"),
        ]
    )
    st.caption(
        "Age = as-of time minus the time the card entered the start list. The bands are the "
        "cycle times of finished cards: a card in the red band is already older than 95 % of "
        "finished cards were when they were done."
    )
    types = metrics.work_types
    blocked = metrics.blocked
    if blocked is not None:
        st.caption(
            "A red square marks a blocked card. Blocked now: "
            f"{blocked.wip_blocked_now:d} of the {counted(len(wip), 'card')} in progress."
        )
    if wip.empty:
        st.info("No card is in progress.")
    chart = (
        aging_wip_chart(wip, in_progress, metrics.cycle_time_percentiles)
        if types is None and blocked is None
        else aging_wip_chart_with_options(
            wip,
            in_progress,
            metrics.cycle_time_percentiles,
            None if types is None else types.names,
        )
    )
    event = clickable_chart(
        chart, wip, board_name=context.board_name, what="aging-wip", point="dot"
    )
    points = picked(event, CARD_PICK)
    if points:
        table = drill_table(cards_picked(wip, points), context.choice.board, "age_days")
        cards_table(table, heading="Clicked", what="aging-wip", days_title="Age (days)")
    if not wip.empty:
        _oldest_first(wip)


def _oldest_first(wip: pd.DataFrame) -> None:
    """The cards in progress, oldest first, with the columns the options add."""
    st.subheader("Oldest first")
    columns = ["name", "list", "age_days", "started"]
    columns += [c for c in ("type", "blocked", "blocked_days") if c in wip.columns]
    show_table(
        wip[columns],
        key=TABLE_KEY,
        column_config={
            "name": st.column_config.TextColumn("Card"),
            "list": st.column_config.TextColumn("List"),
            "age_days": st.column_config.NumberColumn("Age (days)", format="%.1f"),
            "started": st.column_config.DatetimeColumn("Started", format="YYYY-MM-DD HH:mm"),
            "type": st.column_config.TextColumn("Type"),
            "blocked": st.column_config.CheckboxColumn("Blocked now"),
            "blocked_days": st.column_config.NumberColumn("Blocked (days)", format="%.1f"),
        },
    )


if __name__ == "__main__":
    render()
