"""Deprecated alias of ``trellolens.credentials.redaction`` (warns once when imported)."""

from __future__ import annotations

import warnings
from typing import Any

from trellolens.credentials import redaction as _redaction

warnings.warn(
    "trellolens.guard.redaction moved to trellolens.credentials.redaction",
    DeprecationWarning,
    stacklevel=2,
)


def __getattr__(name: str) -> Any:
    return getattr(_redaction, name)


def __dir__() -> list[str]:
    return dir(_redaction)
