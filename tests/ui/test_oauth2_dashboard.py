"""The dashboard on OAuth 2.0 credentials (a grant in the project's secrets file), under AppTest
against the emulator over real HTTP: boards through a Bearer header only, the granted scopes and
the access token's lifetime shown, and a refused refresh token said in one line ("sign in again:
`trellolens login`") on the Connect page, the Security page and the sidebar, with no traceback
and no value, while what was loaded keeps being served."""

from __future__ import annotations

import re
import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import APP_SCRIPT, OVERVIEW_PAGE, TIMEOUT_SECONDS, page_text, shown
from tests.service.oauth2_app import OAuth2Project, oauth2_project, oauth2_served, replay
from tests.ui.test_page_connect import CONNECT_PAGE, everything_rendered
from tests.ui.test_page_security import SECURITY_PAGE
from trellolens.connection import board_service
from trellolens.ui.components.board_picker import SELECT_KEY

__all__ = ["oauth2_project", "oauth2_served"]
SIGN_IN_AGAIN = "sign in again: `trellolens login`"


def expire_everything_held() -> None:
    """As if the board, board-list and token-check TTLs had passed: each is asked again."""
    service = board_service()
    for store in (service._boards, service._lists, service._tokens):
        for slot in store._slots.values():
            slot.loaded_at = 0.0


def no_value(project: OAuth2Project, at: AppTest) -> None:
    rendered = everything_rendered(at)
    assert not [value for value in project.values() if value in rendered]
    assert "Traceback" not in rendered


def open_connect(project: OAuth2Project) -> AppTest:
    at = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    return at.switch_page(CONNECT_PAGE).run()


def test_the_dashboard_reads_boards_with_oauth2(oauth2_project: OAuth2Project) -> None:
    oauth2_project.write_grant()
    at = open_connect(oauth2_project)
    assert not at.exception
    text = shown(page_text(at))
    assert "Trello accepts this OAuth 2.0 sign-in: read:board:trello" in text
    assert re.search(r"The access token has (59|60) min left", text)
    board_id = oauth2_project.emulator.board_ids[0]
    at.sidebar.selectbox(key=SELECT_KEY).select(board_id).run()
    at.switch_page(OVERVIEW_PAGE).run()
    assert not at.exception
    assert "Live from Trello" in page_text(at)
    oauth2_project.bearer_only()
    no_value(oauth2_project, at)


def test_the_security_page_shows_scopes_and_lifetime(oauth2_project: OAuth2Project) -> None:
    oauth2_project.write_grant()
    at = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    at.switch_page(SECURITY_PAGE).run()
    assert not at.exception
    text = shown(page_text(at)) + str(at.dataframe[0].value.to_dict())
    assert "granted scopes: read:board:trello, read:member:trello, offline_access" in text
    assert re.search(r"the access token has (59|60) min \d+ s left", text)
    no_value(oauth2_project, at)


@pytest.mark.parametrize("ending", ["revoked", "replayed"])
def test_an_ended_sign_in_is_one_line_everywhere_and_held_boards_stay(
    oauth2_project: OAuth2Project, ending: str
) -> None:
    oauth2_project.emulator.oauth2.access_token_ttl = 2
    first = oauth2_project.write_grant()
    at = open_connect(oauth2_project)
    board_id = oauth2_project.emulator.board_ids[0]
    at.sidebar.selectbox(key=SELECT_KEY).select(board_id).run()
    at.switch_page(OVERVIEW_PAGE).run()
    assert "Live from Trello" in page_text(at)
    if ending == "revoked":
        oauth2_project.emulator.oauth2.revoke_all()  # the member revoked the app's access
    else:  # an attacker replays the first refresh token, spent long ago: the chain is revoked
        replay(oauth2_project, first)
    time.sleep(2.1)  # the access token is gone too: the next request must refresh
    expire_everything_held()
    at.switch_page(CONNECT_PAGE).run()
    assert not at.exception
    (error,) = at.main.error
    assert SIGN_IN_AGAIN in error.value
    assert ("presented twice" in error.value) is (ending == "replayed")
    assert "trello.com/1/authorize" not in page_text(at)  # no legacy how-to
    at.switch_page(OVERVIEW_PAGE).run()
    assert not at.exception
    assert "Live from Trello" in page_text(at)  # the board held is still shown
    sidebar = " ".join(str(w.value) for w in at.sidebar.warning)
    assert SIGN_IN_AGAIN in shown(sidebar)
    assert ("used twice" in sidebar) is (ending == "replayed")
    at.switch_page(SECURITY_PAGE).run()
    assert not at.exception
    assert SIGN_IN_AGAIN in shown(page_text(at))
    no_value(oauth2_project, at)
