"""Sign in with Trello over OAuth 2.0 in Debian's chromium: one replica, sessions in memory.

A reload keeps the visitor signed in (the HttpOnly session cookie holds only a signed id), two
visitors in two browser contexts see only their own boards, and every forged, replayed or
foreign step is refused with one line and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.helpers.oauth2 import CLIENT_ID, CLIENT_SECRET
from tests.helpers.visitor_oauth2 import (
    ANN,
    ANN_BOARD,
    BEN,
    BEN_BOARD,
    VisitorApp,
    allow,
    allow_by_hand,
    assert_clean,
    board_options,
    new_page,
    session_cookie,
    sign_in,
    signed_out,
    start,
    visitor_app,
)
from trellolens.credentials import Secret
from trellolens.service.visitor_store import SessionKeys

pytestmark = pytest.mark.e2e
CALLBACK = "/trellolens/oauth2/callback"


@pytest.fixture
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VisitorApp]:
    with visitor_app(tmp_path_factory) as served:
        yield served


def main_text(page: Any, text: str) -> None:
    page.locator("[data-testid='stMain']").get_by_text(text).first.wait_for()


def test_sign_in_survives_a_reload_and_sign_out_revokes(browser: Any, app: VisitorApp) -> None:
    page = new_page(browser, app.url)
    consent = sign_in(page, ANN)
    page.get_by_text("Your boards (1)").wait_for()
    assert board_options(page) == [ANN_BOARD.name]
    cookie = session_cookie(page.context)
    assert cookie is not None
    assert cookie["httpOnly"]
    assert cookie["sameSite"] == "Lax"
    assert not cookie["secure"]  # loopback: http
    assert CALLBACK not in consent.url
    assert "code=" not in consent.url
    page.reload()
    page.get_by_role("button", name="Sign out").wait_for()  # a reload keeps the sign-in
    page.get_by_text("Your boards (1)").wait_for()
    assert_clean(page, app)
    with app.emulator.oauth2.lock:
        chains = {grant.chain for grant in app.emulator.oauth2.refresh.values()}
    page.get_by_role("button", name="Sign out").click()
    main_text(page, "Signed out: Trello revoked the sign-in.")
    with app.emulator.oauth2.lock:
        assert chains <= set(app.emulator.oauth2.revoked_chains)
    consent.reload()  # the other tab of the same browser: its cookie names a deleted session
    signed_out(consent)
    page.reload()
    signed_out(page)
    assert_clean(page, app)


def test_two_visitors_see_only_their_own_boards(browser: Any, app: VisitorApp) -> None:
    ann, ben = new_page(browser, app.url), new_page(browser, app.url)
    sign_in(ann, ANN)
    sign_in(ben, BEN)
    for page in (ann, ben):
        page.reload()
        page.get_by_text("Your boards (1)").wait_for()
    assert board_options(ann) == [ANN_BOARD.name]
    assert board_options(ben) == [BEN_BOARD.name]
    assert BEN_BOARD.name not in ann.content()
    assert ANN_BOARD.name not in ben.content()
    for page in (ann, ben):
        assert_clean(page, app)


def test_forged_cookies_are_signed_out(browser: Any, app: VisitorApp) -> None:
    page = new_page(browser, app.url)
    sign_in(page, ANN)
    cookie = session_cookie(page.context)
    assert cookie is not None
    session_id, _, signature = cookie["value"].partition(".")
    forged = [
        f"{session_id}.{'A' * len(signature)}",  # the right id, a forged signature
        f"{'B' * len(session_id)}.{signature}",  # another id under this signature
        "not-a-session",
        SessionKeys.from_secret(Secret("another app's secret")).sign(session_id),  # foreign
    ]
    for value in forged:
        other = browser.new_context()
        other.add_cookies([{**cookie, "value": value}])
        stranger = new_page(browser, app.url, other)
        signed_out(stranger)
        assert_clean(stranger, app)
        other.close()


def test_forged_state_and_replayed_callback_are_refused(browser: Any, app: VisitorApp) -> None:
    page = new_page(browser, app.url)
    page.goto(f"{app.url}{CALLBACK}?code=forged&state=forged")
    main_text(page, "not valid here")
    assert "code=" not in page.url
    page.goto(f"{app.url}/connect")
    consent = start(page)
    callback = allow_by_hand(app, consent, ANN)
    assert callback.startswith(f"{app.url}{CALLBACK}?")
    consent.goto(callback)
    main_text(consent, "Signed in with Trello.")
    page.get_by_role("button", name="Sign out").wait_for()
    consent.goto(callback)  # the same callback again: its state is spent
    main_text(consent, "not valid here")
    assert len(app.emulator.oauth2.refresh) == 1
    for shown in (page, consent):
        assert_clean(shown, app)


def test_a_callback_in_another_browser_is_refused(browser: Any, app: VisitorApp) -> None:
    """Sign-in fixation: the attacker starts, the victim approves in their own browser."""
    attacker = new_page(browser, app.url)
    consent = start(attacker)
    link = consent.url
    consent.close()
    victim = new_page(browser, app.url)
    victim_tab = victim.context.new_page()
    victim_tab.goto(link)
    allow(victim_tab, BEN)
    main_text(victim_tab, "started in another browser")
    assert session_cookie(victim.context) is None
    victim.wait_for_timeout(2500)  # the attacker's tab polls every second
    assert attacker.get_by_role("button", name="Sign out").count() == 0
    assert app.emulator.oauth2.refresh == {}  # the code was never exchanged
    for shown in (attacker, victim, victim_tab):
        assert_clean(shown, app)


def test_a_stolen_code_needs_its_own_verifier(browser: Any, app: VisitorApp) -> None:
    """Code injection: a victim's code delivered to the attacker's own sign-in is refused (the
    app exchanges it with the attacker's PKCE verifier), and spent; without a verifier Trello
    refuses a code too."""
    victim = new_page(browser, app.url)
    victim_callback = allow_by_hand(app, start(victim), BEN)
    attacker = new_page(browser, app.url)
    attacker_callback = allow_by_hand(app, start(attacker), ANN)
    code = httpx.URL(victim_callback).params["code"]
    state = httpx.URL(attacker_callback).params["state"]
    tab = attacker.context.new_page()
    tab.goto(f"{app.url}{CALLBACK}?code={code}&state={state}")
    main_text(tab, "Trello did not accept the sign-in code")
    victim_tab = victim.context.new_page()
    victim_tab.goto(victim_callback)  # the victim's own code, now spent: refused as well
    main_text(victim_tab, "Trello did not accept the sign-in code")

    missing = allow_by_hand(app, start(new_page(browser, app.url)), BEN)
    reply = httpx.post(
        f"{app.emulator.oauth2.base_url(app.base_url)}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "code": httpx.URL(missing).params["code"],
            "redirect_uri": f"{app.url}{CALLBACK}",
        },
    )
    assert reply.status_code == 400
    assert reply.json()["error"] == "invalid_grant"  # no code_verifier: refused
    assert app.emulator.oauth2.refresh == {}
    for page in (attacker, victim, tab, victim_tab):
        assert page.get_by_role("button", name="Sign out").count() == 0
        assert_clean(page, app)
