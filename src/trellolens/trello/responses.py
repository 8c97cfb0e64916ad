"""Trello's error answers as typed errors, each saying what to do and holding no credential.

``what`` names the thing asked for ("the list of your boards", "board 5a1b..."), never a URL: the
token endpoint's URL holds the token itself.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Literal

import httpx

from trellolens.errors import (
    InvalidKeyError,
    InvalidTokenError,
    NotFoundError,
    PermissionDeniedError,
    ResponseTooLargeError,
    TrelloError,
)

RateLimitKind = Literal["key", "token", "member"]

TOO_MANY_CARDS = "API_TOO_MANY_CARDS_REQUESTED"
DB_LIMIT = "API_TOKEN_DB_LIMIT_EXCEEDED"
MEMBER_LIMIT_CODES = frozenset({"RATE_LIMIT_EXCEEDED", "MEMBER_LIMIT_EXCEEDED"})
"""What Trello's 429 says for the ``/1/members`` window (observed, and as its forum names it)."""
_ERROR_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,63}")
MAX_RETRY_AFTER = 3600.0
"""The longest ``retry-after`` taken from a header; a larger one is taken as this."""

HOW_TO_RENEW = (
    "create a new token (docs/trello-client.md, 'Getting a token') and replace `token` where your "
    "credentials live; the Connect Trello page shows where that is"
)
NEW_KEY_ADVICE = (
    "copy the API key from your Trello Power-Up admin page and replace `api_key` where your "
    "credentials live; the Connect Trello page shows where that is"
)


def body_text(body: bytes) -> str:
    """The start of a (short, plain-text) error body, lower-cased; never shown to anyone."""
    return body[:200].decode("utf-8", "replace").strip().lower()


def error_code(body: bytes) -> str:
    """The ``error`` of a JSON error body (``API_TOKEN_LIMIT_EXCEEDED``...), else ""."""
    try:
        parsed = json.loads(body[:2000])
    except ValueError:
        return ""
    code = parsed.get("error") if isinstance(parsed, dict) else None
    if not isinstance(code, str) or not _ERROR_CODE.fullmatch(code.strip()):
        return ""  # only Trello-shaped codes: the text may end up in a message
    return code.strip()


def rate_limit_kind(body: bytes) -> RateLimitKind:
    """Which window a 429 is about: the key's, the ``/1/members`` route's, or (by default) the
    token's."""
    text = body_text(body)
    if error_code(body) in MEMBER_LIMIT_CODES or "/1/member" in text:
        return "member"
    return "key" if "api_key_limit" in text else "token"


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from a ``retry-after`` header (a number of seconds), capped; None if absent."""
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER) if math.isfinite(seconds) else None


def too_large(body: bytes, what: str, wait: float | None) -> ResponseTooLargeError | None:
    """The refusal of a too large or too costly request, whatever its status; else None."""
    code = error_code(body)
    if code == DB_LIMIT:
        return ResponseTooLargeError(
            f"Trello refused {what}: the token used up its database time "
            "(API_TOKEN_DB_LIMIT_EXCEEDED); wait a minute and try again",
            "database",
            wait or 0.0,
        )
    if code == TOO_MANY_CARDS or code.startswith("API_TOO_MANY_"):
        return ResponseTooLargeError(
            f"Trello refused {what} as too large ({code}); ask for less at a time",
            "size",
            wait or 0.0,
        )
    return None


def unauthorized(body: bytes, what: str) -> TrelloError:
    """A 401: Trello's body says which credential (or permission) it refused."""
    text = body_text(body)
    if "permission" in text:
        return permission_denied(what)
    if "key" in text and "token" not in text:
        return InvalidKeyError(
            f"Trello does not accept the API key (asking for {what}): {NEW_KEY_ADVICE}"
        )
    reason = "expired" if "expired" in text else "revoked" if "revoked" in text else "invalid"
    explain = {
        "expired": "has expired",
        "revoked": "was revoked",
        "invalid": "is not valid (wrong, revoked, or made for another API key)",
    }[reason]
    return InvalidTokenError(
        f"Trello refused the token: it {explain} (asking for {what}); {HOW_TO_RENEW}", reason
    )


def permission_denied(what: str) -> PermissionDeniedError:
    return PermissionDeniedError(
        f"the token may not read {what}: make sure the token's member can see it, or create a "
        f"token with read access to it; {HOW_TO_RENEW}"
    )


def error_for(status: int, body: bytes, what: str) -> TrelloError:
    """The typed error for a non-retryable answer (any 4xx but 429, or an unexpected status)."""
    if status == httpx.codes.UNAUTHORIZED:
        return unauthorized(body, what)
    if status == httpx.codes.FORBIDDEN:
        return permission_denied(what)
    if status == httpx.codes.NOT_FOUND or (
        status == httpx.codes.BAD_REQUEST and "invalid id" in body_text(body)
    ):
        return NotFoundError(
            f"Trello could not find {what}, or the token's member cannot see it: check the id "
            "(the Connect Trello page and `trellolens fetch --list` show the boards you can open)"
        )
    return TrelloError(
        f"Trello answered {what} with HTTP {status}, which trellolens does not expect; "
        "if this persists, please report it"
    )
