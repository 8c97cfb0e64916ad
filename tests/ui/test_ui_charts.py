"""Chart builders and the generic CSV: pure functions, no Streamlit."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, date, datetime

import altair as alt
import pandas as pd
import pytest

from trellolens.board import demo_board
from trellolens.metrics import compute_flow_metrics
from trellolens.ui.views import charts
from trellolens.ui.views.tables import frame_csv

METRICS = compute_flow_metrics(demo_board())


def test_cfd_bands_stack_up_to_the_cumulative_counts() -> None:
    stages = METRICS.workflow.stage_names
    bands = charts.cfd_bands(METRICS.cfd, stages)
    assert len(bands) == len(METRICS.cfd) * len(stages)
    assert (bands[charts.CARDS] >= 0).all()
    stacked = bands.groupby("date")[charts.CARDS].sum()
    assert list(stacked) == list(METRICS.cfd[stages[0]])
    done = bands[bands[charts.STAGE] == stages[-1]]
    assert list(done[charts.CARDS]) == list(METRICS.cfd[stages[-1]])


def test_cfd_bands_of_an_empty_cfd() -> None:
    empty = pd.DataFrame({"date": [], "A": [], "B": []})
    assert charts.cfd_bands(empty, ["A", "B"]).empty


def test_percentile_table_skips_missing_percentiles() -> None:
    table = charts.percentile_table({50: 1.5, 85: None, 95: 4.0})
    assert list(table["percentile"]) == ["50 %", "95 %"]
    assert charts.percentile_table(dict.fromkeys((50, 85, 95))).empty


def test_aging_bands_cover_zero_to_past_the_oldest_card() -> None:
    bands = charts.aging_bands({50: 2.0, 85: 10.0, 95: 20.0}, oldest=40.0)
    assert list(bands["band"]) == ["under 50 %", "50-85 %", "85-95 %", "over 95 %"]
    assert list(bands["from_days"]) == [0.0, 2.0, 10.0, 20.0]
    assert bands["to_days"].iloc[-1] == pytest.approx(44.0)
    assert charts.aging_bands(dict.fromkeys((50, 85, 95)), oldest=3.0).empty


def test_throughput_window_fills_quiet_days_and_stops_at_the_first_done_day() -> None:
    daily = pd.Series([2, 1], index=[date(2024, 1, 1), date(2024, 1, 3)], name="count")
    window = charts.throughput_window(daily, date(2024, 1, 5), window_days=3)
    assert list(window["date"]) == [date(2024, 1, 3), date(2024, 1, 4), date(2024, 1, 5)]
    assert list(window["count"]) == [1, 0, 0]
    longer = charts.throughput_window(daily, date(2024, 1, 3), window_days=56)
    assert list(longer["count"]) == [2, 0, 1]
    assert charts.throughput_window(daily.iloc[0:0], date(2024, 1, 3), 56).empty


@pytest.mark.parametrize(
    "build",
    [
        lambda: charts.cfd_chart(METRICS.cfd, METRICS.workflow.stage_names),
        lambda: charts.wip_over_time_chart(METRICS.wip_over_time),
        lambda: charts.weekly_throughput_chart(METRICS.weekly_throughput),
        lambda: charts.cycle_time_scatter(METRICS.cycle_times, METRICS.cycle_time_percentiles),
        lambda: charts.cycle_time_histogram(METRICS.cycle_times),
        lambda: charts.time_in_list_chart(METRICS.time_in_list),
        lambda: charts.aging_wip_chart(METRICS.wip, ["Doing", "Review"], {50: 1.0}),
        lambda: charts.daily_throughput_chart(
            charts.throughput_window(METRICS.daily_throughput, METRICS.as_of.date(), 56)
        ),
    ],
    ids=["cfd", "wip", "weekly", "scatter", "histogram", "time-in-list", "aging", "daily"],
)
def test_every_chart_renders_to_a_vega_lite_spec(build: Callable[[], alt.TopLevelMixin]) -> None:
    spec = build().to_dict()
    assert "$schema" in spec
    json.dumps(spec)


def test_frame_csv_defuses_formulas_in_cells_and_headers() -> None:
    frame = pd.DataFrame(
        {
            "name": ["=cmd|' /C calc'!A0", "@SUM(1)", "plain", "-2"],
            "=HYPERLINK(1)": [1, 2, 3, 4],
            "days": [-1.5, 0.0, 2.25, 3.0],
            "done": pd.to_datetime(
                pd.Series([datetime(2024, 1, 1, tzinfo=UTC), None, None, None]), utc=True
            ),
            "date": [date(2024, 1, 1)] * 4,
        }
    )
    parsed = pd.read_csv(io.BytesIO(frame_csv(frame)), keep_default_na=False)
    assert list(parsed.columns) == ["name", "'=HYPERLINK(1)", "days", "done", "date"]
    assert list(parsed["name"]) == ["'=cmd|' /C calc'!A0", "'@SUM(1)", "plain", "'-2"]
    assert list(parsed["days"]) == [-1.5, 0.0, 2.25, 3.0]
    assert list(parsed["done"]) == ["2024-01-01T00:00:00+00:00", "", "", ""]
    assert list(parsed["date"]) == ["2024-01-01"] * 4


CHARTS: dict[str, Callable[[], alt.TopLevelMixin]] = {
    "cfd": lambda: charts.cfd_chart(METRICS.cfd, METRICS.workflow.stage_names),
    "wip": lambda: charts.wip_over_time_chart(METRICS.wip_over_time),
    "weekly": lambda: charts.weekly_throughput_chart(METRICS.weekly_throughput),
    "scatter": lambda: charts.cycle_time_scatter(
        METRICS.cycle_times, METRICS.cycle_time_percentiles
    ),
    "histogram": lambda: charts.cycle_time_histogram(METRICS.cycle_times),
    "daily": lambda: charts.daily_throughput_chart(
        charts.throughput_window(METRICS.daily_throughput, METRICS.as_of.date(), 56)
    ),
}


def encodings(spec: object) -> list[dict[str, object]]:
    """Every x/y encoding in a (possibly layered) Vega-Lite spec."""
    found: list[dict[str, object]] = []
    if isinstance(spec, dict):
        encoding = spec.get("encoding")
        if isinstance(encoding, dict):
            found += [encoding[c] for c in ("x", "y") if isinstance(encoding.get(c), dict)]
        for value in spec.values():
            found += encodings(value)
    elif isinstance(spec, list):
        for item in spec:
            found += encodings(item)
    return found


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_date_axes_read_as_dates_and_count_axes_as_whole_numbers(name: str) -> None:
    channels = encodings(CHARTS[name]().to_dict())
    dates = [c for c in channels if c.get("type") == "temporal" or "yearmonthdate" in str(c)]
    counts = [c for c in channels if c.get("field") in {"count", "wip", "Cards"}]
    counts += [c for c in channels if c.get("aggregate") == "count"]
    assert dates or counts
    for channel in dates:
        assert channel["axis"]["format"] == "%Y-%m-%d", channel  # type: ignore[index]
    for channel in counts:
        axis = channel["axis"]
        assert axis["tickMinStep"] == 1, channel  # type: ignore[index]
        assert axis["format"] == "d", channel  # type: ignore[index]


def test_a_work_type_with_nothing_in_progress_gets_no_date() -> None:
    from trellolens.metrics.forecast import WhenForecast
    from trellolens.ui.views.option_charts import forecast_by_type_table

    day = date(2024, 2, 1)
    forecasts = {
        "Bug": WhenForecast(day, day, day, trials=100, window_days=56, remaining=2),
        "Chore": WhenForecast(day, day, day, trials=100, window_days=56, remaining=0),
    }
    table = forecast_by_type_table(forecasts, {"Bug": 2})
    rows = table.set_index("type").to_dict("index")
    assert rows["Bug"]["85 % by"] == "2024-02-01"
    assert rows["Chore"] == {
        "in progress": 0,
        "50 % by": "nothing in progress",
        "85 % by": "nothing in progress",
        "95 % by": "nothing in progress",
    }


def test_frame_csv_rounds_fractions_to_four_places_and_keeps_whole_numbers() -> None:
    frame = pd.DataFrame({"days": [1 / 3, 2.0, None], "cards": [1, 2, 3]})
    text = frame_csv(frame).decode("utf-8").splitlines()
    assert text == ["days,cards", "0.3333,1", "2.0,2", ",3"]
