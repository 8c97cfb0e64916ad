"""AppTest fixtures: the real app from streamlit_app.py, with no Trello credentials anywhere."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Element

from tests.conftest import REPO_ROOT

APP_SCRIPT = REPO_ROOT / "streamlit_app.py"
PAGES = Path("src/trellolens/ui/pages")
OVERVIEW_PAGE = str(PAGES / "overview.py")
CARDS_PAGE = str(PAGES / "cards.py")
OPEN_EXPORT_PAGE = str(PAGES / "open_export.py")
TIMEOUT_SECONDS = 30


LOCAL_BROWSER = {"Host": "localhost:8501", "Origin": "http://localhost:8501"}


@pytest.fixture(autouse=True)
def _browser_on_localhost(monkeypatch: pytest.MonkeyPatch) -> None:
    """AppTest has no websocket: its runs carry the headers of a browser on localhost."""
    monkeypatch.setattr("trellolens.ui.access.request_headers", lambda: dict(LOCAL_BROWSER))


@pytest.fixture
def app() -> AppTest:
    """The app, run once on its default page (Board overview), with no secrets configured."""
    for name in list(os.environ):  # the autouse fixture in tests/conftest.py restores them
        if name.startswith("TRELLO"):
            del os.environ[name]
    at = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    assert not at.secrets
    return at.run()


def shown(markdown: str) -> str:
    """What a visitor reads of markdown text: CommonMark's backslash escapes taken out."""
    return re.sub(r"\\(.)", r"\1", markdown)


def page_text(at: AppTest) -> str:
    """Every text a visitor can read on the page, sidebar included, in one string."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "success", "error"):
        parts.extend(str(node.value) for node in at.get(kind) if isinstance(node, Element))
    parts.extend(f"{metric.label} {metric.value}" for metric in at.metric)
    return "\n".join(parts)
