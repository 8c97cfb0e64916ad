"""``st.login`` against a real OpenID Connect provider on loopback (oidc-provider-mock).

The provider runs in this process on a free port; the app logs visitors in through it as it
would through Google or Okta. Its one-click users carry the claims under test.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.helpers.servers import app_folder, clean_env, free_port, serve_app
from trellolens.testing import TokenSpec, TrelloEmulator, generate_board

pytestmark = pytest.mark.e2e

KEY = "canary" + "0dc0dc" * 4 + "KEY"
TOKEN = "ATTA" + "CANARY" * 10 + "OIDCTOK"
CLIENT_SECRET = "canary" + "c11e" * 8 + "SECRET"
COOKIE_SECRET = "canary" + "c00c1e" * 6 + "SECRET"
BOARD = generate_board(lists=4, cards=10, actions=40, seed=51)
TIMEOUT_MS = 20_000
ALLOWED = "ann@corp.example"


@dataclass(frozen=True)
class LoginApp:
    url: str
    emulator: TrelloEmulator


USERS = [
    {"sub": "ann", "email": ALLOWED, "email_verified": True},
    {"sub": "mallory", "email": "mallory@corp.example", "email_verified": True},
    {"sub": "unverified", "email": ALLOWED},  # the allowed address, without the claim
    {"sub": "string-true", "email": ALLOWED, "email_verified": "true"},
]


@contextmanager
def identity_provider() -> Iterator[str]:
    """oidc-provider-mock as its own process (a real server, outside pytest's warning filters)."""
    port = free_port()
    args = [sys.executable, "-W", "ignore", "-m", "oidc_provider_mock", "-p", str(port)]
    for user in USERS:
        args += ["--user-claims", json.dumps(user)]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{issuer}/.well-known/openid-configuration").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail("oidc-provider-mock did not start within 30 s")
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def login_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoginApp]:
    emulator = TrelloEmulator(boards=[BOARD], key=KEY, tokens=[TokenSpec(TOKEN)])
    port = free_port()
    with identity_provider() as issuer, emulator.serve() as base_url:
        workdir = app_folder(tmp_path_factory, "login-app")
        secrets = workdir / ".streamlit" / "secrets.toml"
        secrets.touch(mode=0o600)
        secrets.write_text(
            f'[trello]\napi_key = "{KEY}"\ntoken = "{TOKEN}"\n\n'
            f'[auth]\nredirect_uri = "http://localhost:{port}/oauth2callback"\n'
            f'cookie_secret = "{COOKIE_SECRET}"\nclient_id = "trellolens-e2e"\n'
            f'client_secret = "{CLIENT_SECRET}"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n\n'
            f'[trellolens]\naccess = "login"\nallowed_emails = ["{ALLOWED}"]\n'
        )
        env = clean_env() | {"TRELLO_API_BASE_URL": base_url, "TRELLOLENS_SOURCES": "streamlit"}
        with serve_app(workdir, env, port=port):
            yield LoginApp(f"http://localhost:{port}", emulator)
        log = (workdir / "server.log").read_text()
    for secret in (KEY, TOKEN, CLIENT_SECRET, COOKIE_SECRET):
        assert secret not in log


@pytest.fixture
def page(browser: Any, login_app: LoginApp) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    opened.goto(f"{login_app.url}/connect")
    yield opened
    context.close()


def log_in_as(page: Any, subject: str) -> Any:
    app_url = page.url.removesuffix("/connect")
    main = page.locator("[data-testid='stMain']")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name=subject, exact=True).click()  # the provider's one-click user
    page.wait_for_url(lambda url: url.startswith(app_url) and "oauth2callback" not in url)
    page.goto(f"{app_url}/connect")  # Streamlit lands on the app's root after a login
    main.get_by_role("button", name="Log out").wait_for()
    return main


def assert_clean(page: Any) -> None:
    text = page.content() + page.url
    for secret in (KEY, TOKEN, CLIENT_SECRET, COOKIE_SECRET):
        assert secret not in text
    assert "Traceback" not in text


def test_an_anonymous_visitor_is_offered_the_login(page: Any) -> None:
    main = page.locator("[data-testid='stMain']")
    main.get_by_text("Log in to see live Trello boards.").wait_for()
    page.get_by_role("button", name="Log in").wait_for()
    assert page.get_by_role("button", name="Log in").count() == 1
    assert page.get_by_text("Your boards").count() == 0  # the sidebar's picker
    assert BOARD.name not in page.content()
    assert_clean(page)


def test_an_allowed_verified_email_sees_live_boards(page: Any) -> None:
    main = log_in_as(page, "ann")
    main.get_by_text(f"Logged in as {ALLOWED}.").wait_for()
    page.get_by_text("Your boards (1)").wait_for()  # the sidebar's picker
    assert_clean(page)


@pytest.mark.parametrize(
    ("subject", "shown"),
    [
        ("mallory", "You are logged in as mallory@corp.example, which may not see"),
        ("unverified", "an account without a verified e-mail"),
        ("string-true", "an account without a verified e-mail"),
    ],
)
def test_a_refused_login_sees_no_board(
    page: Any, login_app: LoginApp, subject: str, shown: str
) -> None:
    before = login_app.emulator.request_count
    main = log_in_as(page, subject)
    main.get_by_text(shown).wait_for()
    assert page.get_by_text("Your boards").count() == 0
    assert BOARD.name not in page.content()
    assert login_app.emulator.request_count == before  # Trello was not asked
    assert_clean(page)
