"""Untrusted text inside Streamlit markdown: shown literally, never as markup.

Everything Streamlit renders as markdown (``st.title``, ``st.caption``, ``st.markdown``, alerts,
toasts, widget and metric labels) may hold board, list, label, member and card names from Trello
or an uploaded export, a file name, a ``?workflow=`` value or an error message quoting one of
them. Each such string goes through ``plain`` first: one helper, so no page escapes differently.
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&@])")
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Control characters and bidi marks, overrides and isolates: they could reorder or hide text."""


def plain(text: object) -> str:
    """``text`` shown literally inside Streamlit markdown, on one line.

    Every character markdown gives a meaning gets a backslash (CommonMark's escape), so nothing in
    it becomes a link, an image, an HTML tag or entity, an autolink (``www.``, ``https:``,
    e-mail), a colour directive, an icon, math, code or emphasis; line breaks become spaces, and
    other control characters and bidi controls are dropped (a name cannot reorder the text).
    """
    one_line = _INVISIBLE.sub("", " ".join(str(text).split()))
    return _MARKDOWN_SPECIALS.sub(r"\\\1", one_line)
