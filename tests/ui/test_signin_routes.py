"""The HTTP side of Sign in with Trello: the browser cookie, the callback route, and what it keeps.

A real Starlette app with the routes and middleware the ``st.App`` entry points mount, driven
through Starlette's test client (real ASGI, no Streamlit runtime needed).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from trellolens.ui.access import signin_callbacks
from trellolens.ui.access.signin_callbacks import CallbackBoard
from trellolens.ui.access.signin_routes import (
    BROWSER_COOKIE,
    cookie_from_header,
    signin_middleware,
    signin_routes,
)

with warnings.catch_warnings():  # Starlette prefers httpx2 for its test client; httpx works
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

CALLBACK = "/trellolens/signin/callback"


async def page(_: Request) -> Response:
    return HTMLResponse("<html>the dashboard</html>")


async def cached(request: Request) -> Response:
    """A page the browser revalidates, as Streamlit serves its index.html (ETag, no-cache)."""
    if request.headers.get("if-none-match") == '"v1"':
        return Response(status_code=304, headers={"ETag": '"v1"'})
    return HTMLResponse("<html>cached</html>", headers={"ETag": '"v1"'})


async def health(_: Request) -> Response:
    return JSONResponse({"ok": True})


@pytest.fixture
def board(monkeypatch: pytest.MonkeyPatch) -> CallbackBoard:
    fresh = CallbackBoard(ttl=60)
    monkeypatch.setattr(signin_callbacks, "CALLBACKS", fresh)
    monkeypatch.setattr("trellolens.ui.access.signin_routes.CALLBACKS", fresh)
    return fresh


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = Starlette(
        routes=[
            *signin_routes(),
            Route("/connect", page),
            Route("/health", health),
            Route("/cached", cached),
        ],
        middleware=signin_middleware(),
    )
    with TestClient(app, base_url="http://localhost:8501") as test_client:
        yield test_client


def set_cookie_headers(response: Any) -> list[str]:
    return [v for k, v in response.headers.multi_items() if k.lower() == "set-cookie"]


def test_a_page_gives_the_browser_an_httponly_samesite_lax_id_once(client: TestClient) -> None:
    first = client.get("/connect")
    (cookie,) = set_cookie_headers(first)
    assert cookie.startswith(f"{BROWSER_COOKIE}=")
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=lax", "path=/"} <= attributes
    browser = cookie_from_header(cookie.split(";")[0])
    assert browser is not None
    assert len(browser) >= 40
    assert set_cookie_headers(client.get("/connect")) == []  # the browser keeps its id
    assert set_cookie_headers(client.get("/health")) == []  # and no non-page response sets one


def test_two_browsers_get_different_ids(client: TestClient) -> None:
    ids = set()
    for _ in range(5):
        client.cookies.clear()
        (cookie,) = set_cookie_headers(client.get("/connect"))
        ids.add(cookie.split(";")[0])
    assert len(ids) == 5


def browser_of(client: TestClient) -> str:
    client.get("/connect")
    value = client.cookies.get(BROWSER_COOKIE)
    assert value is not None
    return str(value)


def test_the_callback_in_the_starting_browser_records_the_verifier_and_drops_it_from_the_url(
    client: TestClient, board: CallbackBoard
) -> None:
    board.expect("rt", browser_of(client))
    reply = client.get(
        CALLBACK, params={"oauth_token": "rt", "oauth_verifier": "v1"}, follow_redirects=False
    )
    assert reply.status_code == 303
    assert reply.headers["location"] == "/connect?signin=approved"
    assert "no-store" in reply.headers["cache-control"]
    assert reply.headers["referrer-policy"] == "no-referrer"
    assert board.take("rt") == (True, "v1")


def test_the_callback_in_another_browser_is_refused_and_changes_nothing(
    client: TestClient, board: CallbackBoard
) -> None:
    board.expect("rt", browser_of(client))
    client.cookies.clear()
    browser_of(client)  # a stranger's browser, with an id of its own
    reply = client.get(
        CALLBACK, params={"oauth_token": "rt", "oauth_verifier": "v1"}, follow_redirects=False
    )
    assert reply.headers["location"] == "/connect?signin=foreign"
    assert "v1" not in reply.headers["location"]
    client.cookies.clear()
    reply = client.get(CALLBACK, params={"oauth_token": "rt", "oauth_verifier": "v2"})
    assert reply.history[0].headers["location"] == "/connect?signin=foreign"  # no cookie at all
    assert board.take("rt") == (False, None)


@pytest.mark.parametrize(
    "header",
    [None, "", "a=b", f"{BROWSER_COOKIE}=", f"{BROWSER_COOKIE}=short", f"{BROWSER_COOKIE}=a b"],
)
def test_a_missing_or_malformed_cookie_is_no_browser(header: str | None) -> None:
    assert cookie_from_header(header) is None


def test_denied_and_unknown_callbacks_redirect_with_one_word(
    client: TestClient, board: CallbackBoard
) -> None:
    board.expect("rt", browser_of(client))
    denied = client.get(
        CALLBACK,
        params={"oauth_token": "rt", "oauth_problem": "user_refused"},
        follow_redirects=False,
    )
    assert denied.headers["location"] == "/connect?signin=denied"
    for params in ({"oauth_token": "nope", "oauth_verifier": "v"}, {}):
        reply = client.get(CALLBACK, params=params, follow_redirects=False)
        assert reply.headers["location"] == "/connect?signin=unknown"


def test_the_cookie_is_secure_behind_https(client: TestClient) -> None:
    (cookie,) = set_cookie_headers(client.get("/connect", headers={"X-Forwarded-Proto": "https"}))
    assert "secure" in {part.strip().lower() for part in cookie.split(";")[1:]}


def test_a_revalidated_page_gives_a_browser_without_the_cookie_one(client: TestClient) -> None:
    etag = client.get("/cached").headers["etag"]
    client.cookies.clear()
    reply = client.get("/cached", headers={"If-None-Match": etag, "Accept": "text/html"})
    assert reply.status_code == 304
    (cookie,) = set_cookie_headers(reply)
    assert cookie.startswith(f"{BROWSER_COOKIE}=")
