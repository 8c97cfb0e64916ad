"""Sign in with Trello under AppTest: the gate in visitor mode, callbacks, a failed exchange."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import APP_SCRIPT, TIMEOUT_SECONDS
from tests.helpers.canaries import CANARY_KEY, CANARY_SECRET, CANARY_TOKEN, assert_no_canary
from tests.ui.test_page_connect import CONNECT_PAGE, everything_rendered
from trellolens.testing import TokenSpec, TrelloEmulator, generate_export
from trellolens.ui.access import ANONYMOUS as NOBODY
from trellolens.ui.access import AccessMode, AccessSettings, decide
from trellolens.ui.components.trello_signin import CALLBACKS, PENDING_KEY, CallbackBoard, app_name

VISITOR = AccessSettings(AccessMode.VISITOR)
PAGE_URL = "http://localhost:8501/connect"


def test_visitor_mode_needs_a_trello_sign_in_even_on_loopback() -> None:
    refused = decide(VISITOR, NOBODY, loopback=True, login_configured=True)
    assert not refused.allowed
    assert refused.visitor
    assert "Sign in with Trello" in refused.reason
    allowed = decide(VISITOR, NOBODY, loopback=False, login_configured=False, trello_signed_in=True)
    assert allowed.allowed
    assert allowed.visitor


def test_the_app_name_comes_from_the_secrets_else_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TRELLOLENS_APP_NAME", raising=False)
    assert app_name(None) == "trellolens"
    monkeypatch.setenv("TRELLOLENS_APP_NAME", "  Team dashboard ")
    assert app_name(None) == "Team dashboard"
    assert app_name({"app_name": "From secrets"}) == "From secrets"


def test_a_callback_is_taken_once_and_expires() -> None:
    board = CallbackBoard(ttl=60)
    assert board.arrive("never-started", "v") == "unknown"
    board.expect("rt1")
    assert board.take("rt1") == (False, None)
    assert board.arrive("rt1", "v1") == "approved"
    assert board.arrive("rt1", "v2") == "unknown"  # replayed
    assert board.take("rt1") == (True, "v1")
    assert board.take("rt1") == (False, None)
    board.expect("rt2")
    assert board.arrive("rt2", None) == "denied"
    assert board.take("rt2") == (True, None)
    late = CallbackBoard(ttl=0)
    late.expect("rt3")
    assert late.arrive("rt3", "v") == "expired"


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
    at.secrets["trellolens"] = {"access": "visitor"}
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
    assert CALLBACKS.arrive(request_token, "a-forged-verifier") == "approved"
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
    monkeypatch.setattr("trellolens.ui.components.trello_signin.SIGNIN_TTL_SECONDS", 0.0)
    at.run()
    assert PENDING_KEY not in at.session_state
    assert any("expired" in info.value for info in at.info)
    assert CALLBACKS.arrive(request_token, "late") == "unknown"  # a late callback finds nothing
    assert_no_canary(everything_rendered(at), *emu.oauth_secrets)
