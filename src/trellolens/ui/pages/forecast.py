"""Forecast: Monte Carlo answers to "when will these K cards be done" and "how many by date D"."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from trellolens.metrics import FlowMetrics, forecast_by_type, forecast_how_many, forecast_when
from trellolens.ui.charts import daily_throughput_chart, throughput_window
from trellolens.ui.components.csv_download import chart_with_csv, csv_download
from trellolens.ui.components.flow_context import flow_context
from trellolens.ui.components.tiles import metric_tiles
from trellolens.ui.forecast_tables import LEVELS, forecast_answers
from trellolens.ui.option_charts import daily_by_type, daily_by_type_chart, forecast_by_type_table
from trellolens.ui.visitor_errors import shows_errors

KEY_PREFIX = "forecast_page."
WINDOW_KEY = f"{KEY_PREFIX}window_weeks"
TRIALS_KEY = f"{KEY_PREFIX}trials"
FIXED_SEED_KEY = f"{KEY_PREFIX}fixed_seed"
SEED_KEY = f"{KEY_PREFIX}seed"
CARDS_KEY = f"{KEY_PREFIX}cards"
UNTIL_KEY = f"{KEY_PREFIX}until"
BY_TYPE_TABLE_KEY = f"{KEY_PREFIX}by_type"

TRIAL_CHOICES = (1_000, 10_000, 100_000)


@shows_errors
def render() -> None:
    context = flow_context("Forecast")
    metrics = context.metrics
    start = metrics.as_of.date()
    window_days, trials, seed = settings()

    sample = throughput_window(metrics.daily_throughput, start, window_days)
    st.caption(
        f"Each of {trials:,} trials replays the board's daily throughput, days drawn at random "
        f"from the {len(sample)} days up to {start:%Y-%m-%d}. "
        + ("A fixed seed gives the same answers every time." if seed is not None else "")
        + (
            " Business days are on: only working days are simulated and drawn from (what was "
            "done on a day off counts on the next working day)."
            if metrics.options.calendar is not None
            else ""
        )
    )
    if sample.empty or not sample["count"].any():
        st.warning(
            "No card was done in the sampling window, so there is nothing to forecast from: "
            "widen the window or pick a later as-of date."
        )

    when_rows = when_section(metrics, start, window_days, trials, seed)
    how_many_rows = how_many_section(metrics, start, window_days, trials, seed)
    answers = forecast_answers([*when_rows, *how_many_rows])
    csv_download(answers, board_name=context.board_name, what="forecast")
    by_type_section(metrics, start, window_days, trials, seed, context.board_name)

    st.subheader("Daily throughput the trials draw from")
    types = metrics.work_types
    if types is None:
        chart_with_csv(
            daily_throughput_chart(sample),
            sample,
            board_name=context.board_name,
            what="forecast-sample",
        )
    else:
        long = daily_by_type(types.daily_throughput, types.names, list(sample["date"]))
        chart_with_csv(
            daily_by_type_chart(long, types.names),
            long,
            board_name=context.board_name,
            what="forecast-sample",
        )


def settings() -> tuple[int, int, int | None]:
    """Window (days), trials and seed (None: a fresh random draw every time)."""
    window_column, trials_column, seed_column = st.columns(3)
    weeks = window_column.number_input(
        "Sampling window (weeks)",
        min_value=1,
        max_value=104,
        value=8,
        step=1,
        key=WINDOW_KEY,
        help="Throughput of the last weeks up to the as-of date is what the future resembles.",
    )
    trials = trials_column.selectbox(
        "Trials", TRIAL_CHOICES, index=1, key=TRIALS_KEY, format_func="{:,}".format
    )
    with seed_column:
        fixed = st.checkbox("Fixed seed", value=True, key=FIXED_SEED_KEY)
        seed = st.number_input(
            "Seed", min_value=0, max_value=2**32 - 1, value=1, key=SEED_KEY, disabled=not fixed
        )
    return int(weeks) * 7, int(trials), int(seed) if fixed else None


def when_section(
    metrics: FlowMetrics, start: date, window_days: int, trials: int, seed: int | None
) -> list[list[object]]:
    st.subheader("When will these cards be done?")
    in_progress = len(metrics.wip)
    cards = st.number_input(
        "Cards still to finish",
        min_value=1,
        max_value=100_000,
        value=max(in_progress, 1),
        key=CARDS_KEY,
        help=f"Defaults to the cards in progress now ({in_progress:d}).",
    )
    answer = forecast_when(
        metrics.daily_throughput,
        int(cards),
        start=start,
        trials=trials,
        window_days=window_days,
        seed=seed,
        calendar=metrics.options.calendar,
    )
    dates = (answer.p50, answer.p85, answer.p95)
    metric_tiles(
        [
            (f"{level} % likely by", "never" if day is None else f"{day:%Y-%m-%d}")
            for level, day in zip(LEVELS, dates, strict=True)
        ]
    )
    st.caption(f"{int(cards)} cards done, counting from {start:%Y-%m-%d}.")
    question = f"when will {int(cards)} cards be done"
    return [[question, *("" if day is None else day.isoformat() for day in dates)]]


def how_many_section(
    metrics: FlowMetrics, start: date, window_days: int, trials: int, seed: int | None
) -> list[list[object]]:
    st.subheader("How many cards by a date?")
    until = st.date_input(
        "Done by the end of",
        value=start + timedelta(days=14),
        min_value=start + timedelta(days=1),
        key=UNTIL_KEY,
    )
    answer = forecast_how_many(
        metrics.daily_throughput,
        until,
        start=start,
        trials=trials,
        window_days=window_days,
        seed=seed,
        calendar=metrics.options.calendar,
    )
    counts = (answer.p50, answer.p85, answer.p95)
    metric_tiles(
        [
            (f"{level} % likely, at least", f"{count} cards")
            for level, count in zip(LEVELS, counts, strict=True)
        ]
    )
    st.caption(f"Cards done from {start + timedelta(days=1):%Y-%m-%d} to {until:%Y-%m-%d}.")
    return [[f"how many cards done by {until.isoformat()}", *counts]]


def by_type_section(
    metrics: FlowMetrics,
    start: date,
    window_days: int,
    trials: int,
    seed: int | None,
    board_name: str,
) -> None:
    """Per work type: when that type's cards in progress are done, from its own throughput."""
    types = metrics.work_types
    if types is None:
        return
    st.subheader("When will each type's cards in progress be done?")
    wip_types = metrics.wip["type"]
    forecasts = forecast_by_type(
        types,
        wip_types,
        start=start,
        trials=trials,
        window_days=window_days,
        seed=seed,
        calendar=metrics.options.calendar,
    )
    counts = {str(name): int(count) for name, count in wip_types.value_counts().items()}
    table = forecast_by_type_table(forecasts, counts)
    st.caption(
        "Each type's trials draw from that type's daily throughput in the same sampling window; "
        "an empty date means no card of that type was done in the window."
    )
    st.dataframe(table, hide_index=True, key=BY_TYPE_TABLE_KEY)
    csv_download(table, board_name=board_name, what="forecast-by-type")


if __name__ == "__main__":
    render()
