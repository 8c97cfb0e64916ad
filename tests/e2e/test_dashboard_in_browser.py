"""The dashboard as a visitor sees it: a real server, a real browser, the bundled demo board."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers.paths import HERMES_2014
from trellolens.ui.views.tables import CARD_COLUMNS

pytestmark = pytest.mark.e2e

DEMO_LISTS = ["Product Backlog", "Sprint Backlog", "Doing", "Review", "Done"]
TIMEOUT_MS = 30_000


@pytest.fixture
def page(browser: Any, app_url: str) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    opened.goto(app_url)
    yield opened
    context.close()


def test_demo_board_opens_with_its_lists(page: Any) -> None:
    page.get_by_text("Demo board").first.wait_for()
    page.get_by_text("amirite").first.wait_for()
    body = page.locator("body")
    main = page.locator("[data-testid='stMain']")  # the sidebar's collapsed editor names lists too
    for name in DEMO_LISTS:
        main.get_by_text(name, exact=False).first.wait_for()
    assert "Traceback" not in body.inner_text()


def test_cards_page_shows_a_table(page: Any) -> None:
    page.get_by_role("link", name="Cards").first.click()
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    page.get_by_text("Download CSV").first.wait_for()


def test_the_cards_csv_is_made_on_click_and_downloaded(page: Any, tmp_path: Path) -> None:
    page.get_by_role("link", name="Cards").first.click()
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    with page.expect_download() as started:
        page.get_by_role("button", name="Download CSV").click()
    download = started.value
    assert download.suggested_filename == "amirite-cards.csv"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    lines = saved.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(CARD_COLUMNS)
    assert len(lines) > 1


def test_uploading_an_export_replaces_the_demo_for_this_visitor(page: Any, tmp_path: Path) -> None:
    page.get_by_role("link", name="Open an export").first.click()
    page.locator("input[type='file']").first.set_input_files(str(HERMES_2014))
    page.get_by_text("Project Hermes").first.wait_for()


def test_a_bad_upload_gets_one_line_and_no_traceback(page: Any, tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"id": "abc", "name": "x", "cards": [')
    page.get_by_role("link", name="Open an export").first.click()
    page.locator("input[type='file']").first.set_input_files(str(bad))
    page.get_by_text("truncated JSON").first.wait_for()
    text = page.locator("body").inner_text()
    assert "Traceback" not in text
    assert "amirite" in text or "Demo board" in text


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Flow", "Cumulative flow"),
        ("Cycle time", "Cycle time"),
        ("Aging WIP", "Aging"),
        ("Forecast", "Forecast"),
        ("Data quality", "Data quality"),
    ],
)
def test_flow_pages_draw_charts_without_errors(page: Any, title: str, expected: str) -> None:
    page.get_by_role("link", name=title, exact=True).first.click()
    main = page.locator("[data-testid='stMain']")
    main.get_by_text(expected, exact=False).first.wait_for()
    if title != "Data quality":  # the demo board's history is complete: no tables to show there
        main.locator("[data-testid='stVegaLiteChart'], .vega-embed").first.wait_for()
        page.get_by_text("Download CSV").first.wait_for()
    assert main.locator("[data-testid='stException']").count() == 0
    assert "Traceback" not in main.inner_text()


def test_a_shared_workflow_link_opens_with_that_workflow(page: Any, app_url: str) -> None:
    link = '{"stages":["Sprint Backlog","Doing","Review","Done"],"start":"Doing"}'
    page.goto(f"{app_url}/flow?workflow={link}")
    main = page.locator("[data-testid='stMain']")
    main.locator("[data-testid='stVegaLiteChart'], .vega-embed").first.wait_for()
    assert "Product Backlog" not in main.inner_text()


def test_a_broken_workflow_link_warns_in_one_line(page: Any, app_url: str) -> None:
    page.goto(f"{app_url}/flow?workflow=" + "%7Bnot-json")
    page.locator("[data-testid='stAlert']").first.wait_for()
    assert "Traceback" not in page.locator("body").inner_text()
