"""Trello's error answers as typed errors, each saying what to do and holding no credential.

``what`` names the thing asked for ("the list of your boards", "board 5a1b..."), never a URL: the
token endpoint's URL holds the token itself.
"""

from __future__ import annotations

from typing import Literal

import httpx

from trellolens.errors import (
    InvalidKeyError,
    InvalidTokenError,
    NotFoundError,
    PermissionDeniedError,
    TrelloError,
)

RateLimitKind = Literal["key", "token"]

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


def rate_limit_kind(body: bytes) -> RateLimitKind:
    """Which limit a 429 is about: ``API_KEY_LIMIT_EXCEEDED`` or (by default) the token's."""
    return "key" if "api_key_limit" in body_text(body) else "token"


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
