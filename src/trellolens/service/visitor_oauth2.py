"""Sign in with Trello over OAuth 2.0 for visitors: Authlib's OAuth2 client, PKCE S256, state.

    app = VisitorOAuth2(client_id, client_secret, auth_base_url, api_base_url)
    url, state = app.begin(browser, redirect_uri)      # the pending sign-in kept server-side
    session_id = app.complete(state, code, browser)    # the callback route: exchange, check, keep
    client = app.client(session_id)                     # Bearer, refreshing single-flight
    app.sign_out(session_id)                            # revoked at Trello, gone everywhere

The least scopes the dashboard needs are asked for (read boards, read members, offline access);
a grant with more, or without reading boards or a refresh token, is revoked and refused. The
refresh token lives in the session store only (``visitor_store``); the access token in this
process's memory only. Every refusal is a ``SignInRefusedError`` of one line with no value in it.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
import time
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from trellolens.credentials import Secret
from trellolens.credentials.redaction import install_httpx_filter
from trellolens.errors import CredentialsError, SignInRequiredError, TrellolensError
from trellolens.service.visitor_store import (
    PendingSignIn,
    SessionKeys,
    SessionStore,
    VisitorSession,
    digest,
    new_session_id,
    session_store,
)
from trellolens.trello.oauth2 import BearerAuth, TokenManager
from trellolens.trello.oauth2_lock import lock_file
from trellolens.trello.oauth2_store import Checkpoint, RefreshTokenStore

if TYPE_CHECKING:
    from redis import Redis

    from trellolens.trello import TrelloClient

READ_BOARD, READ_MEMBER, OFFLINE_ACCESS = (
    "read:board:trello",
    "read:member:trello",
    "offline_access",
)
VISITOR_SCOPES: tuple[str, ...] = (READ_BOARD, READ_MEMBER, OFFLINE_ACCESS)
TIMEOUT = httpx.Timeout(connect=5.0, read=20.0, write=10.0, pool=10.0)
DAY = 86400.0


class SignInRefusedError(CredentialsError):
    """A visitor's sign-in that did not finish: one line, no value; ``outcome`` one word for it
    (``unknown``, ``foreign``, ``denied``, ``code``, ``grant``, ``failed``)."""

    def __init__(self, line: str, outcome: str = "failed") -> None:
        super().__init__(line)
        self.outcome = outcome


class SessionRefreshStore(RefreshTokenStore):
    """The refresh token of one visitor session, for ``TokenManager``: read fresh from the
    session store (another replica may have rotated it) and written back there."""

    def __init__(self, store: SessionStore, session_id: str) -> None:
        self._store = store
        self._session_id = session_id
        self.identity = "visitor-session:" + digest(session_id)

    def read(self) -> Secret | None:
        session = self._store.get(self._session_id)
        return None if session is None else session.refresh_token

    def write(self, new: Secret, checkpoint: Checkpoint = lambda step: None) -> None:
        self._store.rotate(self._session_id, new)

    def end(self) -> None:
        """Trello refused the refresh token: the session is over, on every replica."""
        self._store.delete(self._session_id)
        _forget_client(self._session_id, close=False)  # it is in use: garbage once dropped


SIGNED_OUT_BY_TRELLO = (
    "Your Trello sign-in has ended (revoked, expired or used elsewhere); sign in with Trello again"
)


class VisitorTokens(TokenManager):
    """A ``TokenManager`` for one visitor session: it can start from the access token the code
    exchange gave, and a refresh token Trello refuses ends that session (everywhere)."""

    def seed(self, payload: dict[str, Any]) -> None:
        access = self._access_from(payload)
        with self._state:
            self._access = access

    def access_token(self, stale: Secret | None = None) -> Secret:
        try:
            return super().access_token(stale)
        except SignInRequiredError as refused:
            if isinstance(self.store, SessionRefreshStore):
                self.store.end()
            raise SignInRequiredError(SIGNED_OUT_BY_TRELLO, refused.reason) from None


@dataclass
class VisitorOAuth2:
    """The app's OAuth 2.0 client for visitors and where their sessions live."""

    client_id: Secret
    client_secret: Secret
    auth_base_url: str
    api_base_url: str
    redis: Redis | None = None
    session_days: float = 7.0
    transport: httpx.BaseTransport | None = field(default=None, repr=False)
    store: SessionStore = field(init=False, repr=False)

    def __post_init__(self) -> None:
        install_httpx_filter()
        self.keys = SessionKeys.from_secret(self.client_secret)
        self.store = shared_store(self.keys, self.redis)

    def __repr__(self) -> str:
        return f"VisitorOAuth2(auth_base_url={self.auth_base_url!r})"

    def _oauth(self, redirect_uri: str | None = None) -> Any:
        with warnings.catch_warnings():  # Authlib prefers httpx2, and says so once; httpx is ours
            from authlib.deprecate import AuthlibDeprecationWarning

            warnings.simplefilter("ignore", AuthlibDeprecationWarning)
            from authlib.integrations.httpx_client import OAuth2Client

        return OAuth2Client(
            client_id=self.client_id.reveal(),
            client_secret=self.client_secret.reveal(),
            token_endpoint_auth_method="client_secret_post",  # noqa: S106 -- a method name
            revocation_endpoint_auth_method="client_secret_post",
            scope=" ".join(VISITOR_SCOPES),
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            timeout=TIMEOUT,
            trust_env=False,
            follow_redirects=False,
            transport=self.transport,
        )

    def begin(self, browser: str, redirect_uri: str) -> tuple[str, str]:
        """The authorize URL and its ``state``; the verifier stays here, bound to ``browser``."""
        verifier = secrets.token_urlsafe(64)
        with self._oauth(redirect_uri) as oauth:
            url, state = oauth.create_authorization_url(
                self.auth_base_url.rstrip("/") + "/authorize",
                state=secrets.token_urlsafe(32),
                code_verifier=verifier,
                audience="api.atlassian.com",
                prompt="consent",
            )
        self.store.hold(state, PendingSignIn(browser, Secret(verifier), redirect_uri))
        return str(url), str(state)

    def complete(self, state: str, code: str | None, browser: str | None, error: str = "") -> str:
        """The callback: the sign-in ``state`` names, in the browser that started it, exchanged
        once with its verifier and checked; the new session's id. ``SignInRefusedError`` otherwise."""
        pending = self.store.take_pending(state) if state else None
        if pending is None:
            raise SignInRefusedError(
                "This sign-in link is not valid here (forged, used already or expired); "
                "nothing changed. Sign in again.",
                "unknown",
            )
        if not browser or not secrets.compare_digest(pending.browser, browser):
            self.store.hold(state, pending)  # the starting browser may still finish
            raise SignInRefusedError(
                "Refused: this sign-in was started in another browser, so it cannot finish "
                "here and nothing changed. Click Sign in with Trello in this browser.",
                "foreign",
            )
        if not code:
            raise SignInRefusedError(
                "The sign-in was cancelled on Trello; no token was issued.", "denied"
            )
        payload = self._exchange(code, pending)
        member_id, username = self._member(Secret(str(payload["access_token"])))
        session_id = new_session_id()
        lifetime = payload.get("refresh_token_expires_in")
        days = self.session_days * DAY
        if isinstance(lifetime, int | float) and 0 < lifetime < days:
            days = float(lifetime)
        scopes = tuple(str(payload.get("scope", "")).split())
        refresh = Secret(str(payload["refresh_token"]))
        session = VisitorSession(member_id, username, scopes, refresh, time.time() + days)
        self.store.put(session_id, session)
        self.store.finish(state, session_id)
        _client_for(self, session_id, payload)
        return session_id

    def _exchange(self, code: str, pending: PendingSignIn) -> dict[str, Any]:
        from authlib.integrations.base_client.errors import OAuthError

        with self._oauth(pending.redirect_uri) as oauth:
            try:
                token = oauth.fetch_token(
                    self.auth_base_url.rstrip("/") + "/oauth/token",
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=pending.verifier.reveal(),
                )
            except OAuthError as exc:
                shown = exc.error if str(exc.error).replace("_", "").isalnum() else "refused"
                raise SignInRefusedError(
                    f"Trello refused the sign-in code ({shown}: used, expired, forged or not "
                    "this sign-in's); nothing changed. Sign in again.",
                    "code",
                ) from None
            except httpx.HTTPError as exc:
                raise SignInRefusedError(
                    f"Trello's sign-in server did not answer ({type(exc).__name__}); sign in again",
                    "failed",
                ) from None
        payload = dict(token)
        self._check_grant(payload)
        return payload

    def _check_grant(self, payload: dict[str, Any]) -> None:
        granted = set(str(payload.get("scope", "")).split())
        extra = sorted(granted - set(VISITOR_SCOPES))
        refresh, access = payload.get("refresh_token"), payload.get("access_token")
        problem = None
        if extra:
            problem = f"more than it asked for ({', '.join(extra)})"
        elif READ_BOARD not in granted or not isinstance(access, str) or not access:
            problem = "no right to read boards"
        elif not isinstance(refresh, str) or not refresh:
            problem = "no refresh token (offline_access)"
        if problem is None:
            return
        for value in (refresh, access):
            if isinstance(value, str) and value:
                self.revoke(Secret(value))
        raise SignInRefusedError(
            f"Sign-in refused: Trello granted {problem}; it was revoked.", "grant"
        )

    def _member(self, access: Secret) -> tuple[str, str]:
        with httpx.Client(transport=self.transport, timeout=TIMEOUT, trust_env=False) as http:
            try:
                reply = http.get(
                    self.api_base_url.rstrip("/") + "/members/me",
                    params={"fields": "username"},
                    headers={"Authorization": f"Bearer {access.reveal()}"},
                )
                me = reply.json() if reply.is_success else None
            except (httpx.HTTPError, ValueError):
                me = None
        if not isinstance(me, dict) or not isinstance(me.get("id"), str):
            self.revoke(access)
            raise SignInRefusedError(
                "Sign-in failed: Trello did not say whose the sign-in is.", "failed"
            )
        username = me.get("username")
        return me["id"], username if isinstance(username, str) else ""

    def revoke(self, token: Secret) -> bool:
        """Revoke ``token``'s whole grant at Trello; False when Trello could not be told."""
        with self._oauth() as oauth:
            try:
                reply = oauth.revoke_token(
                    self.auth_base_url.rstrip("/") + "/oauth/revoke", token=token.reveal()
                )
            except httpx.HTTPError:
                return False
        return bool(reply.is_success)

    def session(self, session_id: str | None) -> VisitorSession | None:
        return None if session_id is None else self.store.get(session_id)

    def client(self, session_id: str) -> TrelloClient:
        """The visitor's Bearer client (one per session in this process)."""
        return _client_for(self, session_id, None)

    def sign_out(self, session_id: str) -> bool:
        """Revoke the grant at Trello and delete the session everywhere; False when Trello could
        not be told (the session is deleted all the same)."""
        session = self.store.get(session_id)
        self.store.delete(session_id)
        _forget_client(session_id)
        lock_file("visitor-session:" + digest(session_id)).unlink(missing_ok=True)
        return session is None or self.revoke(session.refresh_token)


_stores: dict[tuple[bytes, int], SessionStore] = {}
_clients: dict[str, TrelloClient] = {}
_lock = threading.Lock()
MAX_CLIENTS = 2000


def shared_store(keys: SessionKeys, redis: Redis | None) -> SessionStore:
    """One store per key and Redis in this process (the memory one must be shared by sessions)."""
    identity = (keys.sealing, id(redis))
    with _lock:
        store = _stores.get(identity)
        if store is None:
            store = _stores[identity] = session_store(keys, redis)
        return store


def _client_for(app: VisitorOAuth2, session_id: str, seed: dict[str, Any] | None) -> TrelloClient:
    from trellolens.trello.client import TrelloClient

    name = digest(session_id)
    with _lock:
        client = _clients.get(name)
    if client is not None:
        return client
    manager = VisitorTokens(
        app.client_id,
        app.client_secret,
        SessionRefreshStore(app.store, session_id),
        auth_base_url=app.auth_base_url,
        transport=app.transport,
        redis=app.store.redis,
        shared=app.store.redis is not None,
    )
    if seed is not None:
        manager.seed(seed)
    client = TrelloClient(auth=BearerAuth(manager), base_url=app.api_base_url)
    with _lock:
        while len(_clients) >= MAX_CLIENTS:
            _clients.pop(next(iter(_clients))).close()
        return _clients.setdefault(name, client)


def _forget_client(session_id: str, *, close: bool = True) -> None:
    with _lock:
        client = _clients.pop(digest(session_id), None)
    if client is not None and close:
        with contextlib.suppress(Exception):
            client.close()


def refresh_refused(exc: TrellolensError) -> bool:
    """Whether Trello no longer accepts the session's refresh token (sign in again)."""
    return isinstance(exc, SignInRequiredError)
