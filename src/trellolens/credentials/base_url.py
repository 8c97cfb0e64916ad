"""Where the client sends requests: Trello's API, or (for tests) an emulator on this machine.

Light on purpose (no httpx), and in ``credentials`` because it decides where credentials may go:
``trello``'s client, py-trello's session (``py_trello.py``) and the doctor all check the URL here.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from trellolens.errors import ConfigError
from trellolens.loopback import is_loopback

DEFAULT_BASE_URL = "https://api.trello.com/1"
BASE_URL_VARIABLE = "TRELLO_API_BASE_URL"
DEFAULT_AUTH_BASE_URL = "https://auth.atlassian.com"
AUTH_BASE_URL_VARIABLE = "TRELLO_AUTH_BASE_URL"
"""Where OAuth 2.0's ``/authorize`` and ``/oauth/token`` live (Atlassian's, or the emulator)."""


def base_url_from_environment() -> str:
    return os.environ.get(BASE_URL_VARIABLE, "").strip() or DEFAULT_BASE_URL


def auth_base_url_from_environment() -> str:
    url = os.environ.get(AUTH_BASE_URL_VARIABLE, "").strip() or DEFAULT_AUTH_BASE_URL
    return check_base_url(url, AUTH_BASE_URL_VARIABLE, DEFAULT_AUTH_BASE_URL)


def check_base_url(
    url: str, variable: str = BASE_URL_VARIABLE, default: str = DEFAULT_BASE_URL
) -> str:
    """``url`` without a trailing slash; credentials only ever go over https (or to this machine).

    ``variable`` and ``default`` name the setting in the message (the API's or the auth server's).
    """
    parts = urlsplit(url)
    plain_ok = parts.scheme == "http" and is_loopback(parts.hostname)
    if not (parts.scheme == "https" or plain_ok) or not parts.hostname:
        raise ConfigError(
            f"{variable} must be an https:// URL such as {default} "
            "(plain http:// only to 127.0.0.1 or localhost, e.g. the Trello emulator)"
        )
    if parts.username or parts.password or parts.query:
        raise ConfigError(f"{variable} must not hold a user, password or query")
    return url.rstrip("/")
