"""Board overview page, run by AppTest from streamlit_app.py with no secrets configured."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import OVERVIEW_PAGE, page_text
from trellolens.board import demo_board
from trellolens.ui.views.tables import DUE_BUCKETS

DEMO_LISTS = [
    "Meetingroom",
    "Parents",
    "Product Backlog",
    "Sprint Backlog",
    "Doing",
    "Review",
    "Done",
]


def test_opens_on_the_demo_board_labelled_as_such(app: AppTest) -> None:
    assert not app.exception
    text = page_text(app)
    assert "amirite" in text
    assert "Demo board" in text
    (notice,) = [info.value for info in app.sidebar.info if "Demo board" in info.value]
    assert "Connect Trello" in notice  # the way to your own boards; that page says the rest
    assert len(notice) <= 120  # short: the flow pages' Workflow and As of stay above the fold


def test_shows_every_open_list_with_its_open_card_count(app: AppTest) -> None:
    tiles = {metric.label: metric.value for metric in app.metric}
    open_counts = {
        lst.name: sum(1 for c in demo_board().cards if c.list_id == lst.id and not c.closed)
        for lst in demo_board().open_lists
    }
    assert [label for label in tiles if label in open_counts] == DEMO_LISTS
    assert {name: int(tiles[name]) for name in DEMO_LISTS} == open_counts


def test_shows_label_and_member_charts_and_every_due_bucket(app: AppTest) -> None:
    charts = app.get("vega_lite_chart")
    assert len(charts) == 2
    assert '"field": "Labels"' in charts[0].proto.spec
    assert '"field": "Members"' in charts[1].proto.spec
    tiles = {metric.label for metric in app.metric}
    assert set(DUE_BUCKETS) <= tiles


def test_switching_back_to_the_overview_page_works(app: AppTest) -> None:
    app.switch_page(OVERVIEW_PAGE).run()
    assert not app.exception
    assert "amirite" in page_text(app)
