"""Flow: cumulative flow, work in progress over time, weekly throughput (in cards or a size),
flow efficiency, process behaviour charts and the throughput histogram."""

from __future__ import annotations

from datetime import date

import streamlit as st

from trellolens.metrics import FlowMetrics
from trellolens.ui.components.csv_download import chart_with_csv
from trellolens.ui.components.drill_down import cards_table, clickable_chart
from trellolens.ui.components.flow_context import FlowContext, flow_context
from trellolens.ui.components.table import show_table
from trellolens.ui.components.view_link import LinkParam, flag, read_links, seed, write_links
from trellolens.ui.data.drill_down import cards_in_band
from trellolens.ui.markdown_text import plain
from trellolens.ui.views.analytics_charts import (
    behaviour,
    histogram,
    histogram_chart,
    signals_table,
    where_time_goes,
    where_time_goes_chart,
    wip_by_type,
    wip_by_type_chart,
    xmr_chart,
    xmr_frame,
)
from trellolens.ui.views.charts import cfd_chart, weekly_throughput_chart, wip_over_time_chart
from trellolens.ui.views.drill_down import (
    BAND_PICK,
    WEEK_PICK,
    done_in_weeks,
    drill_table,
    picked,
    picked_days,
)
from trellolens.ui.views.option_charts import weekly_by_type, weekly_throughput_by_type_chart
from trellolens.ui.visitor_errors import shows_errors
from trellolens.ui.wording import counted

KEY_PREFIX = "flow_page."
BASELINE_KEY = f"{KEY_PREFIX}baseline"
ZERO_DAYS_KEY = f"{KEY_PREFIX}zero_days"
SIGNALS_TABLE_KEY = f"{KEY_PREFIX}signals"


@shows_errors
def render() -> None:
    context = flow_context("Flow")
    metrics = context.metrics
    board_name = context.board_name
    size = metrics.size
    cumulative_flow_section(context)

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
        event = clickable_chart(
            weekly_throughput_chart(weekly, unit=_unit(metrics, done=True)),
            weekly,
            board_name=board_name,
            what="weekly-throughput",
            point="week's bar",
        )
    week_cards(context, picked_days(picked(event, WEEK_PICK), "week"))
    by_type_section(metrics, board_name)
    efficiency_section(metrics, board_name)
    behaviour_section(metrics, board_name)
    histogram_section(metrics, board_name)


def cumulative_flow_section(context: FlowContext) -> None:
    """The cumulative flow chart; a band clicked on a day lists its cards."""
    metrics, size = context.metrics, context.metrics.size
    st.subheader("Cumulative flow")
    st.caption(
        "For each day, the "
        + ("cards" if size is None else f"sum of {plain(size.field)}")
        + " in each stage at the end of the day. A band that widens is work piling up; the "
        "bottom band is the done list."
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
        event = clickable_chart(
            chart,
            cfd,
            board_name=context.board_name,
            what="cumulative-flow",
            point="band on a day",
            keep=frozenset(metrics.workflow.stage_names),
        )
        band_cards(context, picked(event, BAND_PICK))


def band_cards(context: FlowContext, points: list[dict[str, str]]) -> None:
    """The cards of the clicked band of the cumulative flow, at the end of its day."""
    days = picked_days(points, "day")
    if not days:
        return
    stage = points[0].get("stage", "")
    found = cards_in_band(context.choice, context.metrics, days[0], stage)
    cards_table(
        drill_table(found, context.choice.board),
        heading=f"{stage} at the end of {days[0]:%Y-%m-%d}",
        what="cumulative-flow",
    )


def week_cards(context: FlowContext, mondays: list[date]) -> None:
    """The cards done in the clicked weeks."""
    if not mondays:
        return
    found = done_in_weeks(context.metrics.cycle_times, mondays)
    cards_table(
        drill_table(found, context.choice.board, "days"),
        heading=f"Done in the week of {mondays[0]:%Y-%m-%d}",
        what="weekly-throughput",
        days_title="Cycle time (days)",
    )


def efficiency_section(metrics: FlowMetrics, board_name: str) -> None:
    """Where the time goes: each list's share of the done cards' cycle time."""
    found = metrics.flow_efficiency
    if found is None:
        return
    st.subheader("Flow efficiency: where the time goes")
    share = "–" if found.efficiency is None else f"{found.efficiency:.0%}"
    blocked = " and blocked time" if metrics.options.blocked is not None else ""
    st.caption(
        f"**{plain(share)} active** over the {found.cards:d} cards done in the last "
        f"{found.window_days:d} days: time in the wait lists{plain(blocked)} is waiting, the rest "
        "of each card's cycle is active. The bar splits their cycle time by list."
    )
    frame = where_time_goes(found)
    if frame.empty:
        st.info("No card was done in the window.")
        return
    order = [*metrics.workflow.stage_names, "(other lists)"]
    chart_with_csv(
        where_time_goes_chart(frame, order), frame, board_name=board_name, what="where-time-goes"
    )


def behaviour_section(metrics: FlowMetrics, board_name: str) -> None:
    """XmR charts of weekly throughput and cycle time, limits from a baseline the user picks."""
    st.subheader("Process behaviour charts")
    found = behaviour(metrics)
    weeks = list(found.throughput.points["week_start"])
    if len(weeks) < 2:
        st.info("Process behaviour charts need at least two complete weeks with done work.")
        return
    first, last = st.select_slider(
        "Baseline weeks (the limits come from these)",
        options=weeks,
        value=(weeks[0], weeks[-1]),
        key=BASELINE_KEY,
        format_func=lambda day: f"{day:%Y-%m-%d}",
    )
    found = behaviour(metrics, (first, last))
    st.caption(
        "Average and natural process limits (average ± 2.66 × average moving range) from the "
        "baseline weeks; red points are signals: beyond a limit, 8 weeks in a row on one side "
        "of the average, or 3 of 4 weeks beyond the half-way line."
    )
    left, right = st.columns(2)
    unit = "working days" if metrics.options.calendar is not None else "days"
    for column, chart, title, what in (
        (left, found.throughput, "Cards done per week", "xmr-throughput"),
        (right, found.cycle_time, f"Mean cycle time ({unit})", "xmr-cycle-time"),
    ):
        with column:
            frame = xmr_frame(chart)
            chart_with_csv(xmr_chart(frame, title), frame, board_name=board_name, what=what)
    signals = signals_table(found)
    if signals.empty:
        st.success("No signal: both charts show routine variation only.")
    else:
        show_table(signals, key=SIGNALS_TABLE_KEY)


def histogram_section(metrics: FlowMetrics, board_name: str) -> None:
    st.subheader("Throughput histogram")
    zeros = LinkParam("zeros", ZERO_DAYS_KEY, flag, lambda on: [] if on else ["0"], "zero days")
    seed(ZERO_DAYS_KEY, True)
    read_links([zeros])  # ?zeros=0: without the days with nothing done
    zero_days = st.toggle("Count days with nothing done", key=ZERO_DAYS_KEY)
    write_links([zeros])
    frame = histogram(metrics, with_zero_days=zero_days)
    st.caption("How many days saw each number of cards done (days since the first done card).")
    if frame.empty:
        st.info("No day to count yet.")
        return
    chart_with_csv(
        histogram_chart(frame, day="calendar day" if metrics.options.calendar else "day"),
        frame,
        board_name=board_name,
        what="throughput-histogram",
    )


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
    over_time = wip_by_type(metrics)
    if over_time is not None:
        st.subheader("Work in progress by type")
        st.caption("Open cards in progress at the end of each day, stacked by type.")
        chart_with_csv(
            wip_by_type_chart(over_time, types.names),
            over_time,
            board_name=board_name,
            what="wip-over-time-by-type",
        )


if __name__ == "__main__":
    render()
