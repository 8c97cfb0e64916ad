"""Altair charts of the flow metrics: pure functions from tables to charts, no Streamlit.

Each builder takes the table a page also offers as CSV, so what is drawn is what is downloaded.
Column names follow ``trellolens.metrics.FlowMetrics``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import altair as alt
import pandas as pd

from trellolens.ui.views.drill_down import band_pick, card_pick, picked_opacity, week_pick

PERCENTILES = (50, 85, 95)
PERCENTILE_COLOURS = {50: "#2e7d32", 85: "#f9a825", 95: "#c62828"}
BAND_COLOURS = ("#c8e6c9", "#fff59d", "#ffcc80", "#ef9a9a")
"""Background bands of the aging chart: under p50, p50-p85, p85-p95, over p95."""

STAGE = "stage"
CARDS = "cards"
IN_STAGE_OR_LATER = "in stage or later"


DAY_MS = 24 * 60 * 60 * 1000
"""One day in Vega-Lite's time unit (milliseconds)."""


def cfd_bands(cfd: pd.DataFrame, stage_names: Sequence[str]) -> pd.DataFrame:
    """The CFD in long form: per date and stage, the cards in exactly that stage.

    ``cfd`` counts cards "in the stage or a later one" (columns ``date``, then one per stage in
    workflow order); the difference to the next stage is the band drawn for a stage, so the
    stacked bands end exactly at those cumulative counts.
    """
    counts = cfd.iloc[:, 1 : 1 + len(stage_names)]
    whole = all(pd.api.types.is_integer_dtype(dtype) for dtype in counts.dtypes)
    cumulative = counts.to_numpy(dtype="int64" if whole else "float64")  # sizes may be fractions
    bands = cumulative.copy()
    bands[:, :-1] -= cumulative[:, 1:]
    dates = pd.to_datetime(cfd["date"])
    frames = [
        pd.DataFrame(
            {
                "date": dates,
                STAGE: name,
                "stage_index": index,
                CARDS: bands[:, index],
                IN_STAGE_OR_LATER: cumulative[:, index],
            }
        )
        for index, name in enumerate(stage_names)
    ]
    if not frames:
        return pd.DataFrame(columns=["date", STAGE, "stage_index", CARDS, IN_STAGE_OR_LATER])
    return pd.concat(frames, ignore_index=True)


def cfd_chart(
    cfd: pd.DataFrame, stage_names: Sequence[str], *, unit: str = "Cards"
) -> alt.LayerChart:
    """Cumulative flow: stacked areas, the done stage at the bottom, the first stage on top.

    ``unit`` titles the y axis: cards, or the size field the CFD sums. A click on a band picks
    that band's closest day (``BAND_PICK``): an invisible point sits in the middle of each band.
    """
    bands = cfd_bands(cfd, stage_names)
    order = list(dict.fromkeys(stage_names))
    areas = (
        alt.Chart(bands)
        .mark_area(interpolate="step-after")
        .encode(
            x=alt.X("date:T", title=None, axis=date_axis()),
            y=alt.Y(
                f"{CARDS}:Q",
                stack="zero",
                title=unit,
                axis=count_axis() if unit == "Cards" else alt.Undefined,
            ),
            color=alt.Color(
                f"{STAGE}:N",
                sort=order,
                scale=alt.Scale(scheme="tableau10"),
                legend=alt.Legend(title="Stage", orient="bottom"),
            ),
            order=alt.Order("stage_index:Q", sort="descending"),
            tooltip=[
                alt.Tooltip("date:T", format="%Y-%m-%d"),
                STAGE,
                CARDS,
                IN_STAGE_OR_LATER,
            ],
        )
    )
    return alt.LayerChart(layer=[areas, _band_points(bands)])


def _band_points(bands: pd.DataFrame) -> alt.Chart:
    """One transparent point per day and stage, halfway up its band: what a click picks."""
    points = bands.assign(
        day=bands["date"].dt.strftime("%Y-%m-%d"),
        middle=bands[IN_STAGE_OR_LATER] - bands[CARDS] / 2,
    )
    layer: alt.Chart = (
        alt.Chart(points)
        .mark_point(opacity=0, size=10)
        .encode(
            x=alt.X("date:T", title=None, axis=date_axis()),
            y="middle:Q",
            detail=f"{STAGE}:N",
            tooltip=[alt.Tooltip("date:T", format="%Y-%m-%d"), STAGE, CARDS, IN_STAGE_OR_LATER],
        )
        .add_params(band_pick())
    )
    return layer


def wip_over_time_chart(wip_over_time: pd.DataFrame) -> alt.Chart:
    """Cards in progress at the end of each day."""
    frame = wip_over_time.assign(date=pd.to_datetime(wip_over_time["date"]))
    chart: alt.Chart = (
        alt.Chart(frame)
        .mark_area(interpolate="step-after", opacity=0.7, line=True)
        .encode(
            x=alt.X("date:T", title=None, axis=date_axis()),
            y=alt.Y("wip:Q", title="Cards in progress", axis=count_axis()),
            tooltip=[alt.Tooltip("date:T", format="%Y-%m-%d"), alt.Tooltip("wip:Q", title="WIP")],
        )
    )
    return chart


def weekly_throughput_chart(weekly: pd.DataFrame, *, unit: str = "Cards done") -> alt.Chart:
    """Done cards (or their summed size, titled ``unit``) per ISO week (labelled by its Monday)."""
    frame = weekly.assign(
        week_start=pd.to_datetime(weekly["week_start"]),
        week=[str(day) for day in weekly["week_start"]],
    )
    pick = week_pick()
    chart: alt.Chart = (
        alt.Chart(frame)
        .mark_bar()
        .add_params(pick)
        .encode(
            opacity=picked_opacity(pick),
            x=alt.X("yearmonthdate(week_start):O", title="Week starting", axis=_sparse_dates()),
            y=alt.Y(
                "count:Q", title=unit, axis=count_axis() if unit == "Cards done" else alt.Undefined
            ),
            tooltip=[
                alt.Tooltip("week_start:T", title="Week starting", format="%Y-%m-%d"),
                alt.Tooltip("count:Q", title=unit),
            ],
        )
    )
    return chart


def daily_throughput_chart(daily: pd.DataFrame) -> alt.Chart:
    """Done cards per day (columns ``date``, ``count``): the sample a forecast draws from."""
    frame = daily.assign(date=pd.to_datetime(daily["date"]))
    chart: alt.Chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("yearmonthdate(date):O", title=None, axis=_sparse_dates()),
            y=alt.Y("count:Q", title="Cards done", axis=count_axis()),
            tooltip=[alt.Tooltip("date:T", format="%Y-%m-%d"), "count:Q"],
        )
    )
    return chart


def _sparse_dates() -> alt.Axis:
    return alt.Axis(format="%Y-%m-%d", labelAngle=-45, labelOverlap="greedy")


def date_axis() -> alt.Axis:
    """A time axis labelled with dates (2024-01-08), never with hours or bare month names."""
    return alt.Axis(format="%Y-%m-%d", labelAngle=-45, labelOverlap="greedy", tickMinStep=DAY_MS)


def count_axis() -> alt.Axis:
    """An axis of card counts: whole numbers only (no 0.5 card)."""
    return alt.Axis(tickMinStep=1, format="d")


def percentile_table(percentiles: Mapping[int, float | None]) -> pd.DataFrame:
    """Rows ``percentile``, ``days`` for the percentiles that exist (a board with no done cards has none)."""
    present = {p: percentiles.get(p) for p in PERCENTILES}
    rows = [(f"{p} %", float(days)) for p, days in present.items() if days is not None]
    return pd.DataFrame(rows, columns=["percentile", "days"])


def _percentile_rules(percentiles: Mapping[int, float | None]) -> alt.LayerChart:
    table = percentile_table(percentiles)
    colours = alt.Scale(
        domain=[f"{p} %" for p in PERCENTILES], range=[PERCENTILE_COLOURS[p] for p in PERCENTILES]
    )
    rules = (
        alt.Chart(table)
        .mark_rule(strokeDash=[6, 3], strokeWidth=2)
        .encode(
            y="days:Q",
            color=alt.Color("percentile:N", scale=colours, legend=alt.Legend(orient="bottom")),
            tooltip=["percentile", alt.Tooltip("days:Q", format=".1f")],
        )
    )
    labels = (
        alt.Chart(table)
        .mark_text(align="left", dx=4, dy=-6, fontWeight="bold")
        .encode(
            y="days:Q",
            x=alt.value(0),
            text=alt.Text("label:N"),
            color=alt.Color("percentile:N", scale=colours, legend=None),
        )
        .transform_calculate(label="datum.percentile + ': ' + format(datum.days, '.1f') + ' d'")
    )
    return alt.LayerChart(layer=[rules, labels])


def cycle_time_scatter(
    cycle_times: pd.DataFrame, percentiles: Mapping[int, float | None]
) -> alt.LayerChart:
    """One dot per done card (done date, cycle time in days) with 50/85/95 % rule lines."""
    frame = cycle_times.assign(done=pd.to_datetime(cycle_times["done"], utc=True))
    pick = card_pick()
    dots = (
        alt.Chart(frame)
        .mark_circle(size=60)
        .add_params(pick)
        .encode(
            opacity=picked_opacity(pick, 0.7),
            x=alt.X("done:T", title="Done", axis=date_axis()),
            y=alt.Y("days:Q", title="Cycle time (days)"),
            tooltip=[
                "name:N",
                alt.Tooltip("started:T", format="%Y-%m-%d %H:%M"),
                alt.Tooltip("done:T", format="%Y-%m-%d %H:%M"),
                alt.Tooltip("days:Q", format=".1f"),
            ],
        )
    )
    return alt.LayerChart(layer=[dots, _percentile_rules(percentiles)])


def cycle_time_histogram(cycle_times: pd.DataFrame) -> alt.Chart:
    """How many cards took how long."""
    chart: alt.Chart = (
        alt.Chart(cycle_times[["days"]])
        .mark_bar()
        .encode(
            x=alt.X("days:Q", bin=alt.Bin(maxbins=30), title="Cycle time (days)"),
            y=alt.Y("count():Q", title="Cards", axis=count_axis()),
            tooltip=[alt.Tooltip("days:Q", bin=True), alt.Tooltip("count():Q", title="Cards")],
        )
    )
    return chart


def counts_bar_chart(counts: pd.DataFrame, category: str) -> alt.Chart:
    """A horizontal bar per ``category`` value, most ``Cards`` first (the overview's breakdowns)."""
    chart: alt.Chart = (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X("Cards:Q", title="Open cards", axis=count_axis()),
            y=alt.Y(f"{category}:N", sort="-x", title=None),
            tooltip=[category, "Cards"],
        )
    )
    return chart


def time_in_list_chart(time_in_list: pd.DataFrame, *, days: str = "days") -> alt.Chart:
    """Median days a card spent in each list, in workflow order.

    Time in list is always counted in calendar days: with business days on, pass
    ``days="calendar days"`` so the axis says so."""
    chart: alt.Chart = (
        alt.Chart(time_in_list)
        .mark_bar()
        .encode(
            x=alt.X("median_days:Q", title=f"Median {days} in list"),
            y=alt.Y("list:N", sort=list(dict.fromkeys(time_in_list["list"])), title=None),
            tooltip=["list", alt.Tooltip("median_days:Q", format=".1f"), "cards"],
        )
    )
    return chart


def aging_bands(percentiles: Mapping[int, float | None], oldest: float) -> pd.DataFrame:
    """Background bands ``band``, ``from_days``, ``to_days``: under p50 up to over p95."""
    edges = [0.0]
    names = []
    previous = "0"
    for p in PERCENTILES:
        value = percentiles.get(p)
        if value is None:
            continue
        edges.append(float(value))
        names.append(f"{previous}-{p} %" if previous != "0" else f"under {p} %")
        previous = str(p)
    top = max(oldest, edges[-1]) * 1.1 or 1.0
    if len(edges) > 1:
        names.append(f"over {previous} %")
        edges.append(top)
    rows = [
        (name, low, high)
        for name, low, high in zip(names, edges[:-1], edges[1:], strict=True)
        if high >= low
    ]
    return pd.DataFrame(rows, columns=["band", "from_days", "to_days"])


def aging_wip_chart(
    wip: pd.DataFrame,
    stage_order: Sequence[str],
    percentiles: Mapping[int, float | None],
) -> alt.LayerChart:
    """Age of every card in progress, one column per stage, over the cycle-time percentile bands.

    A dot in the red band is older than 95 % of the cards that finished: it needs attention.
    """
    spread = aging_spread(wip)
    order = list(dict.fromkeys(stage_order))
    pick = card_pick()
    dots = (
        alt.Chart(spread)
        .mark_circle(size=80, color="#1a237e")
        .add_params(pick)
        .encode(
            opacity=picked_opacity(pick, 0.85),
            x=aging_x(order),
            xOffset=alt.XOffset("jitter:Q", scale=alt.Scale(domain=[-0.5, 1.5])),
            y=alt.Y("age_days:Q"),
            tooltip=[
                "name:N",
                "list:N",
                alt.Tooltip("age_days:Q", title="age (days)", format=".1f"),
            ],
        )
    )
    return alt.LayerChart(layer=[aging_band_layer(wip, percentiles), dots])


def aging_spread(wip: pd.DataFrame) -> pd.DataFrame:
    """The WIP table with a ``jitter`` column spreading the dots of one stage sideways."""
    return wip.assign(jitter=[(i * 0.618) % 1 for i in range(len(wip))])


def aging_x(order: list[str]) -> alt.X:
    return alt.X(
        "list:N", sort=order, scale=alt.Scale(domain=order), axis=alt.Axis(labelAngle=0), title=None
    )


def aging_band_layer(wip: pd.DataFrame, percentiles: Mapping[int, float | None]) -> alt.Chart:
    """The background bands of the aging chart, from the cycle-time percentiles."""
    oldest = float(wip["age_days"].max()) if len(wip) else 0.0
    bands = aging_bands(percentiles, oldest)
    band_layer: alt.Chart = (
        alt.Chart(bands)
        .mark_rect(opacity=0.6)
        .encode(
            y=alt.Y("from_days:Q", title="Age (days)"),
            y2="to_days:Q",
            color=alt.Color(
                "band:N",
                sort=list(bands["band"]),
                scale=alt.Scale(domain=list(bands["band"]), range=list(BAND_COLOURS)),
                legend=alt.Legend(title="Cycle time percentile", orient="bottom"),
            ),
            tooltip=["band", alt.Tooltip("to_days:Q", title="up to days", format=".1f")],
        )
    )
    return band_layer


def throughput_window(daily: pd.Series, start: date, window_days: int) -> pd.DataFrame:
    """The days a forecast samples from (``date``, ``count``): the last ``window_days`` up to
    ``start``, days without a done card as zero, days before the first done card left out."""
    if len(daily) == 0:
        return pd.DataFrame({"date": pd.Series([], dtype=object), "count": []})
    first = max(start - timedelta(days=window_days - 1), min(daily.index))
    days = [first + timedelta(days=offset) for offset in range((start - first).days + 1)]
    sample = daily.reindex(days, fill_value=0).astype("int64")
    return pd.DataFrame({"date": days, "count": sample.to_numpy()})
