"""Flow: cumulative flow, work in progress over time and weekly throughput."""

from __future__ import annotations

import streamlit as st

from trellolens.ui.charts import cfd_chart, weekly_throughput_chart, wip_over_time_chart
from trellolens.ui.components.csv_download import chart_with_csv
from trellolens.ui.components.flow_context import flow_context
from trellolens.ui.markdown_text import plain
from trellolens.ui.visitor_errors import shows_errors


@shows_errors
def render() -> None:
    context = flow_context("Flow")
    metrics = context.metrics
    board_name = context.board_name

    st.subheader("Cumulative flow")
    st.caption(
        "For each day, the cards in each stage at the end of the day. A band that widens is "
        "work piling up; the bottom band is the done list."
    )
    if metrics.cfd.empty:
        st.info("No card entered a workflow list before the as-of date.")
    else:
        chart = cfd_chart(metrics.cfd, metrics.workflow.stage_names)
        chart_with_csv(chart, metrics.cfd, board_name=board_name, what="cumulative-flow")

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
        st.caption("Cards done per ISO week (Monday to Sunday, UTC).")
        chart_with_csv(
            weekly_throughput_chart(metrics.weekly_throughput),
            metrics.weekly_throughput,
            board_name=board_name,
            what="weekly-throughput",
        )


if __name__ == "__main__":
    render()
