"""Every view is a link, in chromium on the demo board: options set on the Forecast page survive a
reload, "Copy link to this view" puts the address on the clipboard, and that link opened in a
second browser context shows the same view."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_screenshots import destination, grow_to_content, settle, small_png

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 30_000
VIEWPORT = {"width": 1280, "height": 800}
WINDOW = "Sampling window (weeks)"
BUSINESS_DAYS = "Business days only"


def new_page(browser: Any) -> tuple[Any, Any]:
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return context, page


def forecast_ready(page: Any) -> Any:
    main = page.locator("[data-testid='stMain']")
    main.get_by_text("How many cards by a date?").wait_for()
    settle(page)
    return main


def assert_same_view(page: Any) -> None:
    main = forecast_ready(page)
    assert main.get_by_role("spinbutton", name=WINDOW).input_value() == "12"
    page.get_by_text("Analytics options").click()  # the expander opens closed
    assert page.get_by_role("checkbox", name=BUSINESS_DAYS).is_checked()
    main.get_by_text("Business days are on").first.wait_for()
    assert main.locator("[data-testid='stException']").count() == 0


def test_options_survive_a_reload_and_the_copied_link_opens_the_same_view(
    browser: Any, app_url: str, tmp_path: Path
) -> None:
    context, page = new_page(browser)
    try:
        page.goto(f"{app_url}/forecast")
        main = forecast_ready(page)
        window = main.get_by_role("spinbutton", name=WINDOW)
        window.fill("12")
        window.press("Enter")
        page.wait_for_url("**window=12**")
        page.get_by_text("Analytics options").click()
        page.get_by_text(BUSINESS_DAYS).click()
        page.wait_for_url("**bdays=1**")
        settle(page)

        page.reload()
        assert_same_view(page)
        assert "window=12" in page.url
        assert "bdays=1" in page.url

        button = page.get_by_role("button", name="Copy link to this view")
        button.click()
        page.get_by_role("button", name="Link copied").wait_for()
        link = page.evaluate("navigator.clipboard.readText()")
        assert link == page.url
    finally:
        context.close()

    other, second = new_page(browser)
    try:
        second.goto(link)
        assert_same_view(second)
        second.get_by_text("Link to this view", exact=True).click()
        second.locator("[data-testid='stSidebar'] [data-testid='stCode']").wait_for()
        assert "window=12" in second.locator("[data-testid='stSidebar'] code").inner_text()
        settle(second)
        grow_to_content(second)
        shot = tmp_path / "shared-view-link.png"
        second.screenshot(path=str(shot), full_page=True)
    finally:
        other.close()
    folder = destination()
    if folder is not None:
        small_png(shot, folder / "shared-view-link.png")


def test_a_bad_value_in_a_link_is_one_line_and_the_page_still_draws(
    browser: Any, app_url: str
) -> None:
    context, page = new_page(browser)
    try:
        page.goto(f"{app_url}/forecast?window=999&trials=12")
        main = forecast_ready(page)
        main.get_by_text("Ignored the sampling window in the link").wait_for()
        main.get_by_text("Ignored the number of trials in the link").wait_for()
        assert main.get_by_role("spinbutton", name=WINDOW).input_value() == "8"
        assert main.locator("[data-testid='stException']").count() == 0
        page.wait_for_url(lambda url: "window=" not in url and "trials=" not in url)
    finally:
        context.close()
