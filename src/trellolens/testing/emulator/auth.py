"""Who is asking: key and token from the Authorization header or the query, checked like Trello.

OAuth 2.0 access tokens come as ``Authorization: Bearer`` only (one in the query is refused)
and each route needs its scope (``required_scope``). OAuth 1.0 signed headers (as py-trello sends through requests_oauthlib) are read for their
``oauth_consumer_key`` and ``oauth_token``; signatures are NOT verified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote

from trellolens.testing.emulator.messages import UNAUTHORIZED, ApiError, ApiRequest
from trellolens.testing.emulator.oauth2 import READ_BOARD, READ_MEMBER, WRITE_BOARD
from trellolens.testing.emulator.state import EmulatorState, TokenSpec, TokenState

_PARAM = re.compile(r'([A-Za-z_]+)\s*=\s*"([^"]*)"')
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BEARER_ONLY = "OAuth 2.0 access tokens are accepted only in the Authorization: Bearer header"


@dataclass(frozen=True)
class Credentials:
    key: str
    token: str


@dataclass(frozen=True)
class Caller:
    key: str
    token: str
    member_id: str
    token_state: TokenState


def credentials(request: ApiRequest) -> Credentials:
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return Credentials("", header[7:].strip())
    if header[:6].lower() == "oauth ":
        params = {name: unquote(value) for name, value in _PARAM.findall(header[6:])}
        key = params.get("oauth_consumer_key", "")
        token = params.get("oauth_token", "")
        if key or token:
            return Credentials(key, token)
    return Credentials(request.query.get("key", ""), request.query.get("token", ""))


def redact_authorization(header: str) -> str:
    """The header with every quoted value replaced, so the log can show its shape."""
    return _PARAM.sub(lambda m: f'{m.group(1)}="<redacted>"', header)


def authenticate(state: EmulatorState, request: ApiRequest, now: datetime | None = None) -> Caller:
    """The caller, or ApiError(401) with Trello's body: invalid key/token, expired token..."""
    if request.headers.get("authorization", "")[:7].lower() == "bearer ":
        return _bearer_caller(state, request)
    found = credentials(request)
    if state.oauth2.is_access_token(found.token) or state.oauth2.is_access_token(
        request.query.get("access_token", "")
    ):
        raise ApiError(401, BEARER_ONLY)
    if not found.key and not found.token:
        raise ApiError(401, UNAUTHORIZED)
    if found.key != state.key:
        raise ApiError(401, "invalid key")
    if not found.token:
        raise ApiError(401, UNAUTHORIZED)
    with state.lock:
        token = state.tokens.get(found.token)
    if token is None or token.revoked:
        raise ApiError(401, "invalid token")
    if token.expired(now or datetime.now(UTC)):
        raise ApiError(401, "expired token")
    caller = Caller(found.key, found.token, token.member_id, token)
    if request.method.upper() not in READ_METHODS and not _may_write(caller, request):
        raise ApiError(401, UNAUTHORIZED)
    return caller


def _bearer_caller(state: EmulatorState, request: ApiRequest) -> Caller:
    """An OAuth 2.0 caller: a live access token with the scope this route needs."""
    token = credentials(request).token
    grant = state.oauth2.live_access(token)
    if grant is None:
        raise ApiError(401, UNAUTHORIZED)  # as before OAuth 2.0: no credentials it knows
    if isinstance(grant, str):
        raise ApiError(401, grant)
    if required_scope(request.method, request.path) not in grant.scopes:
        raise ApiError(401, UNAUTHORIZED)
    legacy = ("read", "write") if WRITE_BOARD in grant.scopes else ("read",)
    spec = TokenSpec(token, scopes=legacy, member_id=grant.member_id, identifier=grant.client_id)
    return Caller("", token, grant.member_id, TokenState(spec, grant.member_id, datetime.now(UTC)))


def required_scope(method: str, path: str) -> str:
    """The OAuth 2.0 scope a route needs: writes need write:board:trello; reading a member
    (``/1/members/{id}`` itself) read:member:trello; every other read read:board:trello."""
    if method.upper() not in READ_METHODS:
        return WRITE_BOARD
    parts = [part for part in path.split("/") if part]
    return READ_MEMBER if len(parts) == 3 and parts[1] == "members" else READ_BOARD


def _may_write(caller: Caller, request: ApiRequest) -> bool:
    if "write" in caller.token_state.spec.scopes:
        return True
    path = request.path.rstrip("/")
    if path == "/1/webhooks" or path.startswith("/1/webhooks/"):
        return True  # webhooks need read access to their model only
    # Any token may revoke itself (DELETE /1/tokens/{its own value}).
    return request.method.upper() == "DELETE" and request.path.rstrip("/") == (
        f"/1/tokens/{caller.token}"
    )
