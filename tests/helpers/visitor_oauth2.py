"""Apps for the visitor OAuth 2.0 sign-in tests: the emulator's auth server, one or two replicas.

Ann and Ben each own one board; the app holds only its OAuth 2.0 client (a canary secret) and
no token of its own. ``secrets()`` is every value that must never reach a page, URL, cookie,
log or Redis value: the client secret and every code and token the emulator issued.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.oauth2 import CLIENT_ID, CLIENT_SECRET
from tests.helpers.servers import app_folder, clean_env, serve_app
from trellolens.testing import TokenSpec, TrelloEmulator, generate_board

ANN, BEN = "5f00000000000000000a0a0a", "5f00000000000000000b0b0b"
ANN_BOARD = generate_board(lists=4, cards=12, actions=60, seed=41)
BEN_BOARD = generate_board(lists=4, cards=12, actions=60, seed=42)
PLACEHOLDERS = ("ATTA" + "a" * 60, "ATTA" + "b" * 60)
TIMEOUT_MS = 20_000


@dataclass
class VisitorApp:
    urls: list[str]
    emulator: TrelloEmulator
    base_url: str
    workdirs: list[Path]
    redis: Any = None
    extra: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.urls[0]

    def secrets(self) -> list[str]:
        return [CLIENT_SECRET, *self.emulator.oauth2.secrets(), *self.extra]

    def logs(self) -> str:
        return "".join((folder / "server.log").read_text() for folder in self.workdirs)


def _emulator() -> TrelloEmulator:
    emulator = TrelloEmulator(tokens=[])
    for member, placeholder in ((ANN, PLACEHOLDERS[0]), (BEN, PLACEHOLDERS[1])):
        emulator.add_token(TokenSpec(placeholder, member_id=member))  # registers the member
    emulator.add_board_of(ANN_BOARD, ANN)
    emulator.add_board_of(BEN_BOARD, BEN)
    emulator.oauth2.register_client(CLIENT_ID, CLIENT_SECRET)
    return emulator


def _folder(factory: pytest.TempPathFactory, name: str, extra: str) -> Path:
    workdir = app_folder(factory, name)
    secrets = workdir / ".streamlit" / "secrets.toml"
    secrets.touch(mode=0o600)
    secrets.write_text(
        f'[trello]\nclient_id = "{CLIENT_ID}"\nclient_secret = "{CLIENT_SECRET}"\n\n'
        f'[trellolens]\naccess = "visitor"\napp_name = "Team dashboard"\n{extra}'
    )
    return workdir


@contextmanager
def visitor_app(
    factory: pytest.TempPathFactory, *, replicas: int = 1, redis_url: str | None = None
) -> Iterator[VisitorApp]:
    """``replicas`` app servers on one emulator (and one Redis when given); logs checked after."""
    emulator = _emulator()
    with ExitStack() as stack:
        base_url = stack.enter_context(emulator.serve())
        env = clean_env() | {
            "TRELLO_API_BASE_URL": base_url,
            "TRELLO_AUTH_BASE_URL": emulator.oauth2.base_url(base_url),
            "TRELLOLENS_SOURCES": "streamlit",
        }
        if redis_url:
            env["TRELLOLENS_REDIS_URL"] = redis_url
        folders = [_folder(factory, f"oauth2-visitor-{n}", "") for n in range(replicas)]
        urls = [stack.enter_context(serve_app(folder, env)) for folder in folders]
        app = VisitorApp(urls, emulator, base_url, folders)
        yield app
    log = app.logs()
    for secret in app.secrets():
        assert secret not in log, "a secret reached a server log"
    assert "Traceback" not in log


def new_page(browser: Any, url: str, context: Any = None) -> Any:
    context = context or browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{url}/connect")
    # A server's first page waits for its imports: on a loaded machine, longer than one step.
    page.get_by_role("heading", name="Connect Trello").wait_for(timeout=3 * TIMEOUT_MS)
    return page


def assert_clean(page: Any, app: VisitorApp) -> None:
    cookies = " ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
    text = page.content() + page.url + page.locator("body").inner_text() + cookies
    for secret in app.secrets():
        assert secret not in text, "a secret reached a page, URL or cookie"
    assert "Traceback" not in text


def start(page: Any) -> Any:
    """Sign in with Trello, then Continue on Trello: the consent page in a new tab."""
    page.get_by_role("button", name="Sign in with Trello").click()
    link = page.get_by_role("link", name="Continue on Trello")
    with page.context.expect_page() as opened:
        link.click()
    consent = opened.value
    consent.set_default_timeout(TIMEOUT_MS)
    consent.get_by_role("heading", name="Allow access to Trello?").wait_for()
    return consent


def allow(consent: Any, member: str) -> None:
    assert "read:board:trello read:member:trello offline_access" in consent.content()
    consent.get_by_role("button", name=f"(@member{member[-6:]})").click()


def sign_in(page: Any, member: str) -> Any:
    """The whole sign-in; returns the approving tab (signed in too, by the cookie)."""
    consent = start(page)
    allow(consent, member)
    consent.locator("[data-testid='stMain']").get_by_text("Signed in with Trello.").wait_for()
    page.get_by_role("button", name="Sign out").wait_for()
    return consent


def board_options(page: Any) -> list[str]:
    sidebar = page.locator("[data-testid='stSidebar']")
    box = sidebar.locator("[data-testid='stSelectbox']").filter(has_text="Your boards")
    box.click()
    options = [o.inner_text().strip() for o in page.get_by_role("option").all()]
    page.keyboard.press("Escape")
    return options


def session_cookie(context: Any) -> dict[str, Any] | None:
    found = [c for c in context.cookies() if c["name"] == "trellolens_session"]
    return found[0] if found else None


def signed_out(page: Any) -> None:
    page.get_by_role("button", name="Sign in with Trello").wait_for()
    assert page.get_by_role("button", name="Sign out").count() == 0
    assert page.get_by_text("Your boards").count() == 0


def allow_by_hand(app: VisitorApp, consent: Any, member: str) -> str:
    """Approve ``consent``'s request outside the browser: the callback URL Trello redirects to,
    with its code and state, which the app has not seen yet."""
    import httpx

    request_id = consent.locator("input[name=request]").first.get_attribute("value")
    auth = app.emulator.oauth2.base_url(app.base_url)
    decided = httpx.get(
        f"{auth}/authorize/decide",
        params={"request": request_id, "decision": "allow", "member": member},
    )
    location: str = decided.headers["location"]
    return location
