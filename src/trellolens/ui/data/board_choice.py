"""What a page shows: the board and where it came from (no Streamlit here, so the caching
boundary in ``data.py`` and the pages can both name it without importing each other)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from trellolens.board import Board


class BoardKind(StrEnum):
    DEMO = "demo"
    UPLOAD = "upload"
    LIVE = "live"


@dataclass(frozen=True)
class BoardChoice:
    """The board a page shows and where it came from, in words a visitor understands."""

    board: Board
    kind: BoardKind
    source_label: str
    cache_key: str
    """Cheap, content-derived key for tables derived from this board."""

    @property
    def is_demo(self) -> bool:
        return self.kind is BoardKind.DEMO
