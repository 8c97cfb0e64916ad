"""Untrusted text inside Streamlit markdown: shown literally, never as markup.

Everything Streamlit renders as markdown (``st.title``, ``st.caption``, ``st.markdown``, alerts,
toasts, widget and metric labels) may hold board, list, label, member and card names from Trello
or an uploaded export, a file name, a ``?workflow=`` value or an error message quoting one of
them. Each such string goes through ``plain`` first: one helper, so no page escapes differently.
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&@])")


def plain(text: object) -> str:
    """``text`` shown literally inside Streamlit markdown, on one line.

    Every character markdown gives a meaning gets a backslash (CommonMark's escape), so nothing in
    it becomes a link, an image, an HTML tag or entity, an autolink (``www.``, ``https:``,
    e-mail), a colour directive, an icon, math, code or emphasis; line breaks become spaces.
    """
    return _MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))
