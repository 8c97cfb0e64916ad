"""Sign in with Trello (``access = "visitor"``) in a real browser against the emulator's OAuth.

Each visitor approves on the emulator's page in a second tab, then sees only their own boards,
read with their own token; Sign out revokes it at Trello. The app holds no token of its own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import httpx
import pytest

from tests.helpers.servers import app_folder, clean_env, free_port, serve_app
from trellolens.testing import TokenSpec, TrelloEmulator, generate_board

pytestmark = pytest.mark.e2e

KEY = "canary" + "e2e0a11" * 3 + "KEY"
API_SECRET = "canary" + "5ec2e2e" * 5 + "SECRET"
ANN, BEN = "5f00000000000000000a0a0a", "5f00000000000000000b0b0b"
ANN_BOARD = generate_board(lists=4, cards=12, actions=60, seed=41)
BEN_BOARD = generate_board(lists=4, cards=12, actions=60, seed=42)
TIMEOUT_MS = 20_000


@dataclass(frozen=True)
class SignInApp:
    url: str
    emulator: TrelloEmulator
    base_url: str
    workdir: Path

    def visitor_tokens(self) -> list[str]:
        return [t for t in self.emulator.tokens if t not in PLACEHOLDER_TOKENS]

    def secrets(self) -> list[str]:
        return [KEY, API_SECRET, *self.visitor_tokens(), *self.emulator.oauth_secrets]


PLACEHOLDER_TOKENS = ("ATTA" + "a" * 60, "ATTA" + "b" * 60)


@pytest.fixture
def signin_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SignInApp]:
    emulator = TrelloEmulator(key=KEY, api_secret=API_SECRET, tokens=[])
    for member, placeholder in ((ANN, PLACEHOLDER_TOKENS[0]), (BEN, PLACEHOLDER_TOKENS[1])):
        emulator.add_token(TokenSpec(placeholder, member_id=member))  # registers the member
    emulator.add_board_of(ANN_BOARD, ANN)
    emulator.add_board_of(BEN_BOARD, BEN)
    workdir = app_folder(tmp_path_factory, "signin-app")
    secrets = workdir / ".streamlit" / "secrets.toml"
    secrets.touch(mode=0o600)
    secrets.write_text(
        f'[trello]\napi_key = "{KEY}"\napi_secret = "{API_SECRET}"\n\n'
        '[trellolens]\naccess = "visitor"\napp_name = "Team dashboard"\n'
    )
    with emulator.serve() as base_url:
        env = clean_env() | {"TRELLO_API_BASE_URL": base_url, "TRELLOLENS_SOURCES": "streamlit"}
        with serve_app(workdir, env) as url:
            app = SignInApp(url, emulator, base_url, workdir)
            yield app
    log = (workdir / "server.log").read_text()
    for secret in app.secrets():
        assert secret not in log, "a secret reached the server log"


def new_page(browser: Any, app: SignInApp) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{app.url}/connect")
    return page


def assert_clean(page: Any, app: SignInApp) -> None:
    text = page.content() + page.url + page.locator("body").inner_text()
    for secret in app.secrets():
        assert secret not in text, "a secret reached a page or URL"
    assert "Traceback" not in text


def start(page: Any) -> Any:
    """Click Sign in with Trello, then Continue on Trello: the approve page in a new tab."""
    page.get_by_role("button", name="Sign in with Trello").click()
    link = page.get_by_role("link", name="Continue on Trello")
    with page.context.expect_page() as opened:
        link.click()
    trello = opened.value
    trello.set_default_timeout(TIMEOUT_MS)
    trello.wait_for_load_state()
    return trello


def approve(page: Any, app: SignInApp, member: str, *, deny: bool = False) -> Any:
    trello = start(page)
    assert "Let Team dashboard use your account?" in trello.content()
    assert "<b>read</b> for" in trello.content()
    assert "<b>1day</b>" in trello.content()
    if deny:
        trello.get_by_role("button", name="Deny").click()
    else:
        trello.get_by_role("button", name=f"(@member{member[-6:]})").click()
    trello.locator("[data-testid='stMain']").get_by_text(
        "sign-in" if not deny else "cancelled"
    ).first.wait_for()
    trello.wait_for_function("!location.search.includes('oauth_')")
    assert_clean(trello, app)
    return trello


def sign_in(page: Any, app: SignInApp, member: str) -> None:
    trello = approve(page, app, member)
    assert "Go back to the tab" in trello.locator("body").inner_text()
    assert trello.get_by_role("button", name="Sign out").count() == 0  # the tab got no token
    trello.close()
    page.get_by_role("button", name="Sign out").wait_for()


def board_options(page: Any) -> list[str]:
    sidebar = page.locator("[data-testid='stSidebar']")
    box = sidebar.locator("[data-testid='stSelectbox']").filter(has_text="Your boards")
    box.click()
    options = [o.inner_text().strip() for o in page.get_by_role("option").all()]
    page.keyboard.press("Escape")
    return options


def token_works(app: SignInApp, token: str) -> bool:
    header = f'OAuth oauth_consumer_key="{KEY}", oauth_token="{token}"'
    reply = httpx.get(f"{app.base_url}/members/me", headers={"Authorization": header})
    return reply.status_code == 200


def test_sign_in_shows_the_visitors_boards_and_sign_out_revokes(
    browser: Any, signin_app: SignInApp
) -> None:
    page = new_page(browser, signin_app)
    main = page.locator("[data-testid='stMain']")
    main.get_by_text("Sign in with Trello to see your own boards.").wait_for()
    assert page.get_by_text("Your boards").count() == 0
    sign_in(page, signin_app, ANN)
    page.get_by_text("Your boards (1)").wait_for()
    assert board_options(page) == [ANN_BOARD.name]
    page.get_by_role("option", name=ANN_BOARD.name)  # picker works as for the owner's token
    (token,) = signin_app.visitor_tokens()
    assert token_works(signin_app, token)
    assert_clean(page, signin_app)

    page.get_by_role("button", name="Sign out").click()
    main.get_by_text("Signed out: Trello revoked the sign-in.").wait_for()
    assert not token_works(signin_app, token)
    # The notice is drawn before the run ends; the sidebar's stale picker goes when it does.
    page.get_by_text("Your boards").first.wait_for(state="detached", timeout=15_000)
    assert page.get_by_text("Your boards").count() == 0
    page.get_by_role("button", name="Sign in with Trello").wait_for()
    assert_clean(page, signin_app)


def test_two_visitors_see_only_their_own_boards(browser: Any, signin_app: SignInApp) -> None:
    ann, ben = new_page(browser, signin_app), new_page(browser, signin_app)
    sign_in(ann, signin_app, ANN)
    sign_in(ben, signin_app, BEN)
    for _ in range(2):  # the second round comes from the caches keyed per token
        assert board_options(ann) == [ANN_BOARD.name]
        assert board_options(ben) == [BEN_BOARD.name]
        for page in (ann, ben):
            page.get_by_role("link", name="Board overview").first.click()
            page.get_by_role("link", name="Connect Trello").first.click()
            page.get_by_text("Your boards (1)").wait_for()
    assert BEN_BOARD.name not in ann.content()
    assert ANN_BOARD.name not in ben.content()

    ann.get_by_role("button", name="Sign out").click()
    ann.get_by_role("button", name="Sign in with Trello").wait_for()
    # The button comes from the new run; the old run's sidebar picker stays until it finishes.
    ann.wait_for_function(
        "name => !document.documentElement.outerHTML.includes(name)", arg=ANN_BOARD.name
    )
    assert ANN_BOARD.name not in ann.content()
    ben.get_by_role("link", name="Board overview").first.click()
    ben.get_by_role("link", name="Connect Trello").first.click()
    assert board_options(ben) == [BEN_BOARD.name]
    for page in (ann, ben):
        assert_clean(page, signin_app)


def test_denied_and_replayed_callbacks_get_one_line_and_no_token(
    browser: Any, signin_app: SignInApp
) -> None:
    page = new_page(browser, signin_app)
    main = page.locator("[data-testid='stMain']")
    approve(page, signin_app, ANN, deny=True).close()
    main.get_by_text("cancelled on Trello").wait_for()
    assert signin_app.visitor_tokens() == []

    trello = start(page)
    callback = allow_by_hand(signin_app, trello, ANN)
    trello.goto(callback)  # the approving tab of the same browser
    trello.locator("[data-testid='stMain']").get_by_text("Go back to the tab").wait_for()
    page.get_by_role("button", name="Sign out").wait_for()
    trello.goto(callback)  # replayed
    trello.locator("[data-testid='stMain']").get_by_text("not valid here").wait_for()
    trello.goto(f"{signin_app.url}/connect?oauth_token=forged&oauth_verifier=forged")
    trello.locator("[data-testid='stMain']").get_by_text("not valid here").wait_for()
    assert len(signin_app.visitor_tokens()) == 1
    for shown in (page, trello):
        assert_clean(shown, signin_app)


def allow_by_hand(app: SignInApp, trello: Any, member: str) -> str:
    """Approve the request token of ``trello``'s approve page; the callback URL Trello redirects to."""
    request_token = parse_qs(urlsplit(trello.url).query)["oauth_token"][0]
    decided = httpx.get(
        f"{app.base_url}/OAuthAuthorizeToken/decide",
        params={"oauth_token": request_token, "decision": "allow", "member": member},
    )
    location: str = decided.headers["location"]
    assert location.startswith(f"{app.url}/trellolens/signin/callback?")
    return location


def test_a_callback_in_another_browser_is_refused_and_changes_nothing(
    browser: Any, signin_app: SignInApp
) -> None:
    """Sign-in fixation: the attacker starts, the victim approves in their own browser."""
    attacker = new_page(browser, signin_app)  # a browser context of its own: its own cookies
    trello = start(attacker)
    approve_link = trello.url
    trello.close()
    victim = new_page(browser, signin_app)
    victim_trello = victim.context.new_page()
    victim_trello.set_default_timeout(TIMEOUT_MS)
    victim_trello.goto(approve_link)
    victim_trello.get_by_role("button", name=f"(@member{BEN[-6:]})").click()
    victim_main = victim_trello.locator("[data-testid='stMain']")
    victim_main.get_by_text("started in another browser").wait_for()
    assert "oauth_" not in victim_trello.url
    time.sleep(3)  # the attacker's page polls every second: give it time to (wrongly) finish
    assert attacker.get_by_role("button", name="Sign out").count() == 0
    assert victim.get_by_role("button", name="Sign out").count() == 0
    assert signin_app.visitor_tokens() == []
    assert attacker.get_by_role("link", name="Continue on Trello").count() == 1  # still waiting
    for shown in (attacker, victim, victim_trello):
        assert_clean(shown, signin_app)


def test_the_callback_leaves_no_verifier_in_the_tabs_history(
    browser: Any, signin_app: SignInApp
) -> None:
    page = new_page(browser, signin_app)
    trello = approve(page, signin_app, ANN)
    page.get_by_role("button", name="Sign out").wait_for()
    seen = [trello.url]
    length = trello.evaluate("history.length")
    for _ in range(length - 1):  # walk back through every entry of the approving tab
        trello.go_back()
        seen.append(trello.url)
    assert any("/OAuthAuthorizeToken" in url for url in seen)  # the walk reached Trello's page
    assert not [url for url in seen if "oauth_verifier" in url]


def test_an_edited_approve_link_gets_a_token_that_is_refused_and_revoked(
    browser: Any, signin_app: SignInApp
) -> None:
    page = new_page(browser, signin_app)
    trello = start(page)
    query = dict(parse_qsl(urlsplit(trello.url).query))
    query |= {"scope": "read,write,account", "expiration": "never", "name": "Totally safe"}
    trello.goto(f"{trello.url.split('?')[0]}?{urlencode(query)}")
    assert "<b>read, write, account</b>" in trello.content()
    trello.get_by_role("button", name=f"(@member{ANN[-6:]})").click()
    page.locator("[data-testid='stMain']").get_by_text("Sign-in refused").wait_for()
    assert page.get_by_role("button", name="Sign out").count() == 0
    (token,) = signin_app.visitor_tokens()
    assert not token_works(signin_app, token)
    assert_clean(page, signin_app)


def request_token_calls(app: SignInApp) -> int:
    return sum(1 for r in app.emulator.requests if r.path.endswith("/OAuthGetRequestToken"))


def test_sign_in_and_cancel_in_a_loop_is_throttled(browser: Any, signin_app: SignInApp) -> None:
    page = new_page(browser, signin_app)
    main = page.locator("[data-testid='stMain']")
    for _ in range(10):
        page.get_by_role("button", name="Sign in with Trello").click()
        cancel = page.get_by_role("button", name="Cancel sign-in")
        refused = main.get_by_text("Too many sign-ins")
        cancel.or_(refused).first.wait_for()
        if cancel.count():
            cancel.click()
            page.get_by_role("button", name="Sign in with Trello").wait_for()
    main.get_by_text("Too many sign-ins started in the last minute").wait_for()
    assert request_token_calls(signin_app) == 3


def test_public_url_is_where_trello_returns_and_its_origin_must_be_allowed(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The callback is built from public_url (localhost here), whatever address the page shows."""
    port = free_port()
    public_url = f"http://localhost:{port}"
    emulator = TrelloEmulator(
        key=KEY, api_secret=API_SECRET, tokens=[], allowed_origins=[public_url]
    )
    emulator.add_token(TokenSpec(PLACEHOLDER_TOKENS[0], member_id=ANN))
    emulator.add_board_of(ANN_BOARD, ANN)
    workdir = app_folder(tmp_path_factory, "signin-public-url")
    secrets = workdir / ".streamlit" / "secrets.toml"
    secrets.touch(mode=0o600)
    secrets.write_text(
        f'[trello]\napi_key = "{KEY}"\napi_secret = "{API_SECRET}"\n\n'
        f'[trellolens]\naccess = "visitor"\napp_name = "Team dashboard"\n'
        f'public_url = "{public_url}"\n'
    )
    with emulator.serve() as base_url:
        env = clean_env() | {"TRELLO_API_BASE_URL": base_url, "TRELLOLENS_SOURCES": "streamlit"}
        with serve_app(workdir, env, port=port) as loopback_ip_url:
            app = SignInApp(public_url, emulator, base_url, workdir)
            elsewhere = browser.new_context().new_page()
            elsewhere.set_default_timeout(TIMEOUT_MS)
            elsewhere.goto(f"{loopback_ip_url}/connect")  # the same app under another address
            elsewhere.get_by_role("button", name="Sign in with Trello").click()
            elsewhere.get_by_text(f"open this app at {public_url} to sign in").wait_for()
            assert emulator.oauth_callbacks == []
            page = new_page(browser, app)
            sign_in(page, app, ANN)
            page.get_by_text("Your boards (1)").wait_for()
            assert_clean(page, app)
