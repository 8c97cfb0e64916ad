"""``TrelloAuth``: key and token in the ``Authorization`` header, never in a URL.

Trello reads ``Authorization: OAuth oauth_consumer_key="<key>", oauth_token="<token>"`` like the
``key``/``token`` query parameters, which proxies, access logs and exception messages keep.
"""

from __future__ import annotations

import re
from collections.abc import Generator

import httpx

from trellolens.credentials import Secret, TrelloCredentials
from trellolens.errors import CredentialsError

HEADER_SAFE = re.compile(r"[!#-\[\]-~]+")
"""Printable ASCII without space, ``"`` or ``\\``: what can go inside the header's quotes."""


def check_header_safe(name: str, value: Secret) -> None:
    """``CredentialsError`` naming ``name`` (never the value) if ``value`` cannot go in the header."""
    if not HEADER_SAFE.fullmatch(value.reveal()):
        raise CredentialsError(
            f"the Trello {name} is empty or holds a character a credential cannot have (a space, "
            'line break, control character, quote ", backslash or non-ASCII letter); check where '
            f"the {name} is configured (secrets file, environment variable or AWS) and copy it again"
        )


class TrelloAuth(httpx.Auth):
    """An ``httpx.Auth`` for one key and token; the values are revealed only into the header."""

    def __init__(self, api_key: Secret, token: Secret) -> None:
        check_header_safe("api_key", api_key)
        check_header_safe("token", token)
        self._api_key = api_key
        self._token = token

    @classmethod
    def from_credentials(cls, credentials: TrelloCredentials) -> TrelloAuth:
        return cls(credentials.api_key, credentials.token)

    @property
    def key_fingerprint(self) -> str:
        return self._api_key.fingerprint()

    @property
    def token_fingerprint(self) -> str:
        return self._token.fingerprint()

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = (
            f'OAuth oauth_consumer_key="{self._api_key.reveal()}", '
            f'oauth_token="{self._token.reveal()}"'
        )
        yield request

    def __repr__(self) -> str:
        return f"TrelloAuth(key={self._api_key!r}, token={self._token!r})"
