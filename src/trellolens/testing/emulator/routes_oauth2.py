"""Atlassian's OAuth 2.0 endpoints for Trello, on the emulator's auth base URL.

    GET  {prefix}/authorize          response_type=code, client_id, redirect_uri, scope (spaces),
                                     state, code_challenge, code_challenge_method=S256: a consent
                                     page with one "Allow as <member>" button per member, "Deny"
    GET  {prefix}/authorize/decide   what those buttons submit: redirects to redirect_uri with
                                     code and state, or error=access_denied and state
    POST {prefix}/oauth/token        form or JSON body: grant_type=authorization_code (code,
                                     redirect_uri, code_verifier) or refresh_token; client_id and
                                     client_secret in the body or HTTP Basic
    POST {prefix}/oauth/revoke       token=...: revokes that token's whole chain (RFC 7009 style)

Errors from the token endpoint are RFC 6749 JSON (``invalid_grant``, ``invalid_client``...);
a bad ``redirect_uri`` or ``client_id`` is a 400 page, never a redirect.
"""

from __future__ import annotations

import base64
import html
import json
from urllib.parse import parse_qsl, urlencode, urlsplit

from trellolens.testing.emulator.messages import ApiError, ApiReply, ApiRequest, json_reply
from trellolens.testing.emulator.oauth2 import (
    SCOPES,
    AuthorizationRequest,
    OAuth2Error,
    OAuth2State,
)
from trellolens.testing.emulator.state import EmulatorState

HTML_TYPE = "text/html; charset=utf-8"
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def is_oauth2_path(oauth2: OAuth2State, path: str) -> bool:
    return _local(oauth2, path) is not None


def _local(oauth2: OAuth2State, path: str) -> str | None:
    prefix = oauth2.prefix.rstrip("/")
    if prefix and not path.startswith(prefix + "/"):
        return None
    rest = path[len(prefix) :].rstrip("/")
    return (
        rest
        if rest in ("/authorize", "/authorize/decide", "/oauth/token", "/oauth/revoke")
        else None
    )


def respond(state: EmulatorState, request: ApiRequest) -> ApiReply:
    oauth2 = state.oauth2
    path, method = _local(oauth2, request.path), request.method.upper()
    try:
        if path == "/authorize" and method in ("GET", "HEAD"):
            return _authorize(state, request)
        if path == "/authorize/decide" and method in ("GET", "HEAD"):
            return _decide(state, request)
        if path == "/oauth/token" and method == "POST":
            return _token(oauth2, request)
        if path == "/oauth/revoke" and method == "POST":
            return _revoke(oauth2, request)
        raise ApiError(405, "method not allowed")
    except OAuth2Error as error:
        reply = json_reply(
            {"error": error.code, "error_description": error.description}, error.status
        )
        reply.headers.update(_NO_STORE)
        return reply
    except ApiError as error:
        return _page(error.status, "Authorization failed", error.text)


def _page(status: int, title: str, text: str) -> ApiReply:
    body = (
        f"<!doctype html><html><head><title>{html.escape(title)}</title></head>"
        f"<body><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>"
    )
    return ApiReply(status, body.encode(), HTML_TYPE, dict(_NO_STORE))


def _check_redirect_uri(uri: str) -> str:
    parts = urlsplit(uri)
    loopback = parts.scheme == "http" and parts.hostname in _LOOPBACK
    if not (loopback or parts.scheme == "https") or not parts.hostname or parts.fragment:
        raise ApiError(400, "redirect_uri must be https, or http on a loopback address")
    return uri


def _asked(oauth2: OAuth2State, query: dict[str, str]) -> AuthorizationRequest:
    """The checked request; problems the client must fix are 400 pages (no redirect yet)."""
    if not oauth2.knows_client(query.get("client_id", "")):
        raise ApiError(400, "unknown client_id")
    redirect_uri = _check_redirect_uri(query.get("redirect_uri", ""))
    return AuthorizationRequest(
        query["client_id"],
        redirect_uri,
        tuple(query.get("scope", "").split()),
        query.get("state", ""),
        query.get("code_challenge", ""),
    )


def _redirect(uri: str, params: dict[str, str]) -> ApiReply:
    joiner = "&" if urlsplit(uri).query else "?"
    headers = {"Location": f"{uri}{joiner}{urlencode(params)}", **_NO_STORE}
    return ApiReply(302, b"", HTML_TYPE, headers)


def _refusal(query: dict[str, str], asked: AuthorizationRequest) -> str | None:
    if query.get("response_type") != "code":
        return "unsupported_response_type"
    if not asked.scopes or set(asked.scopes) - SCOPES:
        return "invalid_scope"
    if query.get("code_challenge_method") != "S256" or len(asked.challenge) < 43:
        return "invalid_request"  # PKCE S256 is required
    return None


def _authorize(state: EmulatorState, request: ApiRequest) -> ApiReply:
    oauth2 = state.oauth2
    asked = _asked(oauth2, request.query)
    problem = _refusal(request.query, asked)
    if problem is not None:
        return _redirect(asked.redirect_uri, {"error": problem, "state": asked.state})
    if oauth2.auto_approve_member is not None:
        code = oauth2.new_code(asked, oauth2.auto_approve_member)
        return _redirect(asked.redirect_uri, {"code": code, "state": asked.state})
    request_id = html.escape(oauth2.hold(asked))
    with state.lock:
        members = sorted(state.members.values(), key=lambda m: m.username)
    buttons = "".join(
        f'<button name="member" value="{html.escape(m.id)}">'
        f"Allow as {html.escape(m.full_name)} (@{html.escape(m.username)})</button>"
        for m in members
    )
    decide = html.escape(oauth2.prefix.rstrip("/") + "/authorize/decide")
    body = f"""<!doctype html><html><head><title>Allow access to Trello?</title></head><body>
<h1>Allow access to Trello?</h1><p>The app asks for: <b>{html.escape(" ".join(asked.scopes))}</b></p>
<form method="get" action="{decide}"><input type="hidden" name="request" value="{request_id}">
<input type="hidden" name="decision" value="allow">{buttons}</form>
<form method="get" action="{decide}"><input type="hidden" name="request" value="{request_id}">
<button name="decision" value="deny">Deny</button></form></body></html>"""
    return ApiReply(200, body.encode(), HTML_TYPE, dict(_NO_STORE))


def _decide(state: EmulatorState, request: ApiRequest) -> ApiReply:
    asked = state.oauth2.take_pending(request.query.get("request", ""))
    if request.query.get("decision") != "allow":
        return _redirect(asked.redirect_uri, {"error": "access_denied", "state": asked.state})
    member_id = request.query.get("member", "")
    with state.lock:
        known = member_id in state.members
    if not known:
        raise ApiError(400, "unknown member")
    code = state.oauth2.new_code(asked, member_id)
    return _redirect(asked.redirect_uri, {"code": code, "state": asked.state})


def body_params(request: ApiRequest) -> dict[str, str]:
    """A form or JSON body as strings; anything else is ``invalid_request``."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise OAuth2Error("invalid_request", "The JSON body must be an object.")
        return {str(k): v for k, v in data.items() if isinstance(v, str)}
    if kind in ("application/x-www-form-urlencoded", ""):
        text = request.body.decode("utf-8", "replace")
        return dict(parse_qsl(text, keep_blank_values=True))
    raise OAuth2Error("invalid_request", "Send a form or JSON body.")


def _client(oauth2: OAuth2State, request: ApiRequest, params: dict[str, str]) -> str:
    header = request.headers.get("authorization", "")
    client_id, secret = params.get("client_id", ""), params.get("client_secret", "")
    if header[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(header[6:].strip()).decode()
        except ValueError:
            decoded = ""
        client_id, _, secret = decoded.partition(":")
    oauth2.check_client(client_id, secret)
    return client_id


def _token(oauth2: OAuth2State, request: ApiRequest) -> ApiReply:
    params = body_params(request)
    client_id = _client(oauth2, request, params)
    grant_type = params.get("grant_type", "")
    if grant_type == "authorization_code":
        payload = oauth2.exchange_code(
            client_id,
            params.get("code", ""),
            params.get("redirect_uri", ""),
            params.get("code_verifier", ""),
        )
    elif grant_type == "refresh_token":
        payload = oauth2.use_refresh_token(client_id, params.get("refresh_token", ""))
    else:
        raise OAuth2Error("unsupported_grant_type", "Use authorization_code or refresh_token.")
    reply = json_reply(payload)
    reply.headers.update(_NO_STORE)
    return reply


def _revoke(oauth2: OAuth2State, request: ApiRequest) -> ApiReply:
    params = body_params(request)
    _client(oauth2, request, params)
    oauth2.revoke(params.get("token", ""))
    return json_reply({})
