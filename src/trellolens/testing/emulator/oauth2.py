"""OAuth 2.0 (3LO) as Atlassian runs it for Trello: clients, codes, access and refresh tokens.

Codes are single-use, bound to the client, the redirect URI and a PKCE S256 challenge, and live
``code_ttl`` seconds. Access tokens live ``access_token_ttl`` seconds. Refresh tokens (only with
``offline_access``) rotate: each is single-use, and presenting one twice revokes its whole chain
(every access and refresh token descended from the same authorization, RFC 9700 reuse detection).
Every value issued is random test data, kept in ``issued`` so the request log can redact it.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from trellolens.testing.emulator.messages import ApiError

READ_BOARD = "read:board:trello"
WRITE_BOARD = "write:board:trello"
READ_MEMBER = "read:member:trello"
OFFLINE_ACCESS = "offline_access"
SCOPES = frozenset(
    {READ_BOARD, WRITE_BOARD, READ_MEMBER, "write:member:trello", "read:me", OFFLINE_ACCESS}
)
CODE_TTL_SECONDS = 60.0
ACCESS_TOKEN_TTL_SECONDS = 3600.0
REFRESH_TOKEN_TTL_SECONDS = 90 * 86400.0


class OAuth2Error(Exception):
    """An RFC 6749 error reply: ``{"error": code, "error_description": text}``."""

    def __init__(self, code: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.status = status


@dataclass(frozen=True)
class AuthorizationRequest:
    """What ``/authorize`` was asked, kept server-side until the member decides."""

    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str
    challenge: str = field(repr=False)


@dataclass
class _Code:
    asked: AuthorizationRequest
    member_id: str
    created: float


@dataclass
class Grant:
    """One access or refresh token: whose, which scopes, which chain, until when."""

    client_id: str
    member_id: str
    scopes: tuple[str, ...]
    chain: str
    expires: float
    used: bool = False


def s256(verifier: str) -> str:
    """The PKCE S256 challenge of ``verifier`` (RFC 7636 4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass
class OAuth2State:
    """Registered clients and every code, token and chain; one lock (the server is threaded)."""

    clock: Callable[[], float] = time.time
    access_token_ttl: float = ACCESS_TOKEN_TTL_SECONDS
    refresh_token_ttl: float = REFRESH_TOKEN_TTL_SECONDS
    code_ttl: float = CODE_TTL_SECONDS
    auto_approve_member: str | None = None
    """Test-only: approve every authorization as this member id, with no consent page."""
    prefix: str = ""
    """The auth server's path prefix on the emulator (``""``: ``/authorize`` at the root)."""
    clients: dict[str, str] = field(default_factory=dict, repr=False)
    pending: dict[str, AuthorizationRequest] = field(default_factory=dict, repr=False)
    codes: dict[str, _Code] = field(default_factory=dict, repr=False)
    access: dict[str, Grant] = field(default_factory=dict, repr=False)
    refresh: dict[str, Grant] = field(default_factory=dict, repr=False)
    revoked_chains: dict[str, str] = field(default_factory=dict, repr=False)
    """chain -> why: ``reuse`` (a used refresh token came back) or ``revoked``."""
    reuse_detections: int = 0
    """How many times a used refresh token came back (each revoked its chain)."""
    refreshes: int = 0
    issued: list[str] = field(default_factory=list, repr=False)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def base_url(self, api_base_url: str) -> str:
        """The auth base URL beside an API base URL (``http://127.0.0.1:PORT/1``)."""
        root = api_base_url.rstrip("/").removesuffix("/1")
        return root + self.prefix.rstrip("/")

    def register_client(self, client_id: str, client_secret: str) -> None:
        if not client_id or not client_secret:
            raise ValueError("an OAuth 2.0 client needs an id and a secret")
        with self.lock:
            self.clients[client_id] = client_secret

    def check_client(self, client_id: str, client_secret: str) -> None:
        with self.lock:
            known = self.clients.get(client_id)
        if known is None or not secrets.compare_digest(known.encode(), client_secret.encode()):
            raise OAuth2Error("invalid_client", "Unknown client or wrong client secret.", 401)

    def knows_client(self, client_id: str) -> bool:
        with self.lock:
            return client_id in self.clients

    def hold(self, asked: AuthorizationRequest) -> str:
        """Keep an authorization request until the member decides; returns its id."""
        request_id = secrets.token_urlsafe(16)
        with self.lock:
            self.pending[request_id] = asked
        return request_id

    def take_pending(self, request_id: str) -> AuthorizationRequest:
        with self.lock:
            asked = self.pending.pop(request_id, None)
        if asked is None:
            raise ApiError(400, "unknown or used authorization request")
        return asked

    def new_code(self, asked: AuthorizationRequest, member_id: str) -> str:
        code = secrets.token_urlsafe(32)
        with self.lock:
            self.codes[code] = _Code(asked, member_id, self.clock())
            self.issued.append(code)
        return code

    def exchange_code(
        self, client_id: str, code: str, redirect_uri: str, verifier: str
    ) -> dict[str, object]:
        """The token reply for a code; the code is gone after the first try, right or wrong."""
        with self.lock:
            found = self.codes.pop(code, None)
        if found is None or self.clock() - found.created > self.code_ttl:
            raise OAuth2Error("invalid_grant", "Unknown, used or expired authorization code.")
        if found.asked.client_id != client_id or found.asked.redirect_uri != redirect_uri:
            raise OAuth2Error("invalid_grant", "The code was issued to another client or URI.")
        if not verifier or not secrets.compare_digest(s256(verifier), found.asked.challenge):
            raise OAuth2Error("invalid_grant", "PKCE verification failed.")
        chain = secrets.token_hex(8)
        return self._issue(client_id, found.member_id, found.asked.scopes, chain)

    def use_refresh_token(self, client_id: str, token: str) -> dict[str, object]:
        """Rotate: the token is spent, a new pair is issued; a spent one revokes its chain."""
        now = self.clock()
        with self.lock:
            grant = self.refresh.get(token)
            if grant is None or grant.client_id != client_id:
                raise OAuth2Error("invalid_grant", "Unknown or revoked refresh token.")
            if self.revoked_chains.get(grant.chain) == "reuse":
                raise OAuth2Error(
                    "invalid_grant", "Refresh token chain revoked after reuse was detected."
                )
            if grant.chain in self.revoked_chains:
                raise OAuth2Error("invalid_grant", "Unknown or revoked refresh token.")
            if grant.used:
                self.revoked_chains[grant.chain] = "reuse"
                self.reuse_detections += 1
                raise OAuth2Error(
                    "invalid_grant", "Refresh token reuse detected; the token chain was revoked."
                )
            if grant.expires <= now:
                raise OAuth2Error("invalid_grant", "Expired refresh token.")
            grant.used = True
            self.refreshes += 1
        return self._issue(client_id, grant.member_id, grant.scopes, grant.chain)

    def _issue(
        self, client_id: str, member_id: str, scopes: tuple[str, ...], chain: str
    ) -> dict[str, object]:
        now = self.clock()
        access = secrets.token_urlsafe(48)
        reply: dict[str, object] = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": int(self.access_token_ttl),
            "scope": " ".join(scopes),
        }
        with self.lock:
            self.access[access] = Grant(
                client_id, member_id, scopes, chain, now + self.access_token_ttl
            )
            self.issued.append(access)
            if OFFLINE_ACCESS in scopes:
                refresh = secrets.token_urlsafe(48)
                self.refresh[refresh] = Grant(
                    client_id, member_id, scopes, chain, now + self.refresh_token_ttl
                )
                self.issued.append(refresh)
                reply["refresh_token"] = refresh
        return reply

    def revoke(self, token: str) -> None:
        """Revoke the chain the token (access or refresh) belongs to; unknown tokens are fine."""
        with self.lock:
            grant = self.access.get(token) or self.refresh.get(token)
            if grant is not None:
                self.revoked_chains.setdefault(grant.chain, "revoked")

    def revoke_all(self) -> None:
        """Revoke every chain (what a member does with "revoke access" on the app)."""
        with self.lock:
            for grant in (*self.access.values(), *self.refresh.values()):
                self.revoked_chains.setdefault(grant.chain, "revoked")

    def live_access(self, token: str) -> Grant | str | None:
        """The grant of a live access token, ``None`` if unknown, or why it is not live."""
        with self.lock:
            grant = self.access.get(token)
            if grant is None:
                return None
            if grant.chain in self.revoked_chains:
                return "invalid token"
            if grant.expires <= self.clock():
                return "expired token"
            return grant

    def is_access_token(self, token: str) -> bool:
        with self.lock:
            return token in self.access

    def secrets(self) -> list[str]:
        with self.lock:
            return [*self.issued, *self.clients.values()]
