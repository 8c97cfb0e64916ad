"""A board refused in one request and loaded in parts is built page by page: its cards and
actions become the compact model as each page arrives, so the load never holds the whole board
as dicts (peak measured with tracemalloc, stable on a shared machine), and the board is the one
the single request gives."""

from __future__ import annotations

import gc
import json
import tracemalloc

from tests.trello.test_trello_limits import FakeTime, client_of, emulator_of, same_board
from trellolens.board import parse_board
from trellolens.testing import ResponseLimits, generate_export

PEAK_LIMIT = 2.5
"""Peak while loading, as a multiple of the board's JSON: the dicts of every action (as before,
5.9x) cannot fit; the model (1.4x) and a page or two of JSON do."""


def test_a_board_loaded_in_parts_peaks_far_below_its_dicts() -> None:
    export = generate_export(lists=6, cards=2_000, actions=20_000, months=12, seed=5)
    size = len(json.dumps(export).encode())
    fake = FakeTime()
    emulator = emulator_of(fake, export, response_limits=ResponseLimits(max_cards=500))
    with client_of(emulator, fake) as client:
        gc.collect()
        tracemalloc.start()
        try:
            board = client.board_snapshot(str(export["id"]))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert emulator.requests[0].status == 403  # refused whole: it came in parts
    assert peak < PEAK_LIMIT * size, f"peak {peak / size:.2f}x the JSON"
    same_board(board, parse_board(export))
