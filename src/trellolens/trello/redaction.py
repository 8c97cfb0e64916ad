"""Keep the one credentialed path Trello has, ``/1/tokens/{token}``, out of log lines.

httpx logs every request URL at INFO (``HTTP Request: GET https://... "HTTP/1.1 200 OK"``). Our URLs
hold no key or token, except the token endpoint, whose path is the token by Trello's design; this
filter on the ``httpx`` logger rewrites that path segment before any handler sees the record.
"""

from __future__ import annotations

import logging
import re

MASK = "[REDACTED]"
"""What a secret is replaced with, here and in ``trellolens.credentials.redaction``."""
TOKEN_PATH = re.compile(r"(/tokens/)[^/?#\s\"']+")
"""The token endpoint's path segment; the one pattern for it (the log redaction uses it too)."""
TOKEN_PATH_MASKED = rf"\1{MASK}"


def redact_url(text: str) -> str:
    """``.../1/tokens/<token>/...`` -> ``.../1/tokens/[REDACTED]/...``."""
    return TOKEN_PATH.sub(TOKEN_PATH_MASKED, text)


class TokenPathFilter(logging.Filter):
    """Redacts token paths in a record's message and arguments; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and "/tokens/" in record.msg:
            record.msg = redact_url(record.msg)
        if isinstance(record.args, tuple) and any("/tokens/" in str(a) for a in record.args):
            record.args = tuple(
                redact_url(str(arg)) if "/tokens/" in str(arg) else arg for arg in record.args
            )
        return True


def install_log_redaction() -> None:
    """Add the filter to the ``httpx`` logger once per process."""
    logger = logging.getLogger("httpx")
    if not any(isinstance(f, TokenPathFilter) for f in logger.filters):
        logger.addFilter(TokenPathFilter())
