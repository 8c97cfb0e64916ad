"""CSV downloads a spreadsheet cannot turn into formulas, in comma and semicolon locales alike."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from tests.ui.test_ui_tables import NOW, small_board
from trellolens.ui.components.csv_download import csv_file_name
from trellolens.ui.pages.cards import csv_file_name as cards_file_name
from trellolens.ui.views import tables

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEMICOLON_ATTACK = "Fix login;=cmd|' /C calc'!A0"
COMMA_ATTACK = "Fix login,=cmd|' /C calc'!A0"


def with_cell(column: pd.Series, row: int, value: list[str]) -> pd.Series:
    """``column`` with a list in one cell (``.at`` is typed for scalar cells only)."""
    cells: list[object] = column.tolist()
    cells[row] = value
    return pd.Series(cells, index=column.index, dtype=object)


def hostile_cards() -> pd.DataFrame:
    frame = tables.cards_table(small_board(), NOW)
    frame.at[0, tables.CARD] = SEMICOLON_ATTACK
    frame.at[1, tables.CARD] = COMMA_ATTACK
    frame[tables.LABELS] = with_cell(frame[tables.LABELS], 0, ["Bug", "=HYPERLINK(1)", "+SUM(1)"])
    frame[tables.MEMBERS] = with_cell(frame[tables.MEMBERS], 0, ["Ana", "@evil"])
    frame.at[1, tables.LIST] = 'say "hi"; -2+3'
    return frame


def fields(data: bytes, delimiter: str) -> list[str]:
    """Every field as a spreadsheet splitting on ``delimiter`` sees it (quotes honoured)."""
    rows = csv.reader(io.StringIO(data.decode()), delimiter=delimiter)
    return [field for row in rows for field in row]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_no_field_starts_a_formula_in_either_locale(delimiter: str) -> None:
    for data in (tables.cards_csv(hostile_cards()), tables.frame_csv(hostile_cards())):
        starts = [field for field in fields(data, delimiter) if field.startswith(FORMULA_STARTS)]
        assert not starts


def test_every_label_and_member_is_defused_before_joining() -> None:
    parsed = pd.read_csv(io.BytesIO(tables.cards_csv(hostile_cards())), keep_default_na=False)
    assert parsed.loc[0, tables.LABELS] == "Bug; '=HYPERLINK(1); '+SUM(1)"
    assert parsed.loc[0, tables.MEMBERS] == "Ana; '@evil"


def test_fields_with_a_separator_are_quoted_and_defused_after_it() -> None:
    """A formula right after a separator is defused too: a ``;`` reader sees a quote only at the
    start of its own cell, so quoting alone protects the first column only."""
    data = tables.cards_csv(hostile_cards())
    defused = [
        attack.replace(";=", ";'=").replace(",=", ",'=")
        for attack in (SEMICOLON_ATTACK, COMMA_ATTACK)
    ]
    assert f'"{defused[0]}"'.encode() in data
    assert f'"{defused[1]}"'.encode() in data
    assert b'"say ""hi""; -2+3"' in data
    parsed = pd.read_csv(io.BytesIO(data), keep_default_na=False)
    assert list(parsed[tables.CARD][:2]) == defused
    assert list(parsed.columns) == list(tables.CARD_COLUMNS)


def test_a_separator_attack_in_a_later_column_is_defused_in_a_semicolon_locale() -> None:
    frame = hostile_cards()
    frame.at[0, tables.LIST] = SEMICOLON_ATTACK
    frame.at[1, tables.LIST] = "Doing\n=cmd|' /C calc'!A0"
    for data in (tables.cards_csv(frame), tables.frame_csv(frame)):
        starts = [field for field in fields(data, ";") if field.startswith(FORMULA_STARTS)]
        assert not starts


def test_numbers_and_empty_cells_keep_their_csv_form() -> None:
    frame = pd.DataFrame({"n": [1, 2], "x": [1.5, float("nan")], "s": ["a", None]})
    assert tables.frame_csv(frame).decode() == "n,x,s\n1,1.5,a\n2,,\n"


@pytest.mark.parametrize("name", ["x" * 300, "é" * 300, "a-" * 200, "!" * 300])
def test_download_file_names_are_capped(name: str) -> None:
    for file_name in (csv_file_name(name, "cycle-times"), cards_file_name(name)):
        assert len(file_name) <= tables.MAX_FILE_NAME_CHARS
        assert file_name.endswith(".csv")
        assert not file_name.startswith("-")
        assert "--" not in file_name
