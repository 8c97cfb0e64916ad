"""Public test helpers for code that uses trellolens: generated boards and the Trello emulator."""

from __future__ import annotations

from trellolens.testing.emulator import (
    RateLimits,
    RecordedRequest,
    ResponseLimits,
    TokenSpec,
    TrelloEmulator,
    requests_adapter,
)
from trellolens.testing.generator import generate_board, generate_export

__all__ = [
    "RateLimits",
    "RecordedRequest",
    "ResponseLimits",
    "TokenSpec",
    "TrelloEmulator",
    "generate_board",
    "generate_export",
    "requests_adapter",
]
