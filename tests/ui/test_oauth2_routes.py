"""The OAuth 2.0 callback route over Starlette's test client, against the emulator over HTTP:
the session cookie it sets (HttpOnly, SameSite=Lax, Secure off loopback, a signed id only) and
every refusal, which sets no cookie and says one word."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from tests.helpers.oauth2 import CLIENT_ID, CLIENT_SECRET
from tests.testing.emulator_support import make_emulator
from trellolens.service.visitor_oauth2 import VisitorOAuth2
from trellolens.testing import TrelloEmulator
from trellolens.ui.access.oauth2_app import visitor_oauth2
from trellolens.ui.access.oauth2_routes import oauth2_routes
from trellolens.ui.access.signin_routes import signin_middleware, signin_routes

with warnings.catch_warnings():  # Starlette prefers httpx2 for its test client; httpx works
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

CALLBACK = "/trellolens/oauth2/callback"
BROWSER = "c" * 43


@dataclass
class Served:
    emulator: TrelloEmulator
    app: VisitorOAuth2
    client: TestClient


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    monkeypatch.chdir(tmp_path)  # no secrets file: the environment only
    emulator = make_emulator()
    emulator.oauth2.register_client(CLIENT_ID, CLIENT_SECRET)
    emulator.oauth2.auto_approve_member = emulator.member_id
    with emulator.serve() as base_url:
        os.environ.update(
            {
                "TRELLOLENS_SOURCES": "env",
                "TRELLO_CLIENT_ID": CLIENT_ID,
                "TRELLO_CLIENT_SECRET": CLIENT_SECRET,
                "TRELLO_API_BASE_URL": base_url,
                "TRELLO_AUTH_BASE_URL": emulator.oauth2.base_url(base_url),
                "TRELLOLENS_SESSION_DAYS": "2",
                "TRELLOLENS_PUBLIC_URL": "http://127.0.0.1:8501",
            }
        )
        app = visitor_oauth2()
        assert app is not None
        routes = Starlette(
            routes=[*signin_routes(), *oauth2_routes()], middleware=signin_middleware()
        )
        with TestClient(routes, base_url="http://127.0.0.1:8501") as client:
            yield Served(emulator, app, client)


def callback_query(app: VisitorOAuth2, browser: str = BROWSER) -> tuple[str, str]:
    url, state = app.begin(browser, f"http://127.0.0.1:8501{CALLBACK}")
    location = httpx.get(url).headers["location"]
    return parse_qs(urlsplit(location).query)["code"][0], state


def session_cookies(response: Any) -> list[str]:
    return [
        value
        for name, value in response.headers.multi_items()
        if name.lower() == "set-cookie" and value.startswith("trellolens_session=")
    ]


def test_a_finished_sign_in_sets_a_signed_httponly_session_cookie(served: Served) -> None:
    code, state = callback_query(served.app)
    served.client.cookies.set("trellolens_browser", BROWSER)
    reply = served.client.get(
        CALLBACK, params={"code": code, "state": state}, follow_redirects=False
    )
    assert reply.status_code == 303
    assert reply.headers["location"] == "/connect?signin=approved"
    assert reply.headers["cache-control"] == "no-store"
    (cookie,) = session_cookies(reply)
    value = cookie.split(";")[0].partition("=")[2]
    session_id = served.app.keys.verify(value)
    assert session_id is not None
    assert served.app.session(session_id) is not None
    attributes = [part.strip() for part in cookie.split(";")[1:]]
    assert {"HttpOnly", "SameSite=Lax", "Path=/"} <= set(attributes)
    assert "Secure" not in attributes  # loopback: plain http
    max_age = int(next(a for a in attributes if a.startswith("Max-Age="))[8:])
    assert 2 * 86400 - 60 < max_age <= 2 * 86400  # TRELLOLENS_SESSION_DAYS=2
    with served.emulator.oauth2.lock:
        tokens = [*served.emulator.oauth2.access, *served.emulator.oauth2.refresh]
    for secret in (CLIENT_SECRET, *tokens):
        assert secret not in str(reply.headers)


def test_off_loopback_the_cookie_is_secure(served: Served) -> None:
    os.environ["TRELLOLENS_PUBLIC_URL"] = "https://dash.example.com"
    code, state = callback_query(served.app)
    served.client.cookies.set("trellolens_browser", BROWSER)
    reply = served.client.get(
        CALLBACK, params={"code": code, "state": state}, follow_redirects=False
    )
    (cookie,) = session_cookies(reply)
    assert "Secure" in [part.strip() for part in cookie.split(";")]


@pytest.mark.parametrize(
    ("params", "browser", "outcome"),
    [
        ({"code": "x", "state": "forged"}, BROWSER, "unknown"),
        ({}, BROWSER, "unknown"),
        ("own", "d" * 43, "foreign"),
        ("own", None, "foreign"),
        ("denied", BROWSER, "denied"),
        ("wrong-code", BROWSER, "code"),
    ],
)
def test_refused_callbacks_set_no_cookie(
    served: Served, params: Any, browser: str | None, outcome: str
) -> None:
    if isinstance(params, str):
        code, state = callback_query(served.app)
        params = {"state": state, "code": "" if params == "denied" else code}
        if params["code"] == code and outcome == "code":
            params["code"] = "not-the-code"
    if browser is not None:
        served.client.cookies.set("trellolens_browser", browser)
    reply = served.client.get(CALLBACK, params=params, follow_redirects=False)
    assert reply.status_code == 303
    assert reply.headers["location"] == f"/connect?signin={outcome}"
    assert session_cookies(reply) == []
    assert served.emulator.oauth2.refresh == {}


def test_without_an_oauth2_client_the_route_knows_no_sign_in(served: Served) -> None:
    del os.environ["TRELLO_CLIENT_SECRET"]
    reply = served.client.get(CALLBACK, params={"code": "x", "state": "y"}, follow_redirects=False)
    assert reply.headers["location"] == "/connect?signin=unknown"
    assert session_cookies(reply) == []


def test_a_bad_setting_is_one_word_and_a_log_line(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    os.environ["TRELLOLENS_SESSION_DAYS"] = "forever"
    reply = served.client.get(CALLBACK, params={"code": "x", "state": "y"}, follow_redirects=False)
    assert reply.headers["location"] == "/connect?signin=failed"
    assert "ConfigError" in caplog.text
    assert "Traceback" not in caplog.text
