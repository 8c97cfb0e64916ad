"""At 1400x900, the flow pages' Workflow editor and As of date sit above the fold of the sidebar
on the demo board: the demo notice is short enough not to push them out of sight."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e

VIEWPORT = {"width": 1400, "height": 900}
TIMEOUT_MS = 30_000


def bottom(locator: Any) -> float:
    box = locator.bounding_box()
    assert box is not None, "not laid out"
    return float(box["y"] + box["height"])


def test_workflow_and_as_of_are_above_the_fold_on_the_demo_board(
    browser: Any, app_url: str
) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(f"{app_url}/flow")
        sidebar = page.locator("[data-testid='stSidebar']")
        notice = sidebar.locator("[data-testid='stAlert']").filter(has_text="Demo board").first
        notice.wait_for()
        workflow = sidebar.locator("[data-testid='stExpander']").filter(has_text="Workflow").first
        as_of = sidebar.locator("[data-testid='stDateInput']").first
        workflow.wait_for()
        as_of.wait_for()
        workflow_bottom, as_of_bottom = bottom(workflow), bottom(as_of)
        notice_height = float((notice.bounding_box() or {"height": 0})["height"])
    finally:
        context.close()
    print(
        f"workflow bottom {workflow_bottom:.0f} px, as of bottom {as_of_bottom:.0f} px, "
        f"demo notice {notice_height:.0f} px high (viewport {VIEWPORT['height']} px)"
    )
    assert workflow_bottom <= VIEWPORT["height"]
    assert as_of_bottom <= VIEWPORT["height"]
