"""Names of Trello action types the model and the client share (no dataclasses: quick to import)."""

from __future__ import annotations

CARD_CREATION_TYPES: tuple[str, ...] = (
    "createCard",
    "copyCard",
    "emailCard",
    "convertToCardFromCheckItem",
    "moveCardToBoard",
)
"""Every action type that puts a card on a board (into ``data.list``): created, copied, sent by
e-mail, converted from a checklist item, or moved in from another board."""
