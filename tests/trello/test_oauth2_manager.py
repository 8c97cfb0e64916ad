"""The OAuth 2.0 token manager against the emulator over real HTTP: refresh, rotation, errors."""

from __future__ import annotations

import logging
import stat
import threading
from pathlib import Path

import pytest

from tests.helpers.canaries import assert_no_canary
from tests.helpers.oauth2 import CLIENT_ID, CLIENT_SECRET
from tests.trello.oauth2_support import OAuth2Served, oauth2_served
from trellolens.credentials import Secret
from trellolens.errors import SignInRequiredError, TrelloError
from trellolens.trello import TrelloClient
from trellolens.trello.oauth2 import BearerAuth, TokenManager
from trellolens.trello.oauth2_store import MemoryStore, SecretsFileStore

__all__ = ["oauth2_served"]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def manager_for(served: OAuth2Served, store: object, **options: object) -> TokenManager:
    return TokenManager(
        Secret(CLIENT_ID),
        Secret(CLIENT_SECRET),
        store,  # type: ignore[arg-type]
        auth_base_url=served.auth_base,
        shared=False,
        **options,  # type: ignore[arg-type]
    )


def test_refreshes_before_expiry_and_persists_each_rotation_to_the_file(
    oauth2_served: OAuth2Served, tmp_path: Path
) -> None:
    served = oauth2_served
    served.emulator.oauth2.access_token_ttl = 2
    path = served.secrets_file(tmp_path)
    first = SecretsFileStore(path).read()
    clock = FakeClock()
    manager = manager_for(served, SecretsFileStore(path), clock=clock)
    with TrelloClient(auth=BearerAuth(manager), base_url=served.base_url) as client:
        assert client.boards()
        clock.now += 1.6  # within the last quarter of a 2-second lifetime
        assert client.boards()
    assert manager.refreshes == 2
    api = [r.status for r in served.emulator.requests if r.path.startswith("/1/")]
    assert api == [200, 200]  # refreshed ahead: never waited for a 401
    text = path.read_text()
    assert "# rotates on every refresh" in text
    assert "# trellolens secrets: keep this file private" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    newest = SecretsFileStore(path).read()
    assert newest is not None
    assert newest != first
    assert first is not None
    assert first.reveal() not in text
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left


def test_a_401_refreshes_once_and_retries(oauth2_served: OAuth2Served) -> None:
    served = oauth2_served
    store = MemoryStore(Secret(served.refresh_token()))
    manager = manager_for(served, store, clock=FakeClock())  # never thinks it is late
    with TrelloClient(auth=BearerAuth(manager), base_url=served.base_url) as client:
        assert client.boards()
        served.emulator.oauth2.access_token_ttl = 0  # what Trello issues next is already stale
        with served.emulator.oauth2.lock:
            for grant in served.emulator.oauth2.access.values():
                grant.expires = 0  # the one in use expires now
        with pytest.raises(TrelloError):
            client.boards()  # 401, one refresh, 401 again: an error, not a loop
    statuses = [r.status for r in served.emulator.requests if r.path.startswith("/1/")]
    assert statuses == [200, 401, 401]
    assert manager.refreshes == 2


def test_a_401_then_success_after_the_refresh(oauth2_served: OAuth2Served) -> None:
    served = oauth2_served
    manager = manager_for(served, MemoryStore(Secret(served.refresh_token())), clock=FakeClock())
    with TrelloClient(auth=BearerAuth(manager), base_url=served.base_url) as client:
        assert client.boards()
        with served.emulator.oauth2.lock:
            for grant in served.emulator.oauth2.access.values():
                grant.expires = 0
        assert client.boards()
    statuses = [r.status for r in served.emulator.requests if r.path.startswith("/1/")]
    assert statuses == [200, 401, 200]
    assert manager.refreshes == 2


def test_only_a_bearer_header_reaches_trello(oauth2_served: OAuth2Served) -> None:
    served = oauth2_served
    manager = manager_for(served, MemoryStore(Secret(served.refresh_token())))
    with TrelloClient(auth=BearerAuth(manager), base_url=served.base_url) as client:
        client.boards()
    (request,) = [r for r in served.emulator.requests if r.path.startswith("/1/")]
    assert request.headers["authorization"].startswith("Bearer ")
    assert not request.credentials_in_url
    assert "token" not in request.raw_target
    assert "key=" not in request.raw_target


def test_threads_refresh_once(oauth2_served: OAuth2Served) -> None:
    served = oauth2_served
    manager = manager_for(served, MemoryStore(Secret(served.refresh_token())))
    barrier = threading.Barrier(8)
    tokens: list[Secret] = []

    def take() -> None:
        barrier.wait()
        tokens.append(manager.access_token())

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert manager.refreshes == 1
    assert len(set(tokens)) == 1
    assert served.emulator.oauth2.reuse_detections == 0


def test_a_stolen_refresh_token_replayed_revokes_the_chain_and_says_so_in_one_line(
    oauth2_served: OAuth2Served, caplog: pytest.LogCaptureFixture
) -> None:
    served = oauth2_served
    caplog.set_level(logging.DEBUG)
    stolen = served.refresh_token()
    store = MemoryStore(Secret(stolen))
    manager = manager_for(served, store)
    manager.access_token()  # the app rotates: the thief's copy is now spent
    thief = manager_for(served, MemoryStore(Secret(stolen)))
    with pytest.raises(SignInRequiredError):
        thief.access_token()
    assert served.emulator.oauth2.reuse_detections == 1
    with pytest.raises(SignInRequiredError) as raised:
        manager.access_token(stale=manager.access_token())
    message = str(raised.value)
    assert "\n" not in message
    assert "presented twice" in message
    assert message.endswith("sign in again: `trellolens login`")
    newest = store.read()
    assert newest is not None
    oauth2 = served.emulator.oauth2
    secrets = [stolen, newest.reveal(), CLIENT_SECRET, *oauth2.access, *oauth2.refresh]
    for value in secrets:
        assert value not in message
        assert value not in caplog.text
        assert value not in repr(manager)
    requests_before = served.emulator.request_count
    with pytest.raises(SignInRequiredError):
        manager.access_token(stale=manager.access_token())
    assert served.emulator.request_count == requests_before  # not presented again
    assert_no_canary(message)


def test_a_revoked_sign_in_says_sign_in_again(oauth2_served: OAuth2Served) -> None:
    served = oauth2_served
    manager = manager_for(served, MemoryStore(Secret(served.refresh_token())))
    served.emulator.oauth2.revoke_all()
    with pytest.raises(SignInRequiredError, match=r"revoked, expired or already used") as raised:
        manager.access_token()
    assert raised.value.reason == "revoked"


def test_an_empty_store_and_a_wrong_client_secret_are_one_line(
    oauth2_served: OAuth2Served,
) -> None:
    served = oauth2_served
    with pytest.raises(SignInRequiredError, match=r"no OAuth 2\.0 refresh token"):
        manager_for(served, MemoryStore()).access_token()
    wrong = TokenManager(
        Secret(CLIENT_ID),
        Secret("ATTACANARYWRONGSECRET"),
        MemoryStore(Secret(served.refresh_token())),
        auth_base_url=served.auth_base,
        shared=False,
    )
    with pytest.raises(Exception, match="invalid_client") as raised:
        wrong.access_token()
    assert_no_canary(str(raised.value))


def test_oauth2_client_resolves_refreshes_and_writes_back_to_the_secrets_file(
    oauth2_served: OAuth2Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trellolens.trello import oauth2_client

    served = oauth2_served
    folder = tmp_path / ".streamlit"
    folder.mkdir()
    path = served.secrets_file(folder)
    before = SecretsFileStore(path).read()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TRELLOLENS_SOURCES", "streamlit")
    monkeypatch.setenv("TRELLO_AUTH_BASE_URL", served.auth_base)
    with oauth2_client(base_url=served.base_url, shared=False) as client:
        assert client.boards()
    after = SecretsFileStore(path).read()
    assert after is not None
    assert after != before
    with served.emulator.oauth2.lock:
        assert not served.emulator.oauth2.refresh[after.reveal()].used
