"""The dashboard's router: page config, the access gate, the board notice, ``st.navigation``."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from trellolens.credentials import redaction
from trellolens.service.freed_memory import release_freed_memory
from trellolens.ui.access import access_gate
from trellolens.ui.components.board_sidebar import board_sidebar
from trellolens.ui.components.copy_link import copy_link_button
from trellolens.ui.components.live_updates import live_updates
from trellolens.ui.components.secrets_file_notice import secrets_file_notice
from trellolens.ui.data.board_link import keep_board_in_url
from trellolens.ui.data.board_source import current_board
from trellolens.ui.page_boundary import page_boundary

PAGES_DIR = Path(__file__).resolve().parent / "pages"
PAGE_ICON = Path(__file__).resolve().parent / "icon.png"
"""Our own favicon: a Material icon would make the browser fetch it from a font host."""


def pages() -> list[st.Page]:
    return [
        st.Page(
            PAGES_DIR / "overview.py",
            title="Board overview",
            icon=":material/dashboard:",
            default=True,
        ),
        st.Page(PAGES_DIR / "cards.py", title="Cards", icon=":material/table:", url_path="cards"),
        st.Page(
            PAGES_DIR / "boards.py",
            title="Boards",
            icon=":material/view_module:",
            url_path="boards",
        ),
        *flow_pages(),
        st.Page(
            PAGES_DIR / "open_export.py",
            title="Open an export",
            icon=":material/upload_file:",
            url_path="open-export",
        ),
        st.Page(
            PAGES_DIR / "connect.py",
            title="Connect Trello",
            icon=":material/key:",
            url_path="connect",
        ),
        st.Page(
            PAGES_DIR / "security.py",
            title="Security",
            icon=":material/health_and_safety:",
            url_path="security",
        ),
    ]


FLOW_PAGES = (
    ("flow.py", "Flow", ":material/stacked_line_chart:", "flow"),
    ("cycle_time.py", "Cycle time", ":material/timer:", "cycle-time"),
    ("aging_wip.py", "Aging WIP", ":material/hourglass_bottom:", "aging-wip"),
    ("forecast.py", "Forecast", ":material/query_stats:", "forecast"),
    ("data_quality.py", "Data quality", ":material/fact_check:", "data-quality"),
)


def flow_pages() -> list[st.Page]:
    """The flow metrics pages, which share the workflow editor and the as-of date."""
    return [
        st.Page(PAGES_DIR / file, title=title, icon=icon, url_path=url_path)
        for file, title, icon, url_path in FLOW_PAGES
    ]


def main() -> None:
    redaction.install()
    st.set_page_config(page_title="trellolens", page_icon=str(PAGE_ICON), layout="wide")
    every_page = pages()
    navigation = st.navigation(every_page)
    decision = access_gate()  # before anything reads a live board: who may see them this run
    secrets_file_notice(decision)
    connect_page = next(page for page in every_page if page.url_path == "connect")
    home = navigation.url_path == ""  # the app's address itself: a visitor's landing
    chooser_page = next(page for page in every_page if page.url_path == "boards") if home else None
    with page_boundary("the sidebar"):
        board_sidebar(connect_page, chooser_page)
        with st.sidebar:  # an empty fragment: reruns the app when a webhook changed the board
            live_updates()
    try:
        with page_boundary(f"page {navigation.title!r}"):
            navigation.run()
        with page_boundary("the address bar"):
            # A page switch cleared it; a page may have changed it.
            keep_board_in_url(current_board())
            copy_link_button()  # last: the link holds what every widget of this run wrote
    finally:  # even when a page stops or reruns the script
        # A page's tables and charts leave the C allocator's freed pages behind (a 10,000-card
        # board's overview: 28 MiB of RSS for 4 MiB kept); handing them back takes ~2 ms.
        release_freed_memory()
