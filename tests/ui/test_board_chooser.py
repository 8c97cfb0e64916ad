"""Land on your boards: with credentials and no default, the app opens on the board chooser, and
each board can be made the default (written where it is read, or one line says what to paste)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import APP_SCRIPT, OVERVIEW_PAGE, TIMEOUT_SECONDS, page_text, shown
from tests.helpers.canaries import CANARY_KEY, CANARY_TOKEN, assert_no_canary, write_secrets
from tests.ui.test_page_connect import everything_rendered
from trellolens.testing import TokenSpec, TrelloEmulator, generate_export
from trellolens.ui.components import default_board
from trellolens.ui.components.default_board import button_key

BOARDS = [generate_export(lists=4, cards=12, actions=80, seed=80 + n) for n in range(2)]
for number, export in enumerate(BOARDS, start=1):
    export["name"] = f"Chooser board {number}"
CREDENTIALS = {"api_key": CANARY_KEY, "token": CANARY_TOKEN}
SECRETS_TEXT = """\
# my own notes: keep me
[trello]
api_key = "{key}"
token = "{token}"  # the read-only token

[trellolens]
app_name = "Team flow"  # shown on Trello's approval page
"""


@pytest.fixture
def base_url() -> Iterator[str]:
    emulator = TrelloEmulator(boards=BOARDS, key=CANARY_KEY, tokens=[TokenSpec(CANARY_TOKEN)])
    with emulator.serve() as url:
        yield url


def home(base_url: str, **secrets: Any) -> AppTest:
    """The app at its own address (the home page), as a visitor's first run."""
    for name in list(os.environ):  # tests/conftest.py restores them
        if name.startswith(("TRELLO", "AWS_")):
            del os.environ[name]
    os.environ["TRELLOLENS_SOURCES"] = "streamlit,env"
    os.environ["TRELLO_API_BASE_URL"] = base_url
    os.environ["TRELLOLENS_ACCESS"] = (
        "open"  # AppTest's server is not on loopback (the gate's tests)
    )
    at = AppTest.from_file(APP_SCRIPT, default_timeout=TIMEOUT_SECONDS)
    for name, table in secrets.items():
        at.secrets[name] = table
    at.run()
    assert not at.exception
    return at


def test_with_credentials_and_no_default_the_app_opens_on_the_board_chooser(base_url: str) -> None:
    at = home(base_url, trello=CREDENTIALS)
    assert at.title[0].value == "Boards"
    assert "Pick a board to open" in shown(page_text(at))
    assert sorted(at.dataframe[0].value["Board"]) == ["Chooser board 1", "Chooser board 2"]
    assert len([b for b in at.button if b.key and b.key.startswith("default_board.set.")]) == 2
    at.switch_page(OVERVIEW_PAGE).run()  # once a session: the home page is free after
    assert not at.exception
    assert at.title[0].value != "Boards"
    assert any("Demo board" in info.value for info in at.sidebar.info)
    assert_no_canary(everything_rendered(at))


def test_a_default_board_opens_by_itself_and_no_chooser(base_url: str) -> None:
    at = home(base_url, trello=CREDENTIALS, trellolens={"default_board": BOARDS[1]["id"]})
    assert at.title[0].value == "Chooser board 2"


def test_without_credentials_the_demo_board_as_before(app: AppTest) -> None:
    assert app.title[0].value != "Boards"
    assert any("Demo board" in info.value for info in app.sidebar.info)


def test_set_as_default_writes_the_secrets_file_keeping_comments_and_mode(
    base_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets_file = write_secrets(
        tmp_path / ".streamlit" / "secrets.toml",
        SECRETS_TEXT.format(key=CANARY_KEY, token=CANARY_TOKEN),
    )
    monkeypatch.setattr(default_board, "configured_files", lambda: [secrets_file])
    monkeypatch.setattr(default_board, "served_on_loopback", lambda: True)  # the owner's computer
    at = home(base_url, trello=CREDENTIALS)
    chosen = BOARDS[0]
    at.button(key=button_key(chosen["id"])).click().run()
    assert not at.exception
    text = secrets_file.read_text(encoding="utf-8")
    assert f'default_board = "{chosen["id"]}"' in text.split("[trellolens]")[1]
    for kept in ("# my own notes: keep me", "# the read-only token", 'app_name = "Team flow"'):
        assert kept in text
    assert CANARY_TOKEN in text  # the token itself is left as it was
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    assert f"Chooser board 1 is the default board now (written to {secrets_file})" in shown(
        page_text(at)
    )
    assert "Default board" in page_text(at)  # its row is marked
    assert not list(secrets_file.parent.glob("secrets.toml.*"))  # no temporary file left
    assert_no_canary(everything_rendered(at))


def test_without_a_secrets_file_it_says_which_variable_to_set(
    base_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / ".streamlit" / "secrets.toml"
    monkeypatch.setattr(default_board, "configured_files", lambda: [missing])
    monkeypatch.setattr(default_board, "served_on_loopback", lambda: True)
    at = home(base_url, trello=CREDENTIALS)
    at.button(key=button_key(BOARDS[1]["id"])).click().run()
    assert not at.exception
    (line,) = [shown(i.value) for i in at.info if "TRELLOLENS_DEFAULT_BOARD" in shown(i.value)]
    assert line == f"Set TRELLOLENS_DEFAULT_BOARD={BOARDS[1]['id']} in the app's environment."
    assert not missing.exists()


def test_a_visitor_not_at_the_apps_computer_is_told_what_to_paste_and_nothing_is_written(
    base_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets_file = write_secrets(tmp_path / ".streamlit" / "secrets.toml", "[trellolens]\n")
    monkeypatch.setattr(default_board, "configured_files", lambda: [secrets_file])
    monkeypatch.setattr(default_board, "served_on_loopback", lambda: False)
    at = home(base_url, trello=CREDENTIALS)
    at.button(key=button_key(BOARDS[0]["id"])).click().run()
    assert not at.exception
    assert secrets_file.read_text() == "[trellolens]\n"
    assert f'Add default_board = "{BOARDS[0]["id"]}" under [trellolens] of {secrets_file}.' in (
        shown(page_text(at))
    )
