"""Board text inside Streamlit markdown: shown literally, never as markup."""

from __future__ import annotations

import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: str) -> str:
    """Board text (list names) shown literally inside Streamlit markdown, on one line.

    Names come from whoever made the board: escaping keeps them from turning into links,
    images, colours or formulas on the page.
    """
    return _MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(text.split()))
