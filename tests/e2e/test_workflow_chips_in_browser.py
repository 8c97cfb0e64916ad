"""The workflow editor's stage chips in a real browser: every chip shows its list's whole name.

Streamlit cuts a multiselect's chip at the width of the box with an ellipsis ("Product Backl…" on
a narrow sidebar, any long list name on a wide one); the editor's scoped style rule lets a chip
wrap instead, so every list name is read whole.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.ui.option_board import option_board_export

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 30_000
LONG_NAME = "Waiting for the product owner's sign-off before the release train"
CHIPS = "[data-testid='stSidebar'] .st-key-workflow_editor-stages [data-tag]"
CHIP_FITS = """(chip) => {
  const cut = [chip, ...chip.querySelectorAll('span')].filter(
    (node) => node.scrollWidth > node.clientWidth + 1 || node.scrollHeight > node.clientHeight + 1);
  return {text: chip.innerText.trim(), cut: cut.length};
}"""


def test_a_long_list_name_is_shown_whole_in_its_stage_chip(
    browser: Any, app_url: str, tmp_path: Path
) -> None:
    export = option_board_export()
    review = next(lst for lst in export["lists"] if lst["name"] == "Review")
    review["name"] = LONG_NAME
    board = tmp_path / "long-names.json"
    board.write_text(json.dumps(export))
    context = browser.new_context(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(app_url)
        page.get_by_role("link", name="Open an export").first.click()
        page.locator("input[type='file']").first.set_input_files(str(board))
        page.get_by_text("Hand-made").first.wait_for()
        page.get_by_role("link", name="Flow", exact=True).first.click()
        page.locator("[data-testid='stMain']").get_by_text("Cumulative flow").first.wait_for()
        sidebar = page.locator("[data-testid='stSidebar']")
        sidebar.get_by_text("Workflow", exact=True).first.click()
        chip = page.locator(CHIPS).filter(has_text="Waiting for").first
        chip.wait_for()
        found = chip.evaluate(CHIP_FITS)
        assert found["text"] == LONG_NAME
        assert found["cut"] == 0, found
        box = sidebar.bounding_box()
        shown = chip.bounding_box()
        assert box is not None
        assert shown is not None
        assert shown["x"] + shown["width"] <= box["x"] + box["width"]  # it wraps inside the sidebar
    finally:
        context.close()
