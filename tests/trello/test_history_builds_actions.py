"""Older history pages become the board's compact Actions as they arrive (issue 29)."""

from __future__ import annotations

import pytest

from trellolens.board import Action, BoardFormatError
from trellolens.board.export_file import action_builder
from trellolens.trello.history import ActionHistory


def _raw(number: int, card: str = "c1") -> dict[str, object]:
    return {
        "id": f"a{number}",
        "type": "updateCard",
        "date": f"2024-01-0{number}T00:00:00.000Z",
        "data": {"card": {"id": card}, "listAfter": {"id": "l2"}, "listBefore": {"id": "l1"}},
    }


def test_each_new_action_is_built_once_and_ids_are_shared() -> None:
    history = ActionHistory([_raw(3), _raw(2)], None, action_builder("Trello board b1"))
    assert not history.add([_raw(2)])  # seen already: nothing new
    assert history.add([_raw(1)])
    actions = history.actions
    assert [type(a) for a in actions] == [Action, Action, Action]
    assert [a.id for a in actions] == ["a3", "a2", "a1"]
    assert actions[0].card_id is actions[2].card_id  # one string per id
    assert actions[1].data["listAfter"] == {"id": "l2"}


def test_a_malformed_action_names_its_place_in_the_history() -> None:
    bad = _raw(1) | {"data": {"card": {"id": 7}}}
    history = ActionHistory([_raw(3), _raw(2)], None, action_builder("Trello board b1"))
    with pytest.raises(BoardFormatError, match=r"\$\.actions\[2\]\.data\.card\.id"):
        history.add([bad])
