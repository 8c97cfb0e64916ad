"""What the dashboard's Sign in with Trello needs from Trello, so ui never builds a client itself.

    base = api_base_url()                                # TRELLO_API_BASE_URL, checked
    app = oauth_app(api_key, api_secret, base)           # where the OAuth 1.0a endpoints live
    pending = start_sign_in(app, callback_url)           # POST /1/OAuthGetRequestToken
    token = finish_sign_in(app, pending, verifier)       # POST /1/OAuthGetAccessToken
    with visitor_client(app.api_key, token, base) as client: ...   # the visitor's own client

A visitor's client is never cached here: the dashboard keeps it in that visitor's session only,
and ``BoardService`` keys whatever it loads with it by the token's fingerprint (``who``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trellolens.settings import Settings
from trellolens.trello.oauth1 import (
    OAuthApp,
    PendingSignIn,
    authorize_url,
    finish_sign_in,
    oauth_base_for,
    start_sign_in,
)

if TYPE_CHECKING:
    from trellolens.credentials import Secret
    from trellolens.trello import TrelloClient

__all__ = [
    "OAuthApp",
    "PendingSignIn",
    "api_base_url",
    "authorize_url",
    "finish_sign_in",
    "oauth_app",
    "start_sign_in",
    "visitor_client",
]


def api_base_url(settings: Settings | None = None) -> str:
    """Trello's API base URL as the app's own client uses it (``settings``: the dashboard's
    ``[trellolens] api_base_url``, else ``TRELLO_API_BASE_URL``, else Trello's), checked;
    ``ConfigError`` names the setting when it is not usable."""
    return (Settings() if settings is None else settings).api_base_url


def oauth_app(api_key: Secret, api_secret: Secret, base_url: str) -> OAuthApp:
    """The app's key and OAuth secret, and the OAuth endpoints that go with ``base_url``."""
    return OAuthApp(api_key, api_secret, oauth_base_for(base_url))


def visitor_client(
    api_key: Secret, token: Secret, base_url: str, settings: Settings | None = None
) -> TrelloClient:
    """A client of a visitor's own token (the caller closes it, or keeps it in their session);
    ``settings`` name the Redis its rate limits are shared through (default: the environment's)."""
    from trellolens.trello.client import TrelloClient

    return TrelloClient(api_key, token, base_url=base_url, settings=settings)
