"""The dashboard's router: page config, the board notice, and ``st.navigation``. Nothing else."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from trellolens.ui.board_source import current_board
from trellolens.ui.components.board_banner import sidebar_notice

PAGES_DIR = Path(__file__).resolve().parent / "pages"


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
            PAGES_DIR / "open_export.py",
            title="Open an export",
            icon=":material/upload_file:",
            url_path="open-export",
        ),
    ]


def main() -> None:
    st.set_page_config(page_title="trellolens", page_icon=":material/view_kanban:", layout="wide")
    navigation = st.navigation(pages())
    sidebar_notice(current_board())
    navigation.run()
