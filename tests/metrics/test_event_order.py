"""Events sort by (card, time, action id): ``event_order`` against numpy's three-key lexsort.

``event_order`` sorts by card and time and compares ids only among events that tie on both; the
answer must be exactly ``np.lexsort`` over the ids as numpy strings, ties and equal ids included
(synthetic events use "" and "\\uffff" to sort before and after real actions at the same instant).
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from trellolens.metrics.history import event_order

IDS = st.sampled_from(["", "\uffff", "\uffff\uffff", "5a7", "5a8", "5a70", "60b", "a", "B"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4), IDS), max_size=40))
def test_the_same_order_as_a_lexsort_over_card_time_and_id(
    events: list[tuple[int, int, str]],
) -> None:
    cards = np.asarray([card for card, _, _ in events], dtype=np.int64)
    times = np.asarray([moment for _, moment, _ in events], dtype=np.int64)
    ids = [action_id for _, _, action_id in events]
    expected = np.lexsort((np.asarray(ids, dtype=np.str_), times, cards))
    assert event_order(cards, times, ids).tolist() == expected.tolist()


def test_a_tie_on_card_and_time_is_settled_by_the_id() -> None:
    cards = np.asarray([1, 0, 1, 1], dtype=np.int64)
    times = np.asarray([5, 9, 5, 4], dtype=np.int64)
    assert event_order(cards, times, ["b", "x", "a", "z"]).tolist() == [1, 3, 2, 0]
