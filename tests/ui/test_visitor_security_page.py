"""The Security page in visitor mode: a visitor sees their own sign-in, admins the server's facts."""

from __future__ import annotations

import os
from urllib.parse import parse_qsl, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.canaries import CANARY_KEY, CANARY_SECRET, assert_no_canary
from tests.ui.test_page_connect import everything_rendered
from tests.ui.test_page_security import SECURITY_PAGE
from tests.ui.test_trello_signin import (
    BROWSER,
    approve_as_member,
    labels,
    one_browser,
    served,
    visit,
)
from trellolens.testing import TrelloEmulator
from trellolens.ui.access.signin import PENDING_KEY
from trellolens.ui.access.signin_callbacks import CALLBACKS

__all__ = ["one_browser", "served"]  # fixtures used here


def signed_in_security_page(
    emu: TrelloEmulator, base_url: str, admins: list[str] | None = None
) -> AppTest:
    at = visit(base_url, {"api_key": CANARY_KEY, "api_secret": CANARY_SECRET})
    if admins is not None:
        at.secrets["trellolens"] = {**at.secrets["trellolens"], "admins": admins}
        at.run()
    at.button(key="visitor.sign_in").click().run()
    pending = at.session_state[PENDING_KEY]
    query = dict(parse_qsl(urlsplit(pending.url).query))
    del query["oauth_token"]
    verifier = approve_as_member(base_url, emu, pending.sign_in.token, query)
    assert CALLBACKS.arrive(pending.sign_in.token, verifier, BROWSER) == "approved"
    at.run()
    assert "Sign out" in labels(at)
    return at.switch_page(SECURITY_PAGE).run()


SERVER_FACTS_SHOWN = "Every check"


def test_a_signed_in_visitor_sees_only_their_own_session(
    served: tuple[TrelloEmulator, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    emu, base_url = served
    monkeypatch.setenv("TRELLOLENS_REDIS_URL", "redis://redis.internal.example:6379/0")
    at = signed_in_security_page(emu, base_url)
    assert not at.exception
    text = everything_rendered(at)
    assert "You see your own sign-in here" in text
    assert "@emulator" in text
    assert "read" in text
    for server_fact in (os.getcwd(), base_url, "redis.internal.example", SERVER_FACTS_SHOWN):
        assert server_fact not in text
    assert not at.dataframe
    assert_no_canary(text, *emu.tokens, *emu.oauth_secrets)


@pytest.mark.parametrize("admin", ["emulator", "@Emulator", "member-id"])
def test_an_admin_sees_the_servers_checks(served: tuple[TrelloEmulator, str], admin: str) -> None:
    emu, base_url = served
    named = emu.member_id if admin == "member-id" else admin
    at = signed_in_security_page(emu, base_url, admins=["someone_else", named])
    assert not at.exception
    text = everything_rendered(at)
    assert SERVER_FACTS_SHOWN in text
    assert "You see your own sign-in here" not in text
    assert_no_canary(text, *emu.tokens, *emu.oauth_secrets)


def test_on_loopback_the_servers_checks_are_shown(
    served: tuple[TrelloEmulator, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    emu, base_url = served
    monkeypatch.setattr("trellolens.ui.access.gate.server_on_loopback", lambda: True)
    at = signed_in_security_page(emu, base_url)
    assert SERVER_FACTS_SHOWN in everything_rendered(at)
