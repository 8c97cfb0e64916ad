"""The emulator's OAuth 1.0a: Trello's three legs over real HTTP, signatures checked for real."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from authlib.oauth1 import ClientAuth

from trellolens.credentials import Secret
from trellolens.errors import TrelloError
from trellolens.testing import TokenSpec, TrelloEmulator
from trellolens.trello import TrelloClient
from trellolens.trello.oauth1 import (
    OAuthApp,
    authorize_url,
    finish_sign_in,
    oauth_base_for,
    start_sign_in,
)

KEY = "canary" + "0a0f" * 6 + "KEY"
API_SECRET = "canary" + "5ec" * 18 + "SECRET"
OTHER_MEMBER = "5f0000000000000000000b0b"
CALLBACK = "http://localhost:8501/?signin=trello"


@pytest.fixture
def served() -> Iterator[tuple[TrelloEmulator, OAuthApp]]:
    emu = TrelloEmulator(key=KEY, api_secret=API_SECRET, tokens=[TokenSpec("ATTA" + "0" * 60)])
    emu.add_token(TokenSpec("ATTA" + "1" * 60, member_id=OTHER_MEMBER))  # a second member
    with emu.serve() as base_url:
        yield emu, OAuthApp(Secret(KEY), Secret(API_SECRET), oauth_base_for(base_url))


def approve(url: str, member_id: str | None, decision: str = "allow") -> dict[str, list[str]]:
    """What a browser does on the approve page: click a button, follow the redirect's Location."""
    page = httpx.get(url)
    assert page.status_code == 200
    token = parse_qs(urlsplit(url).query)["oauth_token"][0]
    params = {"oauth_token": token, "decision": decision}
    if member_id is not None:
        params["member"] = member_id
    decide = httpx.get(url.split("?")[0] + "/decide", params=params)
    assert decide.status_code == 302
    location = decide.headers["location"]
    assert location.startswith(CALLBACK + "&")
    return parse_qs(urlsplit(location).query)


def test_the_three_legs_issue_a_read_token_for_the_approving_member(
    served: tuple[TrelloEmulator, OAuthApp],
) -> None:
    emu, app = served
    pending = start_sign_in(app, CALLBACK)
    url = authorize_url(app, pending, name="Team <dash>")
    page = httpx.get(url).text
    assert "Let Team &lt;dash&gt; use your account?" in page
    assert "<b>read</b> for" in page
    assert "<b>1day</b>" in page
    assert re.search(r"Allow as .*\(@member000b0b\)", page)
    callback = approve(url, OTHER_MEMBER)
    assert callback["oauth_token"] == [pending.token]
    token = finish_sign_in(app, pending, callback["oauth_verifier"][0])
    with TrelloClient(Secret(KEY), token, base_url=app.base_url) as client:
        info = client.token_info()
    assert info.member_id == OTHER_MEMBER
    assert info.scopes == ("read",)
    assert info.expires is not None
    assert abs(info.expires - (datetime.now(UTC) + timedelta(days=1))) < timedelta(minutes=1)
    assert emu.tokens[-1] == token.reveal()


def test_a_request_token_is_used_once(served: tuple[TrelloEmulator, OAuthApp]) -> None:
    _, app = served
    pending = start_sign_in(app, CALLBACK)
    callback = approve(authorize_url(app, pending, name="x"), OTHER_MEMBER)
    finish_sign_in(app, pending, callback["oauth_verifier"][0])
    with pytest.raises(TrelloError, match="HTTP 401"):
        finish_sign_in(app, pending, callback["oauth_verifier"][0])


@pytest.mark.parametrize("wrong", ["verifier", "secret", "app_secret", "unapproved"])
def test_a_wrong_verifier_or_signature_gets_no_token(
    served: tuple[TrelloEmulator, OAuthApp], wrong: str
) -> None:
    emu, app = served
    pending = start_sign_in(app, CALLBACK)
    url = authorize_url(app, pending, name="x")
    verifier = (
        "0" * 32 if wrong == "unapproved" else approve(url, OTHER_MEMBER)["oauth_verifier"][0]
    )
    if wrong == "verifier":
        verifier = "f" * 32
    if wrong == "secret":
        pending = type(pending)(pending.token, Secret("not-the-secret"))
    if wrong == "app_secret":
        app = OAuthApp(app.api_key, Secret("wrong"), app.base_url)
    before = len(emu.tokens)
    with pytest.raises(TrelloError, match="HTTP 401") as caught:
        finish_sign_in(app, pending, verifier)
    assert API_SECRET not in str(caught.value)
    assert len(emu.tokens) == before


def test_a_denied_approval_redirects_without_a_verifier(
    served: tuple[TrelloEmulator, OAuthApp],
) -> None:
    _, app = served
    pending = start_sign_in(app, CALLBACK)
    callback = approve(authorize_url(app, pending, name="x"), None, decision="deny")
    assert callback["oauth_problem"] == ["user_refused"]
    assert "oauth_verifier" not in callback
    with pytest.raises(TrelloError, match="HTTP 401"):
        finish_sign_in(app, pending, "0" * 32)


def test_an_expired_request_token_is_refused(served: tuple[TrelloEmulator, OAuthApp]) -> None:
    emu, app = served
    emu._state.oauth.request_token_ttl = 0.0
    pending = start_sign_in(app, CALLBACK)
    time.sleep(0.01)
    assert httpx.get(authorize_url(app, pending, name="x")).status_code == 401


def signed_post(app: OAuthApp, auth: ClientAuth) -> httpx.Response:
    uri, headers, body = auth.prepare("POST", f"{app.base_url}/OAuthGetRequestToken", {}, b"")
    return httpx.post(uri, headers=headers, content=body)


def test_a_replayed_nonce_and_an_old_timestamp_are_refused(
    served: tuple[TrelloEmulator, OAuthApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, app = served
    auth = ClientAuth(KEY, API_SECRET, redirect_uri=CALLBACK)
    uri, headers, _ = auth.prepare("POST", f"{app.base_url}/OAuthGetRequestToken", {}, b"")
    assert httpx.post(uri, headers=headers).status_code == 200
    replay = httpx.post(uri, headers=headers)
    assert (replay.status_code, replay.text) == (401, "oauth_nonce already used")
    monkeypatch.setattr(
        "authlib.oauth1.rfc5849.client_auth.generate_timestamp", lambda: int(time.time()) - 3600
    )
    stale = signed_post(app, ClientAuth(KEY, API_SECRET, redirect_uri=CALLBACK))
    assert (stale.status_code, stale.text) == (401, "oauth_timestamp out of range")


def test_an_unsigned_or_tampered_request_is_refused(
    served: tuple[TrelloEmulator, OAuthApp],
) -> None:
    _, app = served
    assert httpx.post(f"{app.base_url}/OAuthGetRequestToken").status_code == 401
    auth = ClientAuth(KEY, API_SECRET, redirect_uri=CALLBACK)
    uri, headers, _ = auth.prepare("POST", f"{app.base_url}/OAuthGetRequestToken", {}, b"")
    tampered = headers["Authorization"].replace("localhost%3A8501", "evil.example")
    reply = httpx.post(uri, headers={"Authorization": tampered})
    assert (reply.status_code, reply.text) == (401, "invalid signature")
    with pytest.raises(TrelloError, match="HTTP 401"):
        start_sign_in(OAuthApp(app.api_key, Secret("wrong"), app.base_url), CALLBACK)


def test_the_oauth_base_is_trello_for_the_real_api() -> None:
    assert oauth_base_for("https://api.trello.com/1") == "https://trello.com/1"
    assert oauth_base_for("http://127.0.0.1:9/1/") == "http://127.0.0.1:9/1"


@pytest.mark.parametrize(
    ("allowed", "callback", "refused"),
    [
        (None, CALLBACK, False),
        (None, "https://attacker.example/steal", True),
        (None, "http://localhost.attacker.example:8501/", True),
        (
            ("https://dash.example.com",),
            "https://dash.example.com/trellolens/signin/callback",
            False,
        ),
        (("https://dash.example.com",), "https://dash.example.com:8443/cb", True),
        (("https://dash.example.com",), "http://localhost:8501/cb", True),
        (("https://dash.example.com",), "https://attacker.example/cb", True),
    ],
)
def test_a_callback_origin_the_key_does_not_allow_is_refused_at_authorize_time(
    allowed: tuple[str, ...] | None, callback: str, refused: bool
) -> None:
    emu = TrelloEmulator(key=KEY, api_secret=API_SECRET, tokens=[], allowed_origins=allowed)
    with emu.serve() as base_url:
        app = OAuthApp(Secret(KEY), Secret(API_SECRET), oauth_base_for(base_url))
        pending = start_sign_in(app, callback)
        assert emu.oauth_callbacks == [callback]
        page = httpx.get(authorize_url(app, pending, name="trellolens"))
        decide = httpx.get(
            f"{base_url}/OAuthAuthorizeToken/decide",
            params={"oauth_token": pending.token, "decision": "deny"},
        )
    if refused:
        assert page.status_code == decide.status_code == 400
        assert "origin is not allowed" in page.text
        assert "location" not in decide.headers  # nothing is sent to the callback
    else:
        assert page.status_code == 200
        assert decide.status_code == 302
