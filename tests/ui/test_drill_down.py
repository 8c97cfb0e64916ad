"""Clickable charts: a click on a dot, a week's bar or a band of the cumulative flow lists the
cards behind it, with links to Trello. The click is simulated through the chart's session state
(what the browser sends; tests/e2e/test_drill_down_browser.py clicks a real chart)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.flow_pages import AGING_WIP_PAGE, CYCLE_TIME_PAGE, FLOW_PAGE
from trellolens.board import Board, Card, TrelloList, demo_board
from trellolens.metrics import compute_flow_metrics
from trellolens.ui.views.charts import cfd_bands
from trellolens.ui.views.drill_down import (
    BAND_PICK,
    CARD_PICK,
    WEEK_PICK,
    drill_table,
    picked,
    picked_days,
)

DEMO = demo_board()
METRICS = compute_flow_metrics(DEMO)
TRELLO_CARD = r"https://trello\.com/c/[A-Za-z0-9]+"


def click(app: AppTest, page: str, chart: str, selection: str, **point: str) -> pd.DataFrame:
    """Open ``page``, click ``point`` on chart ``chart``; the table of the cards behind it."""
    app.switch_page(page).run()
    assert not app.exception
    app.session_state[f"drill_down.{chart}"] = {"selection": {selection: [point]}}
    app.run()
    assert not app.exception
    tables = [d.value for d in app.dataframe if list(d.value.columns)[-1] == "Link"]
    assert len(tables) == 1, "one table of clicked cards"
    shown = tables[0]
    assert list(shown.columns)[:2] == ["Card", "List"]
    short = (
        ["name", "list", "days", "link"] if len(shown.columns) == 4 else ["name", "list", "link"]
    )
    return shown.set_axis(short, axis=1)  # its headers as the card table's short names


def shown_count(app: AppTest) -> str:
    return next(m.value for m in app.markdown if m.value.startswith("**"))


def test_a_cycle_time_dot_opens_its_card(app: AppTest) -> None:
    card = METRICS.cycle_times.iloc[3]
    table = click(app, CYCLE_TIME_PAGE, "cycle-times", CARD_PICK, card_id=card["card_id"])
    assert list(table["name"]) == [card["name"]]
    assert list(table["days"]) == [round(card["days"], 1)]
    assert table["link"].str.fullmatch(TRELLO_CARD).all()
    assert shown_count(app).endswith(": 1 card")


def test_an_aging_dot_opens_its_card_with_its_list_and_age(app: AppTest) -> None:
    card = METRICS.wip.iloc[0]
    table = click(app, AGING_WIP_PAGE, "aging-wip", CARD_PICK, card_id=card["card_id"])
    assert list(table["name"]) == [card["name"]]
    assert list(table["list"]) == [card["list"]]
    assert list(table["days"]) == [round(card["age_days"], 1)]


def test_a_week_bar_opens_exactly_the_cards_it_counts(app: AppTest) -> None:
    weekly = METRICS.weekly_throughput
    week = weekly.iloc[int(weekly["count"].to_numpy().argmax())]
    table = click(app, FLOW_PAGE, "weekly-throughput", WEEK_PICK, week=str(week["week_start"]))
    assert len(table) == week["count"] > 1
    done = METRICS.cycle_times.set_index("name")["done"]
    for name in table["name"]:
        assert (done[name].date() - week["week_start"]).days in range(7)


@pytest.mark.parametrize("row", [10, 60, -1])
def test_a_cfd_band_on_a_day_opens_the_cards_of_that_band(app: AppTest, row: int) -> None:
    bands = cfd_bands(METRICS.cfd, METRICS.workflow.stage_names)
    day = METRICS.cfd["date"].iloc[row]
    on_day = bands[bands["date"].dt.date == day]
    band = on_day.loc[on_day["cards"].idxmax()]
    table = click(
        app, FLOW_PAGE, "cumulative-flow", BAND_PICK, day=day.isoformat(), stage=band["stage"]
    )
    assert len(table) == band["cards"] > 0
    assert set(table["list"]) == {band["stage"]}


def test_no_click_no_table(app: AppTest) -> None:
    app.switch_page(FLOW_PAGE).run()
    assert not [d for d in app.dataframe if "Link" in d.value.columns]
    assert any("Click a week's bar" in c.value for c in app.caption)


def test_a_forged_selection_is_ignored_without_an_error(app: AppTest) -> None:
    app.switch_page(FLOW_PAGE).run()
    app.session_state["drill_down.weekly-throughput"] = {
        "selection": {WEEK_PICK: [{"week": "<script>"}, "nonsense"]}
    }
    app.run()
    assert not app.exception
    assert not app.error


def test_card_names_stay_text_and_only_trello_card_links_are_kept() -> None:
    lists = (TrelloList("l" * 24, "Doing", pos=1.0),)
    cards = (
        Card("a" * 24, "[click](https://evil.example) **now**", "l" * 24,
             short_url="https://trello.com/c/AbCd1234"),
        Card("b" * 24, "phish", "l" * 24, short_url="https://evil.example/c/AbCd1234"),
        Card("c" * 24, "script", "l" * 24, short_url="javascript:alert(1)"),
    )  # fmt: skip
    board = Board(id="d" * 24, name="B", lists=lists, cards=cards)
    frame = pd.DataFrame({"card_id": [c.id for c in cards], "days": [1.26, 2.0, 3.0]})
    table = drill_table(frame, board, "days")
    assert table["name"].iloc[0] == cards[0].name  # literal: the table shows text, not markdown
    assert table["link"].iloc[0] == "https://trello.com/c/AbCd1234"
    assert table["link"].iloc[1:].isna().all()  # no link rather than a link elsewhere
    assert list(table["days"]) == [1.3, 2.0, 3.0]


def test_picked_reads_only_its_own_selection_and_plain_values() -> None:
    event = {"selection": {CARD_PICK: [{"card_id": "x", "nested": {"a": 1}}], WEEK_PICK: []}}
    assert picked(event, CARD_PICK) == [{"card_id": "x"}]
    assert picked(event, WEEK_PICK) == []
    assert picked(None, CARD_PICK) == []
    assert picked({"selection": {CARD_PICK: "x"}}, CARD_PICK) == []
    points = [{"week": "2018-03-05"}, {"week": "not a date"}, {}]
    assert picked_days(points, "week") == [date(2018, 3, 5)]


def test_every_clickable_chart_carries_its_selection() -> None:
    from trellolens.ui.views import charts

    specs = {
        BAND_PICK: charts.cfd_chart(METRICS.cfd, METRICS.workflow.stage_names),
        WEEK_PICK: charts.weekly_throughput_chart(METRICS.weekly_throughput),
        CARD_PICK: charts.cycle_time_scatter(METRICS.cycle_times, METRICS.cycle_time_percentiles),
    }
    for name, chart in specs.items():
        assert f'"name": "{name}"' in chart.to_json()
    for name in (WEEK_PICK, CARD_PICK):  # the clicked bar or dot stays bright, the others fade
        assert f'"param": "{name}"' in specs[name].to_json()
    aging = charts.aging_wip_chart(METRICS.wip, ["Doing"], {50: 1.0}).to_json()
    assert f'"name": "{CARD_PICK}"' in aging
