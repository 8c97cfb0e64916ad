"""The app owner's OAuth 2.0 sign-in: authorization code + PKCE (S256) with a loopback redirect.

    login = start_login(client_id, auth_base_url, receiver.redirect_uri, DEFAULT_SCOPES)
    ... the browser opens login.url, the member consents, Atlassian redirects to the receiver ...
    granted = finish_login(login, receiver.wait(login.state), client_id, client_secret, ...)

The receiver listens on 127.0.0.1 only and answers only ``/callback`` with the expected
``state`` (compared in constant time); a forged callback gets a 400 and the wait goes on.
The code is exchanged once with the PKCE verifier; what was granted is checked against what was
asked (no ``offline_access``: no refresh token; more than asked: revoked and refused).
"""

from __future__ import annotations

import html
import secrets
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge

from trellolens.credentials import Secret
from trellolens.errors import CredentialsError, TrelloError
from trellolens.trello.oauth2 import TokenManager
from trellolens.trello.oauth2_store import MemoryStore

READ_BOARD, READ_MEMBER, WRITE_BOARD = (
    "read:board:trello",
    "read:member:trello",
    "write:board:trello",
)
OFFLINE_ACCESS = "offline_access"
DEFAULT_SCOPES: tuple[str, ...] = (READ_BOARD, READ_MEMBER, OFFLINE_ACCESS)
"""What the dashboard needs: read boards and members, and a refresh token."""
DEFAULT_PORT = 8599
CALLBACK_PATH = "/callback"
_DONE = "Signed in to Trello: you can close this tab and go back to the terminal."


class LoginError(CredentialsError):
    """The sign-in did not finish (denied, timed out, forged, too broad): one line, no value."""


@dataclass(frozen=True)
class LoginRequest:
    url: str
    state: str
    verifier: Secret
    redirect_uri: str
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class Granted:
    refresh_token: Secret
    scopes: tuple[str, ...]
    expires_in: float


def start_login(
    client_id: Secret, auth_base_url: str, redirect_uri: str, scopes: tuple[str, ...]
) -> LoginRequest:
    """The authorize URL (Atlassian's parameters), with a fresh ``state`` and PKCE verifier."""
    state = secrets.token_urlsafe(24)
    verifier = secrets.token_urlsafe(64)
    query = {
        "audience": "api.atlassian.com",
        "client_id": client_id.reveal(),
        "scope": " ".join(scopes),
        "redirect_uri": redirect_uri,
        "state": state,
        "response_type": "code",
        "prompt": "consent",
        "code_challenge": create_s256_code_challenge(verifier),
        "code_challenge_method": "S256",
    }
    url = f"{auth_base_url.rstrip('/')}/authorize?{urlencode(query)}"
    return LoginRequest(url, state, Secret(verifier), redirect_uri, scopes)


class _Handler(BaseHTTPRequestHandler):
    server: _Receiver

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query))
        if parts.path != CALLBACK_PATH:
            self._reply(404, "Not found.")
        elif not secrets.compare_digest(query.get("state", ""), self.server.state):
            self._reply(400, "This sign-in link is not the one trellolens started; ignored.")
        else:
            self.server.result = query
            self._reply(
                200 if "code" in query else 400, _DONE if "code" in query else "Sign-in refused."
            )
            self.server.done.set()

    def _reply(self, status: int, text: str) -> None:
        body = f"<!doctype html><title>trellolens</title><p>{html.escape(text)}</p>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """The request line holds the code: never logged."""


class _Receiver(HTTPServer):
    state = ""
    result: dict[str, str] | None = None

    def __init__(self, port: int) -> None:
        self.done = threading.Event()
        super().__init__(("127.0.0.1", port), _Handler)


class LoopbackReceiver:
    """``http://127.0.0.1:PORT/callback`` for one sign-in (port 0: any free one)."""

    def __init__(self, port: int = DEFAULT_PORT) -> None:
        try:
            self._server = _Receiver(port)
        except OSError as exc:
            raise LoginError(
                f"cannot listen on 127.0.0.1:{port} for the sign-in redirect ({exc.strerror}); "
                "free the port or pass another with --port (and register that callback URL)"
            ) from None
        self.port = int(self._server.server_address[1])
        self.redirect_uri = f"http://127.0.0.1:{self.port}{CALLBACK_PATH}"
        self._thread: threading.Thread | None = None

    def wait(self, state: str, timeout: float) -> dict[str, str]:
        """The callback's query once one arrives with ``state``; ``LoginError`` on timeout."""
        self._server.state = state
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        try:
            if not self._server.done.wait(timeout):
                raise LoginError(f"no sign-in came back within {timeout:.0f} s; run login again")
            return dict(self._server.result or {})
        finally:
            self.close()

    def close(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
        self._server.server_close()


def finish_login(
    login: LoginRequest,
    callback: dict[str, str],
    client_id: Secret,
    client_secret: Secret,
    auth_base_url: str,
) -> Granted:
    """Exchange the code (with the verifier) and check what was granted."""
    if "code" not in callback:
        error = callback.get("error", "no code")
        shown = error if error.replace("_", "").isalnum() and len(error) < 40 else "refused"
        raise LoginError(f"Trello did not sign you in ({shown}); run login again")
    manager = TokenManager(
        client_id, client_secret, MemoryStore(), auth_base_url=auth_base_url, shared=False
    )
    try:
        form = {
            "grant_type": "authorization_code",
            "client_id": client_id.reveal(),
            "client_secret": client_secret.reveal(),
            "code": callback["code"],
            "redirect_uri": login.redirect_uri,
            "code_verifier": login.verifier.reveal(),
        }
        try:
            payload = manager.post("/oauth/token", form)
        except TrelloError:
            raise LoginError(
                "Trello refused the sign-in code (used, expired or forged); run login again"
            ) from None
        return _checked(manager, login, payload, client_id, client_secret)
    finally:
        manager.close()


def _checked(
    manager: TokenManager,
    login: LoginRequest,
    payload: dict[str, Any],
    client_id: Secret,
    client_secret: Secret,
) -> Granted:
    scope = payload.get("scope")
    granted = tuple(scope.split()) if isinstance(scope, str) else login.scopes
    refresh = payload.get("refresh_token")
    extra = sorted(set(granted) - set(login.scopes))
    if extra or not isinstance(refresh, str) or not refresh:
        if isinstance(refresh, str) and refresh:
            form = {"token": refresh, "client_id": client_id.reveal()}
            form["client_secret"] = client_secret.reveal()
            manager.post("/oauth/revoke", form)
        if extra:
            raise LoginError(f"Trello granted more than asked ({', '.join(extra)}); revoked it")
        raise LoginError(
            "Trello granted no refresh token (offline_access missing); run login again"
        )
    lifetime = payload.get("expires_in", 0)
    return Granted(
        Secret(refresh), granted, float(lifetime) if isinstance(lifetime, int | float) else 0.0
    )
