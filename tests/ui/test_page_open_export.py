"""Open an export page: the real st.file_uploader widget under AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import (
    APP_SCRIPT,
    CARDS_PAGE,
    OPEN_EXPORT_PAGE,
    OVERVIEW_PAGE,
    TIMEOUT_SECONDS,
    page_text,
    shown,
)
from tests.helpers.canaries import CANARY_TOKEN, assert_no_canary
from tests.helpers.paths import HERMES_2014
from trellolens.board import MAX_UPLOAD_BYTES
from trellolens.ui.data import board_source
from trellolens.ui.pages import open_export

JSON = "application/json"


@pytest.fixture
def export_page(app: AppTest) -> AppTest:
    return app.switch_page(OPEN_EXPORT_PAGE).run()


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, data, JSON))
    return at.run()


def test_offers_a_json_uploader_on_the_demo_board(export_page: AppTest) -> None:
    assert not export_page.exception
    (uploader,) = export_page.file_uploader
    assert uploader.allowed_type == [".json"]
    assert uploader.proto.max_upload_size_mb == MAX_UPLOAD_BYTES // (1024 * 1024)
    assert "Demo board" in page_text(export_page)


def test_a_good_export_replaces_the_demo_on_every_page(export_page: AppTest) -> None:
    upload(export_page, "hermes.json", HERMES_2014.read_bytes())
    assert not export_page.exception
    assert not export_page.error
    text = shown(page_text(export_page))
    assert "Project Hermes" in text
    assert "Uploaded export: hermes.json" in text
    assert "Demo board" not in text

    export_page.switch_page(OVERVIEW_PAGE).run()
    assert "Project Hermes" in page_text(export_page)
    export_page.switch_page(CARDS_PAGE).run()
    assert not export_page.exception
    assert len(export_page.dataframe[0].value) > 0


def test_back_to_the_demo_board_stays_on_the_demo(export_page: AppTest) -> None:
    upload(export_page, "hermes.json", HERMES_2014.read_bytes())
    export_page.button(key=open_export.BACK_TO_DEMO_KEY).click().run()
    assert not export_page.exception
    assert "Demo board" in page_text(export_page)
    # The file still sits in the uploader; a rerun must not bring it back.
    export_page.run()
    assert "Demo board" in page_text(export_page)
    assert board_source.UPLOADED_KEY not in export_page.session_state


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b'{"id": "abc", "name": "x", "cards": [', "truncated JSON"),
        (b"\x80\x81 not text", "not UTF-8"),
        (b'[{"id": "abc"}]', "expected a board object"),
        (b"x" * (MAX_UPLOAD_BYTES + 1), "over the 20.0 MB limit"),
    ],
    ids=["truncated", "binary", "not-a-board", "too-big"],
)
def test_a_bad_file_gets_one_line_and_the_demo_board_remains(
    export_page: AppTest, data: bytes, problem: str
) -> None:
    upload(export_page, "broken.json", data)
    assert not export_page.exception
    (error,) = export_page.error
    assert problem in shown(error.value)
    assert shown(error.value).startswith("broken.json: ")
    assert "\n" not in error.value
    assert "Traceback" not in page_text(export_page)
    assert "Demo board" in page_text(export_page)
    assert "amirite" in page_text(export_page)


def test_a_secret_in_an_upload_error_is_masked(export_page: AppTest) -> None:
    upload(export_page, f"{CANARY_TOKEN}.json", b'{"id": "abc", "name": "x", "cards": [')
    assert not export_page.exception
    (error,) = export_page.error
    assert shown(error.value).startswith("[REDACTED].json: ")
    assert_no_canary(page_text(export_page) + str(error.value))


def test_a_bad_file_after_a_good_one_keeps_the_good_one(export_page: AppTest) -> None:
    upload(export_page, "hermes.json", HERMES_2014.read_bytes())
    upload(export_page, "broken.json", b"{")
    assert not export_page.exception
    assert len(export_page.error) == 1
    assert "Project Hermes" in page_text(export_page)


def test_uploads_are_per_visitor(export_page: AppTest) -> None:
    upload(export_page, "hermes.json", HERMES_2014.read_bytes())
    other_visitor = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS).run()
    assert "Demo board" in page_text(other_visitor)
    assert "Project Hermes" not in page_text(other_visitor)
