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


def base_url_from_environment() -> str:
    return os.environ.get(BASE_URL_VARIABLE, "").strip() or DEFAULT_BASE_URL


def check_base_url(url: str) -> str:
    """``url`` without a trailing slash; credentials only ever go over https (or to this machine)."""
    parts = urlsplit(url)
    plain_ok = parts.scheme == "http" and is_loopback(parts.hostname)
    if not (parts.scheme == "https" or plain_ok) or not parts.hostname:
        raise ConfigError(
            f"{BASE_URL_VARIABLE} must be an https:// URL such as {DEFAULT_BASE_URL} "
            "(plain http:// only to 127.0.0.1 or localhost, e.g. the Trello emulator)"
        )
    if parts.username or parts.password or parts.query:
        raise ConfigError(f"{BASE_URL_VARIABLE} must not hold a user, password or query")
    return url.rstrip("/")
