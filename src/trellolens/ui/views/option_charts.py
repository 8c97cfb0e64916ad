"""Altair charts and tables of the analytics options: a colour per work type, blocked markers.

Pure functions from the metrics' tables, no Streamlit; ``charts.py`` holds the charts without
options. A type keeps its colour on every page: the colour follows its place in the type names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import altair as alt
import pandas as pd

from trellolens.metrics import WhenForecast
from trellolens.metrics.options import NO_TYPE
from trellolens.ui.views.charts import (
    _percentile_rules,
    _sparse_dates,
    aging_band_layer,
    aging_spread,
    aging_x,
    count_axis,
    date_axis,
)
from trellolens.ui.views.drill_down import card_pick, week_pick

TYPE_COLOURS = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#17becf",
)  # fmt: skip
"""Tableau 10 without its grey, which is the colour of ``(none)``."""
NO_TYPE_COLOUR = "#9e9e9e"
BLOCKED_COLOUR = "#c62828"
TYPE = "type"


def type_scale(names: Sequence[str]) -> alt.Scale:
    """One colour per type, in the order of ``names``; ``(none)`` grey."""
    colours, index = [], 0
    for name in names:
        if name == NO_TYPE:
            colours.append(NO_TYPE_COLOUR)
        else:
            colours.append(TYPE_COLOURS[index % len(TYPE_COLOURS)])
            index += 1
    return alt.Scale(domain=list(names), range=colours)


def type_colour(names: Sequence[str], title: str = "Type") -> alt.Color:
    return alt.Color(
        f"{TYPE}:N",
        sort=list(names),
        scale=type_scale(names),
        legend=alt.Legend(title=title, orient="bottom"),
    )


def cycle_time_scatter_by_type(
    cycle_times: pd.DataFrame, percentiles: Mapping[int, float | None], names: Sequence[str]
) -> alt.LayerChart:
    """One dot per done card, coloured by its type, with the 50/85/95 % lines of all cards."""
    frame = cycle_times.assign(done=pd.to_datetime(cycle_times["done"], utc=True))
    tooltip = [
        "name:N",
        f"{TYPE}:N",
        alt.Tooltip("started:T", format="%Y-%m-%d %H:%M"),
        alt.Tooltip("done:T", format="%Y-%m-%d %H:%M"),
        alt.Tooltip("days:Q", format=".1f"),
    ]
    if "blocked_days" in frame.columns:
        tooltip.append(alt.Tooltip("blocked_days:Q", title="blocked (days)", format=".1f"))
    dots = (
        alt.Chart(frame)
        .mark_circle(size=60, opacity=0.8)
        .add_params(card_pick())
        .encode(
            x=alt.X("done:T", title="Done", axis=date_axis()),
            y=alt.Y("days:Q", title="Cycle time (days)"),
            color=type_colour(names),
            tooltip=tooltip,
        )
    )
    chart: alt.LayerChart = alt.LayerChart(layer=[dots, _percentile_rules(percentiles)])
    return chart.resolve_scale(color="independent")  # type: ignore[no-any-return]


def weekly_by_type(weekly: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """``week_start``, ``type``, ``count``: the wide weekly table of the split in long form."""
    long = weekly.melt(
        id_vars=["week_start"], value_vars=list(names), var_name=TYPE, value_name="count"
    )
    order = {name: i for i, name in enumerate(names)}
    long = long.assign(_order=long[TYPE].map(order))
    return long.sort_values(["week_start", "_order"], ignore_index=True).drop(columns="_order")


def weekly_throughput_by_type_chart(long: pd.DataFrame, names: Sequence[str]) -> alt.Chart:
    """Done cards per ISO week, stacked by type."""
    order = {name: index for index, name in enumerate(names)}
    frame = long.assign(
        week_start=pd.to_datetime(long["week_start"]),
        type_index=long[TYPE].map(order),
        week=[str(day) for day in long["week_start"]],
    )
    chart: alt.Chart = (
        alt.Chart(frame)
        .mark_bar()
        .add_params(week_pick())
        .encode(
            x=alt.X("yearmonthdate(week_start):O", title="Week starting", axis=_sparse_dates()),
            y=alt.Y("count:Q", title="Cards done", stack="zero", axis=count_axis()),
            color=type_colour(names),
            order=alt.Order("type_index:Q"),
            tooltip=[
                alt.Tooltip("week_start:T", title="Week starting", format="%Y-%m-%d"),
                f"{TYPE}:N",
                alt.Tooltip("count:Q", title="Cards done"),
            ],
        )
    )
    return chart


def daily_by_type(
    daily: Mapping[str, pd.Series], names: Sequence[str], days: Sequence[date]
) -> pd.DataFrame:
    """``date``, ``type``, ``count`` on ``days`` (a day a type has no count for is 0)."""
    frames = [
        pd.DataFrame(
            {
                "date": list(days),
                TYPE: name,
                "count": daily[name].reindex(list(days), fill_value=0).to_numpy(),
            }
        )
        for name in names
    ]
    if not frames:
        return pd.DataFrame(columns=["date", TYPE, "count"])
    return pd.concat(frames, ignore_index=True)


def daily_by_type_chart(long: pd.DataFrame, names: Sequence[str]) -> alt.Chart:
    """Done cards per day stacked by type: the sample each type's forecast draws from."""
    frame = long.assign(date=pd.to_datetime(long["date"]))
    chart: alt.Chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("yearmonthdate(date):O", title=None, axis=_sparse_dates()),
            y=alt.Y("count:Q", title="Cards done", stack="zero", axis=count_axis()),
            color=type_colour(names),
            tooltip=[alt.Tooltip("date:T", format="%Y-%m-%d"), f"{TYPE}:N", "count:Q"],
        )
    )
    return chart


def aging_wip_chart_with_options(
    wip: pd.DataFrame,
    stage_order: Sequence[str],
    percentiles: Mapping[int, float | None],
    names: Sequence[str] | None,
) -> alt.LayerChart:
    """The aging chart with dots coloured by type (``names``) and a red ring round blocked cards."""
    spread = aging_spread(wip)
    order = list(dict.fromkeys(stage_order))
    tooltip: list[str | alt.Tooltip] = [
        "name:N",
        "list:N",
        alt.Tooltip("age_days:Q", title="age (days)", format=".1f"),
    ]
    if names is not None:
        tooltip.append(f"{TYPE}:N")
    if "blocked" in spread.columns:
        tooltip += [
            "blocked:N",
            alt.Tooltip("blocked_days:Q", title="blocked (days)", format=".1f"),
        ]
    x = aging_x(order)
    offset = alt.XOffset("jitter:Q", scale=alt.Scale(domain=[-0.5, 1.5]))
    dot_colour = {} if names is None else {"color": type_colour(names)}
    dots = (
        alt.Chart(spread)
        .mark_circle(size=80, opacity=0.85, color="#1a237e")
        .add_params(card_pick())
        .encode(x=x, xOffset=offset, y=alt.Y("age_days:Q"), tooltip=tooltip, **dot_colour)
    )
    layers: list[alt.Chart] = [aging_band_layer(wip, percentiles), dots]
    if "blocked" in spread.columns:
        rings = (
            alt.Chart(spread[spread["blocked"].astype(bool)])
            .mark_point(
                shape="square", size=260, filled=False, strokeWidth=2.5, color=BLOCKED_COLOUR
            )
            .encode(x=x, xOffset=offset, y=alt.Y("age_days:Q"), tooltip=tooltip)
        )
        layers.append(rings)
    chart: alt.LayerChart = alt.LayerChart(layer=layers)
    return chart.resolve_scale(color="independent")  # type: ignore[no-any-return]


NOTHING_IN_PROGRESS = "nothing in progress"


def forecast_by_type_table(
    forecasts: Mapping[str, WhenForecast], wip_counts: Mapping[str, int]
) -> pd.DataFrame:
    """``type``, ``in progress``, then the ``50 % by`` ... ``95 % by`` dates (empty: not foreseeable; a type with
    nothing in progress says so instead of a date)."""
    rows = []
    for name, answer in forecasts.items():
        in_progress = int(wip_counts.get(name, 0))
        levels = ((50, answer.p50), (85, answer.p85), (95, answer.p95))
        rows.append(
            {
                TYPE: name,
                "in progress": in_progress,
                **{
                    f"{level} % by": NOTHING_IN_PROGRESS
                    if in_progress == 0
                    else ("" if day is None else day.isoformat())
                    for level, day in levels
                },
            }
        )
    return pd.DataFrame(rows, columns=[TYPE, "in progress", "50 % by", "85 % by", "95 % by"])
