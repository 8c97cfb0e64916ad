"""Errors a visitor may see: one line from a ``TrellolensError``, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import streamlit as st

from trellolens.credentials.redaction import redact
from trellolens.errors import TrellolensError
from trellolens.ui.markdown_text import plain


def shows_errors(render: Callable[[], None]) -> Callable[[], None]:
    """Run a page; a ``TrellolensError`` becomes ``st.error`` with its one-line message."""

    @wraps(render)
    def guarded() -> None:
        try:
            render()
        except TrellolensError as exc:
            st.error(plain(redact(str(exc))))  # messages hold no secret; this makes sure of it

    return guarded
