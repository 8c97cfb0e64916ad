"""The Connect page's lines for a visitor signed in over OAuth 2.0: what the sign-in may do,
until when, and how many boards it reads (``/1/tokens`` names only legacy tokens)."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from trellolens.credentials.redaction import redact
from trellolens.errors import TrellolensError
from trellolens.ui.access import oauth2_signin
from trellolens.ui.data.cache import board_list
from trellolens.ui.markdown_text import plain


def visitor_oauth2_status() -> bool:
    """Shown when this visitor is signed in over OAuth 2.0 (False: they are not)."""
    found = oauth2_signin.current_session()
    if found is None:
        return False
    app, session_id, session = found
    until = datetime.fromtimestamp(session.expires_at, UTC).strftime("%Y-%m-%d")
    st.success(
        f"Trello accepts your sign-in (OAuth 2.0): {plain(', '.join(session.scopes))}, "
        f"until {plain(until)} at the latest."
    )
    try:
        boards = board_list(app.client(session_id))
    except TrellolensError as exc:
        st.error(redact(str(exc)))
        return True
    count = sum(1 for board in boards if not board.closed)
    st.info(
        f"Your sign-in reads {count:d} open board{'s' if count != 1 else ''}: pick one under "
        "**Your boards** in the sidebar of any page, or see them all on **Boards**."
    )
    return True
