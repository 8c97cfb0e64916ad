"""Sign in with Trello under AppTest: the gate in visitor mode, callbacks, a failed exchange."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import APP_SCRIPT, TIMEOUT_SECONDS
from tests.helpers.canaries import CANARY_KEY, CANARY_SECRET, CANARY_TOKEN, assert_no_canary
from tests.ui.test_page_connect import CONNECT_PAGE, everything_rendered
from trellolens.settings import Settings
from trellolens.testing import TokenSpec, TrelloEmulator, generate_export
from trellolens.ui.access import ANONYMOUS as NOBODY
from trellolens.ui.access import AccessMode, AccessSettings, decide, signin_throttle
from trellolens.ui.access.signin import PENDING_KEY, app_name
from trellolens.ui.access.signin_callbacks import CALLBACKS, CallbackBoard

VISITOR = AccessSettings(AccessMode.VISITOR)
PAGE_URL = "http://localhost:8501/connect"
BROWSER = "b" * 43
"""This browser's id cookie (AppTest has no websocket handshake to carry a real one)."""
OTHER_BROWSER = "o" * 43
PUBLIC_URL = "http://localhost:8501"


@pytest.fixture(autouse=True)
def one_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every AppTest session runs in BROWSER, with fresh sign-in throttles."""
    monkeypatch.setattr("trellolens.ui.access.signin_start.this_browser", lambda: BROWSER)
    monkeypatch.setattr(signin_throttle, "SESSIONS", signin_throttle.StartThrottle(3))
    monkeypatch.setattr(signin_throttle, "ADDRESSES", signin_throttle.StartThrottle(10))


def test_visitor_mode_needs_a_trello_sign_in_even_on_loopback() -> None:
    refused = decide(VISITOR, NOBODY, loopback=True, login_configured=True)
    assert not refused.allowed
    assert refused.visitor
    assert "Sign in with Trello" in refused.reason
    allowed = decide(VISITOR, NOBODY, loopback=False, login_configured=False, trello_signed_in=True)
    assert allowed.allowed
    assert allowed.visitor


def test_the_app_name_comes_from_the_secrets_else_the_environment() -> None:
    assert app_name(Settings({}, {})) == "trellolens"
    named = {"TRELLOLENS_APP_NAME": "  Team dashboard "}
    assert app_name(Settings({}, named)) == "Team dashboard"
    assert app_name(Settings({"app_name": "From secrets"}, named)) == "From secrets"


def test_a_callback_is_taken_once_and_expires() -> None:
    board = CallbackBoard(ttl=60)
    assert board.arrive("never-started", "v", BROWSER) == "unknown"
    board.expect("rt1", BROWSER)
    assert board.take("rt1") == (False, None)
    assert board.arrive("rt1", "v1", BROWSER) == "approved"
    assert board.arrive("rt1", "v2", BROWSER) == "unknown"  # replayed
    assert board.take("rt1") == (True, "v1")
    assert board.take("rt1") == (False, None)
    board.expect("rt2", BROWSER)
    assert board.arrive("rt2", None, BROWSER) == "denied"
    assert board.take("rt2") == (True, None)
    late = CallbackBoard(ttl=0)
    late.expect("rt3", BROWSER)
    assert late.arrive("rt3", "v", BROWSER) == "expired"


@pytest.mark.parametrize("browser", [OTHER_BROWSER, None, "", BROWSER[:-1]])
def test_a_callback_from_another_browser_is_refused_and_changes_nothing(
    browser: str | None,
) -> None:
    board = CallbackBoard(ttl=60)
    board.expect("rt", BROWSER)
    assert board.arrive("rt", "attackers-verifier", browser) == "foreign"
    assert board.take("rt") == (False, None)  # nothing arrived for the starting session
    assert board.arrive("rt", "victims-verifier", BROWSER) == "approved"  # it can still finish
    assert board.take("rt") == (True, "victims-verifier")


@pytest.fixture
def served() -> Iterator[tuple[TrelloEmulator, str]]:
    emu = TrelloEmulator(
        boards=[generate_export(lists=3, cards=5, actions=20, seed=7)],
        key=CANARY_KEY,
        api_secret=CANARY_SECRET,
        tokens=[TokenSpec(CANARY_TOKEN)],
    )
    with emu.serve() as base_url:
        yield emu, base_url


def visit(base_url: str, trello: dict[str, Any], query: dict[str, str] | None = None) -> AppTest:
    for name in list(os.environ):  # tests/conftest.py restores them
        if name.startswith(("TRELLO", "AWS_")):
            del os.environ[name]
    os.environ["TRELLOLENS_SOURCES"] = "streamlit"
    os.environ["TRELLO_API_BASE_URL"] = base_url
    at = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    at.secrets["trello"] = trello
    at.secrets["trellolens"] = {"access": "visitor", "public_url": PUBLIC_URL}
    at.context = {"url": PAGE_URL}
    for name, value in (query or {}).items():
        at.query_params[name] = value
    return at.switch_page(CONNECT_PAGE).run()


def labels(at: AppTest) -> list[str]:
    return [str(button.label) for button in at.button]


def test_the_apps_own_token_is_never_used(served: tuple[TrelloEmulator, str]) -> None:
    emu, base_url = served
    at = visit(
        base_url, {"api_key": CANARY_KEY, "api_secret": CANARY_SECRET, "token": CANARY_TOKEN}
    )
    assert not at.exception
    assert "Sign in with Trello" in labels(at)
    assert not at.selectbox
    assert not emu.requests
    assert_no_canary(everything_rendered(at))


def test_visitor_mode_without_the_api_secret_is_one_line(
    served: tuple[TrelloEmulator, str],
) -> None:
    emu, base_url = served
    at = visit(base_url, {"api_key": CANARY_KEY})
    (error,) = at.error
    assert "api_secret" in error.value
    assert "\n" not in error.value
    assert "Sign in with Trello" not in labels(at)
    assert not emu.requests
    assert_no_canary(everything_rendered(at))


def test_an_unknown_callback_is_cleared_and_gets_one_line(
    served: tuple[TrelloEmulator, str],
) -> None:
    _, base_url = served
    at = visit(
        base_url,
        {"api_key": CANARY_KEY, "api_secret": CANARY_SECRET},
        {"oauth_token": "forged", "oauth_verifier": "forged", "utm_source": "kept"},
    )
    assert not at.exception
    assert "oauth_token" not in at.query_params
    assert "oauth_verifier" not in at.query_params
    assert at.query_params["utm_source"] in ("kept", ["kept"])  # only the sign-in's own go
    assert any("not valid here" in info.value for info in at.info)
    assert "Sign out" not in labels(at)


def test_a_refused_exchange_is_one_line_and_leaks_nothing(
    served: tuple[TrelloEmulator, str], caplog: pytest.LogCaptureFixture
) -> None:
    emu, base_url = served
    caplog.set_level(logging.DEBUG)
    at = visit(base_url, {"api_key": CANARY_KEY, "api_secret": CANARY_SECRET})
    at.button(key="visitor.sign_in").click().run()
    pending = at.session_state[PENDING_KEY]
    request_token = pending.sign_in.token
    (link,) = at.get("link_button")
    assert request_token in link.proto.url
    assert CALLBACKS.arrive(request_token, "a-forged-verifier", BROWSER) == "approved"
    at.run()
    assert PENDING_KEY not in at.session_state
    assert any("Sign-in failed: Trello refused the sign-in (HTTP 401)" in i.value for i in at.info)
    assert "Sign out" not in labels(at)
    rendered = everything_rendered(at) + caplog.text
    assert_no_canary(rendered, *emu.oauth_secrets)
    assert emu.oauth_secrets  # the request token's secret existed, and stayed in the session


def test_a_sign_in_left_waiting_expires(
    served: tuple[TrelloEmulator, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    emu, base_url = served
    at = visit(base_url, {"api_key": CANARY_KEY, "api_secret": CANARY_SECRET})
    at.button(key="visitor.sign_in").click().run()
    request_token = at.session_state[PENDING_KEY].sign_in.token
    monkeypatch.setattr("trellolens.ui.access.signin.SIGNIN_TTL_SECONDS", 0.0)
    at.run()
    assert PENDING_KEY not in at.session_state
    assert any("expired" in info.value for info in at.info)
    assert (
        CALLBACKS.arrive(request_token, "late", BROWSER) == "unknown"
    )  # a late callback finds nothing
    assert_no_canary(everything_rendered(at), *emu.oauth_secrets)


def request_token_calls(emu: TrelloEmulator) -> int:
    return sum(1 for r in emu.requests if r.path.rstrip("/") == "/1/OAuthGetRequestToken")


def test_the_callback_url_comes_from_configuration_not_from_the_browser(
    served: tuple[TrelloEmulator, str],
) -> None:
    emu, base_url = served
    at = visit(base_url, {"api_key": CANARY_KEY, "api_secret": CANARY_SECRET})
    at.context = {"url": "https://attacker.example/connect"}  # what a rewriting client reports
    at.button(key="visitor.sign_in").click().run()
    assert PENDING_KEY in at.session_state
    assert emu.oauth_callbacks == [f"{PUBLIC_URL}/trellolens/signin/callback"]


def test_off_loopback_without_public_url_sign_in_does_not_start(
    served: tuple[TrelloEmulator, str],
) -> None:
    emu, base_url = served
    at = visit(base_url, {"api_key": CANARY_KEY, "api_secret": CANARY_SECRET})
    at.secrets["trellolens"] = {"access": "visitor"}  # AppTest listens on no loopback address
    at.run()
    at.button(key="visitor.sign_in").click().run()
    assert PENDING_KEY not in at.session_state
    (line,) = [info.value for info in at.info if "Sign-in could not start" in info.value]
    assert "public_url" in line
    assert "\n" not in line
    assert request_token_calls(emu) == 0


def test_sign_in_then_cancel_in_a_loop_is_throttled(served: tuple[TrelloEmulator, str]) -> None:
    emu, base_url = served
    at = visit(base_url, {"api_key": CANARY_KEY, "api_secret": CANARY_SECRET})
    for _ in range(12):
        at.button(key="visitor.sign_in").click().run()
        if PENDING_KEY in at.session_state:
            at.button(key="visitor.cancel").click().run()
    assert request_token_calls(emu) == signin_throttle.PER_SESSION
    assert any(info.value == signin_throttle.THROTTLED for info in at.info)
    # A new session in the same place is limited by the client address too.
    for _ in range(4):
        other = visit(base_url, {"api_key": CANARY_KEY, "api_secret": CANARY_SECRET})
        for _ in range(3):
            other.button(key="visitor.sign_in").click().run()
            if PENDING_KEY in other.session_state:
                other.button(key="visitor.cancel").click().run()
    assert request_token_calls(emu) == signin_throttle.PER_ADDRESS


def approve_as_member(
    base_url: str, emu: TrelloEmulator, request_token: str, query: dict[str, str]
) -> str:
    """The visitor's browser on Trello's approve page (its link as given): the verifier."""
    page = httpx.get(
        f"{base_url}/OAuthAuthorizeToken", params={"oauth_token": request_token, **query}
    )
    assert page.status_code == 200
    decided = httpx.get(
        f"{base_url}/OAuthAuthorizeToken/decide",
        params={"oauth_token": request_token, "decision": "allow", "member": emu.member_id},
    )
    return parse_qs(urlsplit(decided.headers["location"]).query)["oauth_verifier"][0]


@pytest.mark.parametrize(
    "edited",
    [
        {"scope": "read,write,account", "expiration": "never"},
        {"scope": "read,write", "expiration": "1day"},
        {"scope": "read", "expiration": "30days"},
    ],
)
def test_a_token_broader_or_longer_lived_than_asked_is_refused_and_revoked(
    served: tuple[TrelloEmulator, str], edited: dict[str, str]
) -> None:
    emu, base_url = served
    at = visit(base_url, {"api_key": CANARY_KEY, "api_secret": CANARY_SECRET})
    at.button(key="visitor.sign_in").click().run()
    request_token = at.session_state[PENDING_KEY].sign_in.token
    verifier = approve_as_member(base_url, emu, request_token, {"name": "x", **edited})
    assert CALLBACKS.arrive(request_token, verifier, BROWSER) == "approved"
    at.run()
    assert "Sign out" not in labels(at)
    (line,) = [info.value for info in at.info if "Sign-in refused" in info.value]
    assert "revoked" in line
    issued = emu.tokens[-1]
    assert issued != CANARY_TOKEN
    header = f'OAuth oauth_consumer_key="{CANARY_KEY}", oauth_token="{issued}"'
    assert httpx.get(f"{base_url}/members/me", headers={"Authorization": header}).status_code == 401
    assert_no_canary(everything_rendered(at), issued, *emu.oauth_secrets)


def test_the_link_as_given_signs_in(served: tuple[TrelloEmulator, str]) -> None:
    emu, base_url = served
    at = visit(base_url, {"api_key": CANARY_KEY, "api_secret": CANARY_SECRET})
    at.button(key="visitor.sign_in").click().run()
    pending = at.session_state[PENDING_KEY]
    query = dict(parse_qsl(urlsplit(pending.url).query))
    del query["oauth_token"]
    verifier = approve_as_member(base_url, emu, pending.sign_in.token, query)
    assert CALLBACKS.arrive(pending.sign_in.token, verifier, BROWSER) == "approved"
    at.run()
    assert "Sign out" in labels(at)
    assert_no_canary(everything_rendered(at), emu.tokens[-1], *emu.oauth_secrets)


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        ("approved", "Go back to the tab"),
        ("foreign", "started in another browser"),
        ("denied", "cancelled on Trello"),
        ("<b>made up</b>", "not valid here"),
    ],
)
def test_the_callback_routes_outcome_is_one_line_and_leaves_the_address(
    served: tuple[TrelloEmulator, str], outcome: str, expected: str
) -> None:
    _, base_url = served
    at = visit(base_url, {"api_key": CANARY_KEY, "api_secret": CANARY_SECRET}, {"signin": outcome})
    assert "signin" not in at.query_params
    (line,) = [info.value for info in at.info if expected in info.value]
    assert "\n" not in line
    assert "made up" not in everything_rendered(at)


def test_a_page_opened_under_another_address_is_told_where_to_sign_in(
    served: tuple[TrelloEmulator, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    emu, base_url = served
    other = {"Host": "127.0.0.1:8501", "Origin": "http://127.0.0.1:8501"}
    monkeypatch.setattr("trellolens.ui.access.gate.request_headers", lambda: other)
    at = visit(base_url, {"api_key": CANARY_KEY, "api_secret": CANARY_SECRET})
    at.button(key="visitor.sign_in").click().run()
    assert PENDING_KEY not in at.session_state
    assert any(f"open this app at {PUBLIC_URL}" in info.value for info in at.info)
    assert request_token_calls(emu) == 0


def test_without_the_browser_cookie_sign_in_does_not_start(
    served: tuple[TrelloEmulator, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    emu, base_url = served
    monkeypatch.setattr("trellolens.ui.access.signin_start.this_browser", lambda: None)
    at = visit(base_url, {"api_key": CANARY_KEY, "api_secret": CANARY_SECRET})
    at.button(key="visitor.sign_in").click().run()
    assert PENDING_KEY not in at.session_state
    assert any("needs this site's cookie" in info.value for info in at.info)
    assert request_token_calls(emu) == 0
