"""Canary secrets: obvious fakes that must never reach a log, an exception, a page or a download."""

from __future__ import annotations

from pathlib import Path

CANARY_KEY = "canary" + "0a1b2c3d" * 3 + "KEY1"
CANARY_TOKEN = "ATTA" + "CANARY" * 10 + "TOK1"
CANARY_SECRET = "canary" + "f00d" * 14 + "SEC1"
CANARIES = (CANARY_KEY, CANARY_TOKEN, CANARY_SECRET)
"""Each test that could leak checks that none of them reached its output."""


def canary(label: str) -> str:
    """A distinct canary for one place, such as ``canary("sm-token")``."""
    return "canary" + label.encode().hex() + "CANARY"


def assert_no_canary(text: str, *extra: str) -> None:
    for value in (*CANARIES, *extra):
        assert value not in text, "a secret value leaked"
        assert "CANARY" not in text, "a secret value leaked"


def write_secrets(path: Path, text: str, mode: int = 0o600) -> Path:
    """``text`` written to ``path`` (folders made) with file mode ``mode``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path
