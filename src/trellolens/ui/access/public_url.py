"""The app's own address, from configuration only: where Trello sends a visitor back after sign-in.

The callback URL must never come from the browser (``st.context.url`` is what the client reports:
a rewritten one would send a visitor's verifier elsewhere, signed with the app's key). It is
``public_url`` in ``[trellolens]`` of secrets.toml (or ``TRELLOLENS_PUBLIC_URL``), else the
loopback address and port the server listens on; off loopback without ``public_url`` there is
none, and sign-in stays off. Pure functions, no Streamlit.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from trellolens.loopback import is_loopback
from trellolens.ui.access.hosts import normal_host

PUBLIC_URL_VARIABLE = "TRELLOLENS_PUBLIC_URL"
CALLBACK_PATH = "/trellolens/signin/callback"
"""The route (``signin_routes``) Trello sends the approving browser to."""
NO_PUBLIC_URL = (
    'access = "visitor" off loopback needs public_url in [trellolens] of secrets.toml (or '
    "TRELLOLENS_PUBLIC_URL): the address visitors open, e.g. https://dash.example.com"
)


def parse_public_url(value: object, where: str) -> tuple[str | None, str | None]:
    """(the URL without a trailing slash, None) or (None, a one-line problem naming ``where``)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    problem = f"{where} must be the app's address, such as https://dash.example.com"
    if not isinstance(value, str) or not value.isascii():
        return None, problem
    text = value.strip().rstrip("/")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None, problem
    host = normal_host(parts.hostname or "")
    if (
        parts.scheme not in ("http", "https")
        or host is None
        or "@" in parts.netloc
        or parts.query
        or parts.fragment
        or any(char in text for char in " \t\r\n\\")
    ):
        return None, problem
    if parts.scheme == "http" and not is_loopback(host):
        return None, f"{where} must use https (plain http only for localhost)"
    shown = f"[{host}]" if ":" in host else host
    netloc = shown if port is None else f"{shown}:{port}"
    return f"{parts.scheme}://{netloc}{parts.path}", None


def loopback_url(address: str | None, port: int) -> str | None:
    """``http://<loopback address>:<port>`` when the server listens on loopback only, else None."""
    host = normal_host((address or "").strip())
    if host is None or not is_loopback(host):
        return None
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def callback_url(app_url: str) -> str:
    return f"{app_url}{CALLBACK_PATH}"


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL (what Trello's allowed-origins list holds)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
