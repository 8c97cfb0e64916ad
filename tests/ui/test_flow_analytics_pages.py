"""The flow analytics in the dashboard, on the hand-made board of ``option_board`` (answers there).

The Forecast page's backlog table, its memoised forecasts, the sample in working days; the Flow
page's flow efficiency, behaviour charts and histogram; the overview's flow debt line.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import OVERVIEW_PAGE, page_text, shown
from tests.ui.flow_pages import FLOW_PAGE, FORECAST_PAGE, charts, download_url_of, download_urls
from tests.ui.option_board import option_board
from trellolens.metrics import MetricOptions, WorkCalendar, compute_flow_metrics
from trellolens.metrics.backlog import backlog_cards, forecast_backlog
from trellolens.metrics.forecast import forecast_sample
from trellolens.metrics.history import card_history
from trellolens.ui.components import analytics_options as options
from trellolens.ui.components.csv_download import csv_file_name
from trellolens.ui.data import forecasts
from trellolens.ui.data.board_source import UPLOADED_KEY, UploadedBoard
from trellolens.ui.pages import forecast
from trellolens.ui.views.headers import titled
from trellolens.ui.views.tables import frame_csv

BOARD = option_board()
START = date(2024, 1, 15)


@pytest.fixture
def board_app(app: AppTest) -> AppTest:
    app.session_state[UPLOADED_KEY] = UploadedBoard(BOARD, "options.json", "options-digest")
    return app


def on(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, page
    assert not at.error, page
    return at


def test_backlog_table_by_hand_with_links(board_app: AppTest) -> None:
    """H is the only card before Doing; E, F and G are in progress, so H is the 4th card done.
    The dates are those of the forecast with the page's settings (8 weeks, 10,000 trials, seed 1)."""
    on(board_app, FORECAST_PAGE)
    (table,) = [d.value for d in board_app.dataframe if "85 % by" in d.value.columns]
    assert table["Card"].tolist() == ["H"]
    assert table["List"].tolist() == ["To Do"]
    assert table["Link"].tolist() == ["https://trello.com/c/card0008"]
    metrics = compute_flow_metrics(BOARD)
    history = card_history(BOARD, metrics.workflow)
    expected = forecast_backlog(
        metrics.daily_throughput, backlog_cards(BOARD, metrics.workflow, history), 3,
        start=START, trials=10_000, window_days=56, seed=1,
    )  # fmt: skip
    assert tuple(table[["50 % by", "85 % by", "95 % by"]].iloc[0]) == expected.dates[0]
    assert "The 3 cards in progress are finished first" in page_text(board_app)


def test_scope_growth_says_how_many_arrive(board_app: AppTest) -> None:
    on(board_app, FORECAST_PAGE)
    board_app.checkbox(key=forecast.SCOPE_GROWTH_KEY).check().run()
    assert not board_app.exception
    assert "new cards arrive (50 %), added at the end" in page_text(board_app)


def counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    """Count calls of the real forecast function ``name`` made through the data layer."""
    calls: list[int] = []
    real: Callable[..., Any] = getattr(forecasts, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(forecasts, name, counted)
    return calls


def test_a_rerun_does_not_run_the_trials_again(
    board_app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    when = counting(monkeypatch, "forecast_when")
    backlog = counting(monkeypatch, "compute_flow_metrics")
    on(board_app, FORECAST_PAGE)
    assert (len(when), len(backlog)) == (1, 1)
    board_app.run()
    board_app.run()
    assert (len(when), len(backlog)) == (1, 1)
    board_app.number_input(key=forecast.CARDS_KEY).set_value(7).run()
    assert len(when) == 2  # a new question is a new forecast
    board_app.checkbox(key=forecast.FIXED_SEED_KEY).uncheck().run()
    board_app.run()
    assert len(when) == 4  # without a fixed seed every run draws afresh


def test_with_business_days_the_sample_is_working_days(board_app: AppTest) -> None:
    on(board_app, FORECAST_PAGE)
    board_app.checkbox(key=options.BUSINESS_DAYS_KEY).check().run()
    assert not board_app.exception
    assert "Daily throughput the trials draw from (working days)" in page_text(board_app)
    metrics = compute_flow_metrics(BOARD, options=MetricOptions(calendar=WorkCalendar()))
    sample = forecast_sample(metrics.daily_throughput, START, 56, WorkCalendar())
    assert all(WorkCalendar().is_working_day(day) for day in sample["date"])
    # A (Thu 4th), D (Fri 5th), C (Tue 9th), B (Wed 10th): Jan 4 to 15, weekends left out.
    assert sample["date"].tolist()[:3] == [date(2024, 1, 4), date(2024, 1, 5), date(2024, 1, 8)]
    assert int(sample["count"].sum()) == 4
    url = download_url_of(frame_csv(titled(sample)), csv_file_name(BOARD.name, "forecast-sample"))
    assert url in download_urls(board_app)


def test_flow_efficiency_on_the_flow_page(board_app: AppTest) -> None:
    on(board_app, FLOW_PAGE)
    review = next(lst.id for lst in BOARD.lists if lst.name == "Review")
    board_app.multiselect(key=options.WAIT_LISTS_KEY).set_value([review]).run()
    assert not board_app.exception
    text = page_text(board_app)
    # A, B, C, D never visited Review (nor were they blocked): every day of their cycle is active.
    assert "**100% active** over the 4 cards done in the last 56 days" in shown(text)
    assert any('"field": "share"' in spec for spec in charts(board_app))


def test_behaviour_charts_and_histogram_draw(board_app: AppTest) -> None:
    on(board_app, FLOW_PAGE)
    specs = charts(board_app)
    assert sum('"field": "value"' in spec for spec in specs) == 2
    assert any('"field": "done"' in spec and "Cards done in a day" in spec for spec in specs)
    assert "No signal: both charts show routine variation only." in page_text(board_app)


def test_the_overview_says_when_wip_ages_faster_than_work_finishes(board_app: AppTest) -> None:
    on(board_app, OVERVIEW_PAGE)
    lines = [str(w.value) for w in board_app.warning]
    assert lines == [
        "Flow debt: WIP is ageing faster than work finishes (WIP / throughput implies 8.8 d, "
        "cards done took 3.5 d on average, last 56 days)."
    ]


def test_wip_by_type_and_the_per_type_forecast(board_app: AppTest) -> None:
    """By label: in progress at the end of day 14 are E (Bug), F and G (Feature)."""
    on(board_app, FLOW_PAGE)
    board_app.selectbox(key=options.BY_KEY).set_value("label").run()
    assert not board_app.exception
    assert "Work in progress by type" in page_text(board_app)
    (spec,) = [s for s in charts(board_app) if "Cards in progress" in s and '"field": "type"' in s]
    assert '"stack": "zero"' in spec
    url = download_url_of(
        frame_csv(titled(wip_by_type_frame())), csv_file_name(BOARD.name, "wip-over-time-by-type")
    )
    assert url in download_urls(board_app)
    on(board_app, FORECAST_PAGE)
    (table,) = [d.value for d in board_app.dataframe if "Type" in d.value.columns]
    assert table["Type"].tolist()[:2] == ["Bug", "Feature"]


def wip_by_type_frame() -> pd.DataFrame:
    from trellolens.metrics import WorkTypes
    from trellolens.ui.views.analytics_charts import wip_by_type

    found = wip_by_type(compute_flow_metrics(BOARD, options=MetricOptions(work_types=WorkTypes())))
    assert found is not None
    last = found[found["date"] == found["date"].max()]
    assert dict(zip(last["type"], last["wip"], strict=True)) == {
        "Bug": 1, "Feature": 2, "Blocked": 0, "(none)": 0,
    }  # fmt: skip
    return found


def test_every_option_is_part_of_the_metrics_cache_key() -> None:
    """A cached answer must never serve other options: each option changes the key."""
    from dataclasses import fields

    from trellolens.metrics import BlockedRule, ServiceLevel, WorkTypes
    from trellolens.metrics.options import (
        BacklogForecastOptions,
        BehaviourCharts,
        FlowDebtRule,
        FlowEfficiency,
    )
    from trellolens.ui.data.cache import options_key

    chosen: dict[str, object] = {
        "calendar": WorkCalendar(),
        "work_types": WorkTypes(),
        "blocked": BlockedRule(),
        "size_field": "Story points",
        "service_level": ServiceLevel(),
        "flow_efficiency": FlowEfficiency(wait_lists=("Review",)),
        "behaviour": BehaviourCharts(baseline_from=date(2024, 1, 1)),
        "backlog": BacklogForecastOptions(scope_growth=True),
        "flow_debt": FlowDebtRule(ratio=2),
    }
    assert set(chosen) == {field.name for field in fields(MetricOptions)}
    keys = {options_key(MetricOptions(**{name: value})) for name, value in chosen.items()}  # type: ignore[arg-type]
    assert len(keys | {options_key(MetricOptions())}) == len(chosen) + 1
    wider = FlowEfficiency(wait_lists=("Review", "Doing"))
    assert options_key(MetricOptions(flow_efficiency=wider)) not in keys
