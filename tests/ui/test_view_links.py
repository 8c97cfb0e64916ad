"""Every view is a link: URL -> widgets -> URL on the demo board, and bad values dropped in one line."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import APP_SCRIPT, CARDS_PAGE, TIMEOUT_SECONDS, shown
from tests.ui.flow_pages import FLOW_PAGE, FORECAST_PAGE
from trellolens.board import demo_board
from trellolens.metrics import default_as_of
from trellolens.ui.components import analytics_link, card_filters, forecast_link
from trellolens.ui.components import analytics_options as options
from trellolens.ui.components.analytics_options import AnalyticsChoice
from trellolens.ui.components.view_link import VIEW_PARAMS
from trellolens.ui.data import board_link
from trellolens.ui.pages.flow import ZERO_DAYS_KEY
from trellolens.ui.views.tables import cards_table


def visit(page: str, **params: Any) -> AppTest:
    """A fresh browser session opening ``page`` with ``params`` in its URL (a reload, a link)."""
    for name in list(os.environ):  # tests/conftest.py restores them
        if name.startswith("TRELLO"):
            del os.environ[name]
    at = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    at.query_params.update(params)
    at.switch_page(page).run()
    assert not at.exception
    return at


def view_params(at: AppTest) -> dict[str, Any]:
    return {name: value for name, value in at.query_params.items() if name in VIEW_PARAMS}


def warnings(at: AppTest) -> list[str]:
    return [shown(warning.value) for warning in at.warning]


def test_card_filters_come_from_the_link_and_go_back_into_it() -> None:
    link = {"list": ["Doing", "Review"], "label": "Important", "due": "overdue", "archived": "1"}
    at = visit(CARDS_PAGE, **link)
    assert at.multiselect(key=card_filters.LISTS_KEY).value == ["Doing", "Review"]
    assert at.multiselect(key=card_filters.LABELS_KEY).value == ["Important"]
    assert at.multiselect(key=card_filters.DUE_BUCKETS_KEY).value == ["overdue"]
    assert at.checkbox(key=card_filters.ARCHIVED_KEY).value is True
    assert set(at.dataframe[0].value["List"]) <= {"Doing", "Review"}
    assert view_params(at) == link
    assert not at.warning
    at.multiselect(key=card_filters.LISTS_KEY).set_value(["Done"]).run()
    at.checkbox(key=card_filters.ARCHIVED_KEY).uncheck().run()
    assert view_params(at) == {"list": "Done", "label": "Important", "due": "overdue"}
    again = visit(CARDS_PAGE, **view_params(at))  # the copied link, in another session
    assert again.multiselect(key=card_filters.LISTS_KEY).value == ["Done"]
    assert len(again.dataframe[0].value) == len(at.dataframe[0].value)


def test_a_filter_the_board_does_not_have_is_dropped_in_one_line() -> None:
    at = visit(CARDS_PAGE, list="No such list", label="A", archived="maybe")
    assert warnings(at) == [
        "Ignored the list filter in the link: expected lists of this board.",
        "Ignored the archived cards switch in the link: expected 1 or 0.",
    ]
    assert at.multiselect(key=card_filters.LISTS_KEY).value == []
    assert view_params(at) == {"label": "A"}  # the good one stays


def test_forecast_inputs_come_from_the_link() -> None:
    link = {"window": "12", "trials": "1000", "seed": "7", "cards": "5", "until": "2018-05-01"}
    at = visit(FORECAST_PAGE, **link, growth="1")
    assert at.number_input(key=forecast_link.WINDOW_KEY).value == 12
    assert at.selectbox(key=forecast_link.TRIALS_KEY).value == 1000
    assert at.number_input(key=forecast_link.SEED_KEY).value == 7
    assert at.number_input(key=forecast_link.CARDS_KEY).value == 5
    assert str(at.date_input(key=forecast_link.UNTIL_KEY).value) == "2018-05-01"
    assert at.checkbox(key=forecast_link.SCOPE_GROWTH_KEY).value is True
    assert any("Each of 1,000 trials" in caption.value for caption in at.caption)
    assert view_params(at) == {**link, "growth": "1"}
    at.checkbox(key=forecast_link.FIXED_SEED_KEY).uncheck().run()
    at.number_input(key=forecast_link.WINDOW_KEY).set_value(8).run()  # the default: left out
    expected = {k: v for k, v in link.items() if k != "window"} | {"growth": "1", "random": "1"}
    assert view_params(at) == expected


@pytest.mark.parametrize(
    ("name", "value", "line"),
    [
        (
            "window",
            "999",
            "the sampling window in the link: expected a number of weeks from 1 to 104",
        ),
        ("trials", "5", "the number of trials in the link: expected 1000, 10000 or 100000"),
        ("seed", "-1", "the seed in the link"),
        ("cards", "0", "the number of cards in the link"),
        ("until", "1999-01-01", "the forecast date in the link: expected a date after 2018-03-31"),
        ("until", "<script>", "the forecast date in the link"),
        ("cards", "9" * 300, "the number of cards in the link"),  # over the length cap
    ],
)
def test_a_bad_forecast_input_is_dropped_with_one_line(name: str, value: str, line: str) -> None:
    at = visit(FORECAST_PAGE, **{name: value})
    (warning,) = warnings(at)
    assert warning.startswith(f"Ignored {line}")
    assert "\n" not in warning
    assert name not in at.query_params


def test_analytics_options_come_from_the_link_on_every_flow_page() -> None:
    link = {
        "by": "label",
        "type": ["Important", "A"],
        "blocked": "list:Review",
        "bdays": "1",
        "tz": "Europe/Berlin",
        "sle": "12.5",
        "wait": "Review",
    }
    at = visit(FLOW_PAGE, **link)
    kept = at.session_state[options.CHOICE_KEY]
    assert isinstance(kept, AnalyticsChoice)
    review = next(lst.id for lst in demo_board().lists if lst.name == "Review")
    assert (kept.by, kept.by_labels, kept.blocked) == (
        "label",
        ["Important", "A"],
        f"list:{review}",
    )
    assert (kept.business_days, kept.time_zone) == (True, "Europe/Berlin")
    assert (kept.sle, kept.sle_days, kept.wait_lists) == ("set", 12.5, [review])
    assert view_params(at) == link  # names in the URL, not ids
    assert not at.warning


def test_bad_analytics_values_are_dropped_each_in_one_line() -> None:
    at = visit(FLOW_PAGE, by="field:Nope", blocked="list:Nowhere", tz="Mars/Olympus", wait="x")
    assert warnings(at) == [
        "Ignored the work type split in the link: expected label.",
        "Ignored the blocked rule in the link: expected label:<label>, list:<list> or off.",
        "Ignored the time zone in the link: expected a time zone such as Europe/Berlin.",
        "Ignored the wait lists in the link: expected lists of this board.",
    ]
    assert not view_params(at)


def test_the_histogram_switch_is_in_the_link() -> None:
    at = visit(FLOW_PAGE, zeros="0")
    assert at.toggle(key=ZERO_DAYS_KEY).value is False
    assert view_params(at) == {"zeros": "0"}
    at.toggle(key=ZERO_DAYS_KEY).set_value(True).run()
    assert "zeros" not in at.query_params


def test_the_link_to_this_view_is_shown_with_its_options() -> None:
    at = visit(CARDS_PAGE, list="Doing")
    (code,) = [block.value for block in at.sidebar.code]
    assert sorted(code.split("?")[1].split("&")) == ["board=demo", "list=Doing"]
    assert any("Copy link to this view" in str(node.proto) for node in at.get("html"))


def test_a_board_link_that_is_refused_takes_the_views_parameters_with_it() -> None:
    at = visit(FORECAST_PAGE, board="not a board", window="12", list="Doing", bdays="1")
    assert any("Board link 'not a board'" in shown(error.value) for error in at.error)
    assert not view_params(at)


def test_every_parameter_a_page_writes_is_known_to_the_board_link() -> None:
    board = demo_board()
    cards = cards_table(board, default_as_of(board))
    names = [
        *(p.name for p in analytics_link.link_params(board, options.AnalyticsChoice(board.id))),
        *(p.name for p in card_filters.link_params(board, cards)),
        *(p.name for p in forecast_link.link_params(date(2018, 3, 31), 3)),
        "zeros",
    ]
    assert sorted(names) == sorted(VIEW_PARAMS)
    assert set(VIEW_PARAMS) <= set(board_link.VIEW_PARAMS)


def test_names_in_links_fall_back_to_ids_where_a_name_is_shared() -> None:
    items = [("id1", "Doing"), ("id2", "Doing"), ("id3", "Done"), ("id4", " ")]
    assert [analytics_link._unique_ref(items, i) for i in ("id1", "id3", "id4", "gone")] == [
        "id1",
        "Done",
        "id4",
        "gone",
    ]
    assert analytics_link._id_of(items, "Done") == "id3"
    assert analytics_link._id_of(items, "id2") == "id2"
    for ambiguous_or_unknown in ("Doing", "Nope"):
        with pytest.raises(ValueError, match=ambiguous_or_unknown):
            analytics_link._id_of(items, ambiguous_or_unknown)
