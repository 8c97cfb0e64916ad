"""``TrelloConnection`` under AppTest: every key name in every place, and errors that say it all."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.examples.scenarios import BOARD, KEY, TOKEN, assert_no_canary, emulator
from tests.ui.test_page_connect import everything_rendered
from trellolens.testing import TrelloEmulator

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
