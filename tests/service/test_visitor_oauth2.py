"""The visitor's OAuth 2.0 sign-in against the emulator over real HTTP: what is asked (PKCE S256,
state, least scopes), what is refused (unknown state, another browser, a broader grant), sign-out
revoking at Trello, and replicas on one real redis-server refreshing one single-use token."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.helpers.oauth2 import CLIENT_ID, CLIENT_SECRET
from tests.testing.emulator_support import make_emulator
from trellolens.credentials import Secret
from trellolens.errors import SignInRequiredError
from trellolens.service import visitor_oauth2
from trellolens.service.visitor_oauth2 import (
    SessionRefreshStore,
    SignInRefusedError,
    VisitorOAuth2,
    VisitorTokens,
)
from trellolens.service.visitor_store import RedisSessionStore, SessionKeys
from trellolens.testing import TrelloEmulator
from trellolens.testing.redis_server import RedisServer

REDIRECT = "http://127.0.0.1:8501/trellolens/oauth2/callback"
BROWSER = "b" * 43


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TrelloEmulator, VisitorOAuth2]]:
    monkeypatch.setattr(visitor_oauth2, "_stores", {})  # sessions of this test only
    monkeypatch.setattr(visitor_oauth2, "_clients", {})
    emulator = make_emulator()
    emulator.oauth2.register_client(CLIENT_ID, CLIENT_SECRET)
    emulator.oauth2.auto_approve_member = emulator.member_id
    with emulator.serve() as base_url:
        app = VisitorOAuth2(
            Secret(CLIENT_ID), Secret(CLIENT_SECRET), emulator.oauth2.base_url(base_url), base_url
        )
        yield emulator, app


def approve(url: str) -> dict[str, str]:
    """The emulator pre-approves: the callback's query."""
    location = httpx.get(url).headers["location"]
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def test_the_authorize_url_asks_least_scopes_with_pkce_and_state(
    served: tuple[TrelloEmulator, VisitorOAuth2],
) -> None:
    _, app = served
    url, state = app.begin(BROWSER, REDIRECT)
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert query["scope"] == "read:board:trello read:member:trello offline_access"
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    assert query["state"] == state
    assert len(state) >= 32
    assert query["redirect_uri"] == REDIRECT
    assert query["prompt"] == "consent"
    assert CLIENT_SECRET not in url
    assert "code_verifier" not in url


def test_a_sign_in_finishes_once_in_its_browser_and_reads_that_members_boards(
    served: tuple[TrelloEmulator, VisitorOAuth2], caplog: pytest.LogCaptureFixture
) -> None:
    emulator, app = served
    caplog.set_level(logging.DEBUG)
    url, state = app.begin(BROWSER, REDIRECT)
    callback = approve(url)
    with pytest.raises(SignInRefusedError) as foreign:
        app.complete(state, callback["code"], "another-browser")
    assert foreign.value.outcome == "foreign"
    session_id = app.complete(state, callback["code"], BROWSER)  # the starter still finishes
    session = app.session(session_id)
    assert session is not None
    assert session.member_id == emulator.member_id
    assert app.store.take_finished(state) == session_id
    boards = app.client(session_id).boards()
    assert [b.id for b in boards] == emulator.board_ids
    with pytest.raises(SignInRefusedError) as replayed:
        app.complete(state, callback["code"], BROWSER)
    assert replayed.value.outcome == "unknown"
    assert app.sign_out(session_id)
    assert app.session(session_id) is None
    with emulator.oauth2.lock:
        assert len(emulator.oauth2.revoked_chains) == 1
    with emulator.oauth2.lock:  # (codes are in this test's own request log: not checked)
        tokens = [*emulator.oauth2.access, *emulator.oauth2.refresh]
    for value in (CLIENT_SECRET, *tokens):
        assert value not in caplog.text


def test_refusals_are_one_line_and_keep_nothing(
    served: tuple[TrelloEmulator, VisitorOAuth2],
) -> None:
    emulator, app = served
    with pytest.raises(SignInRefusedError) as forged:
        app.complete("forged-state", "code", BROWSER)
    assert forged.value.outcome == "unknown"
    _, state = app.begin(BROWSER, REDIRECT)
    with pytest.raises(SignInRefusedError) as denied:
        app.complete(state, None, BROWSER)
    assert denied.value.outcome == "denied"
    _, state = app.begin(BROWSER, REDIRECT)
    with pytest.raises(SignInRefusedError) as bad_code:
        app.complete(state, "not-a-code", BROWSER)
    assert bad_code.value.outcome == "code"
    for refused in (forged, denied, bad_code):
        assert "\n" not in str(refused.value)
    assert emulator.oauth2.refresh == {}


def test_a_grant_broader_than_asked_is_revoked_and_refused(
    served: tuple[TrelloEmulator, VisitorOAuth2],
) -> None:
    emulator, app = served
    url, state = app.begin(BROWSER, REDIRECT)
    edited = url.replace("offline_access", "offline_access+write%3Aboard%3Atrello")
    callback = approve(edited)
    with pytest.raises(SignInRefusedError) as refused:
        app.complete(state, callback["code"], BROWSER)
    assert refused.value.outcome == "grant"
    assert "write:board:trello" in str(refused.value)
    with emulator.oauth2.lock:
        assert len(emulator.oauth2.revoked_chains) == 1


def test_a_revoked_session_asks_to_sign_in_again(
    served: tuple[TrelloEmulator, VisitorOAuth2],
) -> None:
    emulator, app = served
    url, state = app.begin(BROWSER, REDIRECT)
    session_id = app.complete(state, approve(url)["code"], BROWSER)
    emulator.oauth2.access_token_ttl = 0  # the next request refreshes
    app.client(session_id)  # made before the revocation, as a running replica has it
    emulator.oauth2.revoke_all()
    with pytest.raises(SignInRequiredError) as refused:
        app.client(session_id).boards()
    assert str(refused.value).startswith("Your Trello sign-in has ended")
    assert "trellolens login" not in str(refused.value)  # a visitor has no command line
    assert app.session(session_id) is None  # the session ended, everywhere


def test_replicas_on_one_redis_never_present_a_refresh_token_twice(
    served: tuple[TrelloEmulator, VisitorOAuth2],
) -> None:
    """Two replicas (each its own store client and token manager) refreshing one visitor's
    single-use refresh token with a 1-second access token, for 4 seconds."""
    from redis import Redis

    emulator, app = served
    emulator.oauth2.access_token_ttl = 1
    url, state = app.begin(BROWSER, REDIRECT)
    session_id = app.complete(state, approve(url)["code"], BROWSER)
    with RedisServer.start() as server:
        clients = [Redis.from_url(server.url) for _ in range(2)]
        keys = SessionKeys.from_secret(Secret(CLIENT_SECRET))
        stores = [RedisSessionStore(keys, client) for client in clients]
        stores[0].put(session_id, app.store.get(session_id))  # type: ignore[arg-type]
        managers = [
            VisitorTokens(
                Secret(CLIENT_ID),
                Secret(CLIENT_SECRET),
                SessionRefreshStore(store, session_id),
                auth_base_url=app.auth_base_url,
                redis=store.redis,
            )
            for store in stores
        ]
        errors: list[Exception] = []

        def hammer(manager: VisitorTokens) -> None:
            until = time.monotonic() + 4
            while time.monotonic() < until:
                try:
                    manager.access_token()
                except Exception as exc:  # noqa: BLE001 -- collected, asserted below
                    errors.append(exc)
                time.sleep(0.05)

        threads = [threading.Thread(target=hammer, args=(m,)) for m in managers for _ in "ab"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for client in clients:
            client.close()
    assert errors == []
    assert emulator.oauth2.reuse_detections == 0
    assert emulator.oauth2.refreshes >= 3
