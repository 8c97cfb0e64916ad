"""Forecast page and the as-of date: fixed seeds give stable answers, the as-of date is kept."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import APP_SCRIPT, TIMEOUT_SECONDS
from tests.ui.flow_pages import AGING_WIP_PAGE, CARDS_PAGE, CYCLE_TIME_PAGE, FORECAST_PAGE
from trellolens.board import demo_board
from trellolens.metrics import compute_flow_metrics, forecast_how_many, forecast_when
from trellolens.ui.components.as_of_picker import DATE_KEY
from trellolens.ui.pages import forecast
from trellolens.ui.wording import counted

METRICS = compute_flow_metrics(demo_board())
START = METRICS.as_of.date()


def answers(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


@pytest.fixture
def forecast_page(app: AppTest) -> AppTest:
    return app.switch_page(FORECAST_PAGE).run()


def test_a_fixed_seed_gives_the_same_answers_to_every_visitor(forecast_page: AppTest) -> None:
    assert not forecast_page.exception
    first = answers(forecast_page)
    other = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS).run()
    other.switch_page(FORECAST_PAGE).run()
    assert answers(other) == first
    forecast_page.run()
    assert answers(forecast_page) == first

    when = forecast_when(METRICS.daily_throughput, len(METRICS.wip), start=START, seed=1)
    assert when.p85 is not None
    assert first["85 % likely by"] == when.p85.isoformat()
    until = START + timedelta(days=14)
    how_many = forecast_how_many(METRICS.daily_throughput, until, start=START, seed=1)
    assert first["50 % likely, at least"] == counted(how_many.p50, "card")


def test_one_card_is_one_card_not_one_cards(forecast_page: AppTest) -> None:
    forecast_page.number_input(key=forecast.CARDS_KEY).set_value(1).run()
    assert not forecast_page.exception
    captions = [str(c.value) for c in forecast_page.caption]
    assert any(c.startswith("1 card done, counting from") for c in captions), captions
    assert not any("1 cards" in c for c in captions)
    tables = [d.value for d in forecast_page.dataframe]
    assert not any("1 cards" in str(t.to_csv()) for t in tables)


def test_the_settings_change_the_answers(forecast_page: AppTest) -> None:
    forecast_page.number_input(key=forecast.CARDS_KEY).set_value(3).run()
    forecast_page.number_input(key=forecast.WINDOW_KEY).set_value(20).run()
    forecast_page.selectbox(key=forecast.TRIALS_KEY).set_value(1_000).run()
    assert not forecast_page.exception
    when = forecast_when(
        METRICS.daily_throughput, 3, start=START, trials=1_000, window_days=140, seed=1
    )
    assert when.p50 is not None
    assert answers(forecast_page)["50 % likely by"] == when.p50.isoformat()

    forecast_page.checkbox(key=forecast.FIXED_SEED_KEY).uncheck().run()
    assert not forecast_page.exception
    assert "A fixed seed" not in " ".join(str(c.value) for c in forecast_page.caption)


def test_no_throughput_in_the_window_says_so(forecast_page: AppTest) -> None:
    forecast_page.date_input(key=DATE_KEY).set_value(date(2017, 11, 23)).run()
    assert not forecast_page.exception
    assert any("No card was done" in str(w.value) for w in forecast_page.warning)
    assert answers(forecast_page)["50 % likely by"] == "never"


def test_an_as_of_date_is_kept_across_pages(app: AppTest) -> None:
    app.switch_page(AGING_WIP_PAGE).run()
    before = answers(app)["Oldest"]
    app.date_input(key=DATE_KEY).set_value(date(2018, 2, 28)).run()
    assert not app.exception
    end_of_day = datetime(2018, 2, 28, 23, 59, 59, 999999, tzinfo=UTC)
    earlier = compute_flow_metrics(demo_board(), as_of=end_of_day)
    assert answers(app)["Oldest"] == f"{earlier.wip['age_days'].max():.1f} d" != before
    assert any("as of 2018-02-28 23:59 UTC" in str(c.value) for c in app.caption)
    app.switch_page(CARDS_PAGE).run()
    app.switch_page(CYCLE_TIME_PAGE).run()
    assert app.date_input(key=DATE_KEY).value == date(2018, 2, 28)
    assert any("as of 2018-02-28 23:59 UTC" in str(c.value) for c in app.caption)
