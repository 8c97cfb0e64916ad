"""Connect Trello: which credentials were found and where, or what is missing and how to set it."""

from __future__ import annotations

import streamlit as st

from trellolens.credentials import DEFAULT_PROFILE
from trellolens.ui.access import access_notice, current_access
from trellolens.ui.components.credentials_status import (
    current_resolution,
    how_to_connect,
    provenance_table,
    sources_table,
)
from trellolens.ui.components.live_trello import live_trello
from trellolens.ui.components.visitor_oauth2_status import visitor_oauth2_status
from trellolens.ui.markdown_text import plain
from trellolens.ui.visitor_errors import shows_errors

DEMO_STAYS = (
    "Meanwhile the demo board, and any export you open on **Open an export**, work as before."
)


@shows_errors
def render() -> None:
    st.title("Connect Trello")
    if current_access().visitor:  # each visitor signs in; the app holds no token of its own
        access = current_access()
        access_notice(access)
        if access.allowed:
            if not visitor_oauth2_status():
                live_trello()
        else:
            st.caption(DEMO_STAYS)
        return
    resolution = current_resolution()
    if isinstance(resolution, str):  # the TRELLOLENS_* settings themselves are wrong
        st.error(resolution)
        how_to_connect(DEFAULT_PROFILE)
        st.caption(DEMO_STAYS)
        return
    profile = resolution.profile
    if resolution.ok:
        st.success(f"Trello credentials found for profile **{plain(profile)}**.")
        access = current_access()
        access_notice(access)
        if access.allowed:  # the gate comes before the token check and the board list
            live_trello()
        else:
            st.caption(DEMO_STAYS)
        st.subheader("Where each key came from")
        provenance_table(resolution)
        st.subheader("Sources, in order of precedence")
        sources_table(resolution)
        return
    for problem in resolution.errors:
        st.error(problem)
    if resolution.missing:
        st.warning(
            f"Missing for profile **{plain(profile)}**: {plain(', '.join(resolution.missing))}. "
            "Set them in any one of the places below."
        )
    st.subheader("Where trellolens looked, in order of precedence")
    sources_table(resolution)
    st.subheader("How to connect")
    how_to_connect(profile)
    st.caption(DEMO_STAYS)


if __name__ == "__main__":
    render()
