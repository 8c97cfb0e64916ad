"""The domain: what a Trello board is, wherever it came from."""

from __future__ import annotations

from trellolens.board.demo import demo_board, demo_board_bytes
from trellolens.board.export_file import (
    MAX_EXPORT_BYTES,
    MAX_UPLOAD_BYTES,
    load_board,
    parse_board,
    parse_board_bytes,
)
from trellolens.board.model import (
    CARD_CREATION_TYPES,
    Action,
    Board,
    Card,
    CheckItem,
    Checklist,
    CustomField,
    CustomFieldOption,
    CustomFieldValue,
    Label,
    Member,
    TrelloList,
)
from trellolens.board.to_export import board_to_export

__all__ = [
    "CARD_CREATION_TYPES",
    "MAX_EXPORT_BYTES",
    "MAX_UPLOAD_BYTES",
    "Action",
    "Board",
    "Card",
    "CheckItem",
    "Checklist",
    "CustomField",
    "CustomFieldOption",
    "CustomFieldValue",
    "Label",
    "Member",
    "TrelloList",
    "board_to_export",
    "demo_board",
    "demo_board_bytes",
    "load_board",
    "parse_board",
    "parse_board_bytes",
]
