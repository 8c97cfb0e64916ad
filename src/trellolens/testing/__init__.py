"""Public test helpers for code that uses trellolens: generated boards, the Trello emulator and a
real redis-server on a free loopback port."""

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
from trellolens.testing.redis_server import RedisServer

__all__ = [
    "RateLimits",
    "RecordedRequest",
    "RedisServer",
    "ResponseLimits",
    "TokenSpec",
    "TrelloEmulator",
    "generate_board",
    "generate_export",
    "requests_adapter",
]
