"""The visitor sign-in's OAuth 2.0 client, from configuration only (script runs and routes alike).

``visitor_oauth2()`` is None when no OAuth 2.0 client (``client_id`` and ``client_secret``) is
configured: Sign in with Trello then uses OAuth 1.0a with the app's legacy key (``signin.py``).
One ``VisitorOAuth2`` per distinct configuration in this process, so its sessions' clients (and
their access tokens) are shared by every browser session of one visitor.
"""

from __future__ import annotations

import threading

from trellolens.connection import app_settings
from trellolens.credentials import default_resolver
from trellolens.credentials.model import CLIENT_ID, CLIENT_SECRET
from trellolens.service.visitor_oauth2 import VisitorOAuth2
from trellolens.settings import Settings
from trellolens.ui.access.signin_start import app_address as app_address

OAUTH2_CALLBACK_PATH = "/trellolens/oauth2/callback"
"""Where Trello sends a visitor back after the consent page (``oauth2_routes``)."""
SESSION_COOKIE = "trellolens_session"
_built: dict[tuple[str, ...], VisitorOAuth2] = {}
_lock = threading.Lock()


def visitor_oauth2(settings: Settings | None = None) -> VisitorOAuth2 | None:
    """The configured OAuth 2.0 client for visitors, or None (legacy OAuth 1.0a then).

    ``ConfigError`` or ``CredentialsError`` (one line) when a setting it needs is bad.
    """
    values = default_resolver().check().values
    client_id, client_secret = values.get(CLIENT_ID), values.get(CLIENT_SECRET)
    if client_id is None or client_secret is None:
        return None
    settings = settings or app_settings()
    api_base, redis_url, days = settings.api_base_url, settings.redis_url, settings.session_days
    auth_base = settings.auth_base_url
    signature = (
        client_id.fingerprint(),
        client_secret.fingerprint(),
        auth_base,
        api_base,
        redis_url or "",
        repr(days),
    )
    with _lock:
        built = _built.get(signature)
        if built is None:
            from trellolens.shared.connection import redis_client

            built = _built[signature] = VisitorOAuth2(
                client_id,
                client_secret,
                auth_base,
                api_base,
                redis=redis_client(redis_url) if redis_url else None,
                session_days=days,
            )
        return built


def session_cookie(value: str, max_age: int, *, secure: bool) -> str:
    """The ``Set-Cookie`` value: HttpOnly, SameSite=Lax, Secure off loopback; ``max_age`` 0
    deletes it."""
    attributes = f"; Max-Age={max_age}; Path=/; HttpOnly; SameSite=Lax"
    return f"{SESSION_COOKIE}={value}{attributes}{'; Secure' if secure else ''}"
