"""Trello's authorize URL for a new token: the browser page where a member approves a token.

Trello hands out tokens only through that page, so this is step one of a rotation. The URL needs
the app's API key. The key is Trello's public identifier of the app, yet trellolens treats it as a
secret everywhere else, so it goes into the URL only when asked (``with_key``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from trellolens.credentials import Secret

AUTHORIZE_URL = "https://trello.com/1/authorize"
EXPIRATIONS: tuple[str, ...] = ("1hour", "1day", "30days", "never")
SCOPES: tuple[str, ...] = ("read", "write", "account")
DEFAULT_EXPIRATION = "30days"
DEFAULT_SCOPE = "read"
DEFAULT_NAME = "trellolens"
KEY_PLACEHOLDER = "YOUR_API_KEY"
KEY_HINT = (
    "your API key is on your Trello Power-Up admin page (https://trello.com/power-ups/admin, "
    "pick the app, then API key); `trellolens authorize-url --with-key` fills in the one "
    "trellolens resolves"
)
SCOPE_RISKS = {
    "write": "write lets anyone holding the token change your boards",
    "account": "account lets anyone holding the token read and change your Trello account",
}


@dataclass(frozen=True)
class AuthorizeRequest:
    """What the new token may do, for how long, and the app name Trello shows the member."""

    expiration: str = DEFAULT_EXPIRATION
    scopes: tuple[str, ...] = (DEFAULT_SCOPE,)
    name: str = DEFAULT_NAME

    def warnings(self) -> list[str]:
        """One line per choice broader than the dashboard needs (read, expiring)."""
        lines = [
            f"scope {scope}: {SCOPE_RISKS[scope]}; the dashboard needs read only"
            for scope in self.scopes
            if scope in SCOPE_RISKS
        ]
        if self.expiration == "never":
            lines.append(
                "expiration never: a leaked copy works until someone revokes it; "
                f"prefer {DEFAULT_EXPIRATION} and rotate"
            )
        return lines


def parse_scopes(text: str) -> tuple[str, ...]:
    """``"read,write"`` -> ``("read", "write")``; an unknown scope is a ``ValueError``."""
    scopes = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown or not scopes:
        raise ValueError(
            f"unknown scope {', '.join(unknown) or '(none)'}: use read, write or account, "
            "comma-separated (the dashboard needs read)"
        )
    return scopes


def authorize_url(request: AuthorizeRequest, api_key: Secret | None) -> str:
    """The URL to open; ``api_key`` None puts ``YOUR_API_KEY`` where the key goes."""
    if request.expiration not in EXPIRATIONS:
        raise ValueError(f"expiration must be one of {', '.join(EXPIRATIONS)}")
    name = " ".join(request.name.split())
    if not name or len(name) > 64:
        raise ValueError("name must be 1-64 characters: Trello shows it to the member approving")
    query = urlencode(
        {
            "expiration": request.expiration,
            "name": name,
            "scope": ",".join(request.scopes),
            "response_type": "token",
            "key": KEY_PLACEHOLDER if api_key is None else api_key.reveal(),
        },
        safe=",",
    )
    return f"{AUTHORIZE_URL}?{query}"
