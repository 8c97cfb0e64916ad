"""The real app under Streamlit's AppTest: its script, its pages and what a visitor reads."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Element

from tests.helpers.paths import REPO_ROOT

APP_SCRIPT = REPO_ROOT / "streamlit_app.py"
PAGES = Path("src/trellolens/ui/pages")
OVERVIEW_PAGE = str(PAGES / "overview.py")
CARDS_PAGE = str(PAGES / "cards.py")
OPEN_EXPORT_PAGE = str(PAGES / "open_export.py")
TIMEOUT_SECONDS = 30
LOCAL_BROWSER = {"Host": "localhost:8501", "Origin": "http://localhost:8501"}
"""The headers of a browser on this machine (AppTest has no websocket to carry real ones)."""


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
