"""The bundled demo board: a real, pseudonymised Trello export (see data/README.md)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from trellolens.board.export_file import parse_board_bytes
from trellolens.board.model import Board

DEMO_RESOURCE = "demo-board.json"


def demo_board_bytes() -> bytes:
    return files("trellolens.board").joinpath("data", DEMO_RESOURCE).read_bytes()


@cache
def demo_board() -> Board:
    """The demo board, parsed once per process."""
    return parse_board_bytes(
        demo_board_bytes(), source=f"demo board ({DEMO_RESOURCE})", max_bytes=10**8
    )
