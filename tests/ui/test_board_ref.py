"""Board references from links, the picker and settings: validated before any request."""

from __future__ import annotations

import pytest

from trellolens.ui.data.board_ref import (
    BoardRefError,
    matches,
    parse_board_ref,
    short_link_of,
    shown_ref,
)

BOARD_ID = "5a1532fe1a583c9b3bb5bc8b"


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        (BOARD_ID, BOARD_ID),
        (BOARD_ID.upper(), BOARD_ID),
        (f"  {BOARD_ID}\n", BOARD_ID),
        ("AbCd1234", "AbCd1234"),
        ("https://trello.com/b/AbCd1234/our-board", "AbCd1234"),
        ("https://trello.com/b/AbCd1234", "AbCd1234"),
        ("http://www.trello.com/b/AbCd1234/x?filter=member:me", "AbCd1234"),
        ("trello.com/b/AbCd1234/our-board", "AbCd1234"),
        (f"https://trello.com/b/{BOARD_ID}", BOARD_ID),
    ],
)
def test_accepted_references(text: str, ref: str) -> None:
    assert parse_board_ref(text) == ref


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "not-a-board",
        "AbCd123",  # 7 characters
        "AbCd12345",  # 9
        BOARD_ID[:-1] + "g",
        "../../members/me",
        "AbCd123/",
        "https://evil.example/b/AbCd1234/x",
        "https://trello.com.evil.example/b/AbCd1234",
        "https://trello.com/c/AbCd1234/a-card",
        "https://trello.com/b/AbCd12%2F/x",
        "javascript:alert(1)//trello.com/b/AbCd1234",
        "ftp://trello.com/b/AbCd1234",
        "x" * 5000,
    ],
)
def test_refused_references_are_one_line_without_the_text(text: str) -> None:
    with pytest.raises(BoardRefError) as caught:
        parse_board_ref(text)
    message = str(caught.value)
    assert "\n" not in message
    if text.strip():
        assert text.strip() not in message


def test_short_links_and_matching() -> None:
    url = "https://trello.com/b/AbCd1234/our-board"
    assert short_link_of(url) == "AbCd1234"
    assert short_link_of("") is None
    assert matches("AbCd1234", BOARD_ID, url)
    assert matches(BOARD_ID, BOARD_ID, "")
    assert not matches("AbCd1235", BOARD_ID, url)


def test_a_shown_reference_is_short_and_flat() -> None:
    assert shown_ref("a\nb") == "a b"
    assert len(shown_ref("x" * 100)) == 40
