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
from trellolens.settings.hosts import normal_host

CALLBACK_PATH = "/trellolens/signin/callback"
"""The route (``signin_routes``) Trello sends the approving browser to."""
NO_PUBLIC_URL = (
    'access = "visitor" off loopback needs public_url in [trellolens] of secrets.toml (or '
    "TRELLOLENS_PUBLIC_URL): the address visitors open, e.g. https://dash.example.com"
)


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
