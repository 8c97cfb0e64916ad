"""``TrelloConnection`` under AppTest: every key name in every place, and errors that say it all."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.examples.scenarios import BOARD, KEY, TOKEN, assert_no_canary, emulator
from tests.helpers.oauth2 import CLIENT_ID, CLIENT_SECRET
from tests.service.oauth2_app import OAuth2Project, oauth2_project, oauth2_served
from tests.testing.emulator_support import BOARD as OAUTH2_BOARD
from tests.ui.test_page_connect import everything_rendered
from trellolens.testing import TrelloEmulator

__all__ = ["oauth2_project", "oauth2_served"]

SCRIPT = """
import streamlit as st
from trellolens import CredentialsError, TrelloConnection

kwargs = st.session_state.get("kwargs", {})
try:
    conn = st.connection(st.session_state.get("name", "trello"), type=TrelloConnection, **kwargs)
    names = [board.name for board in conn.boards()]
    st.text(" | ".join(names))
    st.caption(repr(conn) + " " + repr(conn.provenance()))
except CredentialsError as exc:
    st.error(str(exc))
"""


@pytest.fixture
def base_url() -> Iterator[str]:
    emu: TrelloEmulator = emulator()
    with emu.serve() as url:
        yield url


def run(base_url: str, name: str, secrets: dict[str, Any], **kwargs: str) -> AppTest:
    for variable in [v for v in os.environ if v.startswith(("TRELLO", "AWS_"))]:
        del os.environ[variable]  # tests/conftest.py restores them
    os.environ.update({"TRELLO_API_BASE_URL": base_url, "TRELLOLENS_SOURCES": "streamlit,env"})
    at = AppTest.from_string(SCRIPT, default_timeout=30)
    at.secrets.update(secrets)
    at.session_state["name"] = name
    at.session_state["kwargs"] = kwargs
    return at.run()


def test_oauth_token_in_a_named_connection_table(base_url: str) -> None:
    at = run(base_url, "mine", {"connections": {"mine": {"api_key": KEY, "oauth_token": TOKEN}}})
    assert not at.exception
    assert at.text[0].value == BOARD.name
    assert "oauth_token in [connections.mine]" in at.caption[0].value
    assert_no_canary(everything_rendered(at))


def test_keyword_arguments_take_oauth_token_and_beat_the_table(base_url: str) -> None:
    wrong = {"connections": {"trello": {"api_key": "canary-wrong-key", "token": "canary-wrong"}}}
    at = run(base_url, "trello", wrong, api_key=KEY, oauth_token=TOKEN)
    assert not at.exception
    assert at.text[0].value == BOARD.name
    assert "keyword arguments" in at.caption[0].value
    del at.session_state["kwargs"]  # the test's own copy of the values
    assert_no_canary(everything_rendered(at))


def test_a_missing_token_is_named_alone_with_every_place_looked(base_url: str) -> None:
    at = run(base_url, "mine", {"connections": {"mine": {"api_key": KEY}}})
    (error,) = at.error
    assert "missing for profile development: token." in error.value
    assert "api_key," not in error.value
    assert "[connections.mine]" in error.value
    assert "TRELLO_OAUTH_TOKEN" in error.value  # the environment was looked at too
    assert_no_canary(everything_rendered(at))


def test_repr_and_methods_are_documented() -> None:
    from trellolens import TrelloConnection

    public = [name for name in vars(TrelloConnection) if not name.startswith("_")]
    assert {"boards", "board_snapshot", "token_info", "credentials", "provenance"} <= set(public)
    for name in public:
        assert getattr(TrelloConnection, name).__doc__, f"TrelloConnection.{name} has no docstring"


def board_name(board: object) -> str:
    return str(board["name"] if isinstance(board, dict) else getattr(board, "name", ""))


OAUTH2_SCRIPT = """
import streamlit as st
from trellolens import CredentialsError, TrelloConnection

try:
    conn = st.connection("mine", type=TrelloConnection)
    st.text(" | ".join(board.name for board in conn.boards()))
    st.caption(repr(conn.provenance()))
except CredentialsError as exc:
    st.error(str(exc))
"""


def test_a_named_connection_table_carries_an_oauth2_grant(
    oauth2_project: OAuth2Project,
) -> None:
    """``[connections.mine]`` with client_id, client_secret and refresh_token: boards through a
    Bearer header, and the rotated refresh token saved back into that table of that file."""
    first = oauth2_project.write_grant(table="connections.mine")
    at = AppTest.from_string(OAUTH2_SCRIPT, default_timeout=30)
    at.secrets["connections"] = {
        "mine": tomllib.loads(oauth2_project.secrets_path.read_text())["connections"]["mine"]
    }
    at.run()
    assert not at.exception
    assert not at.error, at.error[0].value
    assert at.text[0].value == board_name(OAUTH2_BOARD)
    assert "refresh_token in [connections.mine]" in at.caption[0].value
    assert oauth2_project.stored_refresh_token("connections.mine") != first
    oauth2_project.bearer_only()
    rendered = everything_rendered(at)
    assert not [value for value in oauth2_project.values() if value in rendered]


def test_a_grant_given_without_a_file_says_where_to_keep_it(
    oauth2_project: OAuth2Project,
) -> None:
    """A refresh token rotates: given only to ``st.secrets`` (no file), it has nowhere to go."""
    table = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "refresh_token": "ATTACANARYREFRESH0001",
    }
    at = AppTest.from_string(OAUTH2_SCRIPT, default_timeout=30)
    at.secrets["connections"] = {"mine": table}
    at.run()
    assert not at.exception
    (error,) = at.error
    assert "where a rotated one cannot be saved" in error.value
    assert "trellolens login --store secrets-file" in error.value
    assert "ATTACANARYREFRESH0001" not in everything_rendered(at)
