"""Sign in with Trello over OAuth 2.0 under AppTest, against the emulator over real HTTP: the
wait, the pick-up, a "reload" (a new session bringing the cookie), forged cookies, Sign out, the
Security page's facts, and each callback outcome's one line."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import APP_SCRIPT, TIMEOUT_SECONDS
from tests.helpers.oauth2 import CLIENT_ID, CLIENT_SECRET
from tests.ui.test_page_connect import CONNECT_PAGE, everything_rendered
from trellolens.testing import TrelloEmulator, generate_export
from trellolens.ui.access import oauth2_signin, signin_throttle
from trellolens.ui.access.oauth2_app import visitor_oauth2
from trellolens.ui.access.oauth2_signin import PENDING_KEY, SESSION_KEY

BROWSER = "b" * 43
PUBLIC_URL = "http://localhost:8501"
SECURITY_PAGE = "src/trellolens/ui/pages/security.py"


@pytest.fixture
def cookie(monkeypatch: pytest.MonkeyPatch) -> dict[str, str | None]:
    """This browser: its id and its session cookie (AppTest has no handshake to carry them)."""
    jar: dict[str, str | None] = {"session": None}
    monkeypatch.setattr("trellolens.ui.access.signin_start.this_browser", lambda: BROWSER)
    monkeypatch.setattr(oauth2_signin, "session_cookie_value", lambda: jar["session"])
    monkeypatch.setattr(signin_throttle, "SESSIONS", signin_throttle.StartThrottle(3))
    monkeypatch.setattr(signin_throttle, "ADDRESSES", signin_throttle.StartThrottle(10))
    return jar


@pytest.fixture
def emulator() -> Iterator[TrelloEmulator]:
    emu = TrelloEmulator(boards=[generate_export(lists=3, cards=5, actions=20, seed=7)])
    emu.oauth2.register_client(CLIENT_ID, CLIENT_SECRET)
    emu.oauth2.auto_approve_member = emu.member_id
    with emu.serve() as base_url:
        for name in list(os.environ):  # tests/conftest.py restores them
            if name.startswith(("TRELLO", "AWS_")):
                del os.environ[name]
        os.environ["TRELLOLENS_SOURCES"] = "env"  # the test reads them too, outside the app
        os.environ["TRELLO_CLIENT_ID"] = CLIENT_ID
        os.environ["TRELLO_CLIENT_SECRET"] = CLIENT_SECRET
        os.environ["TRELLO_API_BASE_URL"] = base_url
        os.environ["TRELLO_AUTH_BASE_URL"] = emu.oauth2.base_url(base_url)
        yield emu


def visit(page: str = CONNECT_PAGE, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    at.secrets["trellolens"] = {"access": "visitor", "public_url": PUBLIC_URL}
    at.context = {"url": f"{PUBLIC_URL}/connect"}
    for name, value in (query or {}).items():
        at.query_params[name] = value
    return at.switch_page(page).run()


def labels(at: AppTest) -> list[str]:
    return [str(button.label) for button in at.button]


def secrets_of(emu: TrelloEmulator) -> list[str]:
    with emu.oauth2.lock:
        return [CLIENT_SECRET, *emu.oauth2.access, *emu.oauth2.refresh]


def sign_in(at: AppTest, emu: TrelloEmulator) -> str:
    """Click Sign in, let Trello approve and the callback finish: the session id."""
    at.button(key="visitor.sign_in").click().run()
    pending = at.session_state[PENDING_KEY]
    (link,) = at.get("link_button")
    query = {k: v[0] for k, v in parse_qs(urlsplit(link.proto.url).query).items()}
    assert query["state"] == pending.state
    assert query["code_challenge_method"] == "S256"
    assert query["redirect_uri"] == f"{PUBLIC_URL}/trellolens/oauth2/callback"
    location = httpx.get(link.proto.url).headers["location"]
    code = parse_qs(urlsplit(location).query)["code"][0]
    app = visitor_oauth2()
    assert app is not None
    session_id = app.complete(pending.state, code, BROWSER)  # what the callback route does
    at.run()
    return session_id


def test_sign_in_reload_and_sign_out(
    cookie: dict[str, str | None], emulator: TrelloEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    at = visit()
    assert "Sign in with Trello" in labels(at)
    assert not emulator.requests
    session_id = sign_in(at, emulator)
    assert at.session_state[SESSION_KEY] == session_id
    assert "Sign out" in labels(at)
    app = visitor_oauth2()
    assert app is not None
    cookie["session"] = app.keys.sign(session_id)
    reloaded = visit()  # a new browser session: only the cookie
    assert "Sign out" in labels(reloaded)
    assert not reloaded.error
    assert any("Trello accepts your sign-in (OAuth 2.0)" in s.value for s in reloaded.success)
    assert any("reads 1 open board" in i.value for i in reloaded.info)
    security = visit(SECURITY_PAGE)
    facts = " ".join(str(m.value) for m in security.markdown)
    assert "Signed in with Trello (OAuth 2.0)" in facts
    assert r"read\:board\:trello" in facts  # escaped for markdown
    for forged in (session_id, app.keys.sign(session_id)[:-2] + "AA", "x.y"):
        cookie["session"] = forged
        assert "Sign in with Trello" in labels(visit())
    cookie["session"] = app.keys.sign(session_id)
    reloaded.button(key="visitor.sign_out").click().run()
    assert any("Signed out: Trello revoked the sign-in." in i.value for i in reloaded.info)
    assert app.session(session_id) is None
    assert "Sign in with Trello" in labels(visit())  # the cookie names nothing any more
    with emulator.oauth2.lock:
        assert emulator.oauth2.revoked_chains
    rendered = everything_rendered(at) + everything_rendered(reloaded) + caplog.text
    for secret in secrets_of(emulator):
        assert secret not in rendered


@pytest.mark.parametrize(
    ("outcome", "line"),
    [
        ("approved", "Signed in with Trello. This tab is signed in too"),
        ("unknown", "not valid here"),
        ("foreign", "started in another browser"),
        ("code", "Trello did not accept the sign-in code"),
        ("grant", "it was revoked"),
        ("denied", "cancelled on Trello"),
        ("failed", "could not finish"),
        ("made-up", "not valid here"),
    ],
)
def test_each_callback_outcome_is_one_line(
    cookie: dict[str, str | None], emulator: TrelloEmulator, outcome: str, line: str
) -> None:
    at = visit(query={"signin": outcome})
    assert "signin" not in at.query_params
    shown = [str(i.value) for i in at.info if line in str(i.value)]
    assert len(shown) == 1
    assert "\n" not in shown[0]


def test_a_stray_code_in_the_page_address_is_dropped_and_never_used(
    cookie: dict[str, str | None], emulator: TrelloEmulator
) -> None:
    at = visit(query={"signin": "approved", "code": "stray", "state": "stray"})
    assert "code" not in at.query_params
    assert "state" not in at.query_params
    assert any("not valid here" in i.value for i in at.info)
    assert "Sign out" not in labels(at)


def test_a_sign_in_left_waiting_expires_and_cancel_forgets_it(
    cookie: dict[str, str | None], emulator: TrelloEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = visit()
    at.button(key="visitor.sign_in").click().run()
    assert PENDING_KEY in at.session_state
    at.button(key="visitor.cancel").click().run()
    assert PENDING_KEY not in at.session_state
    at.button(key="visitor.sign_in").click().run()
    monkeypatch.setattr(oauth2_signin, "PENDING_SECONDS", 0.0)
    at.run()
    assert PENDING_KEY not in at.session_state
    assert any("longer than 10 minutes" in i.value for i in at.info)


def test_without_public_url_off_loopback_sign_in_does_not_start(
    cookie: dict[str, str | None], emulator: TrelloEmulator
) -> None:
    at = visit()
    at.secrets["trellolens"] = {"access": "visitor"}  # AppTest listens on no loopback address
    at.run()
    at.button(key="visitor.sign_in").click().run()
    assert PENDING_KEY not in at.session_state
    assert any("public_url" in i.value for i in at.info)


def test_another_page_address_is_told_where_to_sign_in(
    cookie: dict[str, str | None], emulator: TrelloEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = visit()
    captured: dict[str, Any] = {}
    original = oauth2_signin._start

    def start(app: Any, public_url: str | None, origin: str | None) -> None:
        captured["origin"] = origin
        original(app, public_url, "https://elsewhere.example")

    monkeypatch.setattr(oauth2_signin, "_start", start)
    at.run()
    at.button(key="visitor.sign_in").click().run()
    assert PENDING_KEY not in at.session_state
    assert any(f"open this app at {PUBLIC_URL}" in i.value for i in at.info)
