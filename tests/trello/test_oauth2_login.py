"""The login flow in this process: the browser path of `trellolens login`, and every refusal."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from tests.helpers.canaries import assert_no_canary
from tests.helpers.oauth2 import CLIENT_ID, CLIENT_SECRET
from tests.trello.oauth2_support import OAuth2Served, oauth2_served
from trellolens.cli.main import cli
from trellolens.credentials import Secret
from trellolens.trello.oauth2_login import (
    DEFAULT_SCOPES,
    WRITE_BOARD,
    LoginError,
    LoginRequest,
    LoopbackReceiver,
    finish_login,
    start_login,
)
from trellolens.trello.oauth2_store import SecretsFileStore

__all__ = ["oauth2_served"]
ID, SECRET = Secret(CLIENT_ID), Secret(CLIENT_SECRET)


def test_login_opens_the_browser_and_stores_the_token(
    oauth2_served: OAuth2Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = oauth2_served
    opened: list[str] = []

    def browser(url: str) -> bool:  # a browser: follows the consent redirect to the receiver
        opened.append(url)
        threading.Thread(target=httpx.get, args=(url,), kwargs={"follow_redirects": True}).start()
        return True

    monkeypatch.setattr("webbrowser.open", browser)
    path = tmp_path / "secrets.toml"
    env = {
        "TRELLOLENS_SOURCES": "env",
        "TRELLO_CLIENT_ID": CLIENT_ID,
        "TRELLO_CLIENT_SECRET": CLIENT_SECRET,
        "TRELLO_AUTH_BASE_URL": served.auth_base,
    }
    result = CliRunner().invoke(cli, ["login", "--port", "0", "--secrets-file", str(path)], env=env)
    assert result.exit_code == 0, result.output
    assert len(opened) == 1
    assert result.stdout.startswith(
        "Signed in (read:board:trello read:member:trello offline_access)"
    )
    stored = SecretsFileStore(path).read()
    assert stored is not None
    assert stored.reveal() not in result.output
    assert_no_canary(result.output, CLIENT_SECRET)


def test_a_callback_without_a_code_is_one_line(oauth2_served: OAuth2Served) -> None:
    login = start_login(ID, oauth2_served.auth_base, "http://127.0.0.1:9/callback", DEFAULT_SCOPES)
    with pytest.raises(LoginError, match=r"did not sign you in \(access_denied\)"):
        finish_login(login, {"error": "access_denied"}, ID, SECRET, oauth2_served.auth_base)
    with pytest.raises(LoginError, match=r"did not sign you in \(refused\)"):
        finish_login(login, {"error": "<script>x</script>"}, ID, SECRET, oauth2_served.auth_base)


def approved(served: OAuth2Served, scopes: tuple[str, ...]) -> tuple[LoginRequest, dict[str, str]]:
    receiver = LoopbackReceiver(0)
    login = start_login(ID, served.auth_base, receiver.redirect_uri, scopes)
    threading.Thread(target=httpx.get, args=(login.url,), kwargs={"follow_redirects": True}).start()
    return login, receiver.wait(login.state, 30)


def test_a_replayed_code_is_refused(oauth2_served: OAuth2Served) -> None:
    served = oauth2_served
    login, callback = approved(served, DEFAULT_SCOPES)
    assert finish_login(login, callback, ID, SECRET, served.auth_base).scopes == DEFAULT_SCOPES
    with pytest.raises(LoginError, match="used, expired or forged"):
        finish_login(login, callback, ID, SECRET, served.auth_base)


def test_more_than_asked_is_revoked_and_refused(oauth2_served: OAuth2Served) -> None:
    served = oauth2_served
    login, callback = approved(served, (*DEFAULT_SCOPES, WRITE_BOARD))
    narrower = dataclasses.replace(login, scopes=DEFAULT_SCOPES)
    with pytest.raises(LoginError, match=r"granted more than asked \(write:board:trello\)"):
        finish_login(narrower, callback, ID, SECRET, served.auth_base)
    assert len(served.emulator.oauth2.revoked_chains) == 1


def test_no_offline_access_means_no_refresh_token(oauth2_served: OAuth2Served) -> None:
    login, callback = approved(oauth2_served, ("read:board:trello",))
    with pytest.raises(LoginError, match="no refresh token"):
        finish_login(login, callback, ID, SECRET, oauth2_served.auth_base)


def test_a_silent_browser_times_out_and_a_busy_port_is_named() -> None:
    receiver = LoopbackReceiver(0)
    with pytest.raises(LoginError, match="no sign-in came back within 0 s"):
        receiver.wait("state", 0.2)
    held = LoopbackReceiver(0)
    try:
        with pytest.raises(LoginError, match=f"cannot listen on 127.0.0.1:{held.port}"):
            LoopbackReceiver(held.port)
    finally:
        held.close()


def test_the_receiver_answers_only_its_path_and_state() -> None:
    receiver = LoopbackReceiver(0)
    results: list[dict[str, str]] = []
    waiting = threading.Thread(target=lambda: results.append(receiver.wait("good", 10)))
    waiting.start()
    base = receiver.redirect_uri.removesuffix("/callback")
    assert httpx.get(f"{base}/other", params={"state": "good"}).status_code == 404
    assert httpx.get(receiver.redirect_uri, params={"state": "bad", "code": "c"}).status_code == 400
    assert (
        httpx.get(receiver.redirect_uri, params={"state": "good", "code": "c"}).status_code == 200
    )
    waiting.join(10)
    assert results == [{"state": "good", "code": "c"}]
