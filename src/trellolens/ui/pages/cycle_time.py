"""Cycle time: how long finished cards took, with 50/85/95 % lines, and time spent per list."""

from __future__ import annotations

import streamlit as st

from trellolens.ui.charts import (
    PERCENTILES,
    cycle_time_histogram,
    cycle_time_scatter,
    time_in_list_chart,
)
from trellolens.ui.components.csv_download import chart_with_csv
from trellolens.ui.components.flow_context import flow_context
from trellolens.ui.markdown_text import plain
from trellolens.ui.visitor_errors import shows_errors


def days_text(days: float | None) -> str:
    return "–" if days is None else f"{days:.1f} d"


@shows_errors
def render() -> None:
    context = flow_context("Cycle time")
    metrics = context.metrics
    board_name = context.board_name
    cycle_times = metrics.cycle_times
    workflow = metrics.workflow

    st.caption(
        f"From entering **{plain(workflow.start_list.name)}** (or a later stage) to entering "
        f"**{plain(workflow.done_list.name)}**, in calendar days. "
        "85 % means: 85 out of 100 cards finished within that many days."
    )
    tiles = [("Cards done", str(len(cycle_times)))]
    tiles += [
        (f"{p} % within", days_text(metrics.cycle_time_percentiles.get(p))) for p in PERCENTILES
    ]
    for column, (label, value) in zip(st.columns(len(tiles)), tiles, strict=True):
        column.metric(label, value)

    if cycle_times.empty:
        st.info(f"No card has reached **{plain(workflow.done_list.name)}** yet.")
    else:
        st.subheader("Cycle time of each finished card")
        chart_with_csv(
            cycle_time_scatter(cycle_times, metrics.cycle_time_percentiles),
            cycle_times,
            board_name=board_name,
            what="cycle-times",
        )

    left, right = st.columns(2)
    with left:
        st.subheader("Distribution")
        if not cycle_times.empty:
            chart_with_csv(
                cycle_time_histogram(cycle_times),
                cycle_times[["card_id", "name", "days"]],
                board_name=board_name,
                what="cycle-time-histogram",
            )
    with right:
        st.subheader("Median time in each list")
        st.caption(
            "Over the cards that visited each list; a card's repeated stays add up, and a card "
            "still in the list counts up to the as-of time."
        )
        chart_with_csv(
            time_in_list_chart(metrics.time_in_list),
            metrics.time_in_list,
            board_name=board_name,
            what="time-in-list",
        )


if __name__ == "__main__":
    render()
