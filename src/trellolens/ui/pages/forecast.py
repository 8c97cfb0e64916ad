"""Forecast: Monte Carlo answers to "when will these K cards be done" and "how many by date D"."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import streamlit as st

from trellolens.metrics import FlowMetrics
from trellolens.ui.components import forecast_link
from trellolens.ui.components.csv_download import chart_with_csv, csv_download
from trellolens.ui.components.flow_context import flow_context
from trellolens.ui.components.forecast_link import (
    KEY_PREFIX,
    MAX_CARDS,
    MAX_HORIZON,
    MAX_SEED,
    MAX_WEEKS,
    link_params,
    seed_defaults,
)
from trellolens.ui.components.table import show_table, titles_of
from trellolens.ui.components.tiles import metric_tiles
from trellolens.ui.components.view_link import read_links, write_links
from trellolens.ui.data.board_source import BoardChoice
from trellolens.ui.data.forecasts import (
    backlog_forecast,
    how_many_forecast,
    type_forecasts,
    when_forecast,
)
from trellolens.ui.markdown_text import plain
from trellolens.ui.views.analytics_charts import backlog_table, forecast_sample_table
from trellolens.ui.views.charts import daily_throughput_chart
from trellolens.ui.views.forecast_tables import LEVELS, forecast_answers
from trellolens.ui.views.option_charts import (
    daily_by_type,
    daily_by_type_chart,
    forecast_by_type_table,
)
from trellolens.ui.visitor_errors import shows_errors
from trellolens.ui.wording import counted

if TYPE_CHECKING:
    import pandas as pd

# The inputs' keys (forecast_link.py owns them, with their place in the URL).
WINDOW_KEY = forecast_link.WINDOW_KEY
TRIALS_KEY = forecast_link.TRIALS_KEY
FIXED_SEED_KEY = forecast_link.FIXED_SEED_KEY
SEED_KEY = forecast_link.SEED_KEY
CARDS_KEY = forecast_link.CARDS_KEY
UNTIL_KEY = forecast_link.UNTIL_KEY
SCOPE_GROWTH_KEY = forecast_link.SCOPE_GROWTH_KEY
TRIAL_CHOICES = forecast_link.TRIAL_CHOICES
BY_TYPE_TABLE_KEY = f"{KEY_PREFIX}by_type"
BACKLOG_TABLE_KEY = f"{KEY_PREFIX}backlog"


@shows_errors
def render() -> None:
    context = flow_context("Forecast")
    metrics = context.metrics
    start = metrics.as_of.date()
    params = link_params(start, len(metrics.wip))
    seed_defaults(start, len(metrics.wip))
    read_links(params)  # a copied link or a reload: the same inputs
    window_days, trials, seed = settings()
    chosen = (window_days, trials, seed)

    working = metrics.options.calendar is not None
    sample = forecast_sample_table(metrics, window_days)
    st.caption(
        f"Each of {trials:,} trials replays the board's daily throughput, days drawn at random "
        f"from the {len(sample)} {'working ' if working else ''}days up to {start:%Y-%m-%d}. "
        + ("A fixed seed gives the same answers every time." if seed is not None else "")
        + (
            " Business days are on: only working days are simulated and drawn from (what was "
            "done on a day off counts on the next working day)."
            if working
            else ""
        )
    )
    if sample.empty or not sample["count"].any():
        st.warning(
            "No card was done in the sampling window, so there is nothing to forecast from: "
            "widen the window or pick a later as-of date."
        )

    when_rows = when_section(context.choice, metrics, chosen)
    how_many_rows = how_many_section(context.choice, metrics, chosen)
    answers = forecast_answers([*when_rows, *how_many_rows])
    csv_download(answers, board_name=context.board_name, what="forecast")
    by_type_section(context.choice, metrics, chosen, context.board_name)
    backlog_section(context.choice, metrics, chosen, context.board_name)
    sample_section(metrics, sample, context.board_name)
    write_links(params)


def sample_section(metrics: FlowMetrics, sample: pd.DataFrame, board_name: str) -> None:
    """The days the trials draw from: working days (with what the days off carried) when on."""
    working = metrics.options.calendar is not None
    st.subheader(f"Daily throughput the trials draw from{' (working days)' if working else ''}")
    types = metrics.work_types
    if types is None:
        chart_with_csv(
            daily_throughput_chart(sample), sample, board_name=board_name, what="forecast-sample"
        )
        return
    long = daily_by_type(types.daily_throughput, types.names, list(sample["date"]))
    chart_with_csv(
        daily_by_type_chart(long, types.names), long, board_name=board_name, what="forecast-sample"
    )


def settings() -> tuple[int, int, int | None]:
    """Window (days), trials and seed (None: a fresh random draw every time)."""
    window_column, trials_column, seed_column = st.columns(3)
    weeks = window_column.number_input(
        "Sampling window (weeks)",
        min_value=1,
        max_value=MAX_WEEKS,
        step=1,
        key=WINDOW_KEY,
        help="Throughput of the last weeks up to the as-of date is what the future resembles.",
    )
    trials = trials_column.selectbox(
        "Trials", TRIAL_CHOICES, key=TRIALS_KEY, format_func="{:,}".format
    )
    with seed_column:
        fixed = st.checkbox("Fixed seed", key=FIXED_SEED_KEY)
        seed = st.number_input(
            "Seed", min_value=0, max_value=MAX_SEED, key=SEED_KEY, disabled=not fixed
        )
    return int(weeks) * 7, int(trials), int(seed) if fixed else None


def when_section(
    choice: BoardChoice, metrics: FlowMetrics, chosen: tuple[int, int, int | None]
) -> list[list[object]]:
    st.subheader("When will these cards be done?")
    start = metrics.as_of.date()
    in_progress = len(metrics.wip)
    cards = st.number_input(
        "Cards still to finish",
        min_value=1,
        max_value=MAX_CARDS,
        key=CARDS_KEY,
        help=f"Defaults to the cards in progress now ({in_progress:d}).",
    )
    answer = when_forecast(choice, metrics, int(cards), chosen)
    dates = (answer.p50, answer.p85, answer.p95)
    metric_tiles(
        [
            (f"{level} % likely by", "never" if day is None else f"{day:%Y-%m-%d}")
            for level, day in zip(LEVELS, dates, strict=True)
        ]
    )
    st.caption(f"{plain(counted(int(cards), 'card'))} done, counting from {start:%Y-%m-%d}.")
    question = f"when will {counted(int(cards), 'card')} be done"
    return [[question, *("" if day is None else day.isoformat() for day in dates)]]


def how_many_section(
    choice: BoardChoice, metrics: FlowMetrics, chosen: tuple[int, int, int | None]
) -> list[list[object]]:
    st.subheader("How many cards by a date?")
    start = metrics.as_of.date()
    until = st.date_input(
        "Done by the end of",
        min_value=start + timedelta(days=1),
        max_value=start + MAX_HORIZON,
        key=UNTIL_KEY,
    )
    answer = how_many_forecast(choice, metrics, until, chosen)
    counts = (answer.p50, answer.p85, answer.p95)
    metric_tiles(
        [
            (f"{level} % likely, at least", counted(int(count), "card"))
            for level, count in zip(LEVELS, counts, strict=True)
        ]
    )
    st.caption(f"Cards done from {start + timedelta(days=1):%Y-%m-%d} to {until:%Y-%m-%d}.")
    return [[f"how many cards done by {until.isoformat()}", *counts]]


def by_type_section(
    choice: BoardChoice, metrics: FlowMetrics, chosen: tuple[int, int, int | None], board_name: str
) -> None:
    """Per work type: when that type's cards in progress are done, from its own throughput."""
    if metrics.work_types is None:
        return
    st.subheader("When will each type's cards in progress be done?")
    forecasts = type_forecasts(choice, metrics, chosen)
    counts = {str(name): int(count) for name, count in metrics.wip["type"].value_counts().items()}
    table = forecast_by_type_table(forecasts, counts)
    st.caption(
        "Each type's trials draw from that type's daily throughput in the same sampling window; "
        "an empty date means no card of that type was done in the window."
    )
    show_table(table, key=BY_TYPE_TABLE_KEY)
    csv_download(table, board_name=board_name, what="forecast-by-type")


def backlog_section(
    choice: BoardChoice, metrics: FlowMetrics, chosen: tuple[int, int, int | None], board_name: str
) -> None:
    """When will each backlog card be done: work in progress first, then the backlog in order."""
    st.subheader("When will each backlog card be done?")
    growth = st.checkbox(
        "Scope growth",
        key=SCOPE_GROWTH_KEY,
        help="New cards keep arriving at the end of the backlog at the rate of the sampled days.",
    )
    found = backlog_forecast(choice, metrics, chosen, scope_growth=growth)
    if not found.cards:
        st.info(
            f"No open card waits in the lists before **{plain(metrics.workflow.start_list.name)}**."
        )
        return
    st.caption(
        f"The {plain(counted(found.wip, 'card'))} in progress "
        f"{'is' if found.wip == 1 else 'are'} finished first, then the "
        f"{plain(counted(len(found.cards), 'backlog card'))} in board order (list by list, top to bottom). An empty date: not "
        "foreseeable from the sampling window."
        + (
            f" Meanwhile about {found.arrivals[0]:.0f} new cards arrive (50 %), added at the end."
            if found.arrivals is not None
            else ""
        )
    )
    table = backlog_table(found)
    config = {
        "position": st.column_config.NumberColumn("#"),
        "name": st.column_config.TextColumn("Card"),
        "list": st.column_config.TextColumn("List"),
        "p50": st.column_config.DateColumn("50 % by"),
        "p85": st.column_config.DateColumn("85 % by"),
        "p95": st.column_config.DateColumn("95 % by"),
        "link": st.column_config.LinkColumn("Link", display_text="Open in Trello"),
    }
    show_table(table, key=BACKLOG_TABLE_KEY, column_config=config)
    csv_download(table, board_name=board_name, what="backlog-forecast", titles=titles_of(config))


if __name__ == "__main__":
    render()
