"""The domain: what a Trello board is, wherever it came from.

Names load on first use: a submodule such as ``fast_json`` or ``json_reader`` comes without the
model and the parser, which `trellolens fetch` loads while its request is on the way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trellolens.lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    "demo_board": "trellolens.board.demo",
    "demo_board_bytes": "trellolens.board.demo",
    "MAX_EXPORT_BYTES": "trellolens.board.export_file",
    "MAX_UPLOAD_BYTES": "trellolens.board.export_file",
    "load_board": "trellolens.board.export_file",
    "parse_board": "trellolens.board.export_file",
    "parse_board_bytes": "trellolens.board.export_file",
    "CARD_CREATION_TYPES": "trellolens.board.action_types",
    "Action": "trellolens.board.model",
    "Board": "trellolens.board.model",
    "Card": "trellolens.board.model",
    "CheckItem": "trellolens.board.model",
    "Checklist": "trellolens.board.model",
    "CustomField": "trellolens.board.model",
    "CustomFieldOption": "trellolens.board.model",
    "CustomFieldValue": "trellolens.board.model",
    "Label": "trellolens.board.model",
    "Member": "trellolens.board.model",
    "TrelloList": "trellolens.board.model",
    "board_to_export": "trellolens.board.to_export",
    "BoardFormatError": "trellolens.errors",
}
"""Each public name and the module it lives in."""

__all__ = [
    "CARD_CREATION_TYPES",
    "MAX_EXPORT_BYTES",
    "MAX_UPLOAD_BYTES",
    "Action",
    "Board",
    "BoardFormatError",
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

if TYPE_CHECKING:
    from trellolens.board.action_types import CARD_CREATION_TYPES
    from trellolens.board.demo import demo_board, demo_board_bytes
    from trellolens.board.export_file import (
        MAX_EXPORT_BYTES,
        MAX_UPLOAD_BYTES,
        load_board,
        parse_board,
        parse_board_bytes,
    )
    from trellolens.board.model import (
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
    from trellolens.errors import BoardFormatError


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
