"""Where a visitor's OAuth 2.0 sign-in lives: server-side, sealed, in memory or in Redis.

    keys = SessionKeys.from_secret(client_secret)     # both keys derived with HKDF
    store = session_store(keys, redis)                # Redis when TRELLOLENS_REDIS_URL is set
    cookie = keys.sign(session_id)                    # what the browser keeps: id.signature
    session_id = keys.verify(cookie)                  # None for a forged or foreign cookie

The browser holds only an opaque, signed session id; the refresh token stays here. Every value
is sealed with AES-GCM under a key derived from the app's OAuth 2.0 client secret, with the
record's own key name as associated data, so a Redis value holds only ciphertext, and a party
that can write Redis but cannot read the app's secrets can neither read a token nor forge,
move or swap a record. Key names carry a hash of the session id or ``state``, never the value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from trellolens.credentials import Secret
from trellolens.errors import TrelloUnavailableError

if TYPE_CHECKING:
    from redis import Redis

PREFIX = "trellolens:visitor:"
COOKIE_VALUE = re.compile(r"([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})")
PENDING_SECONDS = 600.0
"""A sign-in not finished within 10 minutes is gone."""
FINISHED_SECONDS = 120.0
"""How long the starting tab has to pick up a finished sign-in."""
NONCE_BYTES = 12


def _hkdf(secret: Secret, purpose: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    kdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"trellolens-visitor", info=purpose)
    return kdf.derive(secret.reveal().encode())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class SessionKeys:
    """The cookie-signing key and the sealing key; derived, never stored or sent anywhere."""

    signing: bytes = field(repr=False)
    sealing: bytes = field(repr=False)

    @classmethod
    def from_secret(cls, secret: Secret) -> SessionKeys:
        return cls(_hkdf(secret, b"session-cookie v1"), _hkdf(secret, b"session-seal v1"))

    def __repr__(self) -> str:
        return "SessionKeys(<derived>)"

    def sign(self, session_id: str) -> str:
        mac = hmac.new(self.signing, session_id.encode("ascii"), hashlib.sha256).digest()
        return f"{session_id}.{_b64(mac)}"

    def verify(self, cookie: str | None) -> str | None:
        """The session id of a cookie this app signed; None for anything else."""
        match = COOKIE_VALUE.fullmatch(cookie or "")
        if match is None:
            return None
        expected = self.sign(match.group(1))
        return match.group(1) if hmac.compare_digest(expected, match.group(0)) else None

    def seal(self, name: str, payload: dict[str, Any]) -> bytes:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = secrets.token_bytes(NONCE_BYTES)
        data = json.dumps(payload, separators=(",", ":")).encode()
        return nonce + AESGCM(self.sealing).encrypt(nonce, data, name.encode())

    def open(self, name: str, blob: bytes) -> dict[str, Any] | None:
        """The payload sealed under ``name``; None when it was not (forged, moved, other key)."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if len(blob) <= NONCE_BYTES:
            return None
        try:
            data = AESGCM(self.sealing).decrypt(
                blob[:NONCE_BYTES], blob[NONCE_BYTES:], name.encode()
            )
            payload = json.loads(data)
        except (InvalidTag, ValueError):
            return None
        return payload if isinstance(payload, dict) else None


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def digest(value: str) -> str:
    """What names a session or a sign-in in a key, a lock or a log: never the value itself."""
    return hashlib.sha256(b"trellolens-visitor:" + value.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class VisitorSession:
    """A signed-in visitor: who, what was granted, the refresh token, and until when."""

    member_id: str
    username: str
    scopes: tuple[str, ...]
    refresh_token: Secret = field(repr=False)
    expires_at: float

    def __repr__(self) -> str:
        return f"VisitorSession(member_id={self.member_id!r}, <refresh token>)"


@dataclass(frozen=True)
class PendingSignIn:
    """A sign-in started in one browser: the PKCE verifier and where Trello sends it back."""

    browser: str = field(repr=False)
    verifier: Secret = field(repr=False)
    redirect_uri: str = ""

    def __repr__(self) -> str:
        return "PendingSignIn(<bound to a browser>)"


class SessionStore(ABC):
    """Sessions, sign-ins in flight and finished sign-ins, sealed; subclasses hold the bytes."""

    def __init__(self, keys: SessionKeys, clock: Callable[[], float] = time.time) -> None:
        self.keys = keys
        self.clock = clock

    @abstractmethod
    def _set(self, name: str, blob: bytes, ttl: float) -> None: ...
    @abstractmethod
    def _get(self, name: str) -> bytes | None: ...
    @abstractmethod
    def _take(self, name: str) -> bytes | None:
        """Get and delete in one step: only one caller ever gets a value."""

    @abstractmethod
    def _delete(self, name: str) -> None: ...

    @property
    @abstractmethod
    def redis(self) -> Redis | None:
        """The Redis the store shares (its refresh lock goes there too), or None."""

    def get(self, session_id: str) -> VisitorSession | None:
        name = PREFIX + "session:" + digest(session_id)
        blob = self._get(name)
        payload = None if blob is None else self.keys.open(name, blob)
        if payload is None:
            return None
        try:
            session = VisitorSession(
                str(payload["member"]),
                str(payload["username"]),
                tuple(str(scope) for scope in payload["scopes"]),
                Secret(str(payload["refresh"])),
                float(payload["expires"]),
            )
        except (KeyError, TypeError, ValueError):
            return None
        if session.expires_at <= self.clock():
            self._delete(name)
            return None
        return session

    def put(self, session_id: str, session: VisitorSession) -> None:
        name = PREFIX + "session:" + digest(session_id)
        payload = {
            "member": session.member_id,
            "username": session.username,
            "scopes": list(session.scopes),
            "refresh": session.refresh_token.reveal(),
            "expires": session.expires_at,
        }
        self._set(name, self.keys.seal(name, payload), session.expires_at - self.clock())

    def rotate(self, session_id: str, refresh_token: Secret) -> None:
        """Keep the session, with the new refresh token (single-use ones rotate)."""
        session = self.get(session_id)
        if session is not None:
            self.put(session_id, replace(session, refresh_token=refresh_token))

    def delete(self, session_id: str) -> None:
        self._delete(PREFIX + "session:" + digest(session_id))

    def hold(self, state: str, pending: PendingSignIn) -> None:
        name = PREFIX + "pending:" + digest(state)
        payload = {
            "browser": pending.browser,
            "verifier": pending.verifier.reveal(),
            "redirect_uri": pending.redirect_uri,
        }
        self._set(name, self.keys.seal(name, payload), PENDING_SECONDS)

    def take_pending(self, state: str) -> PendingSignIn | None:
        """The sign-in ``state`` names, once; None when unknown, used or expired."""
        name = PREFIX + "pending:" + digest(state)
        blob = self._take(name)
        payload = None if blob is None else self.keys.open(name, blob)
        if payload is None:
            return None
        return PendingSignIn(
            str(payload.get("browser", "")),
            Secret(str(payload.get("verifier", ""))),
            str(payload.get("redirect_uri", "")),
        )

    def finish(self, state: str, session_id: str) -> None:
        """Tell the tab that started sign-in ``state`` which session it became."""
        name = PREFIX + "finished:" + digest(state)
        self._set(name, self.keys.seal(name, {"session": session_id}), FINISHED_SECONDS)

    def take_finished(self, state: str) -> str | None:
        name = PREFIX + "finished:" + digest(state)
        blob = self._take(name)
        payload = None if blob is None else self.keys.open(name, blob)
        value = payload.get("session") if payload else None
        return value if isinstance(value, str) else None


class MemorySessionStore(SessionStore):
    """This process only (one replica, or tests); entries expire like Redis keys."""

    def __init__(self, keys: SessionKeys, clock: Callable[[], float] = time.time) -> None:
        super().__init__(keys, clock)
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[bytes, float]] = {}

    @property
    def redis(self) -> Redis | None:
        return None

    def _set(self, name: str, blob: bytes, ttl: float) -> None:
        now = self.clock()
        with self._lock:
            for key, (_, until) in list(self._entries.items()):
                if until <= now:
                    del self._entries[key]
            if ttl > 0:
                self._entries[name] = (blob, now + ttl)

    def _get(self, name: str) -> bytes | None:
        with self._lock:
            entry = self._entries.get(name)
        return entry[0] if entry is not None and entry[1] > self.clock() else None

    def _take(self, name: str) -> bytes | None:
        with self._lock:
            entry = self._entries.pop(name, None)
        return entry[0] if entry is not None and entry[1] > self.clock() else None

    def _delete(self, name: str) -> None:
        with self._lock:
            self._entries.pop(name, None)


def _redis_failure(exc: Exception) -> TrelloUnavailableError:
    return TrelloUnavailableError(
        f"the visitor sign-in store (Redis) did not answer ({type(exc).__name__}); try again"
    )


class RedisSessionStore(SessionStore):
    """Shared by every replica on one Redis (``TRELLOLENS_REDIS_URL``): any of them serves a
    visitor, and a sign-out on one is a sign-out on all."""

    def __init__(
        self, keys: SessionKeys, client: Redis, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(keys, clock)
        self._client = client

    @property
    def redis(self) -> Redis | None:
        return self._client

    def _call(self, method: str, *args: Any, **options: Any) -> Any:
        from redis.exceptions import RedisError

        try:
            return getattr(self._client, method)(*args, **options)
        except RedisError as exc:
            raise _redis_failure(exc) from None

    def _set(self, name: str, blob: bytes, ttl: float) -> None:
        if ttl > 0:
            self._call("set", name, blob, px=max(1, int(ttl * 1000)))

    def _get(self, name: str) -> bytes | None:
        value = self._call("get", name)
        return value if isinstance(value, bytes) else None

    def _take(self, name: str) -> bytes | None:
        value = self._call("getdel", name)
        return value if isinstance(value, bytes) else None

    def _delete(self, name: str) -> None:
        self._call("delete", name)


def session_store(keys: SessionKeys, redis: Redis | None) -> SessionStore:
    """Redis when the app shares one, else this process's memory."""
    return MemorySessionStore(keys) if redis is None else RedisSessionStore(keys, redis)
