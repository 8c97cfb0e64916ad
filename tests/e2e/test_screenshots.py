"""Full-page screenshots of the main pages, taken by a real browser on the demo board.

Every run takes them (a page that fails to draw fails here) into the test's temporary folder.
``make screenshots`` (``TRELLOLENS_SCREENSHOTS=docs/screenshots``) also writes them to the README's
``docs/screenshots/``, reduced to 256 colours to keep the repository small.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.helpers.paths import REPO_ROOT
from tests.helpers.servers import app_folder, clean_env, serve_app

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 30_000
SCREENSHOTS_VARIABLE = "TRELLOLENS_SCREENSHOTS"
VIEWPORT = {"width": 1280, "height": 800}
MAX_BYTES = 400_000
PAGES = [
    # file name, sidebar link (None: the start page), text to wait for, charts to wait for
    ("overview", None, "Due dates", 0),
    ("flow", "Flow", "Cumulative flow", 3),
    ("cycle-time", "Cycle time", "Median time in each list", 3),
    ("aging-wip", "Aging WIP", "Oldest first", 1),
    ("forecast", "Forecast", "How many cards by a date?", 1),
    ("connect-trello", "Connect Trello", "Connect Trello", 0),
    ("security", "Security", "Every check", 0),
]


@pytest.fixture(scope="module")
def clone_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served from a git work tree with the repository's .gitignore, as in a clone."""
    workdir = app_folder(tmp_path_factory, "clone")
    shutil.copy(REPO_ROOT / ".gitignore", workdir / ".gitignore")
    subprocess.run(["git", "init", "-q", str(workdir)], check=True)
    with serve_app(workdir, clean_env()) as url:
        yield url


def destination() -> Path | None:
    folder = os.environ.get(SCREENSHOTS_VARIABLE, "").strip()
    return (REPO_ROOT / folder) if folder else None


def settle(page: Any) -> None:
    """Wait until Streamlit has finished running the script and the charts have drawn."""
    page.wait_for_load_state("networkidle")
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden")
    page.wait_for_timeout(500)  # vega-lite's last transition


CONTENT_HEIGHT = """() => Math.max(...Array.from(
    document.querySelectorAll("[data-testid='stMain'], [data-testid='stSidebarContent']"),
    (element) => element.scrollHeight))"""
MAX_HEIGHT = 5000


def grow_to_content(page: Any) -> None:
    """Streamlit scrolls inside its main block, so a full-page shot needs a viewport that tall."""
    height = min(int(page.evaluate(CONTENT_HEIGHT)), MAX_HEIGHT)
    if height > VIEWPORT["height"]:
        page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
        settle(page)


def small_png(source: Path, target: Path) -> None:
    with Image.open(source) as image:
        image.convert("RGB").quantize(colors=256).save(target, optimize=True)


@pytest.mark.parametrize(("name", "link", "text", "charts"), PAGES, ids=[p[0] for p in PAGES])
def test_a_full_page_screenshot(
    browser: Any,
    clone_url: str,
    tmp_path: Path,
    name: str,
    link: str | None,
    text: str,
    charts: int,
) -> None:
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(clone_url)
        main = page.locator("[data-testid='stMain']")
        main.get_by_text("amirite").first.wait_for()
        if link is not None:
            page.get_by_role("link", name=link, exact=True).first.click()
        main.get_by_text(text, exact=False).first.wait_for()
        if charts:
            main.locator(".vega-embed canvas, .vega-embed svg").nth(charts - 1).wait_for()
        settle(page)
        grow_to_content(page)
        assert main.locator("[data-testid='stException']").count() == 0
        shot = tmp_path / f"{name}.png"
        page.screenshot(path=str(shot), full_page=True)
    finally:
        context.close()
    small = tmp_path / f"{name}-small.png"
    small_png(shot, small)
    with Image.open(small) as image:
        assert image.width == VIEWPORT["width"]
        assert image.height >= VIEWPORT["height"]
        assert len(image.getcolors(256) or []) > 8, "a blank page"
    assert small.stat().st_size < MAX_BYTES
    folder = destination()
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        small.replace(folder / f"{name}.png")
