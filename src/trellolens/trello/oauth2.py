"""OAuth 2.0 for Trello: a token manager that refreshes and rotates, and a Bearer ``httpx.Auth``.

    manager = TokenManager.from_credentials(resolve().oauth2())
    client = TrelloClient(auth=BearerAuth(manager))           # or oauth2_client()

The access token lives in memory only and is refreshed shortly before it expires, and once when
Trello answers 401. Each refresh runs under ``RefreshLock`` (threads, processes, replicas), reads
the newest refresh token from its store, spends it, and saves the new one in that store before
anything else: the old one is never needed again, the new one is never only in memory. A refresh
token Trello refuses (revoked, expired, reused) is a ``SignInRequiredError`` of one line.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from trellolens.credentials import OAuth2Credentials, Secret
from trellolens.credentials.redaction import install_httpx_filter
from trellolens.errors import (
    CredentialsError,
    SignInRequiredError,
    TrelloError,
    TrellolensError,
    TrelloUnavailableError,
)
from trellolens.settings.urls import (
    AUTH_BASE_URL_VARIABLE,
    DEFAULT_AUTH_BASE_URL,
    check_base_url,
)
from trellolens.trello.oauth2_lock import RefreshLock
from trellolens.trello.oauth2_store import Checkpoint, RefreshTokenStore, store_for

if TYPE_CHECKING:
    from redis import Redis

    from trellolens.settings import Settings
    from trellolens.trello.client import TrelloClient

SIGN_IN_AGAIN = "sign in again: `trellolens login`"
REFUSED = (
    "Trello no longer accepts the OAuth 2.0 refresh token (revoked, expired or already used); "
    + SIGN_IN_AGAIN
)
REUSED = (
    "Trello revoked this OAuth 2.0 sign-in because a refresh token was presented twice (a stolen "
    "copy replayed, or a copy of the app refreshing without the shared lock); " + SIGN_IN_AGAIN
)
NO_TOKEN = "no OAuth 2.0 refresh token is stored where it was found; " + SIGN_IN_AGAIN
EARLY_SECONDS = 60.0
"""Refresh this long before the access token expires (at most a quarter of its lifetime)."""
TIMEOUT = httpx.Timeout(connect=5.0, read=20.0, write=10.0, pool=10.0)


@dataclass(frozen=True)
class AccessToken:
    value: Secret
    expires_at: float
    scope: tuple[str, ...]
    lifetime: float


def _no_checkpoint(step: str) -> None:
    """Tests pass one that kills the process at ``step`` (``refreshed``, ``persisted``...)."""


class TokenManager:
    """Hands out a live access token; refreshes single-flight and persists each rotation first."""

    def __init__(
        self,
        client_id: Secret,
        client_secret: Secret,
        store: RefreshTokenStore,
        *,
        auth_base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        redis: Redis | None = None,
        shared: bool = True,
        clock: Callable[[], float] = time.time,
        checkpoint: Checkpoint = _no_checkpoint,
        lock_folder: Path | None = None,
        settings: Settings | None = None,
    ) -> None:
        """``shared``: take a Redis lock too when ``settings`` name a Redis (or ``redis`` is
        given). ``settings`` (default: ``Settings()``, the environment's) also give the auth
        server unless ``auth_base_url`` is given. ``checkpoint`` is called at each step of a
        refresh (tests only); ``lock_folder`` holds the machine-wide lock file (default: the
        temporary folder)."""
        install_httpx_filter()
        if settings is None:
            from trellolens.settings import Settings

            settings = Settings()
        base = (
            check_base_url(auth_base_url, AUTH_BASE_URL_VARIABLE, DEFAULT_AUTH_BASE_URL)
            if auth_base_url
            else settings.auth_base_url
        )
        self.auth_base_url = base
        self._client_id = client_id
        self._client_secret = client_secret
        self.store = store
        if redis is None and shared:
            from trellolens.shared.connection import redis_client

            redis = redis_client(settings.redis_url)
        self._lock = RefreshLock(store.identity, redis, folder=lock_folder)
        self._clock = clock
        self._checkpoint = checkpoint
        self._state = threading.Lock()
        self._access: AccessToken | None = None
        self._failed: tuple[str, SignInRequiredError] | None = None
        self._unsaved: Secret | None = None
        """A rotated refresh token its store refused to take: saved before anything else."""
        self._http = httpx.Client(
            base_url=base,
            transport=transport,
            timeout=TIMEOUT,
            follow_redirects=False,
            trust_env=False,
        )
        self.refreshes = 0

    @classmethod
    def from_credentials(cls, credentials: OAuth2Credentials, **options: Any) -> TokenManager:
        """A manager whose refresh token goes back where the resolver found it."""
        store = options.pop("store", None) or store_for(credentials)
        return cls(credentials.client_id, credentials.client_secret, store, **options)

    def __repr__(self) -> str:
        return f"TokenManager(store={self.store!r}, auth_base_url={self.auth_base_url!r})"

    @property
    def client_fingerprint(self) -> str:
        return self._client_id.fingerprint()

    @property
    def identity_fingerprint(self) -> str:
        """Stable across rotations: the client and the store (caches and rate limits key on it)."""
        return Secret(f"{self._client_id.reveal()}|{self.store.identity}").fingerprint()

    @property
    def signing_secret(self) -> Secret:
        """Stable across rotations and known only to the app: what shared cache entries are
        signed under (the client secret with the store), never sent anywhere."""
        return Secret(f"{self._client_secret.reveal()}|{self.store.identity}")

    @property
    def current(self) -> AccessToken | None:
        with self._state:
            return self._access

    @property
    def sign_in_problem(self) -> SignInRequiredError | None:
        """Why the refresh token in the store was refused, while that one is still there (a new
        ``trellolens login`` clears it); None otherwise. One line, no value."""
        failed = self._failed
        if failed is None:
            return None
        try:
            newest = self.store.read()
        except TrellolensError:
            return failed[1]
        return failed[1] if newest is not None and newest.fingerprint() == failed[0] else None

    def access_token(self, stale: Secret | None = None) -> Secret:
        """A live access token; ``stale`` is one Trello just refused (401): never returned again."""
        with self._state:
            access = self._access
        if access is not None and access.value != stale and not self._expiring(access):
            return access.value
        return self._refresh(stale)

    def _expiring(self, access: AccessToken) -> bool:
        early = min(EARLY_SECONDS, access.lifetime / 4)
        return self._clock() >= access.expires_at - early

    def _refresh(self, stale: Secret | None) -> Secret:
        with self._lock.held():
            with self._state:  # another thread may have refreshed while this one waited
                access = self._access
            if access is not None and access.value != stale and not self._expiring(access):
                return access.value
            if self._unsaved is not None:
                self.store.write(self._unsaved, self._checkpoint)
                self._unsaved = None
            newest = self.store.read()
            if newest is None:
                raise SignInRequiredError(NO_TOKEN, "missing")
            if self._failed is not None and self._failed[0] == newest.fingerprint():
                raise self._failed[1]
            self._checkpoint("locked")
            payload = self._post_refresh(newest)
            self._checkpoint("refreshed")
            rotated = payload.get("refresh_token")
            if isinstance(rotated, str) and rotated and rotated != newest.reveal():
                try:
                    self.store.write(Secret(rotated), self._checkpoint)
                except Exception:
                    self._unsaved = Secret(rotated)  # kept, and saved first next time
                    raise
            self._checkpoint("persisted")
            access = self._access_from(payload)
            with self._state:
                self._access = access
                self.refreshes += 1
            return access.value

    def _access_from(self, payload: dict[str, Any]) -> AccessToken:
        value, lifetime = payload.get("access_token"), payload.get("expires_in", 3600)
        if not isinstance(value, str) or not value or not isinstance(lifetime, int | float):
            raise TrelloError(
                "Trello's OAuth 2.0 server sent a token reply without an access token"
            )
        scope = payload.get("scope", "")
        scopes = tuple(scope.split()) if isinstance(scope, str) else ()
        return AccessToken(Secret(value), self._clock() + lifetime, scopes, float(lifetime))

    def _post_refresh(self, refresh_token: Secret) -> dict[str, Any]:
        form = {
            "grant_type": "refresh_token",
            "client_id": self._client_id.reveal(),
            "client_secret": self._client_secret.reveal(),
            "refresh_token": refresh_token.reveal(),
        }
        return self.post("/oauth/token", form, refresh_token)

    def post(self, path: str, form: dict[str, str], spent: Secret | None = None) -> dict[str, Any]:
        """POST a form to the auth server; its errors become one-line trellolens errors."""
        host = urlsplit(self.auth_base_url).netloc
        try:
            response = self._http.post(path, data=form)
        except httpx.HTTPError as exc:
            raise TrelloUnavailableError(
                f"cannot reach Trello's OAuth 2.0 server at {host} ({type(exc).__name__})"
            ) from None
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            payload = {}
        if response.is_success:
            return payload
        self._raise_for(response.status_code, payload, spent, host)
        raise AssertionError("unreachable")  # pragma: no cover

    def _raise_for(
        self, status: int, payload: dict[str, Any], spent: Secret | None, host: str
    ) -> None:
        code = payload.get("error") if isinstance(payload.get("error"), str) else ""
        if code == "invalid_grant":
            description = str(payload.get("error_description", "")).lower()
            reused = "reuse" in description
            error = SignInRequiredError(
                REUSED if reused else REFUSED, "reused" if reused else "revoked"
            )
            if spent is not None:
                self._failed = (spent.fingerprint(), error)
            raise error
        if code == "invalid_client":
            raise CredentialsError(
                f"Trello's OAuth 2.0 server at {host} refused the client_id and client_secret "
                "(invalid_client); copy them again from Trello's app admin page"
            )
        if status == 429 or status >= 500:
            raise TrelloUnavailableError(f"Trello's OAuth 2.0 server at {host} answered {status}")
        raise TrelloError(
            f"Trello's OAuth 2.0 server at {host} answered {status} ({code or 'no error code'})"
        )

    def close(self) -> None:
        self._http.close()


class BearerAuth(httpx.Auth):
    """``Authorization: Bearer <access token>`` from a ``TokenManager``; once more after a 401."""

    def __init__(self, manager: TokenManager) -> None:
        self.manager = manager

    @property
    def key_fingerprint(self) -> str:
        return self.manager.client_fingerprint

    @property
    def token_fingerprint(self) -> str:
        return self.manager.identity_fingerprint

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self.manager.access_token()
        request.headers["Authorization"] = f"Bearer {token.reveal()}"
        response = yield request
        if response.status_code == 401:
            token = self.manager.access_token(stale=token)
            request.headers["Authorization"] = f"Bearer {token.reveal()}"
            yield request

    def __repr__(self) -> str:
        return f"BearerAuth({self.manager!r})"


def oauth2_client(credentials: OAuth2Credentials | None = None, **options: Any) -> TrelloClient:
    """A ``TrelloClient`` on OAuth 2.0: the process's resolved credentials unless given."""
    from trellolens.credentials import check_credentials
    from trellolens.trello.client import TrelloClient

    credentials = credentials or check_credentials().oauth2()
    manager_options: dict[str, Any] = {
        name: options.pop(name)
        for name in ("auth_base_url", "store", "redis", "shared", "lock_folder")
        if name in options
    }
    if "settings" in options:
        manager_options["settings"] = options["settings"]
    manager = TokenManager.from_credentials(credentials, **manager_options)
    return TrelloClient(auth=BearerAuth(manager), **options)
