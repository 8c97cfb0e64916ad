"""A parsed board costs about what its JSON does (issue 29), and its actions behave as before."""

from __future__ import annotations

import copy
import dataclasses
import gc
import json
import pickle
import tracemalloc
from datetime import UTC, datetime, timedelta

import pytest

from trellolens.board import Action, parse_board_bytes
from trellolens.testing import generate_export

#: A parsed board may hold at most this many bytes per byte of its JSON export.
BUDGET = 1.5


def _retained_bytes(raw: bytes) -> tuple[int, object]:
    """What the parsed board keeps (traced by tracemalloc, after the parse's garbage is freed)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        board = parse_board_bytes(raw, source="memory", max_bytes=len(raw) + 1)
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before, board
    finally:
        tracemalloc.stop()


def test_a_2000_card_20000_action_board_costs_at_most_one_and_a_half_times_its_json() -> None:
    export = generate_export(lists=6, cards=2_000, actions=20_000, months=12, seed=1)
    raw = json.dumps(export).encode()
    assert len(raw) > 9_000_000  # the size the budget is about: ~10 MB
    retained, board = _retained_bytes(raw)
    assert len(board.actions) == 20_000  # type: ignore[attr-defined]
    assert retained <= BUDGET * len(raw), f"{retained / len(raw):.2f}x the JSON"


def test_actions_share_one_string_per_id_with_the_cards_and_lists() -> None:
    raw = json.dumps(generate_export(lists=4, cards=30, actions=300, seed=2)).encode()
    board = parse_board_bytes(raw)
    cards = {card.id: card.id for card in board.cards}
    lists = {lst.id: lst.id for lst in board.lists}
    moved = [a for a in board.actions if a.card_id in cards and a.list_after_id in lists]
    assert moved
    for action in moved:
        assert action.card_id is not None
        assert action.list_after_id is not None
        assert action.card_id is cards[action.card_id]
        assert action.list_after_id is lists[action.list_after_id]


WHEN = datetime(2024, 3, 1, 12, 30, 5, 123000, tzinfo=UTC)
DATA = {"card": {"id": "c1", "name": "Fix ✓"}, "label": {"id": "l9", "name": "Blocked"}}


def test_an_action_keeps_its_date_and_data_exactly() -> None:
    action = Action("a1", "addLabelToCard", WHEN, "m1", DATA, "c1")
    assert action.date == WHEN
    assert action.date.tzinfo is UTC
    assert action.date_us == (WHEN - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    assert action.data == DATA
    action.data["card"]["name"] = "changed"
    assert action.data == DATA  # each read is a fresh copy: the action cannot be changed
    assert Action("a2", "commentCard", WHEN).data == {}


def test_actions_compare_hash_pickle_and_refuse_changes_as_the_dataclass_did() -> None:
    one = Action("a1", "addLabelToCard", WHEN, "m1", DATA, "c1")
    same_but_data = Action("a1", "addLabelToCard", WHEN, "m1", {}, "c1")
    assert one == same_but_data
    assert hash(one) == hash(same_but_data)
    assert one != Action("a1", "addLabelToCard", WHEN + timedelta(microseconds=1), "m1", DATA)
    assert one != "a1"
    assert pickle.loads(pickle.dumps(one)) == one  # noqa: S301 - our own bytes
    assert copy.deepcopy(one).data == DATA
    assert repr(one).startswith("Action(id='a1', type='addLabelToCard', date=datetime.datetime(")
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.type = "other"
    with pytest.raises(dataclasses.FrozenInstanceError):
        del one.card_id
    match one:
        case Action(action_id, "addLabelToCard", when):
            assert action_id == "a1"
            assert when == WHEN
        case _:
            pytest.fail("Action no longer matches positionally")


def test_parsing_never_holds_the_whole_history_as_decoded_json() -> None:
    """The actions are decoded one at a time: the peak is the bytes plus the model, not a tree
    of dicts beside them (that was 4.6x the JSON)."""
    raw = json.dumps(generate_export(lists=6, cards=500, actions=5_000, seed=3)).encode()
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        board = parse_board_bytes(raw)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert len(board.actions) == 5_000
    assert peak <= 2.0 * len(raw), f"peak {peak / len(raw):.2f}x the JSON"


def _export_with_action(action_json: str) -> bytes:
    export = generate_export(lists=2, cards=3, actions=6, seed=4)
    text = json.dumps(export)
    return text.replace('"actions": [', f'"actions": [{action_json}, ', 1).encode()


@pytest.mark.parametrize(
    ("data_json", "expected"),
    [
        ('{"n": NaN}', None),  # msgspec refuses NaN; json.loads reads it
        ('{"n": 1180591620717411303424}', {"n": 2**70}),  # beyond 64 bits
        ('{"text": "caf\\u00e9 \\ud83d\\ude00"}', {"text": "café 😀"}),
    ],
)
def test_an_action_only_the_standard_library_reads_parses_as_before(
    data_json: str, expected: dict[str, object] | None
) -> None:
    action_json = (
        '{"id": "a0", "type": "commentCard", "date": "2024-01-02T03:04:05.678Z",'
        f' "data": {data_json}}}'
    )
    board = parse_board_bytes(_export_with_action(action_json))
    first = board.actions[0]
    assert first.id == "a0"
    assert first.date == datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    if expected is None:
        assert first.data["n"] != first.data["n"]  # NaN, kept as NaN
    else:
        assert first.data == expected


@pytest.mark.parametrize("actions_json", ["null", "[]"])
def test_a_board_without_actions_parses_to_no_history(actions_json: str) -> None:
    export = generate_export(lists=2, cards=3, actions=3, seed=5)
    export["actions"] = "PLACEHOLDER"
    raw = json.dumps(export).replace('"PLACEHOLDER"', actions_json).encode()
    assert parse_board_bytes(raw).actions == ()


def test_bad_json_inside_one_action_is_still_reported_with_its_position() -> None:
    from trellolens.errors import BoardFormatError

    raw = _export_with_action('{"id": "a0", "type": tru}')
    with pytest.raises(BoardFormatError, match="not valid JSON"):
        parse_board_bytes(raw)
