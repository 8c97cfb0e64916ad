"""Flow: cumulative flow, work in progress over time and weekly throughput (in cards or a size)."""

from __future__ import annotations

import streamlit as st

from trellolens.metrics import FlowMetrics
from trellolens.ui.charts import cfd_chart, weekly_throughput_chart, wip_over_time_chart
from trellolens.ui.components.csv_download import chart_with_csv
from trellolens.ui.components.flow_context import flow_context
from trellolens.ui.markdown_text import plain
from trellolens.ui.option_charts import weekly_by_type, weekly_throughput_by_type_chart
from trellolens.ui.visitor_errors import shows_errors
from trellolens.ui.wording import counted


@shows_errors
def render() -> None:
    context = flow_context("Flow")
    metrics = context.metrics
    board_name = context.board_name
    size = metrics.size

    st.subheader("Cumulative flow")
    unit = "cards" if size is None else f"the sum of {plain(size.field)}"
    st.caption(
        f"For each day, the {unit} in each stage at the end of the day. A band that widens is "
        "work piling up; the bottom band is the done list."
    )
    if size is not None:
        st.caption(
            f"Sized by the custom field **{plain(size.field)}**: "
            f"{counted(size.cards_without_size, 'card')} without a value count as 0."
        )
    if metrics.cfd.empty:
        st.info("No card entered a workflow list before the as-of date.")
    else:
        cfd = metrics.cfd if size is None else size.cfd
        chart = cfd_chart(cfd, metrics.workflow.stage_names, unit=_unit(metrics))
        chart_with_csv(chart, cfd, board_name=board_name, what="cumulative-flow")

    left, right = st.columns(2)
    with left:
        st.subheader("Work in progress")
        st.caption(
            f"Open cards from **{plain(metrics.workflow.start_list.name)}** up to (not including) "
            f"**{plain(metrics.workflow.done_list.name)}**, at the end of each day."
        )
        chart_with_csv(
            wip_over_time_chart(metrics.wip_over_time),
            metrics.wip_over_time,
            board_name=board_name,
            what="wip-over-time",
        )
    with right:
        st.subheader("Weekly throughput")
        weekly = metrics.weekly_throughput if size is None else size.weekly_throughput
        st.caption(
            f"{'Cards done' if size is None else f'Sum of {plain(size.field)} done'} "
            "per ISO week (Monday to Sunday, UTC)."
        )
        chart_with_csv(
            weekly_throughput_chart(weekly, unit=_unit(metrics, done=True)),
            weekly,
            board_name=board_name,
            what="weekly-throughput",
        )
    by_type_section(metrics, board_name)


def _unit(metrics: FlowMetrics, *, done: bool = False) -> str:
    """The y-axis title: cards, or the size field (a chart title, not markdown)."""
    if metrics.size is None:
        return "Cards done" if done else "Cards"
    return f"{metrics.size.field} done" if done else metrics.size.field


def by_type_section(metrics: FlowMetrics, board_name: str) -> None:
    """Weekly throughput stacked by work type (cards); the types add up to the total."""
    types = metrics.work_types
    if types is None:
        return
    st.subheader("Weekly throughput by type")
    st.caption("Cards done per ISO week, a colour per type; each card has exactly one type.")
    long = weekly_by_type(types.weekly_throughput, types.names)
    chart_with_csv(
        weekly_throughput_by_type_chart(long, types.names),
        long,
        board_name=board_name,
        what="weekly-throughput-by-type",
    )


if __name__ == "__main__":
    render()
