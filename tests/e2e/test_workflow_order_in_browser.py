"""The workflow editor in a real browser: an up arrow moves a stage, the page's workflow line and
the URL follow, and the sidebar shows every stage's whole name. With ``TRELLOLENS_SCREENSHOTS``
set, the open editor is saved as docs/screenshots/workflow-editor.png (``make screenshots``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.test_screenshots import destination, settle, small_png
from trellolens.board import demo_board
from trellolens.metrics import default_workflow

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 30_000
STAGES = [lst.name for lst in default_workflow(demo_board()).stages]


def test_an_up_arrow_reorders_the_workflow(browser: Any, app_url: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(app_url)
        main = page.locator("[data-testid='stMain']")
        main.get_by_text("amirite").first.wait_for()
        page.get_by_role("link", name="Flow", exact=True).first.click()
        main.get_by_text("Cumulative flow").first.wait_for()
        sidebar = page.locator("[data-testid='stSidebar']")
        sidebar.get_by_text("Workflow", exact=True).first.click()
        up = sidebar.locator(".st-key-workflow_order-up-2 button").first
        up.wait_for()
        assert sidebar.locator(".st-key-workflow_order-up-0 button").first.is_disabled()
        up.click()
        order = [STAGES[0], STAGES[2], STAGES[1], *STAGES[3:]]
        main.get_by_text("Workflow: " + " → ".join(order), exact=False).first.wait_for()
        for number, name in enumerate(order, start=1):
            sidebar.get_by_text(f"{number} {name}", exact=False).first.wait_for()
        page.wait_for_function("() => location.search.includes('workflow=')")
        stages = json.loads(parse_qs(urlparse(page.url).query)["workflow"][0])["stages"]
        assert stages == order
        assert main.locator("[data-testid='stException']").count() == 0
        page.mouse.move(700, 120)  # off the charts: no tooltip in the picture
        settle(page)
        summary = main.get_by_text("Workflow: ", exact=False).first.inner_text()
        assert summary.startswith("Workflow: " + " → ".join(order)), summary  # it stays
        shot = tmp_path / "workflow-editor.png"
        page.screenshot(path=str(shot))
    finally:
        context.close()
    folder = destination()
    if folder is not None:
        small_png(shot, folder / "workflow-editor.png")
