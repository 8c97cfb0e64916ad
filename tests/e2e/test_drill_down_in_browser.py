"""Clickable charts in a real browser: a click on a week's bar of the demo board's weekly
throughput lists the cards done that week. With ``TRELLOLENS_SCREENSHOTS`` set, the drill-down is
saved as docs/screenshots/drill-down.png (``make screenshots``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_screenshots import VIEWPORT, destination, settle, small_png

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 30_000
TOOLTIP = "#vg-tooltip-element"
WEEK = re.compile(r"Week starting\s*(\d{4}-\d{2}-\d{2})\s*Cards done\s*(\d+)")


def find_bar(page: Any, chart: Any) -> tuple[float, float, str, int]:
    """Hover across the chart until the tooltip shows a week with cards done: where, which, how many."""
    box = chart.bounding_box()
    for height in (0.7, 0.6, 0.5, 0.4):
        y = box["y"] + box["height"] * height
        for step in range(0, int(box["width"]), 4):
            x = box["x"] + step
            page.mouse.move(x, y)
            tooltip = page.locator(TOOLTIP)
            if tooltip.count() and tooltip.is_visible():
                found = WEEK.search(" ".join(tooltip.inner_text().split()))
                if found and int(found.group(2)) > 0:
                    return x, y, found.group(1), int(found.group(2))
    pytest.fail("no bar with cards done found under the mouse")


def test_clicking_a_week_bar_lists_its_cards(browser: Any, app_url: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(app_url)
        main = page.locator("[data-testid='stMain']")
        main.get_by_text("amirite").first.wait_for()
        page.get_by_role("link", name="Flow", exact=True).first.click()
        main.get_by_text("Weekly throughput").first.wait_for()
        charts = main.locator("[data-testid='stVegaLiteChart']")
        charts.nth(2).locator("canvas, svg").first.wait_for()
        settle(page)
        weekly = charts.nth(2)
        weekly.scroll_into_view_if_needed()
        x, y, week, count = find_bar(page, weekly)
        page.mouse.click(x, y)
        heading = main.locator("[data-testid='stMarkdownContainer']").filter(
            has_text=f"Done in the week of {week}"
        )
        heading.first.wait_for()
        card_word = "card" if count == 1 else "cards"
        assert f"{count} {card_word}" in heading.first.inner_text()
        table = main.locator("[data-testid='stDataFrame']").filter(has=page.locator("canvas"))
        table.first.wait_for()
        assert main.locator("[data-testid='stException']").count() == 0
        table.first.scroll_into_view_if_needed()
        page.mouse.wheel(0, 200)  # the whole table, under the chart that was clicked
        settle(page)
        shot = tmp_path / "drill-down.png"
        page.screenshot(path=str(shot))
    finally:
        context.close()
    folder = destination()
    if folder is not None:
        small_png(shot, folder / "drill-down.png")
