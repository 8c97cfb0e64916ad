"""A sidebar warning, for visitors who may see live boards, about a secrets file others may read."""

from __future__ import annotations

import streamlit as st

from trellolens.ui.access import AccessDecision
from trellolens.ui.markdown_text import plain


def secrets_file_notice(decision: AccessDecision) -> None:
    """One warning per readable secrets file; nothing for refused visitors (it names paths)."""
    if not decision.allowed:
        return
    for warning in decision.file_warnings:
        st.sidebar.warning(plain(warning), icon=":material/lock_open:")
