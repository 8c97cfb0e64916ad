"""Truncated copies of a secret are masked too: any 8-character run of a known credential, and a
token-shaped prefix (``ATTA`` + 8 or more letters/digits) of a token the process never saw."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers.canaries import CANARY_KEY, CANARY_SECRET, CANARY_TOKEN, assert_no_canary
from trellolens.cli.main import cli
from trellolens.credentials import Secret, redaction
from trellolens.credentials.redaction import MASK, redact

UNSEEN_TOKEN_PREFIX = "ATTACANARY5d1f0c2b9e"


@pytest.mark.parametrize("value", [CANARY_KEY, CANARY_TOKEN, CANARY_SECRET])
@pytest.mark.parametrize("cut", [(0, 20), (5, 13), (len("canary") + 3, None), (-8, None)])
def test_any_eight_character_run_of_a_known_secret_is_masked(
    value: str, cut: tuple[int, int | None]
) -> None:
    held = Secret(value)
    piece = value[cut[0] : cut[1]]
    assert len(piece) >= 8
    for text in (f"bad entry {piece!r}", f"x{piece}y", f"see {piece.upper()}."):
        shown = redact(text)
        assert piece.lower() not in shown.lower(), shown
        assert MASK in shown
    assert held.reveal() == value


def test_a_registered_credential_is_masked_when_cut_as_well() -> None:
    value = "canaryRegistered" + "9e8d7c6b" * 4
    redaction.register_secret(value)
    assert (
        redact(f"prefix {value[:12]} and suffix {value[-9:]}") == f"prefix {MASK} and suffix {MASK}"
    )


@pytest.mark.parametrize("prefix", [UNSEEN_TOKEN_PREFIX, "ATTA5d1f0c2b", "ATTA9e8f7a6b5c4d3e2f1a"])
def test_a_token_prefix_is_masked_even_when_the_token_is_unknown(prefix: str) -> None:
    assert redact(f"b'{prefix}' is not a date") == f"b'{MASK}' is not a date"


def test_ordinary_words_and_short_runs_stay() -> None:
    held = Secret(CANARY_KEY)
    text = "attachments ATTACHMENTS Attached, 0a1b2c3 secrets.toml trellolens"
    assert redact(text) == text
    assert held.reveal() == CANARY_KEY


def test_non_credential_values_are_masked_whole_only() -> None:
    held = Secret("secrets.toml:/home/me/project")
    assert redact("read secrets.toml and /home/me") == "read secrets.toml and /home/me"
    assert redact("secrets.toml:/home/me/project") == MASK
    assert held.reveal().startswith("secrets")


def test_a_bad_holidays_line_never_echoes_a_token_prefix(tmp_path: Path) -> None:
    board = tmp_path / "board.json"
    board.write_text('{"id": "b", "name": "B", "lists": [], "cards": []}', encoding="utf-8")
    days = tmp_path / "days.txt"
    days.write_text(f"2024-12-25\n{CANARY_TOKEN}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["metrics", str(board), "--holidays", str(days)])
    assert result.exit_code == 2
    assert "days.txt: line 2: an entry of 68 characters is not a date" in result.stderr
    assert_no_canary(result.stderr + result.stdout)
    assert "ATTACANARY" not in result.stderr


def test_a_low_variety_run_of_a_known_value_masks_no_board_id() -> None:
    """A known value made of one repeated character must not mask ids that share the run."""
    redaction.register_secret("ATTA" + "f" * 72)
    assert redact("Board ffffffffffffffffffffffff could not be loaded") == (
        "Board ffffffffffffffffffffffff could not be loaded"
    )
