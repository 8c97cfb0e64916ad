"""Trello's OAuth 1.0a endpoints: request token, the approve page, access token.

    POST /1/OAuthGetRequestToken   signed with the app's key and secret; needs oauth_callback
    GET  /1/OAuthAuthorizeToken    ?oauth_token=&name=&scope=&expiration=: an HTML page naming
                                   the app, with one "Allow as <member>" button per member, "Deny"
    GET  /1/OAuthAuthorizeToken/decide   what those buttons submit: redirects to the callback
                                   with oauth_verifier, or with oauth_problem=user_refused
    POST /1/OAuthGetAccessToken    signed with the request token's secret, with oauth_verifier:
                                   a token for the approving member, with the scope and expiry asked

The approve page and its buttons refuse (400) a request token whose callback's origin is not
one of the key's "allowed origins" (``TrelloEmulator(allowed_origins=...)``; loopback by default),
as Trello does for a ``return_url`` the key does not allow. A request token is used once and lives ``request_token_ttl`` seconds (default 10 minutes). The
approve page is a plain form (GET), so a browser test clicks it like Trello's own page.
"""

from __future__ import annotations

import html
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urlsplit

from trellolens.testing.emulator.messages import ApiError, ApiReply, ApiRequest, text_reply
from trellolens.testing.emulator.oauth import (
    EXPIRATIONS,
    OAuthState,
    PendingAuthorization,
    callback_origin_allowed,
    header_params,
    verify,
)
from trellolens.testing.emulator.state import SCOPES, EmulatorState, TokenSpec, made_up_token

REQUEST_TOKEN = "/1/OAuthGetRequestToken"
AUTHORIZE = "/1/OAuthAuthorizeToken"
DECIDE = "/1/OAuthAuthorizeToken/decide"
ACCESS_TOKEN = "/1/OAuthGetAccessToken"
PATHS = frozenset({REQUEST_TOKEN, AUTHORIZE, DECIDE, ACCESS_TOKEN})
FORM_TYPE = "application/x-www-form-urlencoded"
HTML_TYPE = "text/html; charset=utf-8"


def is_oauth_path(path: str) -> bool:
    return path.rstrip("/") in PATHS


def respond(state: EmulatorState, request: ApiRequest) -> ApiReply:
    """The reply to one OAuth request; errors are Trello-style text replies."""
    path, method = request.path.rstrip("/"), request.method.upper()
    try:
        if path == REQUEST_TOKEN and method == "POST":
            return _request_token(state, request)
        if path == AUTHORIZE and method in ("GET", "HEAD"):
            return _approve_page(state, request)
        if path == DECIDE and method in ("GET", "HEAD"):
            return _decide(state, request)
        if path == ACCESS_TOKEN and method == "POST":
            return _access_token(state, request)
        raise ApiError(405, "method not allowed")
    except ApiError as error:
        return text_reply(error.status, error.text)


def _form(payload: dict[str, str]) -> ApiReply:
    return ApiReply(200, urlencode(payload).encode(), FORM_TYPE)


def _request_token(state: EmulatorState, request: ApiRequest) -> ApiReply:
    oauth = verify(state.oauth, request, state.key)
    callback = oauth.get("oauth_callback", "")
    if callback != "oob" and urlsplit(callback).scheme not in ("http", "https"):
        raise ApiError(400, "oauth_callback must be an http(s) URL or oob")
    pending = state.oauth.new_request_token(callback)
    return _form(
        {
            "oauth_token": pending.token,
            "oauth_token_secret": pending.secret,
            "oauth_callback_confirmed": "true",
        }
    )


def _asked(request: ApiRequest) -> tuple[str, tuple[str, ...], str]:
    query = request.query
    name = query.get("name", "") or "An unnamed app"
    scopes = tuple(part for part in query.get("scope", "read").split(",") if part)
    expiration = query.get("expiration", "30days")
    if not scopes or set(scopes) - SCOPES:
        raise ApiError(400, "invalid scope")
    if expiration not in EXPIRATIONS:
        raise ApiError(400, "invalid expiration")
    return name[:100], scopes, expiration


def _allowed_pending(state: EmulatorState, request: ApiRequest) -> PendingAuthorization:
    """The request token, when its callback's origin is one the key allows (else 400)."""
    pending = state.oauth.live_pending(request.query.get("oauth_token", ""))
    if not callback_origin_allowed(pending.callback, state.oauth.allowed_origins):
        raise ApiError(400, "return_url origin is not allowed for this API key")
    return pending


def _approve_page(state: EmulatorState, request: ApiRequest) -> ApiReply:
    pending = _allowed_pending(state, request)
    pending.name, pending.scopes, pending.expiration = _asked(request)
    with state.lock:
        members = sorted(state.members.values(), key=lambda m: m.username)
    token = html.escape(pending.token)
    buttons = "".join(
        f'<button name="member" value="{html.escape(m.id)}">'
        f"Allow as {html.escape(m.full_name)} (@{html.escape(m.username)})</button>"
        for m in members
    )
    body = f"""<!doctype html><html><head><title>Let {html.escape(pending.name)} use your
account?</title></head><body><h1>Let {html.escape(pending.name)} use your account?</h1>
<p>It asks to <b>{html.escape(", ".join(pending.scopes))}</b> for
<b>{html.escape(pending.expiration)}</b>.</p>
<form method="get" action="{DECIDE}"><input type="hidden" name="oauth_token" value="{token}">
<input type="hidden" name="decision" value="allow">{buttons}</form>
<form method="get" action="{DECIDE}"><input type="hidden" name="oauth_token" value="{token}">
<button name="decision" value="deny">Deny</button></form></body></html>"""
    return ApiReply(200, body.encode(), HTML_TYPE, {"Cache-Control": "no-store"})


def _redirect(callback: str, params: dict[str, str]) -> ApiReply:
    if callback == "oob":
        shown = html.escape(params.get("oauth_verifier", "denied"))
        return ApiReply(200, f"<p>Your verification code: {shown}</p>".encode(), HTML_TYPE)
    joiner = "&" if urlsplit(callback).query else "?"
    return ApiReply(302, b"", HTML_TYPE, {"Location": f"{callback}{joiner}{urlencode(params)}"})


def _decide(state: EmulatorState, request: ApiRequest) -> ApiReply:
    oauth: OAuthState = state.oauth
    pending = _allowed_pending(state, request)
    if request.query.get("decision") != "allow":
        with oauth.lock:
            oauth.pending.pop(pending.token, None)
        return _redirect(
            pending.callback, {"oauth_token": pending.token, "oauth_problem": "user_refused"}
        )
    member_id = request.query.get("member", "")
    with state.lock:
        known = member_id in state.members
    if not known:
        raise ApiError(400, "unknown member")
    pending.member_id, pending.verifier = member_id, secrets.token_hex(16)
    return _redirect(
        pending.callback, {"oauth_token": pending.token, "oauth_verifier": pending.verifier}
    )


def _access_token(state: EmulatorState, request: ApiRequest) -> ApiReply:
    oauth: OAuthState = state.oauth
    pending = oauth.live_pending(header_params(request).get("oauth_token", ""))
    params = verify(oauth, request, state.key, pending.secret)
    with oauth.lock:
        if oauth.pending.pop(pending.token, None) is None:
            raise ApiError(401, "invalid oauth_token")  # used by a concurrent exchange
    if pending.verifier is None or pending.member_id is None:
        raise ApiError(401, "oauth_token not authorized")
    if not secrets.compare_digest(params.get("oauth_verifier", ""), pending.verifier):
        raise ApiError(401, "invalid oauth_verifier")
    seconds = EXPIRATIONS[pending.expiration]
    now = datetime.now(UTC)
    token = made_up_token()
    state.add_token(
        TokenSpec(
            token,
            scopes=pending.scopes,
            expires=None if seconds is None else now + timedelta(seconds=seconds),
            created=now,
            member_id=pending.member_id,
            identifier=pending.name,
        )
    )
    token_secret = secrets.token_hex(32)
    with oauth.lock:
        oauth.token_secrets[token] = token_secret
        oauth.issued_secrets.append(token_secret)
    return _form({"oauth_token": token, "oauth_token_secret": token_secret})
