"""Public test helpers for code that uses trellolens: generated boards and the Trello emulator."""

from __future__ import annotations

from trellolens.testing.emulator import (
    RateLimits,
    RecordedRequest,
    TokenSpec,
    TrelloEmulator,
    requests_adapter,
)
from trellolens.testing.generator import generate_board, generate_export

__all__ = [
    "RateLimits",
    "RecordedRequest",
    "TokenSpec",
    "TrelloEmulator",
    "generate_board",
    "generate_export",
    "requests_adapter",
]
