"""Charts and tables of the flow analytics: where the time goes, process behaviour (XmR) charts,
the throughput histogram, WIP by type, the backlog forecast table and the flow debt line.

Pure functions from the metrics, no Streamlit; pages lay them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import altair as alt
import numpy as np
import numpy.typing as npt
import pandas as pd

from trellolens.metrics import FlowMetrics
from trellolens.metrics.backlog import BacklogForecast
from trellolens.metrics.behaviour import (
    BehaviourResults,
    XmRChart,
    behaviour_charts,
    throughput_histogram,
)
from trellolens.metrics.efficiency import FlowEfficiencyResults
from trellolens.metrics.flow_debt import FlowDebt, flow_debt
from trellolens.metrics.forecast import forecast_sample
from trellolens.metrics.options import BehaviourCharts
from trellolens.ui.views.option_charts import type_colour
from trellolens.ui.views.sle_table import card_link

SIGNAL_COLOUR = "#c62828"


def where_time_goes(found: FlowEfficiencyResults) -> pd.DataFrame:
    """Per list: days, share of the done cards' cycle time, and whether it is a wait list."""
    frame = found.lists[found.lists["days"] > 0].copy()
    frame["kind"] = np.where(frame["waiting"], "waiting", "active")
    return frame[["list", "kind", "days", "share"]].reset_index(drop=True)


def where_time_goes_chart(frame: pd.DataFrame, order: Sequence[str]) -> alt.Chart:
    """One bar stacked by list: the share of cycle time spent in each."""
    chart: alt.Chart = (
        alt.Chart(frame.assign(all="Cycle time"))
        .mark_bar()
        .encode(
            x=alt.X("share:Q", stack="zero", title="Share of cycle time", axis=alt.Axis(format="%")),
            y=alt.Y("all:N", title=None),
            color=alt.Color("list:N", sort=list(order), legend=alt.Legend(orient="bottom", title="List")),
            order=alt.Order("order:Q"),
            tooltip=["list:N", "kind:N", alt.Tooltip("days:Q", format=".1f"),
                     alt.Tooltip("share:Q", format=".0%")],
        )
        .transform_calculate(order=f"indexof({list(order)!r}, datum.list)")
    )  # fmt: skip
    return chart


def behaviour(metrics: FlowMetrics, baseline: tuple[date, date] | None = None) -> BehaviourResults:
    """The XmR charts of the metrics' done cards; limits from the ``baseline`` weeks (first and
    last Monday), else from the options' baseline, else from every week."""
    rule = metrics.options.behaviour or BehaviourCharts()
    if baseline is not None:
        rule = BehaviourCharts(baseline_from=baseline[0], baseline_to=baseline[1])
    done = metrics.cycle_times["done"]
    since_epoch = (done - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(microseconds=1)
    done_us: npt.NDArray[np.int64] = np.asarray(since_epoch, dtype=np.int64)
    as_of_us = int(pd.Timestamp(metrics.as_of).value // 1000)
    unit = "working" if metrics.options.calendar is not None else "calendar"
    days = metrics.cycle_times["days"].to_numpy(dtype=np.float64)
    return behaviour_charts(rule, done_us, days, as_of_us, unit)


def xmr_frame(chart: XmRChart) -> pd.DataFrame:
    """week_start, value, moving_range, baseline, average, upper, lower, signal (readings)."""
    frame = chart.points.copy()
    readings: dict[date, list[str]] = {}
    for signal in chart.signals:
        readings.setdefault(signal.week_start, []).append(signal.reading)
    frame["average"] = chart.average
    frame["upper"] = chart.upper
    frame["lower"] = chart.lower
    frame["signal"] = ["; ".join(readings.get(week, [])) for week in frame["week_start"]]
    return frame


def xmr_chart(frame: pd.DataFrame, title: str) -> alt.LayerChart:
    """The values as a line with points (signals red), the average and the two limits as rules."""
    data = frame.assign(
        week_start=pd.to_datetime(frame["week_start"]), flagged=frame["signal"] != ""
    )
    x = alt.X("week_start:T", title="Week starting")
    base = alt.Chart(data)
    line = base.mark_line(point=False).encode(x=x, y=alt.Y("value:Q", title=title))
    points = base.mark_circle(size=60).encode(
        x=x,
        y="value:Q",
        color=alt.condition("datum.flagged", alt.value(SIGNAL_COLOUR), alt.value("#4e79a7")),
        tooltip=[alt.Tooltip("week_start:T", format="%Y-%m-%d"), alt.Tooltip("value:Q", format=".2f"),
                 "baseline:N", "signal:N"],
    )  # fmt: skip
    layers: list[alt.Chart] = [line, points]
    for column, dash in (("average", []), ("upper", [4, 4]), ("lower", [4, 4])):
        if data[column].notna().any():
            layers.append(
                base.mark_rule(strokeDash=dash, color="#555")
                .encode(y=f"mean({column}):Q", tooltip=[alt.Tooltip(f"mean({column}):Q", title=column, format=".2f")])
            )  # fmt: skip
    return alt.LayerChart(layer=layers)


def signals_table(found: BehaviourResults) -> pd.DataFrame:
    rows = [
        {"week_start": s.week_start, "chart": chart.measure, "rule": s.rule, "reading": s.reading}
        for chart in (found.throughput, found.cycle_time)
        for s in chart.signals
    ]
    return pd.DataFrame(rows, columns=["week_start", "chart", "rule", "reading"])


def histogram(metrics: FlowMetrics, *, with_zero_days: bool) -> pd.DataFrame:
    return throughput_histogram(metrics.daily_throughput, with_zero_days=with_zero_days)


def histogram_chart(frame: pd.DataFrame, *, day: str = "day") -> alt.Chart:
    """How many days saw each number of cards done; days are calendar days (with business days
    on, pass ``day="calendar day"`` so the axes say so)."""
    chart: alt.Chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("done:O", title=f"Cards done in a {day}"),
            y=alt.Y("days:Q", title=f"{day.capitalize()}s"),
            tooltip=["done:O", "days:Q"],
        )
    )
    return chart


def wip_by_type(metrics: FlowMetrics) -> pd.DataFrame | None:
    """Long form (date, type, wip) of WIP over time by type; None without a split."""
    types = metrics.work_types
    if types is None or types.wip_over_time is None:
        return None
    return types.wip_over_time.melt(id_vars="date", var_name="type", value_name="wip")


def wip_by_type_chart(long: pd.DataFrame, names: Sequence[str]) -> alt.Chart:
    chart: alt.Chart = (
        alt.Chart(long.assign(date=pd.to_datetime(long["date"])))
        .mark_area(interpolate="step-after", opacity=0.8)
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("wip:Q", stack="zero", title="Cards in progress"),
            color=type_colour(names),
            tooltip=[alt.Tooltip("date:T", format="%Y-%m-%d"), "type:N", "wip:Q"],
        )
    )
    return chart


def backlog_table(found: BacklogForecast) -> pd.DataFrame:
    """Position, card, list, the 50/85/95 % dates and the card's link (Trello card URLs only)."""
    frame = found.table()
    frame["link"] = [card_link(url) for url in frame["url"]]
    return frame[["position", "name", "list", "p50", "p85", "p95", "link"]]


def forecast_sample_table(metrics: FlowMetrics, window_days: int) -> pd.DataFrame:
    """The days the forecasts draw from (working days with business days on)."""
    return forecast_sample(
        metrics.daily_throughput, metrics.as_of.date(), window_days, metrics.options.calendar
    )


def debt(metrics: FlowMetrics) -> FlowDebt:
    """Flow debt with the board's own rule, or the default (8 weeks, ratio 1.5)."""
    return flow_debt(metrics, metrics.options.flow_debt)
