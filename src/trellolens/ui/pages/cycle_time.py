"""Cycle time: how long finished cards took, with 50/85/95 % lines, and time spent per list."""

from __future__ import annotations

import streamlit as st

from trellolens.metrics import FlowMetrics
from trellolens.ui.components.csv_download import chart_with_csv, csv_download
from trellolens.ui.components.drill_down import cards_table, clickable_chart
from trellolens.ui.components.flow_context import flow_context
from trellolens.ui.components.table import show_table, titles_of
from trellolens.ui.components.tiles import metric_tiles
from trellolens.ui.markdown_text import plain
from trellolens.ui.views.charts import (
    PERCENTILES,
    cycle_time_histogram,
    cycle_time_scatter,
    time_in_list_chart,
)
from trellolens.ui.views.drill_down import CARD_PICK, cards_picked, drill_table, picked
from trellolens.ui.views.option_charts import cycle_time_scatter_by_type
from trellolens.ui.visitor_errors import shows_errors

KEY_PREFIX = "cycle_time_page."
BY_TYPE_TABLE_KEY = f"{KEY_PREFIX}by_type"


def days_text(days: float | None) -> str:
    return "–" if days is None else f"{days:.1f} d"


def _tiles(metrics: FlowMetrics) -> None:
    """Cards done, the percentiles and (with a blocked label) the blocked share."""
    tiles = [("Cards done", str(len(metrics.cycle_times)))]
    tiles += [
        (f"{p} % within", days_text(metrics.cycle_time_percentiles.get(p))) for p in PERCENTILES
    ]
    blocked = metrics.blocked
    if blocked is not None:
        share = blocked.done_blocked_share
        tiles.append(("Blocked", "–" if share is None else f"{share:.0%}"))
    metric_tiles(tiles)
    if blocked is not None:
        st.caption(
            f"Blocked: {blocked.done_blocked_days:.1f} d of the done cards' cycle time "
            f"(the blocked_days and blocked_share columns of the CSV)."
        )


@shows_errors
def render() -> None:
    context = flow_context("Cycle time")
    metrics = context.metrics
    board_name = context.board_name
    cycle_times = metrics.cycle_times
    workflow = metrics.workflow

    st.caption(
        f"From entering **{plain(workflow.start_list.name)}** (or a later stage) to entering "
        f"**{plain(workflow.done_list.name)}**, in {plain(day_unit(metrics))}. "
        "85 % means: 85 out of 100 cards finished within that many days."
    )
    _tiles(metrics)

    if cycle_times.empty:
        st.info(f"No card has reached **{plain(workflow.done_list.name)}** yet.")
    else:
        st.subheader("Cycle time of each finished card")
        types = metrics.work_types
        scatter = (
            cycle_time_scatter(cycle_times, metrics.cycle_time_percentiles)
            if types is None
            else cycle_time_scatter_by_type(
                cycle_times, metrics.cycle_time_percentiles, types.names
            )
        )
        event = clickable_chart(
            scatter, cycle_times, board_name=board_name, what="cycle-times", point="dot"
        )
        points = picked(event, CARD_PICK)
        if points:
            table = drill_table(cards_picked(cycle_times, points), context.choice.board, "days")
            cards_table(
                table, heading="Clicked", what="cycle-times", days_title="Cycle time (days)"
            )
    by_type_section(metrics, board_name)
    _distribution_and_lists(metrics, board_name)


def _distribution_and_lists(metrics: FlowMetrics, board_name: str) -> None:
    cycle_times = metrics.cycle_times
    left, right = st.columns(2)
    with left:
        st.subheader("Distribution")
        if not cycle_times.empty:
            columns = [c for c in ("card_id", "name", "type", "days") if c in cycle_times]
            chart_with_csv(
                cycle_time_histogram(cycle_times),
                cycle_times[columns],
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
            time_in_list_chart(metrics.time_in_list, days=calendar_days(metrics)),
            metrics.time_in_list,
            board_name=board_name,
            what="time-in-list",
        )


def calendar_days(metrics: FlowMetrics) -> str:
    """The time-in-list axis unit: always calendar days, said so when business days are on."""
    return "calendar days" if metrics.options.calendar is not None else "days"


def day_unit(metrics: FlowMetrics) -> str:
    return "working days" if metrics.options.calendar is not None else "calendar days"


def by_type_section(metrics: FlowMetrics, board_name: str) -> None:
    """Per work type: cards done, percentiles and cards in progress (the types add up)."""
    types = metrics.work_types
    if types is None:
        return
    st.subheader("By type")
    summary = types.summary
    config = {
        "type": st.column_config.TextColumn("Type"),
        "done": st.column_config.NumberColumn("Done"),
        **{
            f"p{p}": st.column_config.NumberColumn(f"{p} % within (days)", format="%.1f")
            for p in PERCENTILES
        },
        "wip": st.column_config.NumberColumn("In progress"),
    }
    show_table(summary, key=BY_TYPE_TABLE_KEY, column_config=config)
    csv_download(
        summary, board_name=board_name, what="cycle-time-by-type", titles=titles_of(config)
    )


if __name__ == "__main__":
    render()
