"""A Trello REST API emulator: an ``httpx.MockTransport`` handler and a real threaded server.

from trellolens.testing import TrelloEmulator, TokenSpec
emulator = TrelloEmulator(boards=[generate_board()], key="...", tokens=[TokenSpec("...")])
with emulator.serve() as base_url:
    ...
"""

from __future__ import annotations

from trellolens.testing.emulator.adapter import requests_adapter
from trellolens.testing.emulator.emulator import TrelloEmulator
from trellolens.testing.emulator.faults import Faults
from trellolens.testing.emulator.log import RecordedRequest
from trellolens.testing.emulator.rate_limits import RateLimits
from trellolens.testing.emulator.response_limits import ResponseLimits
from trellolens.testing.emulator.state import TokenSpec

__all__ = [
    "Faults",
    "RateLimits",
    "RecordedRequest",
    "ResponseLimits",
    "TokenSpec",
    "TrelloEmulator",
    "requests_adapter",
]
