"""Trello's three-legged OAuth 1.0a, signed by Authlib: request token, authorize URL, access token.

    pending = start_sign_in(app, callback_url)          # POST /1/OAuthGetRequestToken
    url = authorize_url(app, pending, name="trellolens") # the visitor approves on Trello's page
    token = finish_sign_in(app, pending, verifier)       # POST /1/OAuthGetAccessToken

Authlib's ``ClientAuth`` builds every signature (HMAC-SHA1); this module only moves the bytes with
httpx. Tokens and secrets are ``Secret``s; errors are one line and name no value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

import httpx
from authlib.oauth1 import ClientAuth

from trellolens.credentials import Secret
from trellolens.errors import TrelloError
from trellolens.settings.urls import DEFAULT_BASE_URL, check_base_url

TRELLO_OAUTH_BASE = "https://trello.com/1"
"""Trello serves the OAuth 1.0a endpoints on trello.com, not on the API host."""
SCOPE = "read"
EXPIRATION = "1day"
TIMEOUT = httpx.Timeout(15.0)


def oauth_base_for(api_base_url: str) -> str:
    """Where the OAuth endpoints live: trello.com for Trello's API, else the same base (emulator)."""
    base = check_base_url(api_base_url)
    return TRELLO_OAUTH_BASE if base == DEFAULT_BASE_URL else base


@dataclass(frozen=True)
class OAuthApp:
    """The app's key and OAuth secret, and where Trello's OAuth endpoints are."""

    api_key: Secret
    api_secret: Secret
    base_url: str = TRELLO_OAUTH_BASE
    transport: httpx.BaseTransport | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class PendingSignIn:
    """A request token and its secret: valid for one exchange, within minutes."""

    token: str
    secret: Secret


def _post(app: OAuthApp, path: str, auth: ClientAuth, what: str) -> dict[str, str]:
    url = f"{app.base_url}/{path}"
    uri, headers, body = auth.prepare("POST", url, {}, b"")
    try:
        with httpx.Client(transport=app.transport, timeout=TIMEOUT, trust_env=False) as http:
            response = http.post(uri, headers=headers, content=body)
    except httpx.HTTPError as exc:
        raise TrelloError(
            f"Trello could not be reached for {what} ({type(exc).__name__})"
        ) from None
    if response.status_code != 200:
        raise TrelloError(f"Trello refused {what} (HTTP {response.status_code})")
    return dict(parse_qsl(response.text, keep_blank_values=True))


def start_sign_in(app: OAuthApp, callback_url: str) -> PendingSignIn:
    """Step 1: a request token whose approval Trello will send to ``callback_url``."""
    auth = ClientAuth(app.api_key.reveal(), app.api_secret.reveal(), redirect_uri=callback_url)
    reply = _post(app, "OAuthGetRequestToken", auth, "a sign-in request")
    token, secret = reply.get("oauth_token", ""), reply.get("oauth_token_secret", "")
    if not token or not secret or reply.get("oauth_callback_confirmed") != "true":
        raise TrelloError("Trello's answer to a sign-in request was not a request token")
    return PendingSignIn(token, Secret(secret))


def authorize_url(
    app: OAuthApp,
    pending: PendingSignIn,
    *,
    name: str,
    scope: str = SCOPE,
    expiration: str = EXPIRATION,
) -> str:
    """Step 2: Trello's page where the visitor approves ``name`` reading their boards."""
    query = {"oauth_token": pending.token, "name": name, "scope": scope, "expiration": expiration}
    return f"{app.base_url}/OAuthAuthorizeToken?{urlencode(query)}"


def finish_sign_in(app: OAuthApp, pending: PendingSignIn, verifier: str) -> Secret:
    """Step 3: the visitor's access token, for the request token they approved."""
    auth = ClientAuth(
        app.api_key.reveal(),
        app.api_secret.reveal(),
        token=pending.token,
        token_secret=pending.secret.reveal(),
        verifier=verifier,
    )
    reply = _post(app, "OAuthGetAccessToken", auth, "the sign-in")
    token = reply.get("oauth_token", "")
    if not token:
        raise TrelloError("Trello's answer to the sign-in held no token")
    return Secret(token)
