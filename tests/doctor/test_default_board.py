"""default_board is written where trellolens.settings reads it, or the owner is told what to paste."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import pytest

from tests.helpers.canaries import CANARY_TOKEN, write_secrets
from trellolens.doctor import DefaultBoardError, locate_default_board, write_default_board
from trellolens.settings import Settings

BOARD = "5a1532fe1a583c9b3bb5bc8b"


def test_the_last_file_with_a_trellolens_table_is_the_one_read_and_written(tmp_path: Path) -> None:
    home = write_secrets(tmp_path / "home" / ".streamlit" / "secrets.toml", "[trellolens]\n")
    project = write_secrets(tmp_path / "app" / ".streamlit" / "secrets.toml", "[trello]\n")
    # Streamlit replaces a whole top-level table: the project's file has none, so home's is read.
    assert locate_default_board([home, project], Settings({}, {})).file == home
    write_secrets(project, "[trellolens]\naccess = 'local'\n")
    assert locate_default_board([home, project], Settings({}, {})).file == project


def test_a_file_without_the_table_gets_one(tmp_path: Path) -> None:
    path = write_secrets(
        tmp_path / ".streamlit" / "secrets.toml", f'[trello]\ntoken = "{CANARY_TOKEN}"\n'
    )
    place = locate_default_board([path], Settings({}, {}))
    assert place.file == path
    write_default_board(path, BOARD)
    parsed = tomllib.loads(path.read_text())
    assert parsed["trellolens"]["default_board"] == BOARD
    assert parsed["trello"]["token"] == CANARY_TOKEN
    assert Settings(parsed["trellolens"], {}).default_board == BOARD  # one source of truth


def test_a_value_already_there_is_replaced_and_comments_kept(tmp_path: Path) -> None:
    text = '# top\n[trellolens]\ndefault_board = "old"  # the team board\nholidays = []\n'
    path = write_secrets(tmp_path / ".streamlit" / "secrets.toml", text, mode=0o640)
    write_default_board(path, BOARD)
    assert path.read_text() == (
        f'# top\n[trellolens]\ndefault_board = "{BOARD}"  # the team board\nholidays = []\n'
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_env_only_deploys_and_community_cloud_get_a_line_to_paste(tmp_path: Path) -> None:
    missing = tmp_path / ".streamlit" / "secrets.toml"
    place = locate_default_board([missing], Settings({}, {}))
    assert place.file is None
    assert (
        place.paste_line(BOARD) == f"Set TRELLOLENS_DEFAULT_BOARD={BOARD} in the app's environment."
    )
    cloud = locate_default_board([missing], Settings({}, {}), cwd=Path("/mount/src/my-app"))
    assert cloud.file is None
    assert cloud.paste_line(BOARD) == (
        f'Add default_board = "{BOARD}" under [trellolens] in the app\'s Settings > Secrets on '
        "Community Cloud."
    )


def test_a_variable_in_force_is_not_shadowed_by_a_second_place(tmp_path: Path) -> None:
    path = write_secrets(tmp_path / ".streamlit" / "secrets.toml", "[trellolens]\n")
    place = locate_default_board([path], Settings({}, {"TRELLOLENS_DEFAULT_BOARD": "abcdefgh"}))
    assert place.file is None
    assert place.paste_line(BOARD).startswith("Set TRELLOLENS_DEFAULT_BOARD=")
    write_secrets(path, '[trellolens]\ndefault_board = "abcdefgh"\n')  # the file wins: write it
    assert (
        locate_default_board([path], Settings({}, {"TRELLOLENS_DEFAULT_BOARD": "x"})).file == path
    )


def test_a_link_out_of_the_project_is_never_written_through(tmp_path: Path) -> None:
    outside = write_secrets(tmp_path / "etc" / "secrets.toml", "[trellolens]\n")
    link = tmp_path / "app" / ".streamlit" / "secrets.toml"
    link.parent.mkdir(parents=True)
    link.symlink_to(outside)
    assert locate_default_board([link], Settings({}, {})).file is None
    with pytest.raises(DefaultBoardError, match="symbolic link"):
        write_default_board(link, BOARD)
    assert outside.read_text() == "[trellolens]\n"


def test_only_a_board_id_is_written(tmp_path: Path) -> None:
    path = write_secrets(tmp_path / ".streamlit" / "secrets.toml", "[trellolens]\n")
    for bad in ('x"\n[trello]\ntoken = "y', "abcdefgh", BOARD.upper()):
        with pytest.raises(DefaultBoardError, match="not a Trello board id"):
            write_default_board(path, bad)
    assert path.read_text() == "[trellolens]\n"


def test_a_file_that_is_not_toml_is_left_alone(tmp_path: Path) -> None:
    path = write_secrets(tmp_path / ".streamlit" / "secrets.toml", "[trellolens\n")
    with pytest.raises(DefaultBoardError, match="cannot read it as TOML; nothing was written"):
        write_default_board(path, BOARD)
    assert path.read_text() == "[trellolens\n"
    assert sorted(os.listdir(path.parent)) == ["secrets.toml"]
