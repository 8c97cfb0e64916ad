"""OAuth 1.0a as Trello's three-legged flow needs it: request tokens, verifiers, HMAC-SHA1.

The emulator checks signatures with its own code (RFC 5849 section 3.4), independent of the
Authlib signer the app uses, so a wrong client signature fails here as it would at Trello.
Nonces are single-use within the timestamp window; timestamps more than five minutes off fail.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from trellolens.testing.emulator.messages import ApiError, ApiRequest

TIMESTAMP_WINDOW_SECONDS = 300
REQUEST_TOKEN_TTL_SECONDS = 600.0
_PARAM = re.compile(r'([A-Za-z_]+)\s*=\s*"([^"]*)"')
EXPIRATIONS = {"1hour": 3600, "1day": 86400, "30days": 30 * 86400, "never": None}


@dataclass
class PendingAuthorization:
    """A request token between ``OAuthGetRequestToken`` and ``OAuthGetAccessToken``."""

    token: str
    secret: str = field(repr=False)
    callback: str
    created: float
    name: str = ""
    scopes: tuple[str, ...] = ("read",)
    expiration: str = "30days"
    member_id: str | None = None
    verifier: str | None = field(default=None, repr=False)


@dataclass
class OAuthState:
    """The app's consumer secret, request tokens in flight, nonces seen, access-token secrets."""

    api_secret: str = field(repr=False)
    clock: Callable[[], float] = time.time
    request_token_ttl: float = REQUEST_TOKEN_TTL_SECONDS
    pending: dict[str, PendingAuthorization] = field(default_factory=dict)
    token_secrets: dict[str, str] = field(default_factory=dict, repr=False)
    nonces: dict[tuple[str, str, str], float] = field(default_factory=dict)
    issued_secrets: list[str] = field(default_factory=list, repr=False)
    """Every request-token and token secret handed out (for canary checks in tests)."""
    allowed_origins: tuple[str, ...] | None = None
    """The API key's "allowed origins" for callbacks (``scheme://host[:port]``); ``None`` allows
    loopback origins only, as a developer's fresh key in the emulator."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def new_request_token(self, callback: str) -> PendingAuthorization:
        pending = PendingAuthorization(
            secrets.token_hex(16), secrets.token_hex(16), callback, self.clock()
        )
        with self.lock:
            self.pending[pending.token] = pending
            self.issued_secrets.append(pending.secret)
        return pending

    def live_pending(self, token: str) -> PendingAuthorization:
        """The request token, or 401 when unknown, used up or older than the TTL."""
        with self.lock:
            pending = self.pending.get(token)
            if pending is not None and self.clock() - pending.created > self.request_token_ttl:
                del self.pending[token]
                raise ApiError(401, "oauth_token expired")
        if pending is None:
            raise ApiError(401, "invalid oauth_token")
        return pending

    def check_nonce(self, key: str, nonce: str, timestamp: str) -> None:
        now = self.clock()
        try:
            stamp = int(timestamp)
        except ValueError:
            raise ApiError(401, "invalid oauth_timestamp") from None
        if abs(now - stamp) > TIMESTAMP_WINDOW_SECONDS:
            raise ApiError(401, "oauth_timestamp out of range")
        if not nonce:
            raise ApiError(401, "missing oauth_nonce")
        with self.lock:
            for seen, at in list(self.nonces.items()):
                if now - at > 2 * TIMESTAMP_WINDOW_SECONDS:
                    del self.nonces[seen]
            if (key, nonce, timestamp) in self.nonces:
                raise ApiError(401, "oauth_nonce already used")
            self.nonces[(key, nonce, timestamp)] = now


LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})


def callback_origin_allowed(callback: str, allowed: tuple[str, ...] | None) -> bool:
    """Whether Trello would send an approval to ``callback`` for this key (``oob`` always)."""
    if callback == "oob":
        return True
    parts = urlsplit(callback)
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    if allowed is None:
        return parts.scheme == "http" and (parts.hostname or "") in LOOPBACK_HOSTS
    return origin in {entry.rstrip("/").lower() for entry in allowed}


def _encode(text: str) -> str:
    return quote(text, safe="-._~")


def header_params(request: ApiRequest) -> dict[str, str]:
    header = request.headers.get("authorization", "")
    if header[:6].lower() != "oauth ":
        raise ApiError(401, "missing OAuth Authorization header")
    return {name: unquote(value) for name, value in _PARAM.findall(header[6:])}


def signature_base(request: ApiRequest, oauth: dict[str, str]) -> str:
    """RFC 5849 3.4.1: method, base URI (from ``Host``), sorted encoded parameters."""
    host = request.headers.get("host", "").lower()
    path = urlsplit(request.raw_target).path
    uri = f"http://{host}{path}"
    query = parse_qsl(urlsplit(request.raw_target).query, keep_blank_values=True)
    pairs = [(k, v) for k, v in oauth.items() if k not in ("oauth_signature", "realm")]
    encoded = sorted((_encode(k), _encode(v)) for k, v in [*query, *pairs])
    normalized = "&".join(f"{k}={v}" for k, v in encoded)
    return "&".join((request.method.upper(), _encode(uri), _encode(normalized)))


def verify(
    state: OAuthState, request: ApiRequest, key: str, token_secret: str = ""
) -> dict[str, str]:
    """The request's OAuth parameters once key, signature, timestamp and nonce check out."""
    oauth = header_params(request)
    if oauth.get("oauth_consumer_key") != key:
        raise ApiError(401, "invalid key")
    if oauth.get("oauth_signature_method") != "HMAC-SHA1":
        raise ApiError(401, "unsupported oauth_signature_method")
    signing_key = f"{_encode(state.api_secret)}&{_encode(token_secret)}".encode()
    digest = hmac.new(signing_key, signature_base(request, oauth).encode(), hashlib.sha1)
    expected = base64.b64encode(digest.digest()).decode()
    if not hmac.compare_digest(expected, oauth.get("oauth_signature", "")):
        raise ApiError(401, "invalid signature")
    state.check_nonce(key, oauth.get("oauth_nonce", ""), oauth.get("oauth_timestamp", ""))
    return oauth
