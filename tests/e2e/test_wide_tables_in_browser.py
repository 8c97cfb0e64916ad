"""Wide tables keep their last column in sight at 1400x900: no sideways scrolling to find it."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 30_000


def overflow(page: Any) -> tuple[int, int]:
    """(scrollWidth, clientWidth) of the first data grid's scroller."""
    scroller = page.locator("[data-testid='stDataFrame'] .dvn-scroller").first
    scroller.wait_for()
    sizes = scroller.evaluate("node => [node.scrollWidth, node.clientWidth]")
    return int(sizes[0]), int(sizes[1])


def test_the_security_table_shows_its_fix_column_without_scrolling(
    browser: Any, app_url: str
) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(f"{app_url}/security")
        scroll_width, client_width = overflow(page)
    finally:
        context.close()
    print(f"security table: {scroll_width} px of content in {client_width} px")
    assert scroll_width <= client_width + 1
