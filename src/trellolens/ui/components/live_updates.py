"""Live updates: an open page of a live board reruns by itself when Trello says the board changed.

A webhook (``trellolens webhooks serve``) bumps the board's version in Redis
(``BoardService.board_changed``). Every ``live_poll_seconds`` (``TRELLOLENS_LIVE_POLL_SECONDS``,
default 1 s, 0 for never) a fragment of each open page asks Redis for that version: one GET, no
Trello request, no board load. Only when it differs from the version the page shows does it
rerun the whole app, which loads the change (as the changes since the board held) and draws it.
A rerun carries the widgets' current values, as a click would; nothing else reruns.

Only for a live board with Redis configured: an upload or the demo board never changes, and
without Redis there are no webhooks to hear. Streamlit's AppTest runs a fragment once, inline,
and never by its timer, so tests drive ``check_version`` themselves.
"""

from __future__ import annotations

import streamlit as st

from trellolens.connection import app_settings
from trellolens.errors import ConfigError
from trellolens.ui.data.board_source import shown_version
from trellolens.ui.data.cache import shared_version


def poll_seconds() -> float:
    """How often an open live page looks for a new version: 0 when it should not (no Redis, the
    setting 0, or a bad setting, which the Security page names)."""
    try:
        settings = app_settings()
        if settings.redis_url is None:
            return 0.0
        return settings.live_poll_seconds
    except ConfigError:
        return 0.0


def check_version() -> None:
    """Rerun the whole app when the shown live board has a newer shared version; nothing when it
    has not (also without a live board, or while Redis does not answer)."""
    shown = shown_version()
    if shown is None:
        return
    now = shared_version(shown.board_id)
    if now is not None and now != shown.version:
        st.rerun(scope="app")  # the app reruns with the widgets' current values


def live_updates() -> None:
    """Watch the shown live board's version while the page is open (see the module's docstring)."""
    if shown_version() is None:
        return
    seconds = poll_seconds()
    if seconds > 0:
        st.fragment(check_version, run_every=seconds)()
