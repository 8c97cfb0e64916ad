"""Cards page: the table, its sidebar filters, and a CSV download of exactly the rows shown."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.media_file_storage import MediaFileKind
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import CARDS_PAGE, page_text
from trellolens.board import demo_board
from trellolens.ui.components import card_filters
from trellolens.ui.views.tables import CARD, CARD_COLUMNS, LIST, cards_csv

# AppTest keeps a download's bytes in a media store it discards after each run, but the file
# URL it leaves in the element names the bytes: Streamlit derives the file id from a hash of
# the content, MIME type and file name. AppTest's store is mounted here.
APPTEST_MEDIA_ENDPOINT = "/mock/media"


Click = Callable[[], str]


@pytest.fixture
def clicks(monkeypatch: pytest.MonkeyPatch) -> list[Click]:
    """A click on each deferred download the app registers, in order: Streamlit runs the
    button's callable then (as on a real click), stores the file and returns its URL."""
    registered: list[Click] = []
    original = MediaFileManager.add_deferred

    def spy(manager: MediaFileManager, *args: Any, **kwargs: Any) -> str:
        file_id = original(manager, *args, **kwargs)
        registered.append(lambda: manager.execute_deferred(file_id))
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return registered


@pytest.fixture
def cards_page(app: AppTest, clicks: list[Click]) -> AppTest:
    return app.switch_page(CARDS_PAGE).run()


def shown_rows(at: AppTest) -> pd.DataFrame:
    (table,) = at.dataframe
    return table.value


def download_url_of(data: bytes, file_name: str) -> str:
    """The URL Streamlit gives a download button holding exactly ``data``."""
    store = MemoryMediaFileStorage(APPTEST_MEDIA_ENDPOINT)
    file_id = store.load_and_get_id(data, "text/csv", MediaFileKind.DOWNLOADABLE, file_name)
    return store.get_url(file_id)


def assert_download_holds(at: AppTest, rows: pd.DataFrame, clicks: list[Click]) -> pd.DataFrame:
    """The CSV download holds exactly ``rows`` (as ``cards_csv`` writes them); return its parse.

    The CSV is made on click only (a deferred download): the button has no file until then.
    """
    (button,) = at.download_button
    assert button.label == "Download CSV"
    assert button.proto.deferred_file_id
    assert button.proto.url == ""
    expected = cards_csv(rows)
    assert clicks[-1]() == download_url_of(expected, "amirite-cards.csv")
    return pd.read_csv(io.BytesIO(expected), keep_default_na=False)


def test_shows_the_open_cards_of_the_demo_board(cards_page: AppTest) -> None:
    assert not cards_page.exception
    text = page_text(cards_page)
    assert "amirite" in text
    assert "Demo board" in text
    rows = shown_rows(cards_page)
    assert list(rows.columns) == list(CARD_COLUMNS)
    open_cards = [card for card in demo_board().cards if not card.closed]
    assert sorted(rows[CARD]) == sorted(card.name for card in open_cards)
    assert set(rows[LIST]) == {lst.name for lst in demo_board().open_lists}


def test_the_table_links_each_card_to_trello(cards_page: AppTest) -> None:
    rows = shown_rows(cards_page)
    assert rows["Link"].str.startswith("https://trello.com/c/").all()
    config = json.loads(cards_page.dataframe[0].proto.columns)
    assert config["Link"]["type_config"]["type"] == "link"
    assert config["Labels"]["type_config"]["type"] == "list"
    assert config["Due"]["type_config"]["type"] == "datetime"


def test_a_list_filter_changes_the_rows_and_the_download(
    cards_page: AppTest, clicks: list[Click]
) -> None:
    everything = shown_rows(cards_page)
    assert_download_holds(cards_page, everything, clicks)

    cards_page.multiselect(key=card_filters.LISTS_KEY).set_value(["Done"]).run()
    assert not cards_page.exception
    done = shown_rows(cards_page)
    assert 0 < len(done) < len(everything)
    assert set(done[LIST]) == {"Done"}

    downloaded = assert_download_holds(cards_page, done, clicks)
    assert list(downloaded.columns) == list(CARD_COLUMNS)
    assert list(downloaded[CARD]) == list(done[CARD])
    assert set(downloaded[LIST]) == {"Done"}


def test_including_archived_cards_shows_every_card(cards_page: AppTest) -> None:
    before = len(shown_rows(cards_page))
    cards_page.checkbox(key=card_filters.ARCHIVED_KEY).check().run()
    assert not cards_page.exception
    assert len(shown_rows(cards_page)) == len(demo_board().cards) > before


def test_label_member_and_due_filters_narrow_the_rows(
    cards_page: AppTest, clicks: list[Click]
) -> None:
    cards_page.multiselect(key=card_filters.LABELS_KEY).set_value(["A"]).run()
    with_label = shown_rows(cards_page)
    assert len(with_label) > 0
    assert all("A" in labels for labels in with_label["Labels"])

    cards_page.multiselect(key=card_filters.DUE_BUCKETS_KEY).set_value(["complete"]).run()
    complete = shown_rows(cards_page)
    assert 0 < len(complete) < len(with_label)
    assert set(complete["Due bucket"]) == {"complete"}

    cards_page.multiselect(key=card_filters.MEMBERS_KEY).set_value(["Member B"]).run()
    assert not cards_page.exception
    assert_download_holds(cards_page, shown_rows(cards_page), clicks)
