"""Key names as redis-py hands them back (bytes, or str with ``decode_responses``)."""

from __future__ import annotations


def text(name: bytes | str) -> str:
    return name.decode() if isinstance(name, bytes) else name
