"""The page boundary: an unexpected exception becomes a short message with an error id.

The visitor reads "Something went wrong on this page (error id 3f9a2b1c)..." and nothing of the
exception; the server log gets the traceback under the same id, cleaned by
``trellolens.credentials.redaction``. Streamlit's control flow (``st.rerun``, ``st.stop``,
``st.switch_page``) raises ``ScriptControlException``, a ``BaseException``, and passes through.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from trellolens.ui.markdown_text import plain

log = logging.getLogger(__name__)

MESSAGE = (
    "Something went wrong on this page (error id {error_id}). The details are in the server log."
)


def new_error_id() -> str:
    """Eight hex digits: enough to find one line in a server log, nothing to guess from."""
    return secrets.token_hex(4)


@contextmanager
def page_boundary(where: str) -> Iterator[None]:
    """Run the block; an ``Exception`` from it is logged with an id and shown as that id only."""
    try:
        yield
    except Exception:
        error_id = new_error_id()
        log.exception("Uncaught exception in %s (error id %s)", where, error_id)
        st.error(MESSAGE.format(error_id=plain(error_id)), icon=":material/error:")
