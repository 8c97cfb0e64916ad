"""The real exports, read once per test session (they are read-only)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from tests.helpers.paths import HERMES_2014, SCRUM_2018


@cache
def raw_bytes(path: Path) -> bytes:
    return path.read_bytes()


def export_json(path: Path) -> dict[str, Any]:
    """A fresh decoded copy: callers may mutate it."""
    decoded: dict[str, Any] = json.loads(raw_bytes(path))
    return decoded


__all__ = ["HERMES_2014", "SCRUM_2018", "export_json", "raw_bytes"]
