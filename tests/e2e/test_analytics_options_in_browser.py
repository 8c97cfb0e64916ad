"""The analytics options in a real browser: the option charts draw in chromium without errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.ui.option_board import option_board_export

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 30_000


@pytest.fixture
def page(browser: Any, app_url: str, tmp_path: Path) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    opened.console_errors = []
    opened.on("console", lambda m: m.type == "error" and opened.console_errors.append(m.text))
    opened.goto(app_url)
    export = tmp_path / "options.json"
    export.write_text(json.dumps(option_board_export()))
    opened.get_by_role("link", name="Open an export").first.click()
    opened.locator("input[type='file']").first.set_input_files(str(export))
    opened.get_by_text("Hand-made").first.wait_for()
    yield opened
    context.close()


def choose(page: Any, label: str, option: str) -> None:
    sidebar = page.locator("[data-testid='stSidebar']")
    expander = sidebar.get_by_text("Analytics options")
    if not sidebar.get_by_text(label).first.is_visible():
        expander.click()
    box = sidebar.locator("[data-testid='stSelectbox']").filter(has_text=label)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    combobox = box.get_by_role("combobox")
    combobox.wait_for()
    for _ in range(3):  # a click during a rerun or the expander's animation may not open it
        combobox.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=5_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    pytest.fail(f"could not choose {option!r} in {label!r}")


@pytest.mark.parametrize(
    ("title", "expected"),
    [("Aging WIP", "Blocked now"), ("Cycle time", "By type"), ("Flow", "by type"),
     ("Forecast", "each type")],
)  # fmt: skip
def test_option_charts_draw_without_errors(page: Any, title: str, expected: str) -> None:
    page.get_by_role("link", name=title, exact=True).first.click()
    main = page.locator("[data-testid='stMain']")
    main.locator("[data-testid='stVegaLiteChart'], .vega-embed").first.wait_for()
    choose(page, "Split by work type", "Labels")
    main.get_by_text(expected, exact=False).first.wait_for()
    charts = main.locator("[data-testid='stVegaLiteChart'] canvas, .vega-embed svg")
    charts.first.wait_for()
    page.wait_for_timeout(500)  # Vega reports a spec it cannot draw on the console
    assert main.locator("[data-testid='stException']").count() == 0
    assert "Traceback" not in main.inner_text()
    assert not [error for error in page.console_errors if "vega" in error.lower()]


def pick(page: Any, label: str, option: str) -> None:
    """Add ``option`` to the sidebar multiselect ``label`` (retried like ``choose``)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    sidebar = page.locator("[data-testid='stSidebar']")
    if not sidebar.get_by_text(label).first.is_visible():
        sidebar.get_by_text("Analytics options").click()
    combobox = sidebar.locator("[data-testid='stMultiSelect']").filter(has_text=label)
    combobox = combobox.get_by_role("combobox")
    combobox.wait_for()
    for _ in range(3):  # a click during a rerun or the expander's animation may not open it
        combobox.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=5_000)
            page.keyboard.press("Escape")
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    pytest.fail(f"could not pick {option!r} in {label!r}")


def chart_count(page: Any) -> int:
    main = page.locator("[data-testid='stMain']")
    return int(main.locator("[data-testid='stVegaLiteChart'] canvas, .vega-embed svg").count())


def test_flow_analytics_charts_draw_without_errors(page: Any) -> None:
    """Flow page: where the time goes (a wait list on), both XmR charts, the histogram, WIP by
    type; each drawn by Vega in chromium with nothing on the console."""
    page.get_by_role("link", name="Flow", exact=True).first.click()
    main = page.locator("[data-testid='stMain']")
    main.get_by_text("Process behaviour charts").first.wait_for()
    main.get_by_text("Throughput histogram").first.wait_for()
    pick(page, "Wait lists (flow efficiency)", "Review")
    main.get_by_text("Flow efficiency: where the time goes").first.wait_for()
    choose(page, "Split by work type", "Labels")
    main.get_by_text("Work in progress by type").first.wait_for()
    page.wait_for_timeout(1_000)  # Vega reports a spec it cannot draw on the console
    # CFD, WIP, weekly, weekly by type, WIP by type, where the time goes, 2 XmR, histogram
    assert chart_count(page) >= 9
    assert main.locator("[data-testid='stException']").count() == 0
    assert "Traceback" not in main.inner_text()
    assert not [error for error in page.console_errors if "vega" in error.lower()]


def test_backlog_forecast_table_draws_with_its_link(page: Any) -> None:
    page.get_by_role("link", name="Forecast", exact=True).first.click()
    main = page.locator("[data-testid='stMain']")
    main.get_by_text("When will each backlog card be done?").first.wait_for()
    main.get_by_text("The 3 cards in progress are finished first").first.wait_for()
    main.locator("[data-testid='stVegaLiteChart'] canvas, .vega-embed svg").first.wait_for()
    page.wait_for_timeout(500)
    assert main.locator("[data-testid='stException']").count() == 0
    assert not [error for error in page.console_errors if "vega" in error.lower()]
